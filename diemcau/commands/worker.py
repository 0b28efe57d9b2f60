"""``diemcau worker``: transcription and drafting for a server on PostgreSQL, on any machine
that reaches the database and the recordings (docs/pipeline.md says how)."""

from __future__ import annotations

import asyncio
import logging
import os
import socket

import click

from diemcau.settings import Settings
from diemcau.startup import StartupError, checked_settings
from diemcau.workers import WORKER_QUEUES, WorkerTiming, make_app, run_worker, uses_queue
from storage import migrate
from storage.db import make_async_engine, make_async_sessionmaker
from storage.queue import TRANSCRIBE_QUEUE

log = logging.getLogger(__name__)


async def _work(
    settings: Settings,
    *,
    queues: tuple[str, ...],
    concurrency: int,
    device: str,
    timing: WorkerTiming,
    checkpoint: str | None,
) -> None:
    from diemcau.pipeline import RecordingPipeline

    url = settings.effective_database_url
    engine = make_async_engine(url)
    name = f"{socket.gethostname()}:{os.getpid()}"
    pipeline = RecordingPipeline(
        database_url=url,
        sessions=make_async_sessionmaker(engine),
        model=settings.whisper_model,
        data_dir=settings.data_dir,
        tz=settings.tz,
        workers=concurrency,
        lease_seconds=timing.stall_seconds,
        worker_checkpoint=checkpoint,
        device=device,
        owner=f"worker:{name}",
    )
    app = make_app(url, pipeline, queues=queues, timing=timing)
    try:
        if TRANSCRIBE_QUEUE in queues:
            model = await pipeline.warm()
            log.info("%d transcription process(es) ready with %s", concurrency, model)
        await run_worker(app, queues=queues, concurrency=concurrency, timing=timing, name=name)
    finally:
        pipeline.close(wait=False)  # a job cut short resumes from its checkpoint elsewhere
        await engine.dispose()


@click.command()
@click.option(
    "--concurrency",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Jobs at once (each transcription in its own process, with its own model).",
)
@click.option(
    "--queue",
    "queues",
    multiple=True,
    type=click.Choice(WORKER_QUEUES),
    help="Take jobs only from this queue (repeatable). Default: transcribe and draft.",
)
@click.option(
    "--model",
    "model_name",
    default=None,
    help="Whisper model of this worker: faster-whisper name (large-v3), CTranslate2 "
    "directory, or base (bundled). Default: DIEMCAU_WHISPER_MODEL.",
)
@click.option(
    "--device",
    type=click.Choice(["auto", "cpu", "cuda"]),
    default="auto",
    show_default=True,
    help="Where the model runs: auto takes the GPU when there is one.",
)
@click.option(
    "--stall-seconds",
    type=click.FloatRange(min=2.0),
    default=60.0,
    show_default=True,
    help="A worker silent this long is presumed dead: its job goes back to the queue and "
    "resumes from its last stored window.",
)
# The job's checkpoint hook ("module:function"), for the fault tests' SIGKILL only.
@click.option("--checkpoint", default=None, hidden=True)
def worker(
    concurrency: int,
    queues: tuple[str, ...],
    model_name: str | None,
    device: str,
    stall_seconds: float,
    checkpoint: str | None,
) -> None:
    """Xử lý bản ghi từ hàng đợi trên PostgreSQL: chép lời và soạn dự thảo biên bản."""
    logging.getLogger().setLevel(logging.INFO)
    settings = checked_settings()
    if not uses_queue(settings.effective_database_url):
        raise StartupError(
            "diemcau worker cần PostgreSQL: đặt DIEMCAU_DATABASE_URL=postgresql+psycopg://… "
            "(với SQLite, diemcau run tự chép lời)."
        )
    if model_name:
        settings = settings.model_copy(update={"whisper_model": model_name})
    queues = queues or WORKER_QUEUES
    if TRANSCRIBE_QUEUE in queues:  # one line naming the setting, before anything else
        from diemcau.commands.run import check_model

        log.info("Whisper model: %s on %s", check_model(settings), device)
    # The queue's schema comes with the migrations, under their lock.
    migrate.upgrade(settings.effective_database_url)
    asyncio.run(
        _work(
            settings,
            queues=queues,
            concurrency=concurrency,
            device=device,
            timing=WorkerTiming(stall_seconds=stall_seconds),
            checkpoint=checkpoint,
        )
    )
