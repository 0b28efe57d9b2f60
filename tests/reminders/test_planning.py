"""Planning: each kind at its moment, working days across Tết, moved and cancelled meetings."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AnswerStatus, Invitation, Readiness, Task, TaskStatus
from storage.services.invitations import answer_invitation, invite_points
from storage.services.meetings import cancel_meeting, reschedule_meeting, set_point_readiness
from storage.services.reminders import (
    ReminderKind,
    ReminderPolicy,
    digest_moment_on_or_before,
    next_working_day,
    plan_meeting,
    task_reminders,
    working_days_before,
)
from tests.storage.factories import make_committee, make_meeting

VN = ZoneInfo("Asia/Ho_Chi_Minh")
POLICY = ReminderPolicy()


def vn(*args: int) -> datetime:
    return datetime(*args, tzinfo=VN).astimezone(UTC)


def test_working_days_skip_weekends_and_tet() -> None:
    # Tết Đinh Mùi: 4 to 10 February 2027 are holidays (Thursday to Wednesday).
    assert working_days_before(date(2027, 2, 12), 1) == date(2027, 2, 11)
    assert working_days_before(date(2027, 2, 12), 3) == date(2027, 2, 2)
    assert next_working_day(date(2027, 2, 3)) == date(2027, 2, 11)
    assert next_working_day(date(2027, 4, 29)) == date(2027, 5, 4)  # 30/4, 1/5 and 3/5 off


def _task(deadline: date, status: TaskStatus = TaskStatus.ASSIGNED) -> Task:
    return Task(id=5, status=status, deadline_date=deadline, assignee_text="Sở KH&ĐT", action="x")


def test_a_task_due_after_tet_is_chased_on_working_days() -> None:
    plan = task_reminders(
        _task(date(2027, 2, 12)),
        policy=POLICY,
        assignees=[7, 8],
        chair_id=1,
        since=vn(2027, 1, 1),
        until=vn(2027, 3, 1, 8),
    )
    moments = [(r.kind, r.moment) for r in plan]
    assert moments == [
        (ReminderKind.TASK_BEFORE_3WD, vn(2027, 2, 2, 8)),
        (ReminderKind.TASK_BEFORE_1WD, vn(2027, 2, 11, 8)),
        (ReminderKind.TASK_DUE_TODAY, vn(2027, 2, 12, 8)),
        (ReminderKind.TASK_OVERDUE, vn(2027, 2, 15, 8)),  # the next working day after
        (ReminderKind.TASK_ESCALATION, vn(2027, 2, 17, 8)),  # five days overdue
        (ReminderKind.TASK_OVERDUE, vn(2027, 2, 22, 8)),  # then weekly
        (ReminderKind.TASK_OVERDUE, vn(2027, 3, 1, 8)),
    ]
    assert {r.recipients for r in plan if r.kind != ReminderKind.TASK_ESCALATION} == {(7, 8)}
    assert next(r for r in plan if r.kind == ReminderKind.TASK_ESCALATION).recipients == (1,)
    # A late "three days left" makes sense until the "one day left" takes over.
    first = plan[0]
    assert first.makes_sense(vn(2027, 2, 10, 9)) and not first.makes_sense(vn(2027, 2, 11, 8))


def test_escalation_is_configurable_and_done_tasks_are_not_chased() -> None:
    policy = POLICY.replace(escalate_after_days=10)
    plan = task_reminders(
        _task(date(2027, 2, 12)),
        policy=policy,
        assignees=[7],
        chair_id=1,
        since=vn(2027, 1, 1),
        until=vn(2027, 3, 1),
    )
    escalation = next(r for r in plan if r.kind == ReminderKind.TASK_ESCALATION)
    assert escalation.moment == vn(2027, 2, 22, 8)
    for status in (TaskStatus.DONE, TaskStatus.CANCELLED):
        done = _task(date(2027, 2, 12), status)
        kwargs = {"assignees": [7], "chair_id": 1, "since": vn(2027, 1, 1)}
        assert task_reminders(done, policy=policy, until=vn(2027, 3, 1), **kwargs) == []  # type: ignore[arg-type]


def test_no_reminder_before_the_task_was_given() -> None:
    plan = task_reminders(
        _task(date(2027, 2, 12)),
        policy=POLICY,
        assignees=[7],
        chair_id=None,
        since=vn(2027, 2, 11, 10),
        until=vn(2027, 2, 16),
    )
    assert [r.kind for r in plan] == [ReminderKind.TASK_DUE_TODAY, ReminderKind.TASK_OVERDUE]


def test_the_digest_is_on_monday_at_eight() -> None:
    assert digest_moment_on_or_before(vn(2027, 3, 3, 12), POLICY) == vn(2027, 3, 1, 8)
    assert digest_moment_on_or_before(vn(2027, 3, 1, 7, 59), POLICY) == vn(2027, 2, 22, 8)
    assert digest_moment_on_or_before(vn(2027, 3, 1, 8), POLICY) == vn(2027, 3, 1, 8)


async def test_meeting_reminders_follow_answers_moves_and_cancelling(
    db: AsyncSession, now: datetime
) -> None:
    seed = await make_committee(db, points=2, per_point=2)
    meeting = await make_meeting(db, seed, now=now, starts_in=timedelta(days=5))
    await invite_points(db, meeting.id, now=now)
    invitations = {
        inv.person_id: inv
        for inv in await db.scalars(select(Invitation).where(Invitation.meeting_id == meeting.id))
    }
    ids = seed.person_ids
    await answer_invitation(db, invitations[ids["u0_0"]].id, status=AnswerStatus.ACCEPTED, now=now)
    await answer_invitation(
        db, invitations[ids["u1_0"]].id, status=AnswerStatus.DECLINED, now=now, reason="Bận"
    )
    await set_point_readiness(
        db,
        meeting_id=meeting.id,
        point_id=seed.point_ids["p1"],
        readiness=Readiness.READY,
        by_id=ids["coord1"],
        now=now,
    )
    start = meeting.starts_at
    plan = {r.kind: r for r in await plan_meeting(db, meeting.id)}
    silent = tuple(
        sorted(p for p, inv in invitations.items() if p not in (ids["u0_0"], ids["u1_0"]))
    )
    assert plan[ReminderKind.MEETING_NO_ANSWER_2D].moment == start - timedelta(days=2)
    assert plan[ReminderKind.MEETING_NO_ANSWER_2D].recipients == silent
    assert plan[ReminderKind.MEETING_NO_ANSWER_1D].recipients == silent
    assert plan[ReminderKind.MEETING_DAY_BEFORE].moment == start - timedelta(days=1)
    assert plan[ReminderKind.MEETING_DAY_BEFORE].recipients == (ids["u0_0"],)
    assert plan[ReminderKind.MEETING_HOUR_BEFORE].moment == start - timedelta(hours=1)
    assert plan[ReminderKind.MEETING_HOUR_BEFORE].recipients == tuple(
        sorted((*silent, ids["u0_0"]))
    )
    confirm = plan[ReminderKind.MEETING_CONFIRM_POINT]
    assert confirm.moment == start - timedelta(minutes=30)
    assert confirm.recipients == (ids["coord0"],)  # point 1 already confirmed
    assert not confirm.makes_sense(start)  # a reminder after the start makes no sense

    moved_to = start + timedelta(days=3)
    await reschedule_meeting(db, meeting.id, starts_at=moved_to, now=now)
    moved = {r.kind: r.moment for r in await plan_meeting(db, meeting.id)}
    assert moved[ReminderKind.MEETING_DAY_BEFORE] == moved_to - timedelta(days=1)

    await cancel_meeting(db, meeting.id, reason="Lùi họp", now=now)
    assert await plan_meeting(db, meeting.id) == []
