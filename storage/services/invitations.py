"""Invitations point by point, answers in iCalendar's states, check-in, the attendance matrix."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.errors import (
    AnswersClosed,
    ErrorCode,
    InvalidAnswer,
    InvalidMeeting,
    NotFound,
    UnknownPoint,
)
from storage.models import (
    AnswerStatus,
    Invitation,
    InviteCode,
    Meeting,
    MeetingPoint,
    MeetingStatus,
    Membership,
    Notification,
    NotificationState,
    Person,
    Point,
    Readiness,
)
from storage.services.audit import record
from storage.services.loading import load_one
from storage.services.meetings import advance_meetings
from storage.services.notifications import NotificationKey, already_logged, person_recipient
from storage.services.people import create_invite_code


async def invite_points(
    session: AsyncSession,
    meeting_id: int,
    *,
    now: datetime,
    point_ids: Sequence[int] | None = None,
    actor_id: int | None = None,
) -> list[Invitation]:
    """Invite the committee's people seated at the given points (default: all the meeting's
    points). Idempotent: someone already invited is not invited twice. Returns the new ones."""
    meeting = await load_one(
        session,
        Meeting,
        meeting_id,
        selectinload(Meeting.points),
        selectinload(Meeting.invitations),
    )
    if meeting.status != MeetingStatus.PLANNED or meeting.starts_at <= now:
        raise InvalidMeeting(
            f"meeting {meeting_id} has started or is not planned", ErrorCode.INVITATIONS_CLOSED
        )
    meeting_points = {mp.point_id for mp in meeting.points}
    wanted = list(point_ids) if point_ids is not None else sorted(meeting_points)
    unknown = [pid for pid in wanted if pid not in meeting_points]
    if unknown:
        raise UnknownPoint(
            f"points {unknown} do not take part in meeting {meeting_id}",
            ErrorCode.POINT_NOT_IN_MEETING,
        )
    already = {inv.person_id for inv in meeting.invitations}
    people = await session.scalars(
        select(Person)
        .join(Membership, Membership.person_id == Person.id)
        .where(Membership.committee_id == meeting.committee_id, Person.point_id.in_(wanted))
        .distinct()
        .order_by(Person.id)
    )
    seats = {person.id: person.point_id for person in people}
    # The chair is always invited: at their own point if it takes part, else at the main one.
    if point_ids is None and meeting.chair_id not in seats:
        chair = await load_one(session, Person, meeting.chair_id)
        in_meeting = chair.point_id in meeting_points
        seats[chair.id] = chair.point_id if in_meeting else meeting.main_point_id
    created = []
    for person_id, point_id in seats.items():
        if person_id in already or point_id is None:  # the query picks seated people only
            continue
        invitation = Invitation(
            meeting_id=meeting_id,
            person_id=person_id,
            point_id=point_id,
            status=AnswerStatus.NEEDS_ACTION,
        )
        session.add(invitation)
        created.append(invitation)
    await session.flush()
    if created:
        await record(
            session,
            at=now,
            actor_id=actor_id,
            action="meeting.invite",
            entity="meeting",
            entity_id=meeting_id,
            details={"points": wanted, "invited": [inv.person_id for inv in created]},
        )
    return created


async def answer_invitation(
    session: AsyncSession,
    invitation_id: int,
    *,
    status: AnswerStatus,
    now: datetime,
    reason: str | None = None,
    delegate_name: str | None = None,
    delegate_title: str | None = None,
    answered_by_id: int | None = None,
) -> Invitation:
    """Record an answer. Declining needs a reason, delegating a substitute's name. Answers may
    change until the start and close then. Giving the same answer again changes nothing."""
    invitation = await load_one(
        session, Invitation, invitation_id, selectinload(Invitation.meeting)
    )
    meeting = invitation.meeting
    if meeting.status == MeetingStatus.CANCELLED:
        raise AnswersClosed(f"meeting {meeting.id} is cancelled", ErrorCode.MEETING_CANCELLED)
    if now >= meeting.starts_at:
        raise AnswersClosed(
            f"meeting {meeting.id} started at {meeting.starts_at.isoformat()}",
            ErrorCode.ANSWERS_CLOSED,
        )
    reason = reason.strip() if reason else None
    delegate_name = delegate_name.strip() if delegate_name else None
    delegate_title = delegate_title.strip() if delegate_title else None
    if status == AnswerStatus.NEEDS_ACTION:
        raise InvalidAnswer("NEEDS-ACTION is not an answer", ErrorCode.ANSWER_NEEDED)
    if status == AnswerStatus.DECLINED and not reason:
        raise InvalidAnswer("declining needs a reason", ErrorCode.DECLINE_NEEDS_REASON)
    if status == AnswerStatus.DELEGATED and not delegate_name:
        raise InvalidAnswer("delegating needs the substitute's name", ErrorCode.DELEGATE_NEEDS_NAME)
    if status != AnswerStatus.DECLINED:
        reason = None
    if status != AnswerStatus.DELEGATED:
        delegate_name = delegate_title = None

    unchanged = (
        invitation.status == status
        and invitation.decline_reason == reason
        and invitation.delegate_name == delegate_name
        and invitation.delegate_title == delegate_title
    )
    if unchanged:
        return invitation
    previous = invitation.status
    invitation.status = status
    invitation.decline_reason = reason
    invitation.delegate_name = delegate_name
    invitation.delegate_title = delegate_title
    invitation.answered_at = now
    invitation.answered_by_id = (
        answered_by_id if answered_by_id is not None else invitation.person_id
    )
    await record(
        session,
        at=now,
        actor_id=invitation.answered_by_id,
        action="invitation.answer",
        entity="invitation",
        entity_id=invitation.id,
        details={
            "from": previous.value,
            "to": status.value,
            "reason": reason,
            "delegate": delegate_name,
        },
    )
    await session.flush()
    return invitation


async def mark_presence(
    session: AsyncSession,
    invitation_id: int,
    *,
    present: bool,
    by_id: int,
    now: datetime,
) -> Invitation:
    """A coordinator marks someone (or their substitute) present or absent at the point."""
    invitation = await session.get(Invitation, invitation_id)
    if invitation is None:
        raise NotFound(f"invitation {invitation_id} not found", "Invitation")
    invitation.present = present
    invitation.present_marked_at = now
    invitation.present_marked_by_id = by_id
    await session.flush()
    return invitation


@dataclass(frozen=True, slots=True)
class Attendee:
    name: str
    title: str
    status: AnswerStatus
    reason: str | None = None
    delegate: str | None = None  # "Nguyễn Văn A (Phó Giám đốc)"
    present: bool | None = None
    # Why the invitation cannot reach them (no account, blocked...); None: it can.
    unreached: Unreached | None = None

    @property
    def never_received(self) -> bool:
        """Not answered because the invitation never arrived, not out of silence."""
        return self.status == AnswerStatus.NEEDS_ACTION and self.unreached is not None


@dataclass(frozen=True, slots=True)
class PointRow:
    """One line of the matrix: a point, its readiness and its invited people by answer."""

    point_id: int
    point_name: str
    is_main: bool
    readiness: Readiness
    readiness_note: str | None
    attendees: tuple[Attendee, ...]

    def with_status(self, status: AnswerStatus) -> list[Attendee]:
        return [a for a in self.attendees if a.status == status]

    @property
    def counts(self) -> dict[AnswerStatus, int]:
        return {s: len(self.with_status(s)) for s in AnswerStatus}

    @property
    def never_received(self) -> int:
        """Of the NEEDS-ACTION count, those the invitation could not reach."""
        return sum(1 for a in self.attendees if a.never_received)


@dataclass(frozen=True, slots=True)
class AttendanceMatrix:
    meeting_id: int
    title: str
    starts_at: datetime
    rows: tuple[PointRow, ...]

    @property
    def totals(self) -> dict[AnswerStatus, int]:
        return {s: sum(row.counts[s] for row in self.rows) for s in AnswerStatus}

    @property
    def never_received(self) -> int:
        return sum(row.never_received for row in self.rows)


async def attendance_matrix(
    session: AsyncSession, meeting_id: int, *, now: datetime | None = None
) -> AttendanceMatrix:
    """Points × people: who accepted, declined (why), sent a substitute, has not answered,
    and of those, whom the invitation could not reach (why, as of ``now``; by default the
    start, which only tells an expired link from a live one)."""
    meeting = await load_one(
        session,
        Meeting,
        meeting_id,
        selectinload(Meeting.points).selectinload(MeetingPoint.point),
        selectinload(Meeting.invitations).selectinload(Invitation.person),
    )
    by_point: dict[int, list[Attendee]] = {mp.point_id: [] for mp in meeting.points}
    reasons = await unreached_reasons(
        session, [inv.person for inv in meeting.invitations], now=now or meeting.starts_at
    )
    for inv in sorted(meeting.invitations, key=lambda i: i.person_id):
        delegate = None
        if inv.delegate_name:
            delegate = inv.delegate_name + (
                f" ({inv.delegate_title})" if inv.delegate_title else ""
            )
        by_point.setdefault(inv.point_id, []).append(
            Attendee(
                name=inv.person.full_name or inv.person.title,
                title=inv.person.title,
                status=inv.status,
                reason=inv.decline_reason,
                delegate=delegate,
                present=inv.present,
                unreached=reasons.get(inv.person_id),
            )
        )
    ordered = sorted(
        meeting.points,
        key=lambda mp: (mp.point_id != meeting.main_point_id, mp.point.position, mp.point_id),
    )
    rows = tuple(
        PointRow(
            point_id=mp.point_id,
            point_name=mp.point.name,
            is_main=mp.point_id == meeting.main_point_id,
            readiness=mp.readiness,
            readiness_note=mp.readiness_note,
            attendees=tuple(by_point.get(mp.point_id, ())),
        )
        for mp in ordered
    )
    return AttendanceMatrix(
        meeting_id=meeting.id, title=meeting.title, starts_at=meeting.starts_at, rows=rows
    )


# --- reading invitations ----------------------------------------------------------------------


async def invitations_of(
    session: AsyncSession,
    meeting_id: int,
    *,
    unanswered_only: bool = False,
    besides: int | None = None,
) -> list[Invitation]:
    """The meeting's invitations with their person and point, point by point; ``besides``
    leaves out one person (who made the change being announced and was told already)."""
    query = (
        select(Invitation)
        .where(Invitation.meeting_id == meeting_id)
        .options(selectinload(Invitation.person), selectinload(Invitation.point))
        .order_by(Invitation.point_id, Invitation.id)
    )
    if unanswered_only:
        query = query.where(Invitation.status == AnswerStatus.NEEDS_ACTION)
    if besides is not None:
        query = query.where(Invitation.person_id != besides)
    return list(await session.scalars(query))


async def invitations_to_deliver(session: AsyncSession, meeting_id: int) -> list[Invitation]:
    """Unanswered invitations that have not reached their person yet (person, point loaded)."""
    waiting = await invitations_of(session, meeting_id, unanswered_only=True)
    return [inv for inv in waiting if inv.sent_at is None]


async def get_invitation(session: AsyncSession, invitation_id: int) -> Invitation:
    """One invitation with its meeting, person and point."""
    return await load_one(
        session,
        Invitation,
        invitation_id,
        selectinload(Invitation.meeting),
        selectinload(Invitation.person),
        selectinload(Invitation.point),
    )


async def coming_invitations(
    session: AsyncSession, person_id: int, *, now: datetime
) -> list[Invitation]:
    """A person's invitations to meetings still to come, soonest first (with meeting, point)."""
    await advance_meetings(session, now=now)
    return list(
        await session.scalars(
            select(Invitation)
            .join(Meeting)
            .where(
                Invitation.person_id == person_id,
                Meeting.status == MeetingStatus.PLANNED,
                Meeting.starts_at > now,
            )
            .options(selectinload(Invitation.meeting), selectinload(Invitation.point))
            .order_by(Meeting.starts_at, Meeting.id)
        )
    )


@dataclass(frozen=True, slots=True)
class RollCall:
    """Who is expected at one point of one meeting, for the coordinator to mark present."""

    meeting: Meeting
    point: Point
    invitations: tuple[Invitation, ...]


async def point_roll(session: AsyncSession, meeting_id: int, point_id: int) -> RollCall:
    """The roll of one point of one meeting (people loaded), in invitation order."""
    meeting = await load_one(session, Meeting, meeting_id)
    point = await load_one(session, Point, point_id)
    invitations = await session.scalars(
        select(Invitation)
        .where(Invitation.meeting_id == meeting_id, Invitation.point_id == point_id)
        .options(selectinload(Invitation.person))
        .order_by(Invitation.id)
    )
    return RollCall(meeting=meeting, point=point, invitations=tuple(invitations))


async def roll_calls_of(
    session: AsyncSession, coordinator_id: int, *, now: datetime, tz: tzinfo
) -> list[RollCall]:
    """The rolls a coordinator keeps now: each of their points in each meeting under way or
    planned for today (in the office's zone), one roll per meeting and point."""
    await advance_meetings(session, now=now)
    today = now.astimezone(tz).date()
    pairs = await session.execute(
        select(Meeting, Point)
        .join(MeetingPoint, MeetingPoint.meeting_id == Meeting.id)
        .join(Point, Point.id == MeetingPoint.point_id)
        .where(
            Point.coordinator_id == coordinator_id,
            Meeting.status.in_((MeetingStatus.PLANNED, MeetingStatus.ONGOING)),
        )
        .order_by(Meeting.starts_at, Meeting.id, Point.position)
    )
    wanted = [
        (meeting.id, point.id)
        for meeting, point in pairs.all()
        if meeting.status == MeetingStatus.ONGOING
        or meeting.starts_at.astimezone(tz).date() == today
    ]
    return [await point_roll(session, meeting_id, point_id) for meeting_id, point_id in wanted]


# --- whom an invitation did not reach, and why ------------------------------------------------


class Unreached(StrEnum):
    """Why an invitation could not be delivered to a person."""

    NO_ACCOUNT = "no_account"  # no Telegram account linked, no link issued
    LINK_UNUSED = "link_unused"  # an invitation link was issued and is still valid
    LINK_EXPIRED = "link_expired"  # the link issued expired unused
    BLOCKED = "blocked"  # the person blocked the bot


INVITATION_KIND = "meeting.invitation"


async def blocked_people(session: AsyncSession, person_ids: Sequence[int]) -> set[int]:
    """The people whose latest delivery outcome in the notification log says they blocked
    the bot (a later message that reached them clears it)."""
    recipients = {person_recipient(pid): pid for pid in person_ids}
    if not recipients:
        return set()
    latest: dict[str, NotificationState] = {}
    # Only outcomes count: a message still waiting to go says nothing about the recipient.
    rows = await session.execute(
        select(Notification.recipient, Notification.state)
        .where(
            Notification.recipient.in_(recipients),
            Notification.state.in_((NotificationState.SENT, NotificationState.BLOCKED)),
        )
        .order_by(Notification.sent_at, Notification.id)
    )
    for recipient, state in rows.all():
        latest[recipient] = state
    return {recipients[r] for r, state in latest.items() if state == NotificationState.BLOCKED}


async def unreached_reasons(
    session: AsyncSession, people: Sequence[Person], *, now: datetime
) -> dict[int, Unreached]:
    """For each person an invitation cannot reach, why; people it can reach are left out."""
    without_account = [p.id for p in people if p.telegram_user_id is None]
    links: dict[int, Unreached] = {}
    if without_account:
        codes = await session.scalars(
            select(InviteCode)
            .where(InviteCode.person_id.in_(without_account), InviteCode.used_at.is_(None))
            .order_by(InviteCode.created_at)
        )
        for code in codes:  # the newest link decides
            links[code.person_id] = (
                Unreached.LINK_EXPIRED if code.expires_at <= now else Unreached.LINK_UNUSED
            )
    blocked = await blocked_people(
        session, [p.id for p in people if p.telegram_user_id is not None]
    )
    reasons: dict[int, Unreached] = {}
    for person in people:
        if person.telegram_user_id is None:
            reasons[person.id] = links.get(person.id, Unreached.NO_ACCOUNT)
        elif person.id in blocked:
            reasons[person.id] = Unreached.BLOCKED
    return reasons


async def record_invitation_sent(
    session: AsyncSession, invitation_id: int, *, blocked: bool, now: datetime
) -> None:
    """Log one delivery of an invitation (or the recipient's block) in the notification log,
    which is what tells later who the invitations did not reach; a delivered invitation
    gets its ``sent_at``."""
    invitation = await load_one(session, Invitation, invitation_id)
    key = NotificationKey(
        kind=INVITATION_KIND,
        subject=f"invitation:{invitation.id}",
        recipient=person_recipient(invitation.person_id),
        moment=now,
    )
    if not await already_logged(session, key):
        session.add(
            Notification(
                kind=key.kind,
                subject=key.subject,
                recipient=key.recipient,
                moment=key.moment,
                state=NotificationState.BLOCKED if blocked else NotificationState.SENT,
                sent_at=now,
                error="recipient blocked the bot" if blocked else None,
            )
        )
    if not blocked:
        invitation.sent_at = now
    await session.flush()


@dataclass(frozen=True, slots=True)
class NotReached:
    """One invited person the invitation did not reach, and why."""

    invitation: Invitation
    reason: Unreached


async def not_reached(session: AsyncSession, meeting_id: int, *, now: datetime) -> list[NotReached]:
    """The meeting's unanswered invitations that cannot reach their person, point by point."""
    waiting = await invitations_of(session, meeting_id, unanswered_only=True)
    reasons = await unreached_reasons(session, [inv.person for inv in waiting], now=now)
    return [
        NotReached(invitation=inv, reason=reasons[inv.person_id])
        for inv in waiting
        if inv.person_id in reasons
    ]


async def issue_invite_links(
    session: AsyncSession, meeting_id: int, *, now: datetime, created_by_id: int
) -> list[tuple[Person, InviteCode]]:
    """A fresh invitation link for each person the meeting's invitations did not reach for
    want of a linked account (a person who blocked the bot needs a call, not a link)."""
    links = []
    for item in await not_reached(session, meeting_id, now=now):
        if item.reason == Unreached.BLOCKED:
            continue
        code = await create_invite_code(
            session, item.invitation.person_id, now=now, created_by_id=created_by_id
        )
        links.append((item.invitation.person, code))
    return links
