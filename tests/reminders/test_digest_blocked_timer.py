"""The weekly digest against a hand-computed week; a recipient who blocked the bot; the loop
waking by itself at the next due moment; a passing failure retried after its pause."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from bot.outbox import FIRST_PAUSE
from bot.reminders import resume, run_due, sync_meeting_reminders
from storage.models import AnswerStatus, Invitation, NotificationState, TaskStatus, Unit
from storage.services.invitations import answer_invitation, invite_points, mark_presence
from storage.services.meetings import cancel_meeting
from storage.services.reminders import ReminderPolicy, weekly_digest
from storage.services.tasks import Category, change_status, complete_task, create_task
from tests.reminders.conftest import World, vn
from tests.reminders.test_scheduler import START, _meeting, sendmessage_calls
from tests.storage.factories import make_meeting

MONDAY = vn(2027, 3, 15, 8)


async def _week(w: World) -> int:
    """Two meetings in the week before Monday 15 March 2027, one cancelled, one the week
    before; six tasks. Returns the committee's id."""
    assert w.seed is not None
    ids = w.seed.person_ids
    created = vn(2027, 3, 1, 9)
    async with w.sessions.begin() as session:

        async def meeting(starts: datetime) -> dict[str, Invitation]:
            m = await make_meeting(session, w.seed, now=created, starts_in=starts - created)  # type: ignore[arg-type]
            await invite_points(session, m.id, now=created)
            rows = await session.scalars(select(Invitation).where(Invitation.meeting_id == m.id))
            by_key = {k: None for k in ids}
            people = {inv.person_id: inv for inv in rows}
            return {
                k: people[pid] for k, pid in ids.items() if pid in people and by_key is not None
            }

        a = await meeting(vn(2027, 3, 10, 9))
        await answer_invitation(session, a["u0_0"].id, status=AnswerStatus.ACCEPTED, now=created)
        await answer_invitation(
            session, a["u1_0"].id, status=AnswerStatus.DECLINED, now=created, reason="Ốm"
        )
        for key in ("u0_0", "chair"):
            await mark_presence(session, a[key].id, present=True, by_id=ids["coord0"], now=created)
        b = await meeting(vn(2027, 3, 12, 14))
        await answer_invitation(session, b["u0_1"].id, status=AnswerStatus.ACCEPTED, now=created)
        await answer_invitation(
            session,
            b["u1_1"].id,
            status=AnswerStatus.DELEGATED,
            now=created,
            delegate_name="Lê Văn Thay",
        )
        await mark_presence(session, b["u0_1"].id, present=True, by_id=ids["coord0"], now=created)
        c = await meeting(vn(2027, 3, 11, 9))  # cancelled: not counted
        await answer_invitation(session, c["u0_0"].id, status=AnswerStatus.ACCEPTED, now=created)
        await cancel_meeting(session, c["u0_0"].meeting_id, reason="Hoãn", now=created)
        d = await meeting(vn(2027, 3, 5, 9))  # the week before: not counted
        await answer_invitation(session, d["u0_0"].id, status=AnswerStatus.ACCEPTED, now=created)

        units = {u.short_name: u.id for u in await session.scalars(select(Unit))}
        meeting_id = a["u0_0"].meeting_id

        async def task(unit: str, deadline: date | None) -> int:
            t = await create_task(
                session,
                assignee_text=unit,
                action="Việc",
                now=created,
                meeting_id=meeting_id,
                unit_id=units[unit],
                deadline_date=deadline,
            )
            return t.id

        on_time = await task("ĐV0", date(2027, 3, 5))
        await complete_task(session, on_time, now=vn(2027, 3, 4, 16))
        late = await task("ĐV0", date(2027, 3, 5))
        await complete_task(session, late, now=vn(2027, 3, 8, 10))
        await task("ĐV1", date(2027, 3, 20))  # open, in time
        await task("ĐV1", date(2027, 3, 12))  # overdue
        await task("ĐV1", None)  # no date: in time
        cancelled = await task("ĐV1", date(2027, 3, 1))
        await change_status(session, cancelled, TaskStatus.CANCELLED, now=created)
        return w.seed.committee.id


async def test_the_digest_counts_match_a_hand_computed_week(sworld: World) -> None:
    w = sworld
    committee_id = await _week(w)
    async with w.sessions() as session:
        digest = await weekly_digest(session, committee_id, moment=MONDAY, policy=ReminderPolicy())
    assert digest.tasks.total == {
        Category.DONE_ON_TIME: 1,
        Category.DONE_LATE: 1,
        Category.OPEN_IN_TIME: 2,
        Category.OVERDUE: 1,
    }
    assert digest.unit_counts("ĐV0") == {
        Category.DONE_ON_TIME: 1,
        Category.DONE_LATE: 1,
        Category.OPEN_IN_TIME: 0,
        Category.OVERDUE: 0,
    }
    assert digest.unit_counts("ĐV1")[Category.OPEN_IN_TIME] == 2
    assert digest.unit_counts("ĐV1")[Category.OVERDUE] == 1
    assert len(digest.meetings) == 2
    [p0, p1] = digest.attendance
    # Point 0 seats the chair, the secretary, its coordinator and two participants: 5 a meeting.
    assert (p0.point, p0.invited, p0.accepted, p0.declined, p0.delegated) == (
        "Điểm cầu 0",
        10,
        2,
        0,
        0,
    )
    assert (p0.no_answer, p0.present) == (8, 3)
    assert (p1.invited, p1.accepted, p1.declined, p1.delegated, p1.no_answer, p1.present) == (
        6,
        0,
        1,
        1,
        4,
        0,
    )

    # And it goes to the leadership on Monday at 08:00.
    w.clock.set(MONDAY - timedelta(days=1))
    scheduler = await w.scheduler()
    w.clock.set(MONDAY)
    await run_due(scheduler)
    [text] = w.texts("chair")
    assert text.startswith("BÁO CÁO TUẦN")
    assert "Tuần từ 08/03/2027 đến 14/03/2027" in text
    assert "Hoàn thành đúng hạn: 1" in text and "Chưa hoàn thành, quá hạn: 1" in text
    assert "– ĐV1: trong hạn 2, quá hạn 1" in text
    assert (
        "Điểm cầu 0: mời 10, tham dự 2, cử người thay 0, vắng 0, chưa trả lời 8; có mặt 3" in text
    )
    assert w.texts("u0_0") == []  # leadership only


async def test_a_recipient_who_blocked_the_bot_is_recorded_and_not_chased(sworld: World) -> None:
    w = sworld
    meeting_id = await _meeting(w)
    w.server.blocked.add(w.chat("u0_1"))
    scheduler = await w.scheduler()
    await sync_meeting_reminders(scheduler, meeting_id)
    for moment in (
        START - timedelta(days=2),
        START - timedelta(days=1),
        START - timedelta(hours=1),
    ):
        w.clock.set(moment)
        await run_due(scheduler)
    rows = [n for n in await w.log() if n.recipient == f"person:{w.seed.person_ids['u0_1']}"]  # type: ignore[union-attr]
    assert [(n.kind, n.state) for n in rows] == [
        ("meeting.no_answer_2d", NotificationState.BLOCKED),
        ("meeting.no_answer_1d", NotificationState.BLOCKED),
        ("meeting.hour_before", NotificationState.BLOCKED),
    ]
    calls = [p for name, p in w.server.calls if name.lower() == "sendmessage"]
    assert sum(1 for p in calls if int(p["chat_id"]) == w.chat("u0_1")) == 1  # tried once only
    assert len(w.texts("u1_1")) == 3  # the others are reminded as usual
    assert (
        sendmessage_calls(w)
        == sum(1 for n in await w.log() if n.state == NotificationState.SENT) + 1
    )


async def test_the_loop_wakes_by_itself_at_the_next_due_moment(sworld: World) -> None:
    w = sworld
    meeting_id = await _meeting(w)
    moment = START - timedelta(hours=1)
    w.clock.run_from(moment - timedelta(seconds=1.5))  # the clock ticks: due in 1.5 s
    scheduler = await w.scheduler()  # its catch-up writes the day-before reminder
    await sync_meeting_reminders(scheduler, meeting_id)
    assert scheduler.next_wake() == moment
    resume(scheduler)  # the loop and the sender run by themselves from here
    await w.server.wait_for(
        lambda: len(w.texts("u0_0")) == 2, timeout=10, what="the hour-before reminder"
    )
    assert w.clock() >= moment  # not a moment early
    assert w.texts("u0_0")[0].startswith("NHẮC LỊCH HỌP NGÀY MAI")
    assert w.texts("u0_0")[1].startswith("PHIÊN HỌP BẮT ĐẦU SAU 1 GIỜ")
    assert scheduler.next_wake() > moment  # and it now sleeps until the next one


async def test_a_passing_failure_is_retried_and_sent_once(sworld: World) -> None:
    from tests.fakebotapi import ApiError

    w = sworld
    meeting_id = await _meeting(w)
    scheduler = await w.scheduler()
    await sync_meeting_reminders(scheduler, meeting_id)
    real_send = w.server._api_sendmessage
    failures = {w.chat("u0_0"): 1}

    async def flaky(params: dict[str, object], uploads: dict[str, bytes]) -> dict[str, object]:
        chat = int(str(params["chat_id"]))
        if failures.get(chat):
            failures[chat] -= 1
            raise ApiError(502, "Bad Gateway")
        return await real_send(params, uploads)  # type: ignore[arg-type]

    w.server._api_sendmessage = flaky  # type: ignore[method-assign]
    w.clock.set(START - timedelta(hours=1))
    first = await run_due(scheduler)
    assert first.counts.get("retry") == 1 and w.texts("u0_0") == []
    assert w.texts("u0_1")  # the others went at once
    await run_due(scheduler)  # its pause has not passed: not yet
    assert w.texts("u0_0") == []
    w.clock.set(START - timedelta(hours=1) + FIRST_PAUSE)
    await run_due(scheduler)
    assert len(w.texts("u0_0")) == 1
    await run_due(scheduler)
    assert len(w.texts("u0_0")) == 1 and len(w.texts("u0_1")) == 1
