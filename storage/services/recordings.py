"""Recordings: stored and queued, then moved through their stages by one owner at a time.

The owner of a recording's pipeline holds its lease: ``lease_owner`` until
``lease_expires_at``, renewed while it works. A claim succeeds only where the lease is free,
expired, or already the claimant's, and it raises ``lease_token`` by one; every later write
of that job goes through :func:`fenced_update`, which applies only while the row still
carries the job's token. A job whose owner was presumed dead (lease expired, claimed by
another) therefore cannot write another segment, stage or failure: its writes are refused
with :class:`LeaseLost`, and its transaction rolls back.

The claim and the fenced write are single conditional ``UPDATE`` statements: on PostgreSQL
the row lock serialises them (a second claimer waits, then re-reads the row and finds it
taken); on SQLite the database write lock does.

The lease functions take a synchronous ``Session`` because the transcription job runs in
worker processes with one; the server calls them through ``AsyncSession.run_sync``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from storage.models import ACTIVE_RECORDING_STAGES, Recording, RecordingStatus
from storage.queue import defer_stage


class LeaseLost(Exception):
    """This job no longer holds the recording's lease; its write was refused."""


@dataclass(frozen=True, slots=True)
class Lease:
    """The right to work on one recording, as one claim granted it."""

    recording_id: int
    owner: str
    token: int
    ttl: timedelta


async def enqueue_recording(
    session: AsyncSession,
    *,
    meeting_id: int | None,
    path: str,
    original_name: str | None,
    sha256: str,
    size_bytes: int,
    uploaded_by_id: int | None,
    now: datetime,
) -> Recording:
    """Store an uploaded recording, queued for the pipeline (the caller commits)."""
    recording = Recording(
        meeting_id=meeting_id,
        path=path,
        original_name=original_name,
        sha256=sha256,
        size_bytes=size_bytes,
        status=RecordingStatus.QUEUED,
        progress=0.0,
        uploaded_by_id=uploaded_by_id,
        attempts=0,
        lease_token=0,
        created_at=now,
        updated_at=now,
    )
    session.add(recording)
    await session.flush()
    # On PostgreSQL the transcription job is queued in this same transaction.
    recording_id = recording.id
    await session.run_sync(lambda s: defer_stage(s, recording_id, RecordingStatus.QUEUED))
    return recording


async def meeting_recordings(session: AsyncSession, meeting_id: int) -> list[Recording]:
    """A meeting's recordings, first uploaded first, at the stage their jobs stored."""
    return list(
        await session.scalars(
            select(Recording).where(Recording.meeting_id == meeting_id).order_by(Recording.id)
        )
    )


def claim(
    session: Session, recording_id: int, *, owner: str, now: datetime, ttl: timedelta
) -> Lease | None:
    """Take the recording's lease if it is free, expired or already ``owner``'s; ``None``
    while another owner holds it. Each claim gets a new token, so a job started under an
    earlier claim (even by the same owner) is fenced off."""
    result = session.execute(
        update(Recording)
        .where(
            Recording.id == recording_id,
            or_(
                Recording.lease_owner.is_(None),
                Recording.lease_owner == owner,
                Recording.lease_expires_at < now,
            ),
        )
        .values(
            lease_owner=owner,
            lease_token=Recording.lease_token + 1,
            lease_expires_at=now + ttl,
        )
        .execution_options(synchronize_session=False)
    )
    if cast(CursorResult[Any], result).rowcount != 1:
        return None
    token = session.scalar(select(Recording.lease_token).where(Recording.id == recording_id))
    if token is None:  # pragma: no cover - the row was just updated in this transaction
        return None
    return Lease(recording_id, owner, token, ttl)


def fenced_update(
    session: Session,
    lease: Lease,
    *,
    now: datetime,
    expect: Collection[RecordingStatus] | None = None,
    **values: Any,
) -> None:
    """Write ``values`` to the recording (and renew the lease) only while ``lease`` is the
    live one and, with ``expect``, while the recording is at one of those stages. A new
    ``status`` queues the job that stage calls for (on PostgreSQL), in the same transaction."""
    query = update(Recording).where(
        Recording.id == lease.recording_id, Recording.lease_token == lease.token
    )
    if expect is not None:
        query = query.where(Recording.status.in_(list(expect)))
    result = session.execute(
        query.values(lease_expires_at=now + lease.ttl, updated_at=now, **values).execution_options(
            synchronize_session=False
        )
    )
    if cast(CursorResult[Any], result).rowcount != 1:
        raise LeaseLost(
            f"recording {lease.recording_id}: token {lease.token} is no longer the live lease"
            + (f" or the stage is not one of {sorted(expect)}" if expect is not None else "")
        )
    if "status" in values:
        defer_stage(session, lease.recording_id, RecordingStatus(values["status"]))


def release(session: Session, lease: Lease) -> None:
    """Give the lease up (the token stays, so the next claim still gets a newer one)."""
    session.execute(
        update(Recording)
        .where(Recording.id == lease.recording_id, Recording.lease_token == lease.token)
        .values(lease_owner=None, lease_expires_at=None)
        .execution_options(synchronize_session=False)
    )


def unfinished(session: Session, *, now: datetime) -> list[int]:
    """Recordings at a stage with work left whose lease is free or expired: what a restarted
    (or surviving) owner resumes."""
    return list(
        session.scalars(
            select(Recording.id)
            .where(
                Recording.status.in_(list(ACTIVE_RECORDING_STAGES)),
                or_(Recording.lease_owner.is_(None), Recording.lease_expires_at < now),
            )
            .order_by(Recording.id)
        )
    )
