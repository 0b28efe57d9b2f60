"""Planning every reminder and report: what is due, when, to whom (nhắc việc, báo cáo).

Planning is pure: given a meeting or a task (loaded with what it needs) and the policy, the
functions here return ``Reminder`` values; no clock is read and nothing is sent. The loaders at
the end read what the planning needs from the database.

Meetings (only while planned):
- two days before: those who have not answered (NEEDS-ACTION);
- one day before: those who accepted, and, with the answer buttons, those who have not answered;
- one hour before: those who accepted or have not answered;
- thirty minutes before: each point's coordinator whose point is not confirmed yet.

Tasks (while open, with a known due day), at 08:00 in the office's zone:
- three working days and one working day before the due day; on the due day;
- the next working day after it, then every week while the task stays open;
- after ``escalate_after_days`` overdue days (on the next working day), the meeting's chair.

The weekly digest: Monday 08:00 to the committee's leadership.

Every kind is planned even while it has nobody to go to (no invitation sent yet, nobody in
the unit): the recipients are worked out again when its moment comes.

A reminder planned for a moment before the plan's ``since`` (the meeting was created or moved,
the task given or its deadline changed, after that moment) is never planned: nobody gets a
"three working days left" for a task given yesterday with a deadline tomorrow. A reminder's
``expires`` is when it stops making sense (the meeting started, a later reminder of the same
chase took over): one found late (the process was down at its moment) is sent if ``expires``
has not passed, otherwise dropped.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.models import (
    AnswerStatus,
    Committee,
    Invitation,
    Meeting,
    MeetingPoint,
    MeetingStatus,
    Membership,
    Person,
    Point,
    Readiness,
    Role,
    Task,
    TaskEventKind,
)
from storage.services.loading import load_one
from storage.services.notifications import NotificationKey, person_recipient
from storage.services.tasks import OPEN_TASK, Category, TaskStatistics, due_date, task_statistics
from vnadmin.workdays import next_working_day, working_day_on_or_after, working_days_before


class ReminderKind(StrEnum):
    MEETING_NO_ANSWER_2D = "meeting.no_answer_2d"
    MEETING_NO_ANSWER_1D = "meeting.no_answer_1d"
    MEETING_DAY_BEFORE = "meeting.day_before"
    MEETING_HOUR_BEFORE = "meeting.hour_before"
    MEETING_CONFIRM_POINT = "meeting.confirm_point"
    TASK_BEFORE_3WD = "task.before_3wd"
    TASK_BEFORE_1WD = "task.before_1wd"
    TASK_DUE_TODAY = "task.due_today"
    TASK_OVERDUE = "task.overdue"
    TASK_ESCALATION = "task.escalation"
    WEEKLY_DIGEST = "digest.weekly"


@dataclass(frozen=True, slots=True)
class ReminderPolicy:
    """When things are sent; change with ``dataclasses.replace``."""

    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Ho_Chi_Minh"))
    task_time: time = time(8, 0)  # task reminders go at 08:00 local
    escalate_after_days: int = 5  # the chair is told after this many overdue days
    overdue_every: timedelta = timedelta(weeks=1)
    digest_weekday: int = 0  # Monday
    digest_time: time = time(8, 0)
    digest_valid_for: timedelta = timedelta(days=1)  # a late digest is sent until Tuesday 08:00
    # How far ahead repeating reminders (weekly overdue) are planned; a daily sweep extends it.
    horizon: timedelta = timedelta(days=8)

    def replace(self, **changes: Any) -> ReminderPolicy:
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True, slots=True)
class Reminder:
    """One reminder: what, about what, at which moment (UTC), to which people."""

    kind: ReminderKind
    subject: str  # "meeting:12", "task:5", "committee:1"
    moment: datetime
    expires: datetime
    recipients: tuple[int, ...]  # person ids

    @property
    def job_id(self) -> str:
        return f"{self.subject}|{self.kind.value}|{self.moment.astimezone(UTC).isoformat()}"

    def notification_keys(self) -> list[tuple[int, NotificationKey]]:
        return [
            (
                pid,
                NotificationKey(self.kind.value, self.subject, person_recipient(pid), self.moment),
            )
            for pid in self.recipients
        ]

    def makes_sense(self, now: datetime) -> bool:
        return now < self.expires


def meeting_subject(meeting_id: int) -> str:
    return f"meeting:{meeting_id}"


def task_subject(task_id: int) -> str:
    return f"task:{task_id}"


def committee_subject(committee_id: int) -> str:
    return f"committee:{committee_id}"


def parse_subject(subject: str) -> tuple[str, int]:
    what, _, number = subject.partition(":")
    return what, int(number)


def _at(day: date, at: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


# --- meetings -----------------------------------------------------------------------------


def meeting_reminders(meeting: Meeting, *, since: datetime | None = None) -> list[Reminder]:
    """The reminders of a meeting loaded with its invitations and points (with the point).

    Nothing for a meeting that is not planned (cancelled, started, finished).
    """
    if meeting.status != MeetingStatus.PLANNED:
        return []
    start = meeting.starts_at
    subject = meeting_subject(meeting.id)
    by_status: dict[AnswerStatus, list[int]] = {s: [] for s in AnswerStatus}
    for invitation in sorted(meeting.invitations, key=lambda i: i.person_id):
        by_status[invitation.status].append(invitation.person_id)
    accepted = by_status[AnswerStatus.ACCEPTED]
    silent = by_status[AnswerStatus.NEEDS_ACTION]
    coordinators = sorted(
        {
            mp.point.coordinator_id
            for mp in meeting.points
            if mp.readiness == Readiness.UNKNOWN and mp.point.coordinator_id is not None
        }
    )
    day, hour = timedelta(days=1), timedelta(hours=1)
    plan = [
        Reminder(ReminderKind.MEETING_NO_ANSWER_2D, subject, start - 2 * day, start - day, ()),
        Reminder(ReminderKind.MEETING_NO_ANSWER_1D, subject, start - day, start - hour, ()),
        Reminder(ReminderKind.MEETING_DAY_BEFORE, subject, start - day, start - hour, ()),
        Reminder(ReminderKind.MEETING_HOUR_BEFORE, subject, start - hour, start, ()),
        Reminder(
            ReminderKind.MEETING_CONFIRM_POINT, subject, start - timedelta(minutes=30), start, ()
        ),
    ]
    recipients = {
        ReminderKind.MEETING_NO_ANSWER_2D: silent,
        ReminderKind.MEETING_NO_ANSWER_1D: silent,
        ReminderKind.MEETING_DAY_BEFORE: accepted,
        ReminderKind.MEETING_HOUR_BEFORE: sorted(accepted + silent),
        ReminderKind.MEETING_CONFIRM_POINT: coordinators,
    }
    since = since or meeting.updated_at
    return [
        dataclasses.replace(r, recipients=tuple(recipients[r.kind]))
        for r in plan
        if r.moment >= since
    ]


# --- tasks --------------------------------------------------------------------------------


def task_reminders(
    task: Task,
    *,
    policy: ReminderPolicy,
    assignees: Sequence[int],
    chair_id: int | None,
    since: datetime,
    until: datetime,
) -> list[Reminder]:
    """The chase of an open task with a due day, planned up to ``until`` (the weekly overdue
    reminders repeat for ever; the scheduler plans them a little ahead at a time)."""
    due = due_date(task, policy.tz)
    if task.status not in OPEN_TASK or due is None:
        return []
    tz, at = policy.tz, policy.task_time
    subject = task_subject(task.id)
    people = tuple(sorted(set(assignees)))
    plan: list[Reminder] = []
    before_3 = _at(working_days_before(due, 3), at, tz)
    before_1 = _at(working_days_before(due, 1), at, tz)
    on_day = _at(due, at, tz)
    day_after = _at(due + timedelta(days=1), time(0), tz)
    plan.append(Reminder(ReminderKind.TASK_BEFORE_3WD, subject, before_3, before_1, people))
    plan.append(Reminder(ReminderKind.TASK_BEFORE_1WD, subject, before_1, on_day, people))
    plan.append(Reminder(ReminderKind.TASK_DUE_TODAY, subject, on_day, day_after, people))
    for moment in _overdue_moments(due, policy, until):
        following = moment + policy.overdue_every
        plan.append(Reminder(ReminderKind.TASK_OVERDUE, subject, moment, following, people))
    if chair_id is not None:
        escalate_day = working_day_on_or_after(due + timedelta(days=policy.escalate_after_days))
        moment = _at(escalate_day, at, tz)
        plan.append(
            Reminder(
                ReminderKind.TASK_ESCALATION,
                subject,
                moment,
                moment + timedelta(days=7),
                (chair_id,),
            )
        )
    return sorted((r for r in plan if r.moment >= since), key=lambda r: r.moment)


def _overdue_moments(due: date, policy: ReminderPolicy, until: datetime) -> Iterator[datetime]:
    first = next_working_day(due)
    step = 0
    while True:
        day = working_day_on_or_after(first + step * policy.overdue_every)
        moment = _at(day, policy.task_time, policy.tz)
        if moment > until:
            return
        yield moment
        step += 1


# --- the weekly digest --------------------------------------------------------------------


def digest_moment_on_or_before(now: datetime, policy: ReminderPolicy) -> datetime:
    """The latest digest moment at or before ``now``."""
    local = now.astimezone(policy.tz)
    day = local.date() - timedelta(days=(local.weekday() - policy.digest_weekday) % 7)
    moment = _at(day, policy.digest_time, policy.tz)
    return moment if moment <= now else moment - timedelta(weeks=1)


def digest_reminder(
    committee_id: int, moment: datetime, leadership: Sequence[int], policy: ReminderPolicy
) -> Reminder | None:
    if not leadership:
        return None
    return Reminder(
        ReminderKind.WEEKLY_DIGEST,
        committee_subject(committee_id),
        moment,
        moment + policy.digest_valid_for,
        tuple(sorted(set(leadership))),
    )


@dataclass(frozen=True, slots=True)
class PointAttendance:
    """A point's figures over the week's meetings."""

    point: str
    invited: int = 0
    accepted: int = 0
    declined: int = 0
    delegated: int = 0
    no_answer: int = 0
    present: int = 0


@dataclass(frozen=True, slots=True)
class WeeklyDigest:
    """The Monday report (báo cáo tuần): tasks by category and unit, attendance by point."""

    committee: str
    week_start: date  # the Monday the reported week began
    week_end: date  # its Sunday
    meetings: tuple[str, ...]
    tasks: TaskStatistics
    attendance: tuple[PointAttendance, ...]

    @property
    def task_total(self) -> int:
        return sum(self.tasks.total.values())

    def unit_counts(self, unit: str) -> Mapping[Category, int]:
        return self.tasks.by_unit.get(unit, dict.fromkeys(Category, 0))


# --- loaders ------------------------------------------------------------------------------


async def load_meeting_for_plan(session: AsyncSession, meeting_id: int) -> Meeting | None:
    return await session.scalar(
        select(Meeting)
        .where(Meeting.id == meeting_id)
        .options(
            selectinload(Meeting.invitations),
            selectinload(Meeting.points).selectinload(MeetingPoint.point),
        )
        .execution_options(populate_existing=True)
    )


async def plan_meeting(session: AsyncSession, meeting_id: int) -> list[Reminder]:
    meeting = await load_meeting_for_plan(session, meeting_id)
    return [] if meeting is None else meeting_reminders(meeting)


async def plan_task(
    session: AsyncSession, task_id: int, *, policy: ReminderPolicy, until: datetime
) -> list[Reminder]:
    task = await session.scalar(
        select(Task)
        .where(Task.id == task_id)
        .options(selectinload(Task.events))
        .execution_options(populate_existing=True)
    )
    if task is None or task.status not in OPEN_TASK:
        return []
    assignees: list[int] = []
    if task.unit_id is not None:
        assignees = list(
            await session.scalars(select(Person.id).where(Person.unit_id == task.unit_id))
        )
    chair_id = None
    if task.meeting_id is not None:
        chair_id = await session.scalar(
            select(Meeting.chair_id).where(Meeting.id == task.meeting_id)
        )
    moved = [
        e.at
        for e in task.events
        if e.kind in (TaskEventKind.DEADLINE_CHANGED, TaskEventKind.EXTENSION_GRANTED)
    ]
    since = max([task.created_at, *moved])
    return task_reminders(
        task, policy=policy, assignees=assignees, chair_id=chair_id, since=since, until=until
    )


async def plan_digest(
    session: AsyncSession, committee_id: int, moment: datetime, policy: ReminderPolicy
) -> Reminder | None:
    leadership = await session.scalars(
        select(Membership.person_id).where(
            Membership.committee_id == committee_id, Membership.role == Role.LEADERSHIP
        )
    )
    return digest_reminder(committee_id, moment, list(leadership), policy)


async def planned_meeting_ids(session: AsyncSession, *, after: datetime) -> list[int]:
    return list(
        await session.scalars(
            select(Meeting.id)
            .where(Meeting.status == MeetingStatus.PLANNED, Meeting.starts_at > after)
            .order_by(Meeting.id)
        )
    )


async def open_task_ids(session: AsyncSession) -> list[int]:
    return list(
        await session.scalars(select(Task.id).where(Task.status.in_(OPEN_TASK)).order_by(Task.id))
    )


async def committee_ids(session: AsyncSession) -> list[int]:
    return list(await session.scalars(select(Committee.id).order_by(Committee.id)))


async def weekly_digest(
    session: AsyncSession, committee_id: int, *, moment: datetime, policy: ReminderPolicy
) -> WeeklyDigest:
    """The digest sent at ``moment``: tasks of the committee's meetings by category and unit as
    of that day; attendance by point over the meetings of the seven days before ``moment``."""
    committee = await load_one(session, Committee, committee_id)
    today = moment.astimezone(policy.tz).date()
    meeting_ids = list(
        await session.scalars(select(Meeting.id).where(Meeting.committee_id == committee_id))
    )
    stats = await task_statistics(session, today=today, tz=policy.tz, meeting_ids=meeting_ids)
    week_from = moment - timedelta(weeks=1)
    meetings = list(
        await session.scalars(
            select(Meeting)
            .where(
                Meeting.committee_id == committee_id,
                Meeting.starts_at >= week_from,
                Meeting.starts_at < moment,
                Meeting.status != MeetingStatus.CANCELLED,
            )
            .options(selectinload(Meeting.invitations).selectinload(Invitation.point))
            .order_by(Meeting.starts_at)
        )
    )
    figures: dict[int, dict[str, int]] = {}
    names: dict[int, tuple[int, str]] = {}
    for meeting in meetings:
        for inv in meeting.invitations:
            point: Point = inv.point
            names[point.id] = (point.position, point.name)
            row = figures.setdefault(point.id, dict.fromkeys(_FIGURES, 0))
            row["invited"] += 1
            row[_ANSWER_FIELD[inv.status]] += 1
            row["present"] += 1 if inv.present else 0
    attendance = tuple(
        PointAttendance(point=names[pid][1], **figures[pid])
        for pid in sorted(figures, key=lambda p: names[p])
    )
    local_start = week_from.astimezone(policy.tz).date()
    return WeeklyDigest(
        committee=committee.short_name or committee.name,
        week_start=local_start,
        week_end=local_start + timedelta(days=6),
        meetings=tuple(m.title for m in meetings),
        tasks=stats,
        attendance=attendance,
    )


_FIGURES = ("invited", "accepted", "declined", "delegated", "no_answer", "present")
_ANSWER_FIELD = {
    AnswerStatus.ACCEPTED: "accepted",
    AnswerStatus.DECLINED: "declined",
    AnswerStatus.DELEGATED: "delegated",
    AnswerStatus.NEEDS_ACTION: "no_answer",
}
