from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.vietnamese import error_vi
from storage.errors import AnswersClosed, ErrorCode, InvalidAnswer, InvalidMeeting, UnknownPoint
from storage.models import AnswerStatus, Invitation
from storage.services.invitations import (
    answer_invitation,
    attendance_matrix,
    invite_points,
    mark_presence,
)
from storage.services.meetings import cancel_meeting, create_meeting
from tests.storage.factories import make_committee, make_meeting


async def _invitation(db: AsyncSession, meeting_id: int, person_id: int) -> Invitation:
    invitation = await db.scalar(
        select(Invitation).where(
            Invitation.meeting_id == meeting_id, Invitation.person_id == person_id
        )
    )
    assert invitation is not None
    return invitation


async def test_invite_by_points_is_idempotent(db: AsyncSession, now: datetime) -> None:
    seed = await make_committee(db, points=3, per_point=4)
    meeting = await make_meeting(db, seed, now=now)

    first = await invite_points(db, meeting.id, point_ids=[seed.point_ids["p1"]], now=now)
    assert {inv.point_id for inv in first} == {seed.point_ids["p1"]}
    assert len(first) == 4  # the coordinator and three participants seated there
    rest = await invite_points(db, meeting.id, now=now)
    # p0: chair + secretary + coordinator + 3; p2: 4; p1 already done
    assert len(rest) == 6 + 4
    assert await invite_points(db, meeting.id, now=now) == []
    # Created, not yet delivered: ``sent_at`` is set when the bot reaches the person.
    assert all(inv.status == AnswerStatus.NEEDS_ACTION and inv.sent_at is None for inv in rest)


async def test_the_chair_is_invited_even_from_a_point_not_taking_part(
    db: AsyncSession, now: datetime
) -> None:
    seed = await make_committee(db, points=3)
    meeting = await create_meeting(
        db,
        committee_id=seed.committee.id,
        title="Họp",
        starts_at=now + timedelta(days=1),
        chair_id=seed.person_ids["chair"],
        main_point_id=seed.point_ids["p1"],
        point_ids=[seed.point_ids["p2"]],
        now=now,
    )
    invited = await invite_points(db, meeting.id, now=now)
    chair = [inv for inv in invited if inv.person_id == seed.person_ids["chair"]]
    assert [inv.point_id for inv in chair] == [seed.point_ids["p1"]]  # seated at the main point
    assert {inv.point_id for inv in invited} == {seed.point_ids["p1"], seed.point_ids["p2"]}


async def test_invite_a_point_that_is_not_in_the_meeting(db: AsyncSession, now: datetime) -> None:
    seed = await make_committee(db)
    meeting = await make_meeting(db, seed, now=now)
    other = await make_committee(db, name="BCĐ khác")
    with pytest.raises(UnknownPoint):
        await invite_points(db, meeting.id, point_ids=[other.point_ids["p0"]], now=now)
    with pytest.raises(InvalidMeeting):
        await invite_points(db, meeting.id, now=meeting.starts_at + timedelta(minutes=5))


async def test_answers_follow_icalendar_states(db: AsyncSession, now: datetime) -> None:
    seed = await make_committee(db)
    meeting = await make_meeting(db, seed, now=now)
    await invite_points(db, meeting.id, now=now)
    inv = await _invitation(db, meeting.id, seed.person_ids["u1_0"])

    later = now + timedelta(hours=1)
    accepted = await answer_invitation(db, inv.id, status=AnswerStatus.ACCEPTED, now=later)
    assert (accepted.status, accepted.answered_at) == (AnswerStatus.ACCEPTED, later)
    # The same answer again changes nothing, not even the time of the answer.
    again = await answer_invitation(
        db, inv.id, status=AnswerStatus.ACCEPTED, now=later + timedelta(hours=1)
    )
    assert again.answered_at == later

    with pytest.raises(InvalidAnswer):
        await answer_invitation(db, inv.id, status=AnswerStatus.DECLINED, now=later)
    declined = await answer_invitation(
        db, inv.id, status=AnswerStatus.DECLINED, reason="Đi công tác Hà Nội", now=later
    )
    assert (declined.status, declined.decline_reason) == (
        AnswerStatus.DECLINED,
        "Đi công tác Hà Nội",
    )

    with pytest.raises(InvalidAnswer):
        await answer_invitation(db, inv.id, status=AnswerStatus.DELEGATED, now=later)
    delegated = await answer_invitation(
        db,
        inv.id,
        status=AnswerStatus.DELEGATED,
        delegate_name="Lò Văn Minh",
        delegate_title="Phó phòng Tổng hợp",
        now=later,
        answered_by_id=seed.person_ids["secretary"],
    )
    assert delegated.delegate_name == "Lò Văn Minh"
    assert delegated.decline_reason is None  # the earlier reason no longer applies
    assert delegated.answered_by_id == seed.person_ids["secretary"]


async def test_answers_close_at_the_start(db: AsyncSession, now: datetime) -> None:
    seed = await make_committee(db)
    meeting = await make_meeting(db, seed, now=now, starts_in=timedelta(hours=3))
    await invite_points(db, meeting.id, now=now)
    inv = await _invitation(db, meeting.id, seed.person_ids["u2_1"])
    await answer_invitation(db, inv.id, status=AnswerStatus.ACCEPTED, now=now)
    with pytest.raises(AnswersClosed) as error:
        await answer_invitation(
            db, inv.id, status=AnswerStatus.DECLINED, reason="Ốm", now=meeting.starts_at
        )
    assert error.value.code == ErrorCode.ANSWERS_CLOSED
    assert "đã bắt đầu" in error_vi(error.value)
    assert (
        await _invitation(db, meeting.id, seed.person_ids["u2_1"])
    ).status == AnswerStatus.ACCEPTED


async def test_no_answers_to_a_cancelled_meeting(db: AsyncSession, now: datetime) -> None:
    seed = await make_committee(db)
    meeting = await make_meeting(db, seed, now=now)
    await invite_points(db, meeting.id, now=now)
    inv = await _invitation(db, meeting.id, seed.person_ids["u1_1"])
    await cancel_meeting(db, meeting.id, reason="Hoãn", now=now)
    with pytest.raises(AnswersClosed):
        await answer_invitation(db, inv.id, status=AnswerStatus.ACCEPTED, now=now)


async def test_attendance_matrix_per_point(db: AsyncSession, now: datetime) -> None:
    seed = await make_committee(db, points=3, per_point=4)
    meeting = await make_meeting(db, seed, now=now)
    await invite_points(db, meeting.id, now=now)
    ids = seed.person_ids
    answers = [
        ("u1_0", AnswerStatus.ACCEPTED, {}),
        ("u1_1", AnswerStatus.DECLINED, {"reason": "Ốm"}),
        (
            "u1_2",
            AnswerStatus.DELEGATED,
            {"delegate_name": "Hà Thị Lan", "delegate_title": "Phó phòng"},
        ),
        ("u2_0", AnswerStatus.ACCEPTED, {}),
        ("chair", AnswerStatus.ACCEPTED, {}),
    ]
    for key, status, extra in answers:
        inv = await _invitation(db, meeting.id, ids[key])
        await answer_invitation(db, inv.id, status=status, now=now, **extra)  # type: ignore[arg-type]
    present = await _invitation(db, meeting.id, ids["u2_0"])
    await mark_presence(db, present.id, present=True, by_id=ids["coord2"], now=now)

    matrix = await attendance_matrix(db, meeting.id)
    assert [row.point_name for row in matrix.rows] == ["Điểm cầu 0", "Điểm cầu 1", "Điểm cầu 2"]
    assert matrix.rows[0].is_main
    p1 = matrix.rows[1]
    assert p1.counts == {
        AnswerStatus.ACCEPTED: 1,
        AnswerStatus.DECLINED: 1,
        AnswerStatus.DELEGATED: 1,
        AnswerStatus.NEEDS_ACTION: 1,
    }
    assert p1.with_status(AnswerStatus.DECLINED)[0].reason == "Ốm"
    assert p1.with_status(AnswerStatus.DELEGATED)[0].delegate == "Hà Thị Lan (Phó phòng)"
    assert [a.present for a in matrix.rows[2].with_status(AnswerStatus.ACCEPTED)] == [True]
    assert matrix.totals[AnswerStatus.ACCEPTED] == 3
    assert sum(matrix.totals.values()) == 14
