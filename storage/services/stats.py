"""Operational counts for monitoring, read from the database at the moment they are asked for.

Read from the rows rather than counted in memory, so that the figures are the same whichever
process did the work (the server, a ``diemcau worker`` on another machine, a restart) and
survive restarts: transcription runs and the audio they transcribed come from ``recordings``;
messages, and among them the reminders that came due and what became of each, from the
notification log (the outbox: a row is written when a message is due, and its state says
whether it is still waiting, sent, or given up); the queue's jobs from procrastinate's table
when the distributed queue is in use.

States are read as the strings stored, not through the enum, so that a row written by a newer
version (a state this one does not know) is counted rather than refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import String, column, func, inspect, select, table, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Notification, Recording, RecordingStatus
from storage.services.reminders import ReminderKind

# Stages a recording reaches only after its transcript is stored.
TRANSCRIBED_STAGES = (RecordingStatus.TRANSCRIBED, RecordingStatus.DRAFTED, RecordingStatus.SENT)
QUEUE_TABLE = "procrastinate_jobs"
REMINDER_KINDS = frozenset(kind.value for kind in ReminderKind)
# A message in these states came due and has not reached its recipient yet.
WAITING = frozenset({"pending", "sending"})


@dataclass(slots=True)
class OperationalCounts:
    recordings_by_status: dict[str, int] = field(default_factory=dict)
    transcription_runs: int = 0  # runs started, retries included (``Recording.attempts``)
    transcribed_audio_s: float = 0.0
    messages_by_state: dict[str, int] = field(default_factory=dict)  # every kind
    reminders_by_kind_state: dict[tuple[str, str], int] = field(default_factory=dict)
    queue_jobs_by_status: dict[str, int] | None = None  # None: no distributed queue here

    @property
    def reminders_due(self) -> int:
        """Reminders whose moment came and that the sender has not delivered yet."""
        return sum(n for (_, state), n in self.reminders_by_kind_state.items() if state in WAITING)


async def _has_table(session: AsyncSession, name: str) -> bool:
    return await session.run_sync(lambda sync: inspect(sync.connection()).has_table(name))


async def operational_counts(session: AsyncSession) -> OperationalCounts:
    counts = OperationalCounts()
    stage = type_coerce(Recording.status, String)
    for status, n in await session.execute(select(stage, func.count()).group_by(stage)):
        counts.recordings_by_status[status] = n
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
    state = type_coerce(Notification.state, String)
    for kind, stored, n in await session.execute(
        select(Notification.kind, state, func.count()).group_by(Notification.kind, state)
    ):
        counts.messages_by_state[stored] = counts.messages_by_state.get(stored, 0) + n
        if kind in REMINDER_KINDS:
            counts.reminders_by_kind_state[(kind, stored)] = n
    if await _has_table(session, QUEUE_TABLE):
        queue = table(QUEUE_TABLE, column("status"))
        counts.queue_jobs_by_status = {
            str(status): n
            for status, n in await session.execute(
                select(queue.c.status, func.count()).group_by(queue.c.status)
            )
        }
    return counts
