"""The scheduler end to end: real PTB, the fake Bot API over HTTP, an injected clock."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

from sqlalchemy import select

from bot.reminders import (
    hooks,
    run_due,
    stop_scheduler,
    sync_meeting_reminders,
    sync_task_reminders,
)
from storage.models import AnswerStatus, Invitation, NotificationState
from storage.services.invitations import answer_invitation, invite_points
from storage.services.meetings import cancel_meeting
from storage.services.tasks import complete_task, create_task, decide_extension, request_extension
from tests.reminders.conftest import ONE_MINUTE, World, vn
from tests.storage.factories import make_meeting

START = vn(2027, 3, 10, 9)  # a Wednesday


async def _meeting(
    w: World, *, accept: tuple[str, ...] = ("u0_0",), decline: tuple[str, ...] = ("u1_0",)
) -> int:
    assert w.seed is not None
    now = w.clock()
    async with w.sessions.begin() as session:
        meeting = await make_meeting(session, w.seed, now=now, starts_in=START - now)
        await invite_points(session, meeting.id, now=now)
        invitations = await session.scalars(
            select(Invitation).where(Invitation.meeting_id == meeting.id)
        )
        by_person = {inv.person_id: inv for inv in invitations}
        for key in accept:
            inv = by_person[w.seed.person_ids[key]]
            await answer_invitation(session, inv.id, status=AnswerStatus.ACCEPTED, now=now)
        for key in decline:
            inv = by_person[w.seed.person_ids[key]]
            await answer_invitation(
                session, inv.id, status=AnswerStatus.DECLINED, now=now, reason="Đi công tác"
            )
        return meeting.id


async def _task(w: World, deadline: date, *, unit: str = "ĐV1") -> int:
    from storage.models import Unit

    async with w.sessions.begin() as session:
        meeting_id = await session.scalar(select(Invitation.meeting_id).limit(1))
        unit_id = await session.scalar(select(Unit.id).where(Unit.short_name == unit))
        task = await create_task(
            session,
            assignee_text="Đơn vị 1",
            action="Hoàn thiện báo cáo quy hoạch",
            now=w.clock(),
            meeting_id=meeting_id,
            unit_id=unit_id,
            deadline_date=deadline,
        )
        return task.id


async def test_each_meeting_reminder_goes_at_its_moment_to_the_right_people(sworld: World) -> None:
    w = sworld
    meeting_id = await _meeting(w)
    scheduler = await w.scheduler()
    await sync_meeting_reminders(scheduler, meeting_id)
    planned = sorted(r.kind.value for r in await scheduler.planned("meeting:"))
    assert planned == [
        "meeting.confirm_point",
        "meeting.day_before",
        "meeting.hour_before",
        "meeting.no_answer_1d",
        "meeting.no_answer_2d",
    ]

    w.clock.set(START - timedelta(days=2) - ONE_MINUTE)
    await run_due(scheduler)  # (Monday's digest goes to the chair at 08:00; it is due)
    assert not [n for n in await w.log() if n.kind.startswith("meeting.")]
    w.clock.set(START - timedelta(days=2))
    await run_due(scheduler)
    assert w.texts("u0_1")[-1].startswith("NHẮC XÁC NHẬN THAM DỰ")  # has not answered
    assert "sau 2 ngày nữa" in w.texts("u0_1")[-1]
    assert "Điểm cầu của đồng chí: Điểm cầu 0" in w.texts("u0_1")[-1]
    assert w.server.messages(w.chat("u0_1"))[-1].button("Tham dự")
    assert w.texts("u0_0") == [] and w.texts("u1_0") == []  # accepted / declined

    w.clock.set(START - timedelta(days=1))
    await run_due(scheduler)
    assert w.texts("u0_0")[-1].startswith("NHẮC LỊCH HỌP NGÀY MAI")
    assert "ngày mai" in w.texts("u0_1")[-1]
    assert w.texts("u1_0") == []

    w.clock.set(START - timedelta(hours=1))
    await run_due(scheduler)
    assert w.texts("u0_0")[-1].startswith("PHIÊN HỌP BẮT ĐẦU SAU 1 GIỜ")
    assert w.texts("u0_1")[-1].startswith("PHIÊN HỌP BẮT ĐẦU SAU 1 GIỜ")
    assert w.texts("u1_0") == []

    w.clock.set(START - timedelta(minutes=30))
    await run_due(scheduler)
    confirm = w.server.messages(w.chat("coord0"))[-1]
    assert confirm.text is not None and confirm.text.startswith("KIỂM TRA ĐƯỜNG TRUYỀN")
    assert confirm.button("Điểm cầu sẵn sàng")
    assert w.texts("u0_0")[-1].startswith("PHIÊN HỌP")  # coordinators only
    assert [n.kind for n in await w.log()].count("meeting.confirm_point") == 2  # two points
    assert (await run_due(scheduler)).sent == 0  # nothing left


async def test_tasks_are_chased_on_working_days_across_tet_until_done(sworld: World) -> None:
    w = sworld
    await _meeting(w)
    w.clock.set(vn(2027, 1, 20, 10))
    task_id = await _task(w, date(2027, 2, 12))
    scheduler = await w.scheduler()
    await sync_task_reminders(scheduler, task_id)

    def last(key: str) -> str:
        texts = w.texts(key)
        return texts[-1] if texts else ""

    expected = [
        (vn(2027, 2, 2, 8), "còn 3 ngày làm việc"),  # Tết: 4-10 February are off
        (vn(2027, 2, 11, 8), "còn 1 ngày làm việc"),
        (vn(2027, 2, 12, 8), "hôm nay là hạn"),
        (vn(2027, 2, 15, 8), "QUÁ HẠN 3 NGÀY"),  # the next working day after
        (vn(2027, 2, 22, 8), "QUÁ HẠN 10 NGÀY"),  # then weekly
    ]
    for n, (moment, words) in enumerate(expected, start=1):
        w.clock.set(moment - ONE_MINUTE)
        await run_due(scheduler)
        assert len(w.texts("u1_1")) == n - 1, moment
        w.clock.set(moment)
        await run_due(scheduler)
        assert len(w.texts("u1_1")) == len(w.texts("coord1")) == n  # both people of the unit
        assert words in last("u1_1") and words in last("coord1")
        assert "phiên họp: Phiên họp lần thứ 3 — " in last("u1_1")  # which meeting gave it
        assert w.server.messages(w.chat("u1_1"))[-1].button("Hoàn thành")
    # The chair was told after five overdue days, on 17 February.
    [escalation] = [t for t in w.texts("chair") if "CHẬM TRỄ" in t]
    assert "quá hạn 5 ngày" in escalation

    async with w.sessions.begin() as session:
        await complete_task(session, task_id, now=vn(2027, 2, 23, 9))
    await sync_task_reminders(scheduler, task_id)
    before = len(w.texts("u1_1")) + len(w.texts("coord1")) + len(w.texts("chair"))
    w.clock.set(vn(2027, 3, 12, 8))  # a Friday: no digest either
    await run_due(scheduler)
    after = len(w.texts("u1_1")) + len(w.texts("coord1")) + len(w.texts("chair"))
    assert after == before  # completing stops the chase
    assert await scheduler.planned("task:") == []


async def test_a_moved_deadline_moves_the_reminders(sworld: World) -> None:
    w = sworld
    await _meeting(w)
    w.clock.set(vn(2027, 3, 1, 10))
    task_id = await _task(w, date(2027, 3, 19))
    scheduler = await w.scheduler()
    await sync_task_reminders(scheduler, task_id)
    async with w.sessions.begin() as session:
        await request_extension(
            session, task_id, new_deadline=date(2027, 3, 31), reason="Chờ số liệu", now=w.clock()
        )
        await decide_extension(session, task_id, grant=True, now=w.clock())
    await sync_task_reminders(scheduler, task_id)
    w.clock.set(vn(2027, 3, 19, 8))  # the old due day
    await run_due(scheduler)
    assert w.texts("u1_1") == []
    for moment in (vn(2027, 3, 26, 8), vn(2027, 3, 30, 8), vn(2027, 3, 31, 8)):
        w.clock.set(moment)  # 3 and 1 working days before the new deadline, then the day
        await run_due(scheduler)
    assert ["hôm nay là hạn" in t for t in w.texts("u1_1")] == [False, False, True]


async def test_a_cancelled_meeting_sends_nothing_even_from_a_stale_job(sworld: World) -> None:
    w = sworld
    meeting_id = await _meeting(w)
    scheduler = await w.scheduler()
    await sync_meeting_reminders(scheduler, meeting_id)
    async with w.sessions.begin() as session:
        await cancel_meeting(session, meeting_id, reason="Lùi họp", now=w.clock())
    # Before the hook has run, a job firing finds the meeting cancelled and sends nothing.
    w.clock.set(START - timedelta(days=2))
    await run_due(scheduler)  # (Monday's digest is due and goes to the chair)
    assert not [n for n in await w.log() if n.kind.startswith("meeting.")]
    on_meeting_changed, _ = hooks(scheduler)  # as the bot's handlers call it
    await on_meeting_changed(meeting_id)
    assert await scheduler.planned("meeting:") == []
    w.clock.set(START)
    await run_due(scheduler)
    assert not [n for n in await w.log() if n.kind.startswith("meeting.")]
    assert w.texts("u0_0") == w.texts("u0_1") == w.texts("coord0") == []


async def test_a_restart_between_the_moment_and_the_send_sends_exactly_once(world: World) -> None:
    w = world
    meeting_id = await _meeting(w)
    first = await w.scheduler()
    await sync_meeting_reminders(first, meeting_id)
    await stop_scheduler(first)  # the process goes down before the day-before reminder

    w.clock.set(START - timedelta(days=1) + timedelta(hours=3))  # back up three hours late
    second = await w.scheduler()  # catches up at start
    await run_due(second)  # and the stale job fires as well
    third = await w.scheduler()  # even a third start sends nothing new
    await run_due(third)
    assert len(w.texts("u0_0")) == 1 and w.texts("u0_0")[0].startswith("NHẮC LỊCH HỌP NGÀY MAI")
    assert len(w.texts("u0_1")) == 1 and "ngày mai" in w.texts("u0_1")[0]
    log = await w.log()
    # The two-day reminder passed while down and the one-day took over: dropped, logged.
    dropped = [n for n in log if n.state == NotificationState.DROPPED and n.kind != "digest.weekly"]
    assert {n.kind for n in dropped} == {"meeting.no_answer_2d"}
    assert all(
        n.kind != "meeting.no_answer_2d" or n.state == NotificationState.DROPPED for n in log
    )


async def test_two_schedulers_on_one_database_send_exactly_once(world: World) -> None:
    w = world
    meeting_id = await _meeting(w)
    a = await w.scheduler()
    b = await w.scheduler()
    await asyncio.gather(
        sync_meeting_reminders(a, meeting_id), sync_meeting_reminders(b, meeting_id)
    )
    w.clock.set(START - timedelta(hours=1))
    reports = await asyncio.gather(
        run_due(a), run_due(b), a.service.catch_up(), b.service.catch_up()
    )
    log = await w.log()
    sent = [n for n in log if n.state == NotificationState.SENT]
    assert sum(r.sent for r in reports) == len(sent) == w.sent_count()
    assert sendmessage_calls(w) == len(sent)  # not a single second attempt reached Telegram
    invited = {"chair", "u0_0", "u0_1", "coord0", "u1_1", "coord1", "secretary"} - {"u1_0"}
    hour = sorted(n.recipient for n in sent if n.kind == "meeting.hour_before")
    assert len(hour) == len(set(hour))
    for key in ("u0_0", "u0_1", "u1_1"):
        assert len(w.texts(key)) == 1 and w.texts(key)[0].startswith("PHIÊN HỌP BẮT ĐẦU")
    assert w.texts("u1_0") == []  # declined
    assert {n.kind for n in log if n.state == NotificationState.DROPPED} <= {
        "meeting.no_answer_2d",
        "meeting.no_answer_1d",
        "meeting.day_before",
        "digest.weekly",
    }
    assert invited


def sendmessage_calls(w: World) -> int:
    return sum(1 for name, _ in w.server.calls if name.lower() == "sendmessage")


async def test_people_invited_after_the_plan_are_reminded_all_the_same(sworld: World) -> None:
    w = sworld
    assert w.seed is not None
    now = w.clock()
    async with w.sessions.begin() as session:
        meeting = await make_meeting(session, w.seed, now=now, starts_in=START - now)
    scheduler = await w.scheduler()
    await sync_meeting_reminders(scheduler, meeting.id)  # nobody is invited yet
    async with w.sessions.begin() as session:
        await invite_points(session, meeting.id, now=w.clock())  # and no hook is called
    w.clock.set(START - timedelta(days=2))
    await run_due(scheduler)
    assert "sau 2 ngày nữa" in w.texts("u0_1")[0]
