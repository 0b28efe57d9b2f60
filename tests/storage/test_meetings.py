from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.vietnamese import error_vi
from storage.errors import ErrorCode, InvalidMeeting, MeetingInPast, NotAMember, UnknownPoint
from storage.models import AuditEntry, MeetingStatus, Readiness
from storage.services.meetings import (
    AgendaInput,
    cancel_meeting,
    create_meeting,
    edit_meeting,
    get_meeting,
    reschedule_meeting,
    set_point_readiness,
)
from tests.storage.factories import make_committee, make_meeting


async def test_create_meeting_keeps_points_agenda_and_an_audit_entry(
    db: AsyncSession, now: datetime
) -> None:
    seed = await make_committee(db, points=3)
    meeting = await make_meeting(db, seed, now=now, agenda=2)

    assert meeting.status == MeetingStatus.PLANNED
    assert meeting.starts_at == now + timedelta(days=7)
    assert meeting.starts_at.tzinfo is not None
    assert sorted(mp.point_id for mp in meeting.points) == sorted(seed.point_ids.values())
    assert all(mp.readiness == Readiness.UNKNOWN for mp in meeting.points)
    assert [a.title for a in meeting.agenda] == ["Nội dung 1", "Nội dung 2"]
    assert [d.title for d in meeting.agenda[1].documents] == ["Tài liệu 2.pdf"]
    audit = (await db.scalars(select(AuditEntry).where(AuditEntry.entity_id == meeting.id))).all()
    assert [a.action for a in audit] == ["meeting.create"]


async def test_main_point_takes_part_even_if_not_listed(db: AsyncSession, now: datetime) -> None:
    seed = await make_committee(db, points=3)
    meeting = await create_meeting(
        db,
        committee_id=seed.committee.id,
        title="Họp",
        starts_at=now + timedelta(hours=2),
        chair_id=seed.person_ids["chair"],
        main_point_id=seed.point_ids["p0"],
        point_ids=[seed.point_ids["p2"]],
        now=now,
    )
    assert {mp.point_id for mp in meeting.points} == {seed.point_ids["p0"], seed.point_ids["p2"]}


async def test_a_meeting_in_the_past_is_refused(db: AsyncSession, now: datetime) -> None:
    seed = await make_committee(db)
    with pytest.raises(MeetingInPast) as error:
        await make_meeting(db, seed, now=now, starts_in=-timedelta(minutes=1))
    assert error.value.code == ErrorCode.START_IN_PAST
    assert "trong tương lai" in error_vi(error.value)


async def test_a_point_of_another_committee_is_unknown(db: AsyncSession, now: datetime) -> None:
    seed = await make_committee(db)
    other = await make_committee(db, name="BCĐ khác")
    with pytest.raises(UnknownPoint):
        await create_meeting(
            db,
            committee_id=seed.committee.id,
            title="Họp",
            starts_at=now + timedelta(days=1),
            chair_id=seed.person_ids["chair"],
            main_point_id=seed.point_ids["p0"],
            point_ids=[other.point_ids["p1"]],
            now=now,
        )


async def test_the_chair_must_be_a_member(db: AsyncSession, now: datetime) -> None:
    seed = await make_committee(db)
    other = await make_committee(db, name="BCĐ khác")
    with pytest.raises(NotAMember):
        await create_meeting(
            db,
            committee_id=seed.committee.id,
            title="Họp",
            starts_at=now + timedelta(days=1),
            chair_id=other.person_ids["chair"],
            main_point_id=seed.point_ids["p0"],
            point_ids=[],
            now=now,
        )


async def test_naive_and_backwards_times_are_refused(db: AsyncSession, now: datetime) -> None:
    seed = await make_committee(db)
    base = dict(
        committee_id=seed.committee.id,
        title="Họp",
        chair_id=seed.person_ids["chair"],
        main_point_id=seed.point_ids["p0"],
        point_ids=[],
        now=now,
    )
    with pytest.raises(InvalidMeeting):
        await create_meeting(db, starts_at=datetime(2030, 1, 1, 8, 0), **base)  # type: ignore[arg-type]
    with pytest.raises(InvalidMeeting):
        await create_meeting(db, starts_at=now + timedelta(days=1), ends_at=now, **base)  # type: ignore[arg-type]


async def test_reschedule_and_cancel(db: AsyncSession, now: datetime) -> None:
    seed = await make_committee(db)
    meeting = await make_meeting(db, seed, now=now)
    moved = await reschedule_meeting(db, meeting.id, starts_at=now + timedelta(days=9), now=now)
    assert moved.starts_at == now + timedelta(days=9)
    with pytest.raises(MeetingInPast):
        await reschedule_meeting(db, meeting.id, starts_at=now - timedelta(hours=1), now=now)
    await cancel_meeting(db, meeting.id, reason="Trùng lịch họp của Tỉnh ủy", now=now)
    reloaded = await get_meeting(db, meeting.id)
    assert reloaded.status == MeetingStatus.CANCELLED
    assert reloaded.cancel_reason == "Trùng lịch họp của Tỉnh ủy"
    with pytest.raises(InvalidMeeting):
        await reschedule_meeting(db, meeting.id, starts_at=now + timedelta(days=10), now=now)


async def test_point_readiness_and_problem_needs_a_note(db: AsyncSession, now: datetime) -> None:
    seed = await make_committee(db)
    meeting = await make_meeting(db, seed, now=now)
    p1 = seed.point_ids["p1"]
    with pytest.raises(InvalidMeeting):
        await set_point_readiness(
            db,
            meeting_id=meeting.id,
            point_id=p1,
            readiness=Readiness.PROBLEM,
            by_id=seed.person_ids["coord1"],
            now=now,
        )
    state = await set_point_readiness(
        db,
        meeting_id=meeting.id,
        point_id=p1,
        readiness=Readiness.PROBLEM,
        note="Mất tiếng micro",
        by_id=seed.person_ids["coord1"],
        now=now,
    )
    assert (state.readiness, state.readiness_note) == (Readiness.PROBLEM, "Mất tiếng micro")
    other = await make_committee(db, name="BCĐ khác")
    with pytest.raises(UnknownPoint):
        await set_point_readiness(
            db,
            meeting_id=meeting.id,
            point_id=other.point_ids["p1"],
            readiness=Readiness.READY,
            by_id=1,
            now=now,
        )


async def test_edit_title_and_add_agenda(db: AsyncSession, now: datetime) -> None:
    seed = await make_committee(db)
    meeting = await make_meeting(db, seed, now=now, agenda=1)
    edited = await edit_meeting(
        db,
        meeting.id,
        now=now,
        title="Phiên họp lần thứ 3 (mở rộng)",
        add_agenda=[AgendaInput(title="Ý kiến các huyện", presenter_text="UBND các huyện")],
    )
    assert edited.title == "Phiên họp lần thứ 3 (mở rộng)"
    assert [(a.position, a.title) for a in edited.agenda] == [
        (1, "Nội dung 1"),
        (2, "Ý kiến các huyện"),
    ]
    with pytest.raises(InvalidMeeting):
        await edit_meeting(db, meeting.id, now=now, title="  ")
