"""Intake benchmark: ``diemcau recording add`` on a long recording, as a whole process.

Makes a WAV of ``--minutes`` of a tone with sox (44.1 kHz stereo 16-bit, about 10 MB a
minute: two hours is 1.2 GB), seeds a meeting in a scratch SQLite database, then runs the
real command in a child process and reads its peak resident memory from the kernel
(``RUSAGE_CHILDREN``). The last line is ``size_mb=N seconds=N mb_per_s=N peak_rss_mb=N``:
memory must stay flat (the file passes through in 1 MB chunks), whatever the size.

    .venv/bin/python bench/intake.py [--minutes 120] [--keep]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from storage import migrate  # noqa: E402
from storage.db import make_async_engine, make_async_sessionmaker  # noqa: E402
from tests.storage.factories import make_committee, make_meeting  # noqa: E402


async def seed_meeting(url: str) -> int:
    await asyncio.to_thread(migrate.upgrade, url)
    engine = make_async_engine(url)
    async with make_async_sessionmaker(engine).begin() as session:
        seed = await make_committee(session)
        meeting = await make_meeting(session, seed, now=datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")))
    await engine.dispose()
    return meeting.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=int, default=120)
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="diemcau-intake-"))
    source = scratch / "phien-hop.wav"
    command = ["sox", "-n", "-r", "44100", "-c", "2", "-b", "16", str(source)]
    subprocess.run([*command, "synth", str(args.minutes * 60), "sine", "440"], check=True)
    size_mb = source.stat().st_size / 2**20
    data_dir = scratch / "data"
    meeting_id = asyncio.run(seed_meeting(f"sqlite+aiosqlite:///{data_dir / 'diemcau.db'}"))
    env = {**os.environ, "DIEMCAU_DATA_DIR": str(data_dir), "PYTHONPATH": str(REPO)}
    env.pop("DIEMCAU_DATABASE_URL", None)
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from diemcau.cli import main; main()",
            "recording",
            "add",
            str(source),
            "--meeting",
            str(meeting_id),
        ],
        check=True,
        env=env,
    )
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # sox's is smaller
    print(
        f"size_mb={size_mb:.0f} seconds={seconds:.1f} mb_per_s={size_mb / seconds:.0f} "
        f"peak_rss_mb={peak_mb:.0f}"
    )
    if not args.keep:
        subprocess.run(["rm", "-rf", str(scratch)], check=True)


if __name__ == "__main__":
    main()
