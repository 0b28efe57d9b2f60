"""Throughput of the recording pipeline with 1 and 2 transcription workers.

    .venv/bin/python bench/workers.py --postgres-url postgresql+psycopg://postgres@127.0.0.1/test \
        [--recordings 4] [--workers 1 2] [--model base] [--device auto]
    .venv/bin/python bench/workers.py [--recordings 6] [--workers 1 2]   # embedded: SQLite

With ``--postgres-url`` (an account that may create databases): for each worker count, a
fresh database, that many real ``diemcau worker`` processes (one job at a time each), and
``--recordings`` queued copies of the shipped synthesised recording (47.7 s); the clock
starts once every worker has loaded its model and runs until every recording is drafted.
Without it: the embedded default, ``RecordingPipeline.process`` in one process on SQLite with
a pool of that many transcription processes, warmed first.

Prints, per worker count, recording-minutes transcribed and drafted per wall-minute.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select, text

from diemcau.pipeline import RecordingPipeline
from storage import migrate
from storage.db import make_async_engine, make_async_sessionmaker, make_sync_engine
from storage.models import Recording, RecordingStatus
from storage.services.recordings import enqueue_recording
from tests.conftest import scratch_database
from transcribe.model import ensure_bundled_model

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "examples" / "sample-ket-luan.ogg"


async def queue(url: str, count: int) -> list[int]:
    """``count`` queued copies of the sample (on PostgreSQL, each with its job)."""
    engine = make_async_engine(url)
    ids = []
    try:
        async with make_async_sessionmaker(engine).begin() as session:
            for _ in range(count):
                recording = await enqueue_recording(
                    session, meeting_id=None, path=str(SAMPLE), original_name=SAMPLE.name,
                    sha256=uuid.uuid4().hex * 2, size_bytes=SAMPLE.stat().st_size,
                    uploaded_by_id=None, now=datetime.now(UTC),
                )  # fmt: skip
                ids.append(recording.id)
    finally:
        await engine.dispose()
    return ids


# ------------------------------------------------------------------ embedded (SQLite)


async def measure_embedded(
    workers: int, recordings: int, model: str, data_dir: Path
) -> tuple[float, float]:
    """(recording seconds, wall seconds) for ``recordings`` recordings on a warmed pool."""
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite+aiosqlite:///{Path(directory) / 'bench.db'}"
        migrate.upgrade(url)
        engine = make_async_engine(url)
        pipeline = RecordingPipeline(
            database_url=url, sessions=make_async_sessionmaker(engine), model=model,
            data_dir=data_dir, tz=ZoneInfo("Asia/Ho_Chi_Minh"), workers=workers,
            poll_seconds=0.5,
        )  # fmt: skip
        ids = await queue(url, recordings)
        try:
            await pipeline.warm()
            started = time.perf_counter()
            outcomes = await asyncio.gather(*(pipeline.process(i) for i in ids))
            wall = time.perf_counter() - started
        finally:
            pipeline.close()
            await engine.dispose()
    return sum(o.duration for o in outcomes), wall


# ------------------------------------------------------------------ diemcau worker (PostgreSQL)


def wait_for(url: str, query: str, target: int, timeout_s: float) -> None:
    engine = make_sync_engine(url)
    deadline = time.monotonic() + timeout_s
    try:
        while True:
            with engine.connect() as connection:
                if (connection.scalar(text(query)) or 0) >= target:
                    return
            if time.monotonic() > deadline:
                raise TimeoutError(query)
            time.sleep(0.2)
    finally:
        engine.dispose()


def measure_workers(
    admin_url: str, workers: int, recordings: int, model: str, device: str, data_dir: Path
) -> tuple[float, float]:
    with scratch_database(admin_url, "bench") as url, tempfile.TemporaryDirectory() as logs:
        migrate.upgrade(url)
        env = {k: v for k, v in os.environ.items() if not k.startswith("DIEMCAU_")}
        env |= {"PYTHONPATH": str(REPO), "DIEMCAU_DATABASE_URL": url,
                "DIEMCAU_DATA_DIR": str(data_dir)}  # fmt: skip
        outputs = [(Path(logs) / f"{n}.log").open("w") for n in range(workers)]
        command = [sys.executable, "-m", "diemcau", "worker", "--model", model, "--device", device]
        processes = [
            subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
            for output in outputs
        ]
        try:
            # A worker registers with the queue once its model is loaded (pipeline.warm).
            wait_for(url, "SELECT count(*) FROM procrastinate_workers", workers, 600)
            ids = asyncio.run(queue(url, recordings))
            started = time.perf_counter()
            drafted = RecordingStatus.DRAFTED.value
            done = f"SELECT count(*) FROM recordings WHERE status = '{drafted}'"
            wait_for(url, done, len(ids), 3600)
            wall = time.perf_counter() - started
        finally:
            for process in processes:
                process.send_signal(signal.SIGTERM)
            for process, output in zip(processes, outputs, strict=True):
                process.wait(timeout=60)
                output.close()
        engine = make_sync_engine(url)
        with engine.connect() as connection:
            audio = connection.scalar(select(func.sum(Recording.duration_s))) or 0.0
        engine.dispose()
    return float(audio), wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres-url", help="measure diemcau worker processes on PostgreSQL")
    parser.add_argument("--recordings", type=int, default=6)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--model", default="base")
    parser.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    parser.add_argument("--data-dir", type=Path, default=REPO / "var")
    args = parser.parse_args()
    if args.model == "base":
        ensure_bundled_model(args.data_dir)
    where = "diemcau worker on PostgreSQL" if args.postgres_url else "embedded (SQLite)"
    print(f"{args.recordings} recordings of {SAMPLE.name}, model {args.model}, {where}")
    for workers in args.workers:
        if args.postgres_url:
            audio, wall = measure_workers(
                args.postgres_url, workers, args.recordings, args.model, args.device,
                args.data_dir.resolve(),
            )  # fmt: skip
        else:
            audio, wall = asyncio.run(
                measure_embedded(workers, args.recordings, args.model, args.data_dir)
            )
        print(
            f"workers={workers}: {audio / 60:.1f} recording-min in {wall:.1f} s wall = "
            f"{audio / wall:.2f} recording-min per wall-min",
            flush=True,
        )


if __name__ == "__main__":
    main()
