"""A meeting's life cycle (planned → ongoing → finished) and whom invitations cannot reach."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.errors import ErrorCode, InvalidMeeting
from storage.models import AuditEntry, MeetingStatus, Person
from storage.services.invitations import (
    Unreached,
    invitations_to_deliver,
    invite_points,
    not_reached,
    record_invitation_sent,
)
from storage.services.meetings import (
    DEFAULT_LENGTH,
    advance_meetings,
    coming_meetings,
    finish_meeting,
    main_point_among,
    meetings_for_recording,
    points_by_ids,
)
from storage.services.people import create_invite_code
from tests.storage.factories import make_committee, make_meeting


async def test_a_meeting_is_under_way_from_its_start_and_finished_at_its_end(
    db: AsyncSession, now: datetime
) -> None:
    seed = await make_committee(db)
    meeting = await make_meeting(db, seed, now=now, starts_in=timedelta(hours=1))
    committees = [seed.committee.id]

    assert await advance_meetings(db, now=now) == []
    assert [m.id for m in await meetings_for_recording(db, committee_ids=committees, now=now)] == []

    started = now + timedelta(hours=1)
    assert [m.id for m in await advance_meetings(db, now=started)] == [meeting.id]
    assert meeting.status == MeetingStatus.ONGOING
    assert await advance_meetings(db, now=started) == []  # idempotent
    assert [m.id for m in await coming_meetings(db, committee_ids=committees, now=started)] == [
        meeting.id
    ]
    assert [m.id for m in await meetings_for_recording(db, committee_ids=committees, now=started)]

    ended = started + DEFAULT_LENGTH
    await advance_meetings(db, now=ended)
    assert meeting.status == MeetingStatus.FINISHED
    assert await coming_meetings(db, committee_ids=committees, now=ended) == []
    # Recordings are still taken in after the end.
    assert [m.id for m in await meetings_for_recording(db, committee_ids=committees, now=ended)]
    moves = list(
        await db.scalars(
            select(AuditEntry.details).where(
                AuditEntry.action == "meeting.status", AuditEntry.entity_id == meeting.id
            )
        )
    )
    assert moves == [
        {"from": "planned", "to": "ongoing"},
        {"from": "ongoing", "to": "finished"},
    ]


async def test_the_secretariat_finishes_only_a_meeting_under_way(
    db: AsyncSession, now: datetime
) -> None:
    seed = await make_committee(db)
    meeting = await make_meeting(db, seed, now=now, starts_in=timedelta(hours=1))
    with pytest.raises(InvalidMeeting) as refused:
        await finish_meeting(db, meeting.id, now=now)
    assert refused.value.code == ErrorCode.MEETING_NOT_ONGOING

    early_end = now + timedelta(hours=2)
    finished = await finish_meeting(db, meeting.id, now=early_end)
    assert finished.status == MeetingStatus.FINISHED and finished.ends_at == early_end


async def test_the_main_hall_is_the_main_point_whatever_the_order(
    db: AsyncSession, now: datetime
) -> None:
    seed = await make_committee(db, points=3)
    points = await points_by_ids(db, [seed.point_ids["p2"], seed.point_ids["p0"]])
    assert main_point_among(points) == seed.point_ids["p0"]  # p0 is the main hall
    with pytest.raises(InvalidMeeting):
        main_point_among([])


async def test_who_the_invitations_did_not_reach_and_why(db: AsyncSession, now: datetime) -> None:
    seed = await make_committee(db, points=2, per_point=3)
    ids = seed.person_ids
    for key in ("chair", "secretary", "coord0", "coord1", "u0_0", "u1_0"):
        person = await db.get(Person, ids[key])
        assert person is not None
        person.telegram_user_id = 5000 + ids[key]
    await create_invite_code(db, ids["u1_1"], now=now - timedelta(days=8))  # expired
    await create_invite_code(db, ids["u0_1"], now=now)  # still valid
    meeting = await make_meeting(db, seed, now=now)
    await invite_points(db, meeting.id, now=now)

    waiting = {inv.person_id: inv for inv in await invitations_to_deliver(db, meeting.id)}
    assert len(waiting) == 8  # created, none delivered yet
    await record_invitation_sent(db, waiting[ids["u1_0"]].id, blocked=True, now=now)
    for key in ("chair", "secretary", "coord0", "coord1", "u0_0"):
        await record_invitation_sent(db, waiting[ids[key]].id, blocked=False, now=now)

    missed = {
        item.invitation.person_id: item.reason
        for item in await not_reached(db, meeting.id, now=now)
    }
    assert missed == {
        ids["u0_1"]: Unreached.LINK_UNUSED,
        ids["u1_0"]: Unreached.BLOCKED,
        ids["u1_1"]: Unreached.LINK_EXPIRED,
    }
    # Only those still not reached are tried again by the next "Gửi giấy mời".
    still = {inv.person_id for inv in await invitations_to_deliver(db, meeting.id)}
    assert still == {ids["u0_1"], ids["u1_0"], ids["u1_1"]}
