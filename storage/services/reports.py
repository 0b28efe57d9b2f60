"""The office's reports (báo cáo): attendance per point over sessions, tasks per unit in the
government's categories, and one unit's record month by month.

Each report is computed for what the viewer may see, decided by the caller's arguments
(committees, points, the unit-only committees of the task board); an id outside them is
``NotFound``, the same as an id that does not exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any

from sqlalchemy import Row, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.errors import NotFound
from storage.models import (
    AnswerStatus,
    Committee,
    Invitation,
    Meeting,
    MeetingPoint,
    MeetingStatus,
    Point,
    Task,
    Unit,
)
from storage.services.office import visible_tasks
from storage.services.tasks import Category, categorise, due_date

COMMITTEE_NOT_FOUND_VI = "Không tìm thấy Ban Chỉ đạo."
UNIT_NOT_FOUND_VI = "Không tìm thấy đơn vị."
SESSIONS_SHOWN = 12  # the latest sessions in the attendance report: a chart stays readable


# --- attendance per point over sessions -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PointAttendance:
    """One point at one session: invited, confirmed (accepted or sent a substitute), and
    marked present at the roll call; ``called`` is how many the roll call marked at all."""

    invited: int
    confirmed: int
    present: int
    called: int

    @property
    def rate(self) -> float | None:
        """Present over invited, or None where the roll call was not taken at this point."""
        if self.called == 0 or self.invited == 0:
            return None
        return self.present / self.invited

    @property
    def confirmed_rate(self) -> float | None:
        return self.confirmed / self.invited if self.invited else None


@dataclass(frozen=True, slots=True)
class SessionColumn:
    meeting_id: int
    title: str
    starts_at: datetime


@dataclass(frozen=True, slots=True)
class PointRow:
    point_id: int
    name: str
    cells: tuple[PointAttendance | None, ...]  # one per session; None: not a point of it


@dataclass(frozen=True, slots=True)
class AttendanceReport:
    committee_id: int
    committee_name: str
    sessions: tuple[SessionColumn, ...]  # oldest first
    rows: tuple[PointRow, ...]


async def committee_names(session: AsyncSession, ids: Sequence[int]) -> list[tuple[int, str]]:
    """(id, name) of these committees, for a report's chooser."""
    if not ids:
        return []
    rows = await session.execute(
        select(Committee.id, Committee.name).where(Committee.id.in_(ids)).order_by(Committee.id)
    )
    return [(committee_id, name) for committee_id, name in rows]


async def coordinated_points(
    session: AsyncSession, *, committee_id: int, person_id: int
) -> list[int]:
    """The committee's points this person coordinates (their rows of the report)."""
    return list(
        await session.scalars(
            select(Point.id).where(
                Point.committee_id == committee_id, Point.coordinator_id == person_id
            )
        )
    )


async def attendance_report(
    session: AsyncSession,
    *,
    committee_id: int,
    visible_committees: Sequence[int],
    now: datetime,
    point_ids: Sequence[int] | None = None,
    limit: int = SESSIONS_SHOWN,
) -> AttendanceReport:
    """The committee's latest ``limit`` sessions that have begun (not cancelled), and for each
    of its points (``point_ids`` only, when given) the counts at each session. Two queries."""
    committee = await session.get(Committee, committee_id)
    if committee is None or committee_id not in visible_committees:
        raise NotFound(f"committee {committee_id} not found or not visible", COMMITTEE_NOT_FOUND_VI)
    latest = list(
        await session.execute(
            select(Meeting.id, Meeting.title, Meeting.starts_at)
            .where(
                Meeting.committee_id == committee_id,
                Meeting.status != MeetingStatus.CANCELLED,
                Meeting.starts_at <= now,
            )
            .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
            .limit(limit)
        )
    )
    sessions = tuple(SessionColumn(*row) for row in reversed(latest))
    points_query = select(Point.id, Point.name).where(Point.committee_id == committee_id)
    if point_ids is not None:
        points_query = points_query.where(Point.id.in_(point_ids))
    points = list(await session.execute(points_query.order_by(Point.position, Point.id)))
    confirmed = (AnswerStatus.ACCEPTED, AnswerStatus.DELEGATED)
    counted = (
        select(
            MeetingPoint.meeting_id,
            MeetingPoint.point_id,
            func.count(Invitation.id),
            func.coalesce(func.sum(case((Invitation.status.in_(confirmed), 1), else_=0)), 0),
            func.coalesce(func.sum(case((Invitation.present.is_(True), 1), else_=0)), 0),
            func.count(Invitation.present),
        )
        .outerjoin(
            Invitation,
            (Invitation.meeting_id == MeetingPoint.meeting_id)
            & (Invitation.point_id == MeetingPoint.point_id),
        )
        .where(MeetingPoint.meeting_id.in_([s.meeting_id for s in sessions]))
        .group_by(MeetingPoint.meeting_id, MeetingPoint.point_id)
    )
    cells = {
        (meeting_id, point_id): PointAttendance(int(n), int(yes), int(here), int(called))
        for meeting_id, point_id, n, yes, here, called in await session.execute(counted)
    }
    rows = tuple(
        PointRow(
            point_id=point_id,
            name=name,
            cells=tuple(cells.get((s.meeting_id, point_id)) for s in sessions),
        )
        for point_id, name in points
    )
    return AttendanceReport(
        committee_id=committee.id, committee_name=committee.name, sessions=sessions, rows=rows
    )


# --- tasks per unit by category ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UnitCounts:
    """A unit in charge (``unit_id`` None: named only in words) and its counts."""

    unit_id: int | None
    name: str
    counts: dict[Category, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True, slots=True)
class TaskReport:
    units: tuple[UnitCounts, ...]  # by name
    totals: dict[Category, int]
    cancelled: int  # listed on the board, counted in no category


async def _counted_tasks(
    session: AsyncSession,
    *,
    committee_ids: Sequence[int],
    unit_only_in: Sequence[int],
    own_unit_id: int | None,
    unit_id: int | None = None,
) -> list[Row[Any]]:
    """The visible tasks as rows of just what the categories read (the board's rule of who
    sees what, without loading thousands of whole tasks)."""
    if not committee_ids:
        return []
    query = (
        select(
            Task.unit_id,
            Task.assignee_text,
            Task.status,
            Task.deadline_date,
            Task.deadline_at,
            Task.completed_at,
        )
        .join(Meeting, Task.meeting_id == Meeting.id)
        .where(visible_tasks(committee_ids, unit_only_in=unit_only_in, own_unit_id=own_unit_id))
    )
    if unit_id is not None:
        query = query.where(Task.unit_id == unit_id)
    return list(await session.execute(query))


async def task_report(
    session: AsyncSession,
    *,
    committee_ids: Sequence[int],
    today: date,
    tz: tzinfo,
    unit_only_in: Sequence[int] = (),
    own_unit_id: int | None = None,
) -> TaskReport:
    """The task board's counts by unit in charge, with each unit's id for its own record."""
    rows = await _counted_tasks(
        session, committee_ids=committee_ids, unit_only_in=unit_only_in, own_unit_id=own_unit_id
    )
    names = {unit.id: unit.short_name or unit.name for unit in await session.scalars(select(Unit))}
    by_unit: dict[tuple[int | None, str], dict[Category, int]] = {}
    totals = dict.fromkeys(Category, 0)
    cancelled = 0
    for row in rows:
        category = categorise(row, today=today, tz=tz)
        if category is None:
            cancelled += 1
            continue
        name = names.get(row.unit_id, row.assignee_text)
        key = (row.unit_id if row.unit_id in names else None, name)
        by_unit.setdefault(key, dict.fromkeys(Category, 0))[category] += 1
        totals[category] += 1
    units = tuple(
        UnitCounts(unit_id=unit_id, name=name, counts=counts)
        for (unit_id, name), counts in sorted(by_unit.items(), key=lambda pair: pair[0][1])
    )
    return TaskReport(units=units, totals=totals, cancelled=cancelled)


# --- one unit's record over time --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MonthCounts:
    month: date  # the first day of the month the tasks were due in
    counts: dict[Category, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def on_time_rate(self) -> float | None:
        """Done on time over all tasks due that month that are finished or overdue; None when
        every task of the month is still in time (nothing to judge yet)."""
        judged = self.total - self.counts[Category.OPEN_IN_TIME]
        return self.counts[Category.DONE_ON_TIME] / judged if judged else None


@dataclass(frozen=True, slots=True)
class UnitRecord:
    unit_id: int
    name: str
    months: tuple[MonthCounts, ...]  # every month from the first due to the last, oldest first
    undated: dict[Category, int]  # tasks whose deadline is only words
    totals: dict[Category, int]


def _month_range(first: date, last: date) -> list[date]:
    months = []
    current = first
    while current <= last:
        months.append(current)
        current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return months


async def unit_record(
    session: AsyncSession,
    unit_id: int,
    *,
    committee_ids: Sequence[int],
    today: date,
    tz: tzinfo,
    unit_only_in: Sequence[int] = (),
    own_unit_id: int | None = None,
) -> UnitRecord:
    """The unit's visible tasks by the month they were due, in the report categories. A unit
    with no task the viewer may see (and not the viewer's own) is ``NotFound``."""
    unit = await session.get(Unit, unit_id)
    rows = await _counted_tasks(
        session,
        committee_ids=committee_ids,
        unit_only_in=unit_only_in,
        own_unit_id=own_unit_id,
        unit_id=unit_id,
    )
    if unit is None or not (rows or unit_id == own_unit_id):
        raise NotFound(f"unit {unit_id} not found or not visible", UNIT_NOT_FOUND_VI)
    by_month: dict[date, dict[Category, int]] = {}
    undated = dict.fromkeys(Category, 0)
    totals = dict.fromkeys(Category, 0)
    for row in rows:
        category = categorise(row, today=today, tz=tz)
        if category is None:
            continue
        totals[category] += 1
        due = due_date(row, tz)
        if due is None:
            undated[category] += 1
            continue
        by_month.setdefault(due.replace(day=1), dict.fromkeys(Category, 0))[category] += 1
    months: tuple[MonthCounts, ...] = ()
    if by_month:
        months = tuple(
            MonthCounts(month, by_month.get(month, dict.fromkeys(Category, 0)))
            for month in _month_range(min(by_month), max(by_month))
        )
    return UnitRecord(
        unit_id=unit.id,
        name=unit.short_name or unit.name,
        months=months,
        undated=undated,
        totals=totals,
    )
