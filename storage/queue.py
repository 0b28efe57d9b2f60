"""The job queue in the database: procrastinate's tables on PostgreSQL.

On PostgreSQL each pipeline stage with work to do is a procrastinate job, inserted in the
same transaction as the stage change that calls for it (:func:`defer_stage`): a recording
stored as ``queued`` commits together with its ``transcribe`` job, the ``transcribed`` stage
with its ``draft`` job, ``drafted`` with its ``review`` job. A crash can therefore never
leave a stage without its job, nor a job for a stage that was rolled back. On SQLite (the
embedded default) there is no queue: the server runs the stages itself.

Every job of one recording carries the lock ``recording:<id>``, so procrastinate never runs
two of them at once (the recording's lease is the guard that fences the writes; this keeps
the queue from even trying). The jobs are not given a queueing lock: a second job for a
stage already done finds nothing to do, while a unique violation would abort the caller's
transaction.

procrastinate's schema (tables, types, functions) is created by our migration
``0005_job_queue`` under the migration lock, from the SQL of the installed procrastinate,
which is pinned to one minor version for that reason.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

from storage.models import RecordingStatus

# Queues, so a machine can take only the work it is fit for: GPU machines ``transcribe``,
# any machine ``draft``, the server (which holds the Telegram bot) ``review``.
TRANSCRIBE_QUEUE = "transcribe"
DRAFT_QUEUE = "draft"
REVIEW_QUEUE = "review"


@dataclass(frozen=True, slots=True)
class StageJob:
    task_name: str
    queue: str
    # procrastinate takes the highest priority first: a later stage goes before the next
    # recording's transcription, so a recording reaches its reviewers as soon as it can
    # instead of every draft waiting for the whole queue to be transcribed.
    priority: int


# The job a recording needs when it reaches each stage.
STAGE_JOBS: dict[RecordingStatus, StageJob] = {
    RecordingStatus.QUEUED: StageJob("diemcau.transcribe", TRANSCRIBE_QUEUE, 0),
    RecordingStatus.TRANSCRIBED: StageJob("diemcau.draft", DRAFT_QUEUE, 1),
    RecordingStatus.DRAFTED: StageJob("diemcau.review", REVIEW_QUEUE, 2),
}

_DEFER = text(
    "SELECT unnest(procrastinate_defer_jobs_v1(ARRAY[ROW("
    ":queue, :task_name, :priority, :lock, NULL, CAST(:args AS jsonb), NULL"
    ")::procrastinate_job_to_defer_v1]))"
)


def _has_queue(session: Session) -> bool:
    """Whether this database runs the stages as queued jobs (PostgreSQL) or not (SQLite)."""
    return session.get_bind().dialect.name == "postgresql"


def recording_lock(recording_id: int) -> str:
    return f"recording:{recording_id}"


def defer_stage(session: Session, recording_id: int, stage: RecordingStatus) -> int | None:
    """Queue the job ``stage`` calls for, in the session's transaction; its id, or ``None``
    where the stage needs no job or the database has no queue."""
    job = STAGE_JOBS.get(stage)
    if job is None or not _has_queue(session):
        return None
    job_id = session.scalar(
        _DEFER,
        {
            "queue": job.queue,
            "task_name": job.task_name,
            "priority": job.priority,
            "lock": recording_lock(recording_id),
            "args": json.dumps({"recording_id": recording_id}),
        },
    )
    return int(job_id) if job_id is not None else None


# ---------------------------------------------------------------- schema (migrations only)


def install_schema(connection: Connection) -> None:
    """Create procrastinate's schema unless it is there (called under the migration lock)."""
    from procrastinate.schema import SchemaManager

    exists = connection.scalar(text("SELECT to_regclass('procrastinate_jobs') IS NOT NULL"))
    if exists:
        return
    # The raw driver connection: the schema is many statements with '%' and '::' in them,
    # which neither SQLAlchemy's text() nor a parameterised execute may rewrite.
    connection.connection.driver_connection.execute(SchemaManager.get_schema())  # type: ignore[union-attr]


_DROP_SCHEMA = r"""
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT c.relname FROM pg_class c
             JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = current_schema() AND c.relkind = 'r'
               AND c.relname LIKE 'procrastinate\_%'
    LOOP EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', r.relname); END LOOP;
    FOR r IN SELECT p.oid::regprocedure AS signature FROM pg_proc p
             JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate\_%'
    LOOP EXECUTE 'DROP FUNCTION IF EXISTS ' || r.signature || ' CASCADE'; END LOOP;
    FOR r IN SELECT t.typname FROM pg_type t
             JOIN pg_namespace n ON n.oid = t.typnamespace
             WHERE n.nspname = current_schema() AND t.typname LIKE 'procrastinate\_%'
               AND t.typtype IN ('e', 'c')
    LOOP EXECUTE format('DROP TYPE IF EXISTS %I CASCADE', r.typname); END LOOP;
END
$$;
"""


def drop_schema(connection: Connection) -> None:
    """Remove every procrastinate table, function and type (the queued jobs with them)."""
    connection.connection.driver_connection.execute(_DROP_SCHEMA)  # type: ignore[union-attr]
