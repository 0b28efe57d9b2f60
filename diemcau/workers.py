"""The pipeline's stages as procrastinate jobs on PostgreSQL, and the workers that run them.

``storage.queue`` queues a stage's job in the transaction that reaches the stage; this
module is what runs them: ``diemcau worker`` processes take ``transcribe`` and ``draft``
jobs (any machine that reaches the database and the recordings), the server takes
``review`` jobs (it holds the Telegram bot). Each job is one stage of one recording, run by
:class:`diemcau.pipeline.RecordingPipeline` under the recording's lease, so the stage and
lease rules are those of the embedded default; only who runs the stage differs.

A worker that dies (SIGKILL, power cut) stops sending procrastinate heartbeats. Every live
worker looks for jobs of workers silent for ``stall_seconds`` and puts them back in the
queue; the next run resumes from the checkpoint (the last stored window) once the dead
run's lease has expired. The transcription itself runs in the worker's process pool, whose
processes die with the worker (``diemcau.lifeline``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

import procrastinate
from sqlalchemy.engine import URL

from diemcau.pipeline import RecordingBusy, RecordingFailed, RecordingPipeline
from storage.db import sync_url
from storage.queue import DRAFT_QUEUE, REVIEW_QUEUE, STAGE_JOBS, TRANSCRIBE_QUEUE

log = logging.getLogger(__name__)

# What ``diemcau worker`` takes by default; the server takes REVIEW_QUEUE.
WORKER_QUEUES = (TRANSCRIBE_QUEUE, DRAFT_QUEUE)


@dataclass(frozen=True, slots=True)
class WorkerTiming:
    """How fast a dead worker's job goes back to the queue.

    ``stall_seconds``: a worker silent this long is presumed dead (its heartbeat comes
    every quarter of it, and every live worker looks for such jobs as often). The
    recording's lease lasts as long, so the retried run can claim it about when it is
    put back.
    """

    stall_seconds: float = 60.0

    @property
    def heartbeat_seconds(self) -> float:
        return self.stall_seconds / 4

    @property
    def retry_wait_seconds(self) -> int:
        """The first pause before a job that failed (a dead run's lease not yet expired, the
        database or Telegram away) runs again; each later pause is that much longer."""
        return max(1, round(self.stall_seconds / 4))


def conninfo(database_url: str | URL) -> str:
    """The libpq connection string procrastinate's psycopg pool wants, from our URL."""
    url = sync_url(database_url)
    if url.get_backend_name() != "postgresql":
        raise ValueError("the job queue needs PostgreSQL")
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def uses_queue(database_url: str | URL) -> bool:
    """Whether the stages are queued jobs on this database (PostgreSQL), or run by the
    server itself (SQLite)."""
    return sync_url(database_url).get_backend_name() == "postgresql"


async def _run_stage(stage: Callable[[int], Awaitable[None]], recording_id: int) -> None:
    """Run one stage; a recording that failed for good ends its job (the row says why)."""
    try:
        await stage(recording_id)
    except RecordingBusy:
        raise  # retried after a pause: the dead run's lease must expire first
    except RecordingFailed as error:
        log.warning("recording %d failed: %s", recording_id, error.message_vi)


def make_app(
    database_url: str | URL,
    pipeline: RecordingPipeline,
    *,
    queues: Iterable[str],
    timing: WorkerTiming,
) -> procrastinate.App:
    """A procrastinate app with the tasks of ``queues``, each a stage of ``pipeline``."""
    connector = procrastinate.PsycopgConnector(conninfo=conninfo(database_url))
    app = procrastinate.App(connector=connector)
    # A recording still leased by a dead run, a database that blinked, Telegram down while
    # a draft is sent: tried again, a little later each time (about 3.5 hours in all with
    # the default 60 s stall). A recording that failed for good ends its job (_run_stage).
    retry = procrastinate.RetryStrategy(
        max_attempts=40, wait=timing.retry_wait_seconds, linear_wait=timing.retry_wait_seconds
    )
    stages: dict[str, Callable[[int], Awaitable[None]]] = {
        TRANSCRIBE_QUEUE: pipeline.transcribe_stage,
        DRAFT_QUEUE: pipeline.draft_stage,
        REVIEW_QUEUE: pipeline.review_stage,
    }
    jobs = {job.queue: job for job in STAGE_JOBS.values()}
    for queue in queues:
        stage = stages[queue]

        async def run(recording_id: int, stage: Callable[[int], Awaitable[None]] = stage) -> None:
            await _run_stage(stage, recording_id)

        app.task(name=jobs[queue].task_name, queue=queue, retry=retry)(run)
    return app


async def requeue_stalled(app: procrastinate.App, timing: WorkerTiming) -> None:
    """Put back in the queue, for as long as this worker lives, the jobs of workers that
    stopped sending heartbeats (killed, or their machine gone)."""
    while True:
        await asyncio.sleep(timing.heartbeat_seconds)
        try:
            stalled = await app.job_manager.get_stalled_jobs(
                seconds_since_heartbeat=timing.stall_seconds
            )
        except Exception:  # the database blinked: look again next period
            log.exception("stalled jobs could not be listed")
            continue
        for job in stalled:
            try:
                await app.job_manager.retry_job(job)
            except Exception:  # another worker put it back first
                log.debug("job %s was already put back", job.id)
                continue
            log.warning("job %s of a silent worker put back in the queue", job.call_string)


async def run_worker(
    app: procrastinate.App,
    *,
    queues: Iterable[str],
    concurrency: int,
    timing: WorkerTiming,
    name: str,
    install_signal_handlers: bool = True,
) -> None:
    """Take jobs of ``queues`` until stopped (SIGTERM or SIGINT: running jobs finish first),
    putting back the jobs of dead workers meanwhile."""
    async with app.open_async():
        requeuing = asyncio.create_task(requeue_stalled(app, timing), name="requeue-stalled")
        try:
            await app.run_worker_async(
                queues=list(queues),
                concurrency=concurrency,
                name=name,
                update_heartbeat_interval=timing.heartbeat_seconds,
                stalled_worker_timeout=timing.stall_seconds,
                install_signal_handlers=install_signal_handlers,
                # LISTEN/NOTIFY wakes the worker at once; the poll is the fallback.
                fetch_job_polling_interval=min(5.0, timing.heartbeat_seconds),
            )
        finally:
            requeuing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await requeuing


async def review_worker(database_url: str | URL, pipeline: RecordingPipeline) -> None:
    """The server's share of the queue: send each draft the workers made to its reviewers
    (through ``pipeline.review``, the bot), until cancelled with the server."""
    timing = WorkerTiming(stall_seconds=pipeline.lease_ttl.total_seconds())
    app = make_app(database_url, pipeline, queues=[REVIEW_QUEUE], timing=timing)
    name = f"server:{pipeline.owner}"
    await run_worker(
        app, queues=[REVIEW_QUEUE], concurrency=2, timing=timing, name=name,
        install_signal_handlers=False,  # the web server owns the signals
    )  # fmt: skip
