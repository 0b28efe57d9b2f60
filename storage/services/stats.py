"""Operational counts for monitoring, read from the database at the moment they are asked for.

Read from the rows rather than counted in memory, so that the figures are the same whichever
process did the work (the server, a ``diemcau worker`` on another machine, a restart) and
survive restarts: transcription runs and the audio they transcribed come from ``recordings``,
reminders that came due and what became of each from the notification log, reminders waiting
to fire from the scheduler's job store, the queue's jobs from procrastinate's table when the
distributed queue is in use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import column, func, inspect, select, table
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Notification, Recording, RecordingStatus

# Stages a recording reaches only after its transcript is stored.
TRANSCRIBED_STAGES = (RecordingStatus.TRANSCRIBED, RecordingStatus.DRAFTED, RecordingStatus.SENT)
QUEUE_TABLE = "procrastinate_jobs"


@dataclass(slots=True)
class OperationalCounts:
    recordings_by_status: dict[str, int] = field(default_factory=dict)
    transcription_runs: int = 0  # runs started, retries included (``Recording.attempts``)
    transcribed_audio_s: float = 0.0
    reminders_by_kind_state: dict[tuple[str, str], int] = field(default_factory=dict)
    reminders_due: int = 0  # their moment has passed, the scheduler has not run them yet
    reminders_scheduled: int = 0  # still to come
    queue_jobs_by_status: dict[str, int] | None = None  # None: no distributed queue here


async def _has_table(session: AsyncSession, name: str) -> bool:
    return await session.run_sync(lambda sync: inspect(sync.connection()).has_table(name))


async def operational_counts(
    session: AsyncSession, *, now: datetime, jobstore_table: str
) -> OperationalCounts:
    counts = OperationalCounts()
    for status, n in await session.execute(
        select(Recording.status, func.count()).group_by(Recording.status)
    ):
        counts.recordings_by_status[str(status)] = n
    for status in RecordingStatus:
        counts.recordings_by_status.setdefault(status.value, 0)
    counts.transcription_runs = int(
        await session.scalar(select(func.coalesce(func.sum(Recording.attempts), 0))) or 0
    )
    counts.transcribed_audio_s = float(
        await session.scalar(
            select(func.coalesce(func.sum(Recording.duration_s), 0.0)).where(
                Recording.status.in_(TRANSCRIBED_STAGES)
            )
        )
        or 0.0
    )
    for kind, state, n in await session.execute(
        select(Notification.kind, Notification.state, func.count()).group_by(
            Notification.kind, Notification.state
        )
    ):
        counts.reminders_by_kind_state[(kind, str(state))] = n

    if await _has_table(session, jobstore_table):
        # APScheduler's own table: a job's next_run_time is a POSIX timestamp; the daily
        # sweep is a job too, but not a reminder (its id has no "|").
        jobs = table(jobstore_table, column("id"), column("next_run_time"))
        reminder = jobs.c.id.contains("|")
        moment = now.timestamp()
        counts.reminders_due = int(
            await session.scalar(
                select(func.count()).where(reminder, jobs.c.next_run_time <= moment)
            )
            or 0
        )
        counts.reminders_scheduled = int(
            await session.scalar(
                select(func.count()).where(reminder, jobs.c.next_run_time > moment)
            )
            or 0
        )
    if await _has_table(session, QUEUE_TABLE):
        queue = table(QUEUE_TABLE, column("status"))
        counts.queue_jobs_by_status = {
            str(status): n
            for status, n in await session.execute(
                select(queue.c.status, func.count()).group_by(queue.c.status)
            )
        }
    return counts
