"""Throughput of the recording pipeline with 1 and 2 transcription workers.

    .venv/bin/python bench/workers.py [--recordings 6] [--workers 1 2] [--model base]

On a fresh SQLite database under a temporary directory, queues ``--recordings`` copies of the
shipped synthesised recording (47.7 s) and runs every one through ``RecordingPipeline.process``
at once (transcription in the pool, then the draft), as the server does. The pool is warmed
first (one recording, not counted), so the figure is the steady state, not model loading.
Prints, per worker count, recording-minutes transcribed per wall-minute.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from diemcau.pipeline import RecordingPipeline
from storage import migrate
from storage.db import make_async_engine, make_async_sessionmaker
from storage.services.recordings import enqueue_recording
from transcribe.model import ensure_bundled_model

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "examples" / "sample-ket-luan.ogg"


async def measure(workers: int, recordings: int, model: str, data_dir: Path) -> tuple[float, float]:
    """(recording seconds, wall seconds) for ``recordings`` recordings on a warmed pool."""
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite+aiosqlite:///{Path(directory) / 'bench.db'}"
        migrate.upgrade(url)
        engine = make_async_engine(url)
        sessions = make_async_sessionmaker(engine)
        pipeline = RecordingPipeline(
            database_url=url, sessions=sessions, model=model, data_dir=data_dir,
            tz=ZoneInfo("Asia/Ho_Chi_Minh"), workers=workers, poll_seconds=0.5,
        )  # fmt: skip
        ids = []
        now = datetime.now(UTC)
        async with sessions.begin() as session:
            for _ in range(recordings + workers):
                recording = await enqueue_recording(
                    session, meeting_id=None, path=str(SAMPLE), original_name=SAMPLE.name,
                    sha256="0" * 64, size_bytes=SAMPLE.stat().st_size, uploaded_by_id=None,
                    now=now,
                )  # fmt: skip
                ids.append(recording.id)
        try:
            # Warm every worker (spawn, model load) with one recording each.
            await asyncio.gather(*(pipeline.process(i) for i in ids[:workers]))
            started = time.perf_counter()
            outcomes = await asyncio.gather(*(pipeline.process(i) for i in ids[workers:]))
            wall = time.perf_counter() - started
        finally:
            pipeline.close()
            await engine.dispose()
    return sum(o.duration for o in outcomes), wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recordings", type=int, default=6)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--model", default="base")
    parser.add_argument("--data-dir", type=Path, default=REPO / "var")
    args = parser.parse_args()
    if args.model == "base":
        ensure_bundled_model(args.data_dir)
    print(f"{args.recordings} recordings of {SAMPLE.name}, model {args.model}")
    for workers in args.workers:
        audio, wall = asyncio.run(measure(workers, args.recordings, args.model, args.data_dir))
        print(
            f"workers={workers}: {audio / 60:.1f} recording-min in {wall:.1f} s wall = "
            f"{audio / wall:.2f} recording-min per wall-min"
        )


if __name__ == "__main__":
    main()
