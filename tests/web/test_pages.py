"""What the pages show and what their forms change, through the same services as the bot."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from sqlalchemy import select

from storage.db import make_async_engine, make_async_sessionmaker
from storage.models import AnswerStatus, AuditEntry, Invitation, Task, TaskStatus
from storage.services.tasks import create_task
from tests.conftest import VN
from tests.web.conftest import Client, Office, sign_in
from web.pages import BOARD_PAGE


async def _load(office: Office, model: type, key: int) -> object:
    engine = make_async_engine(office.url)
    try:
        async with make_async_sessionmaker(engine)() as session:
            return await session.get(model, key)
    finally:
        await engine.dispose()


def _row(html: str, anchor: str) -> str:
    """The table row with this id, so a test reads one person's or one task's line."""
    found = re.search(rf'<tr id="{anchor}">(.*?)</tr>', html, re.S)
    assert found is not None, anchor
    return found[1]


async def test_meetings_list_splits_coming_and_past(client: Client, office: Office) -> None:
    await sign_in(client, office, "u1_0")
    html = await (await client.get("/")).text()
    coming, _, past = html.partition("Đã diễn ra")
    assert f"/meetings/{office.meeting}" in coming and f"/meetings/{office.past_meeting}" in past
    assert f"/meetings/{office.other_meeting}" not in html  # another committee's
    assert "03 giờ" not in html and "09 giờ 00" in html  # times shown in Hà Nội


async def test_the_matrix_tells_never_received_from_not_answered(
    client: Client, office: Office
) -> None:
    await sign_in(client, office, "secretary")
    html = await (await client.get(f"/meetings/{office.meeting}")).text()
    unreached = _row(html, f"inv-{office.invitations['u2_1']}")
    silent = _row(html, f"inv-{office.invitations['u1_0']}")
    assert "Chưa nhận được giấy mời" in unreached and "chưa có tài khoản Telegram" in unreached
    assert "Chưa trả lời" in silent and "Chưa nhận được giấy mời" not in silent
    assert "Đi công tác huyện Mường Tè" in _row(html, f"inv-{office.invitations['u1_1']}")
    assert "Lò Thị Mai (Phó Trưởng phòng)" in _row(html, f"inv-{office.invitations['u2_0']}")
    assert "có mặt" in _row(html, f"inv-{office.invitations['u0_0']}")
    assert "Mất tín hiệu đường truyền" in html and "có sự cố" in html
    assert "Chưa nhận được giấy mời: 1" in html

    api = await (await client.get(f"/api/meetings/{office.meeting}/attendance")).json()
    assert api["totals"]["never_received"] == 1 and api["totals"]["DECLINED"] == 1
    assert api["starts_at"].endswith("+07:00")


async def test_secretariat_answers_for_a_delegate(client: Client, office: Office) -> None:
    csrf = await sign_in(client, office, "secretary")
    invitation = office.invitations["u1_0"]
    url = f"/meetings/{office.meeting}/answers/{invitation}"
    missing_name = await client.post(url, data={"csrf": csrf, "status": "DELEGATED"})
    assert missing_name.status == 422 and "họ tên người dự thay" in await missing_name.text()
    done = await client.post(
        url,
        data={
            "csrf": csrf,
            "status": "DELEGATED",
            "delegate_name": "Hoàng Văn Đức",
            "delegate_title": "Phó Giám đốc",
        },
    )
    assert done.status == 200  # redirected back to the meeting page
    row = _row(await done.text(), f"inv-{invitation}")
    assert "Hoàng Văn Đức (Phó Giám đốc)" in row and "tổ giúp việc trả lời thay" in row
    stored = await _load(office, Invitation, invitation)
    assert isinstance(stored, Invitation) and stored.status == AnswerStatus.DELEGATED
    assert stored.answered_by_id == office.people["secretary"]


async def test_a_participant_answers_only_for_themself(client: Client, office: Office) -> None:
    csrf = await sign_in(client, office, "u1_0")
    own = f"/meetings/{office.meeting}/answers/{office.invitations['u1_0']}"
    other = f"/meetings/{office.meeting}/answers/{office.invitations['u1_1']}"
    assert (await client.post(other, data={"csrf": csrf, "status": "ACCEPTED"})).status == 403
    declined = await client.post(
        own, data={"csrf": csrf, "status": "DECLINED", "reason": "Ốm"}, allow_redirects=False
    )
    assert declined.status == 303
    stored = await _load(office, Invitation, office.invitations["u1_0"])
    assert isinstance(stored, Invitation) and stored.decline_reason == "Ốm"
    # Once the meeting has started, answers close, as in the bot.
    office.now += timedelta(days=8)
    csrf = await sign_in(client, office, "u1_0")  # the old session has long expired
    late = await client.post(own, data={"csrf": csrf, "status": "ACCEPTED"})
    assert late.status == 422 and "đã bắt đầu" in await late.text()


async def test_board_counts_the_governments_categories(client: Client, office: Office) -> None:
    await sign_in(client, office, "chair")
    html = await (await client.get("/tasks")).text()
    assert "Chưa hoàn thành, quá hạn: 1" in html
    assert "Đang thực hiện, còn trong hạn: 2" in html
    assert "Hoàn thành quá hạn: 1" in html and "Hoàn thành đúng hạn: 1" in html
    assert "Ban Chỉ đạo khác" not in html
    overdue = await (await client.get("/tasks?category=overdue")).text()
    assert "Nhiệm vụ overdue" in overdue and "Nhiệm vụ open" not in overdue
    assert "Chỉ nhiệm vụ quá hạn" in overdue

    await sign_in(client, office, "u1_0")  # a participant sees their own unit's tasks
    own = await (await client.get("/tasks")).text()
    assert "Nhiệm vụ overdue" in own and "Nhiệm vụ late" not in own
    assert "Nhiệm vụ của Ban Chỉ đạo khác" not in own


async def test_board_pages_a_long_list_and_counts_every_task(
    client: Client, office: Office, now: datetime
) -> None:
    # A page's worth more overdue tasks, due between the fixture's "overdue" and "asks".
    today = now.astimezone(VN).date()
    engine = make_async_engine(office.url)
    try:
        async with make_async_sessionmaker(engine).begin() as s:
            for n in range(BOARD_PAGE):
                await create_task(
                    s,
                    meeting_id=office.past_meeting,
                    unit_id=office.units["u1_0"],
                    assignee_text="Đơn vị u1_0",
                    action=f"Việc thêm số {n:03d}",
                    deadline_date=today - timedelta(days=1),
                    now=now - timedelta(days=30),
                )
    finally:
        await engine.dispose()
    total = BOARD_PAGE + 5
    await sign_in(client, office, "chair")

    first = await (await client.get("/tasks")).text()
    assert "Chưa hoàn thành, quá hạn: 201" in first  # counted over both pages
    assert "Đang thực hiện, còn trong hạn: 2" in first
    assert "Hoàn thành quá hạn: 1" in first and "Hoàn thành đúng hạn: 1" in first
    assert f"Trang 1/2 ({total} nhiệm vụ)" in first
    assert '<a href="/tasks?page=2">2</a>' in first and "<strong>1</strong>" in first
    assert first.count('<tr id="task-') == BOARD_PAGE
    assert "Nhiệm vụ late" in first and "Việc thêm số 197" in first
    assert "Việc thêm số 198" not in first and "Nhiệm vụ open" not in first

    second = await (await client.get("/tasks?page=2")).text()
    assert "Chưa hoàn thành, quá hạn: 201" in second
    assert f"Trang 2/2 ({total} nhiệm vụ)" in second and '<a href="/tasks?page=1">1</a>' in second
    assert second.count('<tr id="task-') == 5
    for shown in ("Việc thêm số 198", "Việc thêm số 199", "Nhiệm vụ asks", "Nhiệm vụ open"):
        assert shown in second
    assert "Việc thêm số 000" not in second and "Nhiệm vụ late" not in second
    assert (await (await client.get("/tasks?page=99")).text()).count('<tr id="task-') == 5

    # The filter stays in the page links, and the pages are of the filtered tasks.
    overdue = await (await client.get("/tasks?category=overdue&page=2")).text()
    assert "Trang 2/2 (201 nhiệm vụ)" in overdue
    assert '<a href="/tasks?category=overdue&amp;page=1">1</a>' in overdue
    assert overdue.count('<tr id="task-') == 1 and "Việc thêm số 199" in overdue


async def test_unit_moves_its_task_and_the_secretariat_decides(
    client: Client, office: Office
) -> None:
    csrf = await sign_in(client, office, "u1_0")
    task_id = office.tasks["overdue"]
    await client.post(f"/tasks/{task_id}/progress", data={"csrf": csrf})
    task = await _load(office, Task, task_id)
    assert isinstance(task, Task) and task.status == TaskStatus.IN_PROGRESS
    new = date(2026, 12, 20)
    no_reason = await client.post(
        f"/tasks/{task_id}/extend", data={"csrf": csrf, "deadline": new.isoformat()}
    )
    assert no_reason.status == 422 and "lý do" in await no_reason.text()
    await client.post(
        f"/tasks/{task_id}/extend",
        data={"csrf": csrf, "deadline": new.isoformat(), "reason": "Chờ ý kiến bộ"},
    )
    task = await _load(office, Task, task_id)
    assert isinstance(task, Task) and task.status == TaskStatus.EXTENSION_REQUESTED

    csrf = await sign_in(client, office, "secretary")
    board = await (await client.get("/tasks")).text()
    assert "Đồng ý gia hạn" in _row(board, f"task-{task_id}")
    await client.post(f"/tasks/{task_id}/decide", data={"csrf": csrf, "grant": "yes"})
    task = await _load(office, Task, task_id)
    assert isinstance(task, Task)
    assert task.status == TaskStatus.IN_PROGRESS and task.deadline_date == new
    # A move the state machine refuses is refused here too, with the bot's words.
    again = await client.post(f"/tasks/{task_id}/decide", data={"csrf": csrf, "grant": "no"})
    assert again.status == 422 and "không có đề nghị gia hạn" in await again.text()

    engine = make_async_engine(office.url)
    async with make_async_sessionmaker(engine)() as session:
        actions = list(
            await session.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == task_id))
        )
    await engine.dispose()
    assert {"task.progress", "task.extension_requested", "task.extension_granted"} <= set(actions)
    assert office.now.astimezone(VN).date() == date(2026, 11, 26)


async def test_each_invited_person_is_counted_once(client: Client, office: Office) -> None:
    await sign_in(client, office, "secretary")
    api = await (await client.get(f"/api/meetings/{office.meeting}/attendance")).json()
    invited = sum(len(point["people"]) for point in api["points"])
    columns = ("NEEDS-ACTION", "ACCEPTED", "DECLINED", "DELEGATED", "never_received")
    assert sum(api["totals"][c] for c in columns) == invited
    assert api["totals"]["never_received"] == 1


async def test_coordinator_reports_readiness_and_calls_the_roll(
    client: Client, office: Office
) -> None:
    csrf = await sign_in(client, office, "coord1")
    page = f"/meetings/{office.meeting}"
    html = await (await client.get(page)).text()
    assert f"/points/{office.points['p1']}/readiness" in html
    assert f"/points/{office.points['p0']}/readiness" not in html  # not their point
    readiness = f"{page}/points/{office.points['p1']}/readiness"
    bare = await client.post(readiness, data={"csrf": csrf, "state": "problem"})
    assert bare.status == 422 and "mô tả sự cố" in await bare.text()
    fixed = await client.post(readiness, data={"csrf": csrf, "state": "ready"})
    assert "sẵn sàng" in await fixed.text()
    invitation = office.invitations["u1_0"]
    marked = await client.post(f"{page}/presence/{invitation}", data={"csrf": csrf, "present": "1"})
    assert "có mặt" in _row(await marked.text(), f"inv-{invitation}")
    stored = await _load(office, Invitation, invitation)
    assert isinstance(stored, Invitation) and stored.present is True
    engine = make_async_engine(office.url)
    async with make_async_sessionmaker(engine)() as session:
        actions = set(await session.scalars(select(AuditEntry.action)))
    await engine.dispose()
    assert {"meeting.readiness", "invitation.presence", "web.sign_in"} <= actions


async def test_month_calendar_puts_meetings_on_their_day(client: Client, office: Office) -> None:
    await sign_in(client, office, "chair")
    december = await (await client.get("/?month=2026-12")).text()
    calendar = december.split('id="month"')[1]
    assert "Tháng 12/2026" in calendar and "09:00 Phiên họp lần thứ 3" in calendar
    assert f"/meetings/{office.meeting}" in calendar  # 3 December
    assert f"/meetings/{office.past_meeting}" not in calendar  # held on 3 November
    november = (await (await client.get("/?month=rubbish")).text()).split('id="month"')[1]
    assert "Tháng 11/2026" in november  # nonsense shows this month
    assert f"/meetings/{office.past_meeting}" in november
    assert f"/meetings/{office.meeting}" not in november
