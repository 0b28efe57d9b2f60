"""Calendar feeds: one secret address per person for the meetings they are invited to (or
chair) and the deadlines of their unit's tasks. A new address revokes the old ones; only
digests are stored, so an address is shown once, when it is made."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.models import (
    CalendarFeed,
    Invitation,
    Meeting,
    Person,
    Point,
    Task,
    TaskStatus,
)
from storage.services.audit import record
from storage.services.web_sessions import digest


async def revoke_feeds(session: AsyncSession, person_id: int, *, now: datetime) -> int:
    """End every live address of this person; returns how many there were."""
    result = await session.execute(
        update(CalendarFeed)
        .where(CalendarFeed.person_id == person_id, CalendarFeed.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    count = int(result.rowcount)  # type: ignore[attr-defined]
    if count:
        await record(
            session,
            at=now,
            actor_id=person_id,
            action="calendar.revoke",
            entity="person",
            entity_id=person_id,
        )
    await session.flush()
    return count


async def new_feed(session: AsyncSession, person_id: int, *, now: datetime) -> str:
    """A fresh secret token for the person's feed; the old addresses stop working."""
    await revoke_feeds(session, person_id, now=now)
    token = secrets.token_urlsafe(32)
    session.add(CalendarFeed(token_hash=digest(token), person_id=person_id, created_at=now))
    await record(
        session,
        at=now,
        actor_id=person_id,
        action="calendar.create",
        entity="person",
        entity_id=person_id,
    )
    await session.flush()
    return token


async def has_feed(session: AsyncSession, person_id: int) -> bool:
    found = await session.scalar(
        select(CalendarFeed.token_hash).where(
            CalendarFeed.person_id == person_id, CalendarFeed.revoked_at.is_(None)
        )
    )
    return found is not None


@dataclass(frozen=True, slots=True)
class FeedContent:
    person: Person
    meetings: list[tuple[Meeting, str]]  # with the person's point (or the main point)
    tasks: list[Task]


async def feed_content(session: AsyncSession, token: str) -> FeedContent | None:
    """What a live address shows, or None for an unknown or revoked one."""
    person_id = await session.scalar(
        select(CalendarFeed.person_id).where(
            CalendarFeed.token_hash == digest(token), CalendarFeed.revoked_at.is_(None)
        )
    )
    if person_id is None:
        return None
    person = await session.get(Person, person_id)
    if person is None:
        return None
    rows = await session.execute(
        select(Meeting, Point.name)
        .outerjoin(
            Invitation,
            (Invitation.meeting_id == Meeting.id) & (Invitation.person_id == person_id),
        )
        .join(Point, Point.id == Invitation.point_id, isouter=True)
        .where(or_(Invitation.id.is_not(None), Meeting.chair_id == person_id))
        .options(selectinload(Meeting.main_point))
        .order_by(Meeting.starts_at)
    )
    meetings = [(m, point or m.main_point.name) for m, point in rows.all()]
    tasks: list[Task] = []
    if person.unit_id is not None:
        tasks = list(
            await session.scalars(
                select(Task)
                .where(Task.unit_id == person.unit_id, Task.status != TaskStatus.CANCELLED)
                .order_by(Task.id)
            )
        )
    return FeedContent(person=person, meetings=meetings, tasks=tasks)
