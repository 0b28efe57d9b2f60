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
    """A TCP proxy in front of the web server that cuts the connection (both ways) of the
    ``in_patch``-th PATCH request after ``cut_after`` bytes: a dropped connection in the
    middle of an upload, as a flaky office network makes it.

    Chromium itself sends a request again when a kept-alive connection dies before any
    answer, so the proxy goes on cutting that piece's PATCHes until the page's own client
    asks where to continue (a HEAD, which only it sends): the drop reaches the page."""

    def __init__(self, upstream_port: int, *, cut_after: int, in_patch: int = 1) -> None:
        self.upstream_port = upstream_port
        self.cut_after = cut_after
        self.in_patch = in_patch
        self.patches = 0  # PATCH requests seen so far
        self.cut = 0  # connections cut so far
        self.healed = False  # the page's client has asked (HEAD): no more cuts
        self.server: asyncio.Server | None = None
        self.connections: set[asyncio.Task[None]] = set()
        self.port = 0

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        if self.server is not None:
            self.server.close()
            for connection in list(self.connections):
                connection.cancel()
            await asyncio.gather(*self.connections, return_exceptions=True)
            await self.server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is None:  # pragma: no cover - start_server runs this in a task
            return
        self.connections.add(task)
        task.add_done_callback(self.connections.discard)
        with contextlib.suppress(asyncio.CancelledError):  # cancelled by close() only
            await self._carry(reader, writer)

    async def _carry(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        done = asyncio.Event()

        async def upstream() -> None:
            carried, doomed = 0, False
            while data := await reader.read(65_536):
                if data.startswith(b"HEAD ") and self.cut:
                    self.healed = True
                if data.startswith(b"PATCH "):  # the client waits for each answer first
                    self.patches += 1
                    doomed = self.patches >= self.in_patch and not self.healed
                    carried = 0
                if doomed and carried + len(data) > self.cut_after:
                    up_writer.write(data[: max(0, self.cut_after - carried)])
                    await up_writer.drain()
                    self.cut += 1
                    break
                carried += len(data)
                up_writer.write(data)
                await up_writer.drain()

        async def downstream() -> None:
            while data := await up_reader.read(65_536):
                writer.write(data)
                await writer.drain()

        tasks = [asyncio.create_task(upstream()), asyncio.create_task(downstream())]
        for task in tasks:
            task.add_done_callback(lambda _: done.set())
        try:
            await done.wait()
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            for stream in (writer, up_writer):
                stream.transport.abort()  # a cut, not a polite close
                stream.close()
