"""A long session end to end: ``recording add``, then the job; memory and progress over time.

    .venv/bin/python bench/long_recording.py [--minutes 120] [--every 30] [--keep]

Builds ``--minutes`` of speech (espeak-ng reading the sentences of the shipped conclusion
``examples/laichau-2021-06-04-ket-luan.txt`` over and over, with pauses of 1 to 4 s and a
long silence every ten minutes, encoded as Ogg/Opus at 24 kbit/s as a phone or a conference
recorder would), attaches it to a meeting in a scratch SQLite database with the real
``diemcau recording add`` command, and runs it through ``RecordingPipeline.process`` with
one worker, as the server does. Every ``--every`` seconds it prints the progress stored on
the recording row (what chat and web show) and the resident memory of the worker process.

The last lines say whether progress ever went backwards, and compare the worker's memory in
the first and last fifths of the run: flat memory means the file streams through the job.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import subprocess
import sys
import tempfile
import time
import wave
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from intake import seed_meeting  # noqa: E402
from sqlalchemy import select  # noqa: E402

from diemcau.pipeline import RecordingPipeline  # noqa: E402
from storage.db import make_async_engine, make_async_sessionmaker  # noqa: E402
from storage.models import Recording  # noqa: E402
from transcribe.model import ensure_bundled_model  # noqa: E402

TEXT = REPO / "examples" / "laichau-2021-06-04-ket-luan.txt"
RATE = 16000


def sentence_clips(folder: Path) -> list[bytes]:
    """Each sentence of the conclusion read once by espeak-ng, as 16 kHz mono PCM."""
    text = " ".join(TEXT.read_text(encoding="utf-8").split())
    sentences = [s.strip() + "." for s in text.split(".") if len(s.split()) >= 4]
    clips = []
    for i, sentence in enumerate(sentences):
        raw, wav = folder / f"s{i}.wav", folder / f"s{i}-16k.wav"
        subprocess.run(["espeak-ng", "-v", "vi", "-s", "150", "-w", str(raw), sentence], check=True)
        subprocess.run(["sox", str(raw), "-r", str(RATE), "-c", "1", str(wav)], check=True)
        with wave.open(str(wav), "rb") as reader:
            clips.append(reader.readframes(reader.getnframes()))
    return clips


def build_session(folder: Path, minutes: int) -> Path:
    """``minutes`` of speech and pauses, written frame by frame (never whole in memory)."""
    clips = sentence_clips(folder)
    randomness = random.Random(20261201)
    wav, ogg = folder / "phien-hop.wav", folder / "phien-hop.ogg"
    target = minutes * 60 * RATE
    written = 0
    next_long_pause = 600 * RATE
    with wave.open(str(wav), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(RATE)
        while written < target:
            clip = clips[written % len(clips)]
            pause = int(randomness.uniform(1.0, 4.0) * RATE)
            if written >= next_long_pause:  # a break in the session
                pause, next_long_pause = 45 * RATE, next_long_pause + 600 * RATE
            writer.writeframes(clip + b"\0\0" * pause)
            written += len(clip) // 2 + pause
    encode = ["ffmpeg", "-loglevel", "error", "-y", "-i", str(wav), "-ac", "1"]
    subprocess.run([*encode, "-c:a", "libopus", "-b:a", "24k", str(ogg)], check=True)
    wav.unlink()
    return ogg


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MiB (0 when it is gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


async def run_job(data_dir: Path, url: str, every: float) -> list[tuple[float, float, float]]:
    engine = make_async_engine(url)
    sessions = make_async_sessionmaker(engine)
    async with sessions() as session:
        recording_id = (await session.scalars(select(Recording.id))).one()
    pipeline = RecordingPipeline(
        database_url=url, sessions=sessions, model="base", data_dir=data_dir,
        tz=ZoneInfo("Asia/Ho_Chi_Minh"), workers=1, poll_seconds=1.0,
    )  # fmt: skip
    samples: list[tuple[float, float, float]] = []  # seconds, progress, worker RSS
    started = time.perf_counter()

    async def sample() -> None:
        while True:
            async with sessions() as session:
                progress = await session.get(Recording, recording_id, populate_existing=True)
                fraction = progress.progress if progress is not None else 0.0
            worker = sum(rss_mb(child) for child in children(os.getpid()))
            elapsed = time.perf_counter() - started
            samples.append((elapsed, fraction, worker))
            print(f"{elapsed:7.0f} s  progress {fraction:6.1%}  worker RSS {worker:6.0f} MiB")
            await asyncio.sleep(every)

    sampler = asyncio.create_task(sample())
    try:
        outcome = await pipeline.process(recording_id)
    finally:
        sampler.cancel()
        pipeline.close()
        await engine.dispose()
    wall = time.perf_counter() - started
    print(f"done: {outcome.duration / 60:.1f} recording-min in {wall / 60:.1f} wall-min "
          f"({outcome.duration / wall:.1f}× real time), draft {outcome.draft_id}")  # fmt: skip
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=int, default=120)
    parser.add_argument("--every", type=float, default=30.0, help="seconds between samples")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="diemcau-long-"))
    data_dir = scratch / "data"
    url = f"sqlite+aiosqlite:///{data_dir / 'diemcau.db'}"
    ensure_bundled_model(data_dir)
    source = build_session(scratch, args.minutes)
    print(f"{args.minutes} min of speech: {source.stat().st_size / 2**20:.1f} MiB Ogg/Opus")
    meeting_id = asyncio.run(seed_meeting(url))
    env = {**os.environ, "DIEMCAU_DATA_DIR": str(data_dir), "PYTHONPATH": str(REPO)}
    env.pop("DIEMCAU_DATABASE_URL", None)
    add = [sys.executable, "-c", "from diemcau.cli import main; main()", "recording", "add"]
    subprocess.run([*add, str(source), "--meeting", str(meeting_id)], check=True, env=env)
    samples = asyncio.run(run_job(data_dir, url, args.every))
    progress = [p for _, p, _ in samples]
    backwards = sum(1 for a, b in itertools.pairwise(progress) if b < a)
    # once the model is loaded and windows flow: the steady state the claim is about
    working = [rss for _, fraction, rss in samples if fraction > 0 and rss > 0]
    fifth = max(1, len(working) // 5)
    first, last = max(working[:fifth], default=0.0), max(working[-fifth:], default=0.0)
    print(f"progress samples={len(samples)} went_backwards={backwards} "
          f"distinct_values={len(set(progress))}")  # fmt: skip
    peak = max(working, default=0.0)
    print(f"worker_rss_mb first_fifth_peak={first:.0f} last_fifth_peak={last:.0f} "
          f"overall_peak={peak:.0f} at={datetime.now(UTC):%Y-%m-%d}")  # fmt: skip
    if not args.keep:
        subprocess.run(["rm", "-rf", str(scratch)], check=True)


if __name__ == "__main__":
    main()
