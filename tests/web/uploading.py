"""What the upload and recording tests share: a real WAV, the office app with a data
directory for recordings, tus requests, and a TCP proxy that drops a connection mid-upload."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import math
import struct
import wave
from pathlib import Path
from typing import Any

from aiohttp import web

from diemcau.media import check_recording
from tests.conftest import VN
from tests.web.conftest import Office, render_notice
from web.app import init_app
from web.uploads import Intake

TUS = {"Tus-Resumable": "1.0.0"}


def tone_wav(path: Path, *, seconds: float, hz: float = 440.0, rate: int = 16_000) -> Path:
    """A mono 16-bit WAV of a tone: real audio that the intake's media check decodes."""
    frames = int(seconds * rate)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        block = 16_000
        for first in range(0, frames, block):
            samples = (
                int(8000 * math.sin(2 * math.pi * hz * (first + i) / rate))
                for i in range(min(block, frames - first))
            )
            out.writeframes(struct.pack(f"<{min(block, frames - first)}h", *samples))
    return path


def office_app(
    office: Office, data_dir: Path, added: list[int], *, max_bytes: int = 50 * 2**20
) -> web.Application:
    """The office as ``diemcau run`` builds it for recordings: the real media check, and the
    hook that would start the pipeline recording which recordings were handed to it."""

    async def notice(content: dict[str, Any], meeting_id: int | None) -> bytes:
        return await render_notice(office.url, content, meeting_id)

    async def on_added(recording_id: int) -> None:
        added.append(recording_id)

    return init_app(
        office.url,
        VN,
        clock=lambda: office.now,
        render_notice=notice,
        intake=Intake(
            data_dir=data_dir, max_bytes=max_bytes, check_media=check_recording, on_added=on_added
        ),
    )


def metadata(**pairs: str) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in pairs.items())


def checksum(data: bytes) -> str:
    return "sha256 " + base64.b64encode(hashlib.sha256(data).digest()).decode()


def piece_headers(csrf: str, offset: int, data: bytes | None = None) -> dict[str, str]:
    headers = {
        **TUS,
        "X-CSRF-Token": csrf,
        "Content-Type": "application/offset+octet-stream",
        "Upload-Offset": str(offset),
    }
    if data is not None:
        headers["Upload-Checksum"] = checksum(data)
    return headers


class DroppingProxy:
    """A TCP proxy in front of the web server that, once, cuts a connection (both ways) after
    it has carried ``cut_after`` bytes of a request whose first line starts with ``PATCH``: a
    dropped connection in the middle of an upload, as a flaky office network makes it."""

    def __init__(self, upstream_port: int, *, cut_after: int) -> None:
        self.upstream_port = upstream_port
        self.cut_after = cut_after
        self.cut = 0  # connections cut so far (at most one)
        self.server: asyncio.Server | None = None
        self.port = 0

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        done = asyncio.Event()

        async def upstream() -> None:
            carried, patching = 0, False
            while data := await reader.read(65_536):
                if not patching and data.startswith(b"PATCH "):
                    patching, carried = True, 0
                if patching and not self.cut and carried + len(data) > self.cut_after:
                    keep = max(0, self.cut_after - carried)
                    up_writer.write(data[:keep])
                    await up_writer.drain()
                    self.cut += 1
                    break
                carried += len(data)
                up_writer.write(data)
                await up_writer.drain()
            done.set()

        async def downstream() -> None:
            while data := await up_reader.read(65_536):
                writer.write(data)
                await writer.drain()
            done.set()

        tasks = [asyncio.create_task(upstream()), asyncio.create_task(downstream())]
        with contextlib.suppress(ConnectionError):
            await done.wait()
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, ConnectionError):
                await task
        for stream in (writer, up_writer):
            stream.transport.abort()  # a cut, not a polite close
