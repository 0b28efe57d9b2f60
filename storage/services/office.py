"""What the web office reads: a person's meetings, one meeting's attendance sheet, the task
board. Access is decided here by committee, so a meeting of another committee and a meeting
that does not exist are refused with the same error: nobody learns which ids exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.errors import NotFound
from storage.models import (
    AnswerStatus,
    Draft,
    DraftStatus,
    Invitation,
    Meeting,
    MeetingPoint,
    MeetingStatus,
    Person,
    Readiness,
    Task,
    TaskStatus,
    Unit,
)
from storage.services.audit import record
from storage.services.invitations import blocked_people, mark_presence
from storage.services.meetings import advance_meetings, get_meeting, set_point_readiness
from storage.services.tasks import Category, categorise, due_date


def _meeting_not_found(meeting_id: int) -> NotFound:
    return NotFound(f"meeting {meeting_id} not found or not visible", "Meeting")


@dataclass(frozen=True, slots=True)
class MeetingLists:
    upcoming: list[Meeting]  # soonest first
    past: list[Meeting]  # latest first


async def meetings_of_committees(
    session: AsyncSession, *, committee_ids: Sequence[int], now: datetime
) -> MeetingLists:
    """The committees' meetings: those still to come (or under way), and those held or
    cancelled."""
    if not committee_ids:
        return MeetingLists(upcoming=[], past=[])
    await advance_meetings(session, now=now)
    meetings = list(
        await session.scalars(
            select(Meeting)
            .where(Meeting.committee_id.in_(committee_ids))
            .options(selectinload(Meeting.committee))
            .order_by(Meeting.starts_at, Meeting.id)
        )
    )
    upcoming = [
        m
        for m in meetings
        if m.status == MeetingStatus.ONGOING
        or (m.status == MeetingStatus.PLANNED and m.starts_at >= now)
    ]
    chosen = {m.id for m in upcoming}
    past = [m for m in reversed(meetings) if m.id not in chosen]
    return MeetingLists(upcoming=upcoming, past=past)


async def visible_meeting(
    session: AsyncSession,
    meeting_id: int,
    *,
    committee_ids: Sequence[int],
    now: datetime | None = None,
) -> Meeting:
    """The meeting (points, agenda, documents, chair loaded) if it belongs to one of the
    committees; otherwise ``NotFound``, the same as for an id that does not exist. Given
    ``now``, its status is brought up to date first (under way, finished)."""
    committee_id = await session.scalar(
        select(Meeting.committee_id).where(Meeting.id == meeting_id)
    )
    if committee_id is None or committee_id not in committee_ids:
        raise _meeting_not_found(meeting_id)
    if now is not None:
        await advance_meetings(session, now=now)
    return await get_meeting(session, meeting_id)


@dataclass(frozen=True, slots=True)
class SheetEntry:
    """One invited person at one point: their answer, and whether the invitation could reach
    them at all (no Telegram account: it never arrived, which is not the same as silence)."""

    invitation_id: int
    person_id: int
    name: str
    title: str
    status: AnswerStatus
    reason: str | None
    delegate: str | None
    present: bool | None
    reachable: bool
    answered_by_other: bool
    blocked: bool = False  # unreachable because they blocked the bot (not for want of account)

    @property
    def never_received(self) -> bool:
        return self.status == AnswerStatus.NEEDS_ACTION and not self.reachable

    @property
    def column(self) -> str:
        """Where the person is counted: their answer, or ``never_received`` instead of
        NEEDS-ACTION when the invitation could not reach them (each person counted once)."""
        return "never_received" if self.never_received else self.status.value


@dataclass(frozen=True, slots=True)
class SheetRow:
    point_id: int
    point_name: str
    is_main: bool
    coordinator_id: int | None
    readiness: Readiness
    readiness_note: str | None
    entries: tuple[SheetEntry, ...]

    @property
    def counts(self) -> dict[str, int]:
        return _counts(self.entries)


@dataclass(frozen=True, slots=True)
class AttendanceSheet:
    """The points × people matrix of one meeting, with counts for the header."""

    meeting_id: int
    rows: tuple[SheetRow, ...]
    totals: dict[str, int] = field(default_factory=dict)


COLUMNS = (*(s.value for s in AnswerStatus), "never_received")


def _counts(entries: Sequence[SheetEntry]) -> dict[str, int]:
    """People per column (they add up to everyone invited), and how many were present."""
    counts = dict.fromkeys(COLUMNS, 0)
    for entry in entries:
        counts[entry.column] += 1
    counts["present"] = sum(1 for e in entries if e.present)
    return counts


def _totals(rows: Sequence[SheetRow]) -> dict[str, int]:
    return _counts([e for row in rows for e in row.entries])


async def attendance_sheet(
    session: AsyncSession, meeting: Meeting, *, point_ids: Sequence[int] | None = None
) -> AttendanceSheet:
    """The sheet of a meeting loaded by ``visible_meeting``; ``point_ids`` limits it to some
    points (a coordinator sees their own). Two queries whatever the size of the meeting."""
    wanted = [mp for mp in meeting.points if point_ids is None or mp.point_id in point_ids]
    query = (
        select(Invitation)
        .where(Invitation.meeting_id == meeting.id)
        .options(selectinload(Invitation.person))
        .order_by(Invitation.person_id)
    )
    if point_ids is not None:
        query = query.where(Invitation.point_id.in_(point_ids))
    by_point: dict[int, list[SheetEntry]] = {mp.point_id: [] for mp in wanted}
    invitations = list(await session.scalars(query))
    # As in the bot's matrix: someone who blocked the bot is not reached either.
    blocked = await blocked_people(session, [inv.person_id for inv in invitations])
    for inv in invitations:
        person: Person = inv.person
        delegate = None
        if inv.delegate_name:
            delegate = inv.delegate_name + (
                f" ({inv.delegate_title})" if inv.delegate_title else ""
            )
        by_point.setdefault(inv.point_id, []).append(
            SheetEntry(
                invitation_id=inv.id,
                person_id=person.id,
                name=person.full_name or person.title,
                title=person.title,
                status=inv.status,
                reason=inv.decline_reason,
                delegate=delegate,
                present=inv.present,
                reachable=person.telegram_user_id is not None and person.id not in blocked,
                answered_by_other=inv.answered_by_id not in (None, person.id),
                blocked=person.id in blocked,
            )
        )
    ordered: list[MeetingPoint] = sorted(
        wanted,
        key=lambda mp: (mp.point_id != meeting.main_point_id, mp.point.position, mp.point_id),
    )
    rows = tuple(
        SheetRow(
            point_id=mp.point_id,
            point_name=mp.point.name,
            is_main=mp.point_id == meeting.main_point_id,
            coordinator_id=mp.point.coordinator_id,
            readiness=mp.readiness,
            readiness_note=mp.readiness_note,
            entries=tuple(by_point.get(mp.point_id, ())),
        )
        for mp in ordered
    )
    return AttendanceSheet(meeting_id=meeting.id, rows=rows, totals=_totals(rows))


async def own_invitation(
    session: AsyncSession, meeting_id: int, person_id: int
) -> Invitation | None:
    return await session.scalar(
        select(Invitation).where(
            Invitation.meeting_id == meeting_id, Invitation.person_id == person_id
        )
    )


async def invitation_in_meeting(
    session: AsyncSession, meeting_id: int, invitation_id: int
) -> Invitation:
    """An invitation of this meeting (with its point), or ``NotFound``."""
    invitation = await session.scalar(
        select(Invitation)
        .where(Invitation.id == invitation_id, Invitation.meeting_id == meeting_id)
        .options(selectinload(Invitation.point))
    )
    if invitation is None:
        raise NotFound(f"invitation {invitation_id} not in meeting {meeting_id}", "Invitation")
    return invitation


# --- the task board ---------------------------------------------------------------------------


def visible_tasks(
    committee_ids: Sequence[int], *, unit_only_in: Sequence[int], own_unit_id: int | None
) -> ColumnElement[bool]:
    """The condition (on ``Task`` joined to its ``Meeting``) for the tasks a viewer sees: those
    of the committees' meetings, but in the committees of ``unit_only_in`` only their own
    unit's (none without a unit)."""
    clause = Meeting.committee_id.in_(committee_ids)
    if not unit_only_in:
        return clause
    elsewhere = Meeting.committee_id.not_in(unit_only_in)
    if own_unit_id is None:
        return and_(clause, elsewhere)
    return and_(clause, or_(elsewhere, Task.unit_id == own_unit_id))


@dataclass(frozen=True, slots=True)
class BoardTask:
    task: Task
    committee_id: int
    meeting_title: str
    unit: str
    due: date | None
    category: Category | None


@dataclass(frozen=True, slots=True)
class TaskBoard:
    """One page of the filtered tasks (in deadline order), with the government's category
    counts, overall and by unit in charge, of all of them."""

    tasks: list[BoardTask]  # the page's tasks only
    count: int  # the filtered tasks on every page
    page: int  # the page shown, within 1..pages
    pages: int
    totals: dict[Category, int]
    by_unit: dict[str, dict[Category, int]]
    units: list[tuple[int, str]]  # every unit that has a task on the board, for the filter

    def groups(self) -> dict[str, list[BoardTask]]:
        """The page's tasks grouped by unit in charge, units in name order."""
        groups: dict[str, list[BoardTask]] = {}
        for item in self.tasks:
            groups.setdefault(item.unit, []).append(item)
        return dict(sorted(groups.items()))


async def task_board(
    session: AsyncSession,
    *,
    committee_ids: Sequence[int],
    today: date,
    tz: tzinfo,
    unit_id: int | None = None,
    status: TaskStatus | None = None,
    category: Category | None = None,
    unit_only_in: Sequence[int] = (),
    own_unit_id: int | None = None,
    page: int = 1,
    page_size: int | None = None,
) -> TaskBoard:
    """The tasks of the committees' meetings, filtered by unit, status or report category;
    counts are of the filtered tasks. Cancelled tasks are listed but counted in no category.
    Only page ``page`` of ``page_size`` tasks (all of them without a size) is loaded whole; a
    page past the last shows the last.

    In the committees of ``unit_only_in`` (where the viewer is neither secretariat nor
    leadership) only the tasks of ``own_unit_id`` are visible at all."""
    if not committee_ids:
        return TaskBoard(
            tasks=[],
            count=0,
            page=1,
            pages=1,
            totals=dict.fromkeys(Category, 0),
            by_unit={},
            units=[],
        )
    # Counting thousands of tasks reads only the columns the categories need: loading each
    # whole task (text, evidence, JSON) made the board several times slower than its target.
    query = (
        select(
            Task.id,
            Task.unit_id,
            Task.assignee_text,
            Task.status,
            Task.deadline_date,
            Task.deadline_at,
            Task.completed_at,
            Meeting.committee_id,
            Meeting.title,
        )
        .join(Meeting, Task.meeting_id == Meeting.id)
        .where(visible_tasks(committee_ids, unit_only_in=unit_only_in, own_unit_id=own_unit_id))
        .order_by(Task.deadline_date.is_(None), Task.deadline_date, Task.id)
    )
    # Units are few: one query for all of them beats loading each task's unit.
    unit_names = {
        unit.id: unit.short_name or unit.name for unit in await session.scalars(select(Unit))
    }
    units: dict[int, str] = {}
    rows: list[tuple[Any, str, Category | None]] = []  # (row, unit name, category)
    totals = dict.fromkeys(Category, 0)
    by_unit: dict[str, dict[Category, int]] = {}
    for row in (await session.execute(query)).all():
        name = unit_names.get(row.unit_id or -1, row.assignee_text)
        if row.unit_id is not None:
            units[row.unit_id] = name
        if unit_id is not None and row.unit_id != unit_id:
            continue
        if status is not None and row.status != status:
            continue
        found = categorise(row, today=today, tz=tz)
        if category is not None and found != category:
            continue
        rows.append((row, name, found))
        if found is not None:
            totals[found] += 1
            if name not in by_unit:  # not setdefault: a fresh dict per task costs the board
                by_unit[name] = dict.fromkeys(Category, 0)
            by_unit[name][found] += 1
    size = page_size or max(1, len(rows))
    pages = max(1, -(-len(rows) // size))
    page = min(max(1, page), pages)
    shown = rows[(page - 1) * size : page * size]
    full = {
        task.id: task
        for task in await session.scalars(
            select(Task).where(Task.id.in_([row.id for row, _, _ in shown]))
        )
    }
    return TaskBoard(
        tasks=[
            BoardTask(
                task=full[row.id],
                committee_id=row.committee_id,
                meeting_title=row.title,
                unit=name,
                due=due_date(row, tz),
                category=found,
            )
            for row, name, found in shown
        ],
        count=len(rows),
        page=page,
        pages=pages,
        totals=totals,
        by_unit=dict(sorted(by_unit.items())),
        units=sorted(units.items(), key=lambda pair: pair[1]),
    )


async def visible_task(
    session: AsyncSession, task_id: int, *, committee_ids: Sequence[int]
) -> tuple[Task, int]:
    """A task of one of the committees' meetings and that committee; otherwise ``NotFound``,
    the same as for an id that does not exist."""
    found = (
        await session.execute(
            select(Task, Meeting.committee_id)
            .join(Meeting, Task.meeting_id == Meeting.id)
            .where(Task.id == task_id)
        )
    ).first()
    if found is None or found[1] not in committee_ids:
        raise NotFound(f"task {task_id} not found or not visible", "Task")
    return found[0], found[1]


# --- drafts under review ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DraftSummary:
    draft: Draft
    committee_id: int
    meeting_title: str
    meeting_start: datetime


async def drafts_of_committees(
    session: AsyncSession, *, committee_ids: Sequence[int]
) -> list[DraftSummary]:
    """The committees' drafts: those awaiting a decision first, newest first within."""
    if not committee_ids:
        return []
    rows = await session.execute(
        select(Draft, Meeting.committee_id, Meeting.title, Meeting.starts_at)
        .join(Meeting, Draft.meeting_id == Meeting.id)
        .where(Meeting.committee_id.in_(committee_ids))
        .order_by(Draft.status != DraftStatus.PENDING, Draft.id.desc())
    )
    return [DraftSummary(*row) for row in rows.all()]


async def visible_draft(
    session: AsyncSession, draft_id: int, *, committee_ids: Sequence[int]
) -> DraftSummary:
    """A draft of one of the committees' meetings, with its edits loaded; otherwise
    ``NotFound``, the same as for an id that does not exist."""
    found = (
        await session.execute(
            select(Draft, Meeting.committee_id, Meeting.title, Meeting.starts_at)
            .join(Meeting, Draft.meeting_id == Meeting.id)
            .where(Draft.id == draft_id)
            .options(selectinload(Draft.edits))
            .execution_options(populate_existing=True)
        )
    ).first()
    if found is None or found[1] not in committee_ids:
        raise NotFound(f"draft {draft_id} not found or not visible", "Draft")
    return DraftSummary(*found)


async def names_of(session: AsyncSession, person_ids: Sequence[int | None]) -> dict[int, str]:
    """Display names for the people an audit trail mentions."""
    wanted = {pid for pid in person_ids if pid is not None}
    if not wanted:
        return {}
    people = await session.scalars(select(Person).where(Person.id.in_(wanted)))
    return {person.id: person.display_name for person in people}


# --- readiness and roll call from the web -----------------------------------------------------


async def report_readiness(
    session: AsyncSession,
    *,
    meeting_id: int,
    point_id: int,
    ready: bool,
    note: str | None,
    by_id: int,
    now: datetime,
) -> MeetingPoint:
    """The bot's readiness report (``set_point_readiness``), with an audit entry."""
    readiness = Readiness.READY if ready else Readiness.PROBLEM
    found = await set_point_readiness(
        session,
        meeting_id=meeting_id,
        point_id=point_id,
        readiness=readiness,
        by_id=by_id,
        now=now,
        note=note,
    )
    await record(
        session,
        at=now,
        actor_id=by_id,
        action="meeting.readiness",
        entity="meeting",
        entity_id=meeting_id,
        details={"point": point_id, "readiness": readiness.value, "note": note},
    )
    return found


async def record_presence(
    session: AsyncSession, invitation_id: int, *, present: bool, by_id: int, now: datetime
) -> Invitation:
    """The bot's roll call (``mark_presence``), with an audit entry."""
    invitation = await mark_presence(session, invitation_id, present=present, by_id=by_id, now=now)
    await record(
        session,
        at=now,
        actor_id=by_id,
        action="invitation.presence",
        entity="invitation",
        entity_id=invitation_id,
        details={"present": present},
    )
    return invitation
