"""The web's storage services on both databases (SQLite and PostgreSQL): visibility by
committee, the sheet, the board, drafts, sign-in links and calendar feeds."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from bot.vietnamese import error_vi
from storage.errors import NotFound
from storage.models import AnswerStatus
from storage.services.calendar_feeds import feed_content, new_feed, revoke_feeds
from storage.services.drafts import create_draft
from storage.services.invitations import answer_invitation, invite_points
from storage.services.office import (
    attendance_sheet,
    drafts_of_committees,
    meetings_of_committees,
    task_board,
    visible_meeting,
    visible_task,
)
from storage.services.tasks import Category, create_task
from storage.services.web_sessions import (
    InvalidLoginLink,
    create_login_link,
    end_session,
    redeem_login_link,
    viewer_for,
)
from tests.conftest import VN
from tests.storage.factories import make_committee, make_meeting


async def test_office_services(db: AsyncSession, now: datetime) -> None:
    a = await make_committee(db, points=3, name="BCĐ A")
    b = await make_committee(db, points=2, name="BCĐ B")
    meeting = await make_meeting(db, a, now=now)
    other = await make_meeting(db, b, now=now)
    invited = await invite_points(db, meeting.id, now=now)
    await answer_invitation(db, invited[0].id, status=AnswerStatus.DECLINED, reason="Ốm", now=now)

    lists = await meetings_of_committees(db, committee_ids=[a.committee.id], now=now)
    assert [m.id for m in lists.upcoming] == [meeting.id] and lists.past == []
    for hidden in (other.id, 10**6):
        with pytest.raises(NotFound) as refused:
            await visible_meeting(db, hidden, committee_ids=[a.committee.id])
        assert error_vi(refused.value) == "Không tìm thấy phiên họp."

    seen = await visible_meeting(db, meeting.id, committee_ids=[a.committee.id])
    sheet = await attendance_sheet(db, seen)
    assert sheet.totals["DECLINED"] == 1 and len(sheet.rows) == 3
    assert sheet.totals["never_received"] == len(invited) - 1  # nobody has linked Telegram
    one_point = await attendance_sheet(db, seen, point_ids=[a.point_ids["p1"]])
    assert [row.point_name for row in one_point.rows] == ["Điểm cầu 1"]

    today = now.astimezone(VN).date()
    late = await create_task(
        db,
        meeting_id=meeting.id,
        assignee_text="ĐV1",
        action="Báo cáo",
        deadline_date=today - timedelta(days=1),
        now=now,
    )
    await create_task(db, meeting_id=other.id, assignee_text="ĐV0", action="Khác", now=now)
    board = await task_board(db, committee_ids=[a.committee.id], today=today, tz=VN)
    assert [item.task.id for item in board.tasks] == [late.id]
    assert board.totals[Category.OVERDUE] == 1
    with pytest.raises(NotFound):
        await visible_task(db, late.id, committee_ids=[b.committee.id])

    draft = await create_draft(db, content={"tasks": []}, now=now, meeting_id=meeting.id)
    assert [d.draft.id for d in await drafts_of_committees(db, committee_ids=[a.committee.id])] == [
        draft.id
    ]
    assert await drafts_of_committees(db, committee_ids=[b.committee.id]) == []

    person = a.person_ids["u1_0"]
    token = await create_login_link(db, person, now=now)
    opened = await redeem_login_link(db, token, now=now)
    viewer = await viewer_for(db, opened.token, now=now)
    assert viewer is not None and viewer.person_id == person
    assert viewer.committee_ids == [a.committee.id]
    with pytest.raises(InvalidLoginLink):
        await redeem_login_link(db, token, now=now)
    await end_session(db, opened.token, now=now)
    assert await viewer_for(db, opened.token, now=now) is None

    feed = await new_feed(db, person, now=now)
    content = await feed_content(db, feed)
    assert content is not None and [m.id for m, _ in content.meetings] == [meeting.id]
    assert await revoke_feeds(db, person, now=now) == 1
    assert await feed_content(db, feed) is None
