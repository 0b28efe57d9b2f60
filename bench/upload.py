"""Browser upload benchmark: a 200 MB recording sent to the real web server (a separate
process, ``web.run_app`` as ``diemcau run`` starts it) over the tus protocol, while the
server's resident memory is sampled from /proc every 20 ms.

Two ways of sending, each a different 200 MB WAV (the intake refuses the same bytes twice):
- ``stream``: one PATCH carrying the whole file (chunked transfer): the server must stream it
  to disk, never hold it;
- ``pieces``: 4 MB PATCHes with their SHA-256, as the meeting page's client sends them.

Each ends with the chat upload's intake (SHA-256 of the whole file, the media probe, the row).
The claim to check: the server's RSS stays flat, not proportional to the file.

    .venv/bin/python bench/upload.py [--mb 200] [--piece-mb 4]

Prints, per way: seconds, MB/s, and the server's RSS before, at its peak, and after.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import wave
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiohttp
import numpy as np

from storage.db import create_all_sync, make_async_engine, make_async_sessionmaker, make_sync_engine
from storage.seed import load_seed
from storage.services.meetings import create_meeting
from storage.services.web_sessions import create_login_link

VN = ZoneInfo("Asia/Ho_Chi_Minh")
TUS = {"Tus-Resumable": "1.0.0"}


def wav(path: Path, megabytes: int, hz: float) -> Path:
    """A mono 16-bit 16 kHz tone of about ``megabytes`` MB, written a second at a time."""
    rate, seconds = 16_000, megabytes * 2**20 // 32_000
    t = np.arange(rate) / rate
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        for second in range(seconds):
            out.writeframes((np.sin(2 * np.pi * hz * (t + second)) * 8000).astype("<i2").tobytes())
    return path


async def office(url: str) -> tuple[int, str]:
    """A committee, its secretary and a meeting; a sign-in link for the secretary."""
    engine = make_async_engine(url)
    now = datetime.now(VN)
    async with make_async_sessionmaker(engine).begin() as s:
        seed = await load_seed(
            s,
            {
                "committee": {"name": "BCĐ", "province": "Lai Châu", "issuing_body": "UBND"},
                "units": [{"name": "Văn phòng UBND tỉnh", "short_name": "VP"}],
                "points": [{"code": "p0", "name": "Hội trường UBND tỉnh", "kind": "main_hall"}],
                "people": [
                    {
                        "key": "secretary",
                        "title": "Chánh Văn phòng",
                        "unit": "VP",
                        "point": "p0",
                        "roles": ["secretariat", "leadership"],
                    }
                ],
            },
        )
        meeting = await create_meeting(
            s,
            committee_id=seed.committee.id,
            title="Phiên họp lần thứ 1",
            starts_at=now + timedelta(days=1),
            chair_id=seed.person_ids["secretary"],
            main_point_id=seed.point_ids["p0"],
            point_ids=[seed.point_ids["p0"]],
            now=now,
        )
        link = await create_login_link(s, seed.person_ids["secretary"], now=now)
        meeting_id = meeting.id
    await engine.dispose()
    return meeting_id, link


def serve(url: str, data_dir: str, port: int) -> None:
    """The server process: the office app with recordings, as ``diemcau run`` wires it."""
    from aiohttp import web

    from diemcau.media import check_recording
    from web.app import init_app
    from web.uploads import Intake

    app = init_app(
        url,
        VN,
        cookie_secure=False,
        intake=Intake(data_dir=Path(data_dir), max_bytes=8 * 2**30, check_media=check_recording),
    )
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


class RssSampler:
    """Samples a process's VmRSS (kB) from /proc in a thread."""

    def __init__(self, pid: int) -> None:
        self.pid, self.samples, self._stop = pid, [], threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def rss(self) -> int:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append(self.rss())
            time.sleep(0.02)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


async def whole_file(path: Path) -> AsyncIterator[bytes]:
    with path.open("rb") as handle:
        while block := handle.read(2**20):
            yield block


async def send(
    client: aiohttp.ClientSession,
    base: str,
    csrf: str,
    meeting: int,
    path: Path,
    size: int,
    piece: int,
) -> int:
    created = await client.post(
        f"{base}/uploads",
        headers={
            **TUS,
            "X-CSRF-Token": csrf,
            "Upload-Length": str(size),
            "Upload-Metadata": "meeting " + base64.b64encode(str(meeting).encode()).decode(),
        },
    )
    assert created.status == 201, await created.text()
    url = base + created.headers["Location"]
    headers = {**TUS, "X-CSRF-Token": csrf, "Content-Type": "application/offset+octet-stream"}
    if piece == 0:
        answer = await client.patch(
            url, data=whole_file(path), headers={**headers, "Upload-Offset": "0"}
        )
    else:
        offset = 0
        while offset < size:
            data = read_piece(path, offset, piece)
            digest = base64.b64encode(hashlib.sha256(data).digest()).decode()
            answer = await client.patch(
                url,
                data=data,
                headers={
                    **headers,
                    "Upload-Offset": str(offset),
                    "Upload-Checksum": f"sha256 {digest}",
                },
            )
            assert answer.status == 204, await answer.text()
            offset += len(data)
    assert answer.status == 204, await answer.text()
    return int(answer.headers["Diemcau-Recording"])


def read_piece(path: Path, offset: int, size: int) -> bytes:
    with path.open("rb") as handle:
        handle.seek(offset)
        return handle.read(size)


async def measure(
    base: str, link: str, meeting: int, files: dict[str, tuple[Path, int]], piece: int, server: int
) -> None:
    """Sign in as the secretary, then send each file and print the figures."""
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar) as client:
        deadline = time.monotonic() + 120  # a loaded machine starts the server slowly
        while True:
            try:
                async with client.get(f"{base}/healthz") as health:
                    if health.status == 200:
                        break
            except aiohttp.ClientConnectionError:
                if time.monotonic() > deadline:
                    raise SystemExit("the server did not answer /healthz in 120 s") from None
                await asyncio.sleep(0.1)
        page = await (await client.get(f"{base}/login/{link}")).text()
        nonce = page.split('name="nonce" value="')[1].split('"')[0]
        await client.post(f"{base}/login/{link}", data={"nonce": nonce})
        home = await (await client.get(f"{base}/")).text()
        csrf = home.split('name="csrf" value="')[1].split('"')[0]
        for way, (path, size) in files.items():
            sampler = RssSampler(server)
            before = sampler.rss()
            with sampler:
                started = time.perf_counter()
                recording = await send(
                    client, base, csrf, meeting, path, size, 0 if way == "stream" else piece
                )
                seconds = time.perf_counter() - started
            after = sampler.rss()
            peak = max(sampler.samples)
            mb = size / 2**20
            print(
                f"{way:>6}: {mb:.0f} MB in {seconds:.2f} s = {mb / seconds:.0f} MB/s "
                f"(recording {recording}); server RSS before {before / 1024:.0f} MB, "
                f"peak {peak / 1024:.0f} MB (+{(peak - before) / 1024:.1f}), "
                f"after {after / 1024:.0f} MB; {len(sampler.samples)} samples"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--mb", type=int, default=200)
    parser.add_argument("--piece-mb", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="diemcau-upload-") as folder:
        root = Path(folder)
        url = f"sqlite+aiosqlite:///{root / 'bench.db'}"
        engine = make_sync_engine(url)
        create_all_sync(engine)
        engine.dispose()
        meeting, link = asyncio.run(office(url))
        files = {
            way: (path, path.stat().st_size)
            for way, path in (
                ("stream", wav(root / "a.wav", args.mb, 440.0)),
                ("pieces", wav(root / "b.wav", args.mb, 523.0)),
            )
        }
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = subprocess.Popen(
            [sys.executable, __file__, "--serve", url, str(root / "data"), str(port)],
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
        )
        print(f"file {args.mb} MB; server pid {server.pid}; load average {os.getloadavg()[0]:.1f}")
        try:
            asyncio.run(
                measure(
                    f"http://127.0.0.1:{port}",
                    link,
                    meeting,
                    files,
                    args.piece_mb * 2**20,
                    server.pid,
                )
            )
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--serve":
        serve(*sys.argv[2:4], int(sys.argv[4]))
    else:
        main()
