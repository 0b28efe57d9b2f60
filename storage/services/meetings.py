"""Scheduling meetings: create, reschedule, cancel, each point's readiness, and the life
cycle: planned (dự kiến) → ongoing (đang họp) at the start → finished (đã kết thúc) at the
end, or earlier when the secretariat says so.

Every function takes the caller's session first (the caller owns the transaction) and the
current moment as ``now``: services never read the clock, so tests drive time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.errors import (
    ErrorCode,
    InvalidMeeting,
    MeetingInPast,
    NotAMember,
    NotFound,
    UnknownPoint,
)
from storage.models import (
    AgendaItem,
    Committee,
    Document,
    Meeting,
    MeetingPoint,
    MeetingStatus,
    Membership,
    Person,
    Point,
    PointKind,
    Readiness,
    Role,
)
from storage.services.audit import record
from storage.services.loading import load_one


@dataclass(frozen=True, slots=True)
class AgendaInput:
    """One agenda item as the secretariat gives it."""

    title: str
    presenter_id: int | None = None
    presenter_text: str | None = None
    documents: tuple[str, ...] = field(default_factory=tuple)


def _require_aware(moment: datetime, what: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidMeeting(f"{what} must carry a time zone", ErrorCode.TIME_NEEDS_ZONE)


def _require_future(starts_at: datetime, now: datetime) -> None:
    _require_aware(starts_at, "start")
    if starts_at <= now:
        raise MeetingInPast(
            f"start {starts_at.isoformat()} is not after now {now.isoformat()}",
            ErrorCode.START_IN_PAST,
        )


async def get_meeting(session: AsyncSession, meeting_id: int) -> Meeting:
    """The meeting with its points, agenda (and documents) and chair loaded."""
    return await load_one(
        session,
        Meeting,
        meeting_id,
        selectinload(Meeting.points).selectinload(MeetingPoint.point),
        selectinload(Meeting.agenda).selectinload(AgendaItem.documents),
        selectinload(Meeting.chair),
        selectinload(Meeting.main_point),
        selectinload(Meeting.committee),
    )


async def create_meeting(
    session: AsyncSession,
    *,
    committee_id: int,
    title: str,
    starts_at: datetime,
    chair_id: int,
    main_point_id: int | None,
    point_ids: Sequence[int],
    now: datetime,
    number: int | None = None,
    ends_at: datetime | None = None,
    agenda: Sequence[AgendaInput] = (),
    actor_id: int | None = None,
) -> Meeting:
    """Schedule a meeting: it starts in the future, its points are the committee's own, and
    its chair is a member of the committee. The main point always takes part; without one
    named, it is chosen among the points (``main_point_among``)."""
    title = title.strip()
    if not title:
        raise InvalidMeeting("a meeting needs a title", ErrorCode.MEETING_NEEDS_TITLE)
    _require_future(starts_at, now)
    if ends_at is not None:
        _require_aware(ends_at, "end")
        if ends_at <= starts_at:
            raise InvalidMeeting("end is not after start", ErrorCode.END_NOT_AFTER_START)
    committee = await session.get(Committee, committee_id)
    if committee is None:
        raise NotFound(f"committee {committee_id} not found", "Committee")

    if main_point_id is None:
        main_point_id = main_point_among(await points_by_ids(session, point_ids))
    wanted = list(dict.fromkeys([main_point_id, *point_ids]))
    points = {
        p.id: p
        for p in await session.scalars(
            select(Point).where(Point.committee_id == committee_id, Point.id.in_(wanted))
        )
    }
    missing = [pid for pid in wanted if pid not in points]
    if missing:
        raise UnknownPoint(
            f"points {missing} are not points of committee {committee_id}",
            ErrorCode.POINTS_NOT_OF_COMMITTEE,
            points=", ".join(map(str, missing)),
        )
    is_member = await session.scalar(
        select(Membership.person_id)
        .where(Membership.committee_id == committee_id, Membership.person_id == chair_id)
        .limit(1)
    )
    if is_member is None:
        raise NotAMember(
            f"chair {chair_id} is not a member of committee {committee_id}",
            ErrorCode.CHAIR_NOT_MEMBER,
        )

    meeting = Meeting(
        committee_id=committee_id,
        number=number,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        chair_id=chair_id,
        main_point_id=main_point_id,
        status=MeetingStatus.PLANNED,
        created_at=now,
        updated_at=now,
        points=[MeetingPoint(point_id=pid, readiness=Readiness.UNKNOWN) for pid in wanted],
        agenda=[
            AgendaItem(
                position=i,
                title=item.title.strip(),
                presenter_id=item.presenter_id,
                presenter_text=item.presenter_text,
                documents=[Document(title=doc) for doc in item.documents],
            )
            for i, item in enumerate(agenda, start=1)
        ],
    )
    session.add(meeting)
    await session.flush()
    await record(
        session,
        at=now,
        actor_id=actor_id,
        action="meeting.create",
        entity="meeting",
        entity_id=meeting.id,
        details={"title": title, "starts_at": starts_at.isoformat(), "points": wanted},
    )
    return await get_meeting(session, meeting.id)


async def _planned_meeting(session: AsyncSession, meeting_id: int) -> Meeting:
    meeting = await session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound(f"meeting {meeting_id} not found", "Meeting")
    if meeting.status != MeetingStatus.PLANNED:
        raise InvalidMeeting(
            f"meeting {meeting_id} is {meeting.status}, not planned",
            ErrorCode.MEETING_NOT_PLANNED,
        )
    return meeting


async def reschedule_meeting(
    session: AsyncSession,
    meeting_id: int,
    *,
    starts_at: datetime,
    now: datetime,
    ends_at: datetime | None = None,
    actor_id: int | None = None,
) -> Meeting:
    """Move a planned meeting to another future time. Answers given so far are kept."""
    meeting = await _planned_meeting(session, meeting_id)
    _require_future(starts_at, now)
    if ends_at is not None and ends_at <= starts_at:
        raise InvalidMeeting("end is not after start", ErrorCode.END_NOT_AFTER_START)
    old = meeting.starts_at
    meeting.starts_at = starts_at
    meeting.ends_at = ends_at
    meeting.updated_at = now
    await record(
        session,
        at=now,
        actor_id=actor_id,
        action="meeting.reschedule",
        entity="meeting",
        entity_id=meeting_id,
        details={"from": old.isoformat(), "to": starts_at.isoformat()},
    )
    await session.flush()
    return meeting


async def edit_meeting(
    session: AsyncSession,
    meeting_id: int,
    *,
    now: datetime,
    title: str | None = None,
    add_agenda: Sequence[AgendaInput] = (),
    actor_id: int | None = None,
) -> Meeting:
    """Change a planned meeting's title or add agenda items."""
    meeting = await _planned_meeting(session, meeting_id)
    changes: dict[str, object] = {}
    if title is not None:
        if not title.strip():
            raise InvalidMeeting("a meeting needs a title", ErrorCode.MEETING_NEEDS_TITLE)
        changes["title"] = {"from": meeting.title, "to": title.strip()}
        meeting.title = title.strip()
    if add_agenda:
        full = await get_meeting(session, meeting_id)
        start = len(full.agenda)
        for i, item in enumerate(add_agenda, start=start + 1):
            session.add(
                AgendaItem(
                    meeting_id=meeting_id,
                    position=i,
                    title=item.title.strip(),
                    presenter_id=item.presenter_id,
                    presenter_text=item.presenter_text,
                )
            )
        changes["agenda_added"] = [item.title for item in add_agenda]
    meeting.updated_at = now
    await record(
        session,
        at=now,
        actor_id=actor_id,
        action="meeting.edit",
        entity="meeting",
        entity_id=meeting_id,
        details=changes,
    )
    await session.flush()
    return await get_meeting(session, meeting_id)


async def cancel_meeting(
    session: AsyncSession,
    meeting_id: int,
    *,
    reason: str,
    now: datetime,
    actor_id: int | None = None,
) -> Meeting:
    """Cancel a planned meeting, keeping the reason."""
    meeting = await _planned_meeting(session, meeting_id)
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancel_reason = reason.strip() or None
    meeting.updated_at = now
    await record(
        session,
        at=now,
        actor_id=actor_id,
        action="meeting.cancel",
        entity="meeting",
        entity_id=meeting_id,
        details={"reason": reason},
    )
    await session.flush()
    return meeting


async def set_point_readiness(
    session: AsyncSession,
    *,
    meeting_id: int,
    point_id: int,
    readiness: Readiness,
    by_id: int,
    now: datetime,
    note: str | None = None,
) -> MeetingPoint:
    """A coordinator reports the point ready, or a problem (which needs a note)."""
    meeting_point = await session.get(MeetingPoint, (meeting_id, point_id))
    if meeting_point is None:
        raise UnknownPoint(
            f"point {point_id} does not take part in meeting {meeting_id}",
            ErrorCode.POINT_NOT_IN_MEETING,
        )
    if readiness == Readiness.PROBLEM and not (note and note.strip()):
        raise InvalidMeeting("a problem report needs a note", ErrorCode.PROBLEM_NEEDS_NOTE)
    meeting_point.readiness = readiness
    meeting_point.readiness_note = note.strip() if note else None
    meeting_point.readiness_at = now
    meeting_point.readiness_by_id = by_id
    await session.flush()
    return meeting_point


async def committee_members(
    session: AsyncSession, committee_id: int, *, point_id: int | None = None
) -> list[Person]:
    """The committee's people (distinct), optionally only those seated at one point."""
    query = (
        select(Person)
        .join(Membership, Membership.person_id == Person.id)
        .where(Membership.committee_id == committee_id)
        .distinct()
        .order_by(Person.id)
    )
    if point_id is not None:
        query = query.where(Person.point_id == point_id)
    return list(await session.scalars(query))


# --- reading meetings and points ---------------------------------------------------------------


async def committee_points(session: AsyncSession, committee_id: int) -> list[Point]:
    """The committee's points in their order."""
    return list(
        await session.scalars(
            select(Point).where(Point.committee_id == committee_id).order_by(Point.position)
        )
    )


async def points_by_ids(session: AsyncSession, point_ids: Sequence[int]) -> list[Point]:
    """The points named, in their committee's order."""
    return list(
        await session.scalars(
            select(Point).where(Point.id.in_(point_ids)).order_by(Point.position, Point.id)
        )
    )


def main_point_among(points: Sequence[Point]) -> int:
    """The point the chair sits at: the main hall if one is among them, else the first."""
    if not points:
        raise InvalidMeeting("a meeting needs a point", ErrorCode.MEETING_NEEDS_POINT)
    return next((p.id for p in points if p.kind == PointKind.MAIN_HALL), points[0].id)


async def coming_meetings(
    session: AsyncSession, *, committee_ids: Sequence[int], now: datetime
) -> list[Meeting]:
    """The committees' meetings still to be held or under way, soonest first."""
    await advance_meetings(session, now=now)
    return list(
        await session.scalars(
            select(Meeting)
            .where(
                Meeting.committee_id.in_(committee_ids),
                Meeting.status.in_((MeetingStatus.PLANNED, MeetingStatus.ONGOING)),
            )
            .order_by(Meeting.starts_at, Meeting.id)
        )
    )


async def meetings_for_recording(
    session: AsyncSession, *, committee_ids: Sequence[int], now: datetime, limit: int = 5
) -> list[Meeting]:
    """The meetings a recording may belong to: under way or held, the latest first."""
    await advance_meetings(session, now=now)
    return list(
        await session.scalars(
            select(Meeting)
            .where(
                Meeting.committee_id.in_(committee_ids),
                Meeting.status.in_(RECORDING_ACCEPTED),
            )
            .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
            .limit(limit)
        )
    )


async def meeting_coordinators(
    session: AsyncSession, meeting_id: int
) -> list[tuple[Point, Person]]:
    """Each point of the meeting that has a coordinator, with that coordinator."""
    rows = await session.execute(
        select(Point, Person)
        .join(MeetingPoint, MeetingPoint.point_id == Point.id)
        .join(Person, Person.id == Point.coordinator_id)
        .where(MeetingPoint.meeting_id == meeting_id)
        .order_by(Point.position, Point.id)
    )
    return [(point, person) for point, person in rows.all()]


async def secretaries_of_meeting(session: AsyncSession, meeting_id: int | None) -> list[Person]:
    """The secretariat of the meeting's committee: they hear of problems and requests."""
    if meeting_id is None:
        return []
    committee_id = await session.scalar(
        select(Meeting.committee_id).where(Meeting.id == meeting_id)
    )
    if committee_id is None:
        return []
    return list(
        await session.scalars(
            select(Person)
            .join(Membership)
            .where(Membership.committee_id == committee_id, Membership.role == Role.SECRETARIAT)
            .order_by(Person.id)
        )
    )


# --- the life cycle ------------------------------------------------------------------------------

# A meeting without an end time is taken to last half a working day: long enough for a
# provincial steering committee's session, short enough that it is not "under way" all day.
DEFAULT_LENGTH = timedelta(hours=4)
# Recordings are taken in while the meeting is under way (a first part) and after it.
RECORDING_ACCEPTED = (MeetingStatus.ONGOING, MeetingStatus.FINISHED)


def planned_end(meeting: Meeting) -> datetime:
    return meeting.ends_at or meeting.starts_at + DEFAULT_LENGTH


def status_at(meeting: Meeting, now: datetime) -> MeetingStatus:
    """The status the clock gives: planned until the start, ongoing until the end, then
    finished. A cancelled or finished meeting stays as it is."""
    if meeting.status not in (MeetingStatus.PLANNED, MeetingStatus.ONGOING):
        return meeting.status
    if now < meeting.starts_at:
        return meeting.status
    return MeetingStatus.FINISHED if now >= planned_end(meeting) else MeetingStatus.ONGOING


async def advance_meetings(session: AsyncSession, *, now: datetime) -> list[Meeting]:
    """Move every meeting whose start or end has come to its status (and log the move);
    returns those moved. Idempotent, so every reader may call it before reading statuses."""
    due = await session.scalars(
        select(Meeting).where(
            Meeting.status.in_((MeetingStatus.PLANNED, MeetingStatus.ONGOING)),
            Meeting.starts_at <= now,
        )
    )
    moved = []
    for meeting in due:
        status = status_at(meeting, now)
        if status == meeting.status:
            continue
        await record(
            session,
            at=now,
            actor_id=None,
            action="meeting.status",
            entity="meeting",
            entity_id=meeting.id,
            details={"from": meeting.status.value, "to": status.value},
        )
        meeting.status = status
        meeting.updated_at = now
        moved.append(meeting)
    await session.flush()
    return moved


async def finish_meeting(
    session: AsyncSession, meeting_id: int, *, now: datetime, actor_id: int | None = None
) -> Meeting:
    """The secretariat closes a meeting under way; its end becomes now."""
    await advance_meetings(session, now=now)
    meeting = await get_meeting(session, meeting_id)
    if meeting.status != MeetingStatus.ONGOING:
        raise InvalidMeeting(
            f"meeting {meeting_id} is {meeting.status.value}, not ongoing",
            ErrorCode.MEETING_NOT_ONGOING,
        )
    meeting.status = MeetingStatus.FINISHED
    meeting.ends_at = now
    meeting.updated_at = now
    await record(
        session,
        at=now,
        actor_id=actor_id,
        action="meeting.finish",
        entity="meeting",
        entity_id=meeting_id,
        details={},
    )
    await session.flush()
    return meeting
