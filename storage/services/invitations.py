"""Invitations point by point, answers in iCalendar's states, check-in, the attendance matrix."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.errors import AnswersClosed, InvalidAnswer, InvalidMeeting, NotFound, UnknownPoint
from storage.models import (
    AnswerStatus,
    Invitation,
    Meeting,
    MeetingPoint,
    MeetingStatus,
    Membership,
    Person,
    Readiness,
)
from storage.services.audit import record
from storage.services.loading import load_one


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
        not_found_vi="Không tìm thấy phiên họp.",
    )
    if meeting.status != MeetingStatus.PLANNED or meeting.starts_at <= now:
        raise InvalidMeeting(
            f"meeting {meeting_id} has started or is not planned",
            "Phiên họp đã bắt đầu hoặc không còn dự kiến; không gửi giấy mời được nữa.",
        )
    meeting_points = {mp.point_id for mp in meeting.points}
    wanted = list(point_ids) if point_ids is not None else sorted(meeting_points)
    unknown = [pid for pid in wanted if pid not in meeting_points]
    if unknown:
        raise UnknownPoint(
            f"points {unknown} do not take part in meeting {meeting_id}",
            "Có điểm cầu không tham gia phiên họp này.",
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
        chair = await session.get(Person, meeting.chair_id)
        assert chair is not None
        in_meeting = chair.point_id in meeting_points
        seats[chair.id] = chair.point_id if in_meeting else meeting.main_point_id
    created = []
    for person_id, point_id in seats.items():
        if person_id in already:
            continue
        assert point_id is not None
        invitation = Invitation(
            meeting_id=meeting_id,
            person_id=person_id,
            point_id=point_id,
            status=AnswerStatus.NEEDS_ACTION,
            sent_at=now,
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
        session,
        Invitation,
        invitation_id,
        selectinload(Invitation.meeting),
        not_found_vi="Không tìm thấy giấy mời.",
    )
    meeting = invitation.meeting
    if meeting.status == MeetingStatus.CANCELLED:
        raise AnswersClosed(
            f"meeting {meeting.id} is cancelled", "Phiên họp đã bị hủy, không cần trả lời."
        )
    if now >= meeting.starts_at:
        raise AnswersClosed(
            f"meeting {meeting.id} started at {meeting.starts_at.isoformat()}",
            "Phiên họp đã bắt đầu nên không thể thay đổi trả lời.",
        )
    reason = reason.strip() if reason else None
    delegate_name = delegate_name.strip() if delegate_name else None
    delegate_title = delegate_title.strip() if delegate_title else None
    if status == AnswerStatus.NEEDS_ACTION:
        raise InvalidAnswer("NEEDS-ACTION is not an answer", "Xin chọn một câu trả lời.")
    if status == AnswerStatus.DECLINED and not reason:
        raise InvalidAnswer("declining needs a reason", "Xin cho biết lý do vắng mặt.")
    if status == AnswerStatus.DELEGATED and not delegate_name:
        raise InvalidAnswer(
            "delegating needs the substitute's name", "Xin cho biết họ tên người dự thay."
        )
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
        raise NotFound(f"invitation {invitation_id} not found", "Không tìm thấy giấy mời.")
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


@dataclass(frozen=True, slots=True)
class AttendanceMatrix:
    meeting_id: int
    title: str
    starts_at: datetime
    rows: tuple[PointRow, ...]

    @property
    def totals(self) -> dict[AnswerStatus, int]:
        return {s: sum(row.counts[s] for row in self.rows) for s in AnswerStatus}


async def attendance_matrix(session: AsyncSession, meeting_id: int) -> AttendanceMatrix:
    """Points × people: who accepted, declined (why), sent a substitute, has not answered."""
    meeting = await load_one(
        session,
        Meeting,
        meeting_id,
        selectinload(Meeting.points).selectinload(MeetingPoint.point),
        selectinload(Meeting.invitations).selectinload(Invitation.person),
        not_found_vi="Không tìm thấy phiên họp.",
    )
    by_point: dict[int, list[Attendee]] = {mp.point_id: [] for mp in meeting.points}
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
