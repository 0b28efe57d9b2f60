"""Follow-up tasks: an explicit state machine, their history, and the government's counts.

States (nhiệm vụ): assigned (đã giao) → in progress (đang thực hiện) → done (hoàn thành);
an extension request (xin gia hạn) parks the task until the secretariat decides; a task can
be cancelled while open and reopened once done. Any other move is refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from enum import StrEnum
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.errors import IllegalTransition, InvalidAnswer
from storage.models import Task, TaskEvent, TaskEventKind, TaskStatus
from storage.services.audit import record
from storage.services.loading import load_one

S = TaskStatus
TRANSITIONS: dict[TaskStatus, frozenset[TaskStatus]] = {
    S.ASSIGNED: frozenset({S.IN_PROGRESS, S.EXTENSION_REQUESTED, S.DONE, S.CANCELLED}),
    S.IN_PROGRESS: frozenset({S.EXTENSION_REQUESTED, S.DONE, S.CANCELLED}),
    S.EXTENSION_REQUESTED: frozenset({S.ASSIGNED, S.IN_PROGRESS, S.DONE, S.CANCELLED}),
    S.DONE: frozenset({S.IN_PROGRESS}),  # reopened by the secretariat
    S.CANCELLED: frozenset(),
}

STATUS_VI: dict[TaskStatus, str] = {
    S.ASSIGNED: "đã giao",
    S.IN_PROGRESS: "đang thực hiện",
    S.EXTENSION_REQUESTED: "chờ quyết định gia hạn",
    S.DONE: "hoàn thành",
    S.CANCELLED: "đã hủy",
}


def check_transition(current: TaskStatus, target: TaskStatus) -> None:
    """Raise ``IllegalTransition`` unless the state machine allows ``current`` → ``target``."""
    if target not in TRANSITIONS[current]:
        allowed = ", ".join(sorted(t.value for t in TRANSITIONS[current])) or "none"
        raise IllegalTransition(
            f"task cannot go from {current.value} to {target.value} (allowed: {allowed})",
            f"Nhiệm vụ đang ở trạng thái “{STATUS_VI[current]}”, "
            f"không chuyển sang “{STATUS_VI[target]}” được.",
        )


class Deadlined(Protocol):
    """What the report categories read of a task: a ``Task``, or a row of just these columns
    (the reports count thousands without loading whole tasks)."""

    @property
    def status(self) -> TaskStatus: ...
    @property
    def deadline_date(self) -> date | None: ...
    @property
    def deadline_at(self) -> datetime | None: ...
    @property
    def completed_at(self) -> datetime | None: ...


def due_date(task: Deadlined, tz: tzinfo) -> date | None:
    """The day the task is due in the office's zone: the date, or the exact time's day."""
    if task.deadline_date is not None:
        return task.deadline_date
    if task.deadline_at is not None:
        return task.deadline_at.astimezone(tz).date()
    return None


class Category(StrEnum):
    """The categories of the government's task-tracking reports."""

    DONE_ON_TIME = "done_on_time"  # hoàn thành đúng hạn
    DONE_LATE = "done_late"  # hoàn thành quá hạn
    OPEN_IN_TIME = "open_in_time"  # chưa hoàn thành, còn trong hạn
    OVERDUE = "overdue"  # chưa hoàn thành, quá hạn


CATEGORY_VI: dict[Category, str] = {
    Category.DONE_ON_TIME: "Hoàn thành đúng hạn",
    Category.DONE_LATE: "Hoàn thành quá hạn",
    Category.OPEN_IN_TIME: "Đang thực hiện, còn trong hạn",
    Category.OVERDUE: "Chưa hoàn thành, quá hạn",
}


def categorise(task: Deadlined, *, today: date, tz: tzinfo) -> Category | None:
    """Which report category a task falls in today; None for cancelled tasks.

    A task with no date (deadline kept only as words) counts as still in time.
    """
    if task.status == S.CANCELLED:
        return None
    due = due_date(task, tz)
    if task.status == S.DONE:
        assert task.completed_at is not None
        finished = task.completed_at.astimezone(tz).date()
        return Category.DONE_LATE if due is not None and finished > due else Category.DONE_ON_TIME
    return Category.OVERDUE if due is not None and today > due else Category.OPEN_IN_TIME


@dataclass(slots=True)
class TaskStatistics:
    """Counts by category, overall and per unit in charge."""

    total: dict[Category, int] = field(default_factory=lambda: dict.fromkeys(Category, 0))
    by_unit: dict[str, dict[Category, int]] = field(default_factory=dict)

    def add(self, unit: str, category: Category) -> None:
        self.total[category] += 1
        self.by_unit.setdefault(unit, dict.fromkeys(Category, 0))[category] += 1


async def task_statistics(
    session: AsyncSession,
    *,
    today: date,
    tz: tzinfo,
    meeting_ids: Sequence[int] | None = None,
) -> TaskStatistics:
    query = select(Task).options(selectinload(Task.unit))
    if meeting_ids is not None:
        query = query.where(Task.meeting_id.in_(meeting_ids))
    stats = TaskStatistics()
    for task in await session.scalars(query.order_by(Task.id)):
        category = categorise(task, today=today, tz=tz)
        if category is not None:
            unit = task.unit.short_name or task.unit.name if task.unit else task.assignee_text
            stats.add(unit, category)
    return stats


async def get_task(session: AsyncSession, task_id: int) -> Task:
    return await load_one(
        session, Task, task_id, selectinload(Task.events), not_found_vi="Không tìm thấy nhiệm vụ."
    )


async def create_task(
    session: AsyncSession,
    *,
    assignee_text: str,
    action: str,
    now: datetime,
    meeting_id: int | None = None,
    draft_id: int | None = None,
    unit_id: int | None = None,
    cooperating: Sequence[str] = (),
    deadline_date: date | None = None,
    deadline_at: datetime | None = None,
    deadline_text: str | None = None,
    deadline_needs_review: bool = False,
    evidence: str | None = None,
    evidence_start: float | None = None,
    actor_id: int | None = None,
) -> Task:
    task = Task(
        meeting_id=meeting_id,
        draft_id=draft_id,
        unit_id=unit_id,
        assignee_text=assignee_text,
        cooperating=list(cooperating),
        action=action,
        deadline_date=deadline_date,
        deadline_at=deadline_at,
        deadline_text=deadline_text,
        deadline_needs_review=deadline_needs_review,
        evidence=evidence,
        evidence_start=evidence_start,
        status=S.ASSIGNED,
        created_at=now,
        updated_at=now,
    )
    session.add(task)
    await session.flush()
    session.add(
        TaskEvent(
            task_id=task.id,
            kind=TaskEventKind.CREATED,
            at=now,
            actor_id=actor_id,
            to_status=S.ASSIGNED,
        )
    )
    await session.flush()
    return task


async def _move(
    session: AsyncSession,
    task: Task,
    target: TaskStatus,
    *,
    kind: TaskEventKind,
    now: datetime,
    actor_id: int | None,
    note: str | None = None,
    old_deadline: date | None = None,
    new_deadline: date | None = None,
) -> TaskEvent:
    current = task.status
    if target != current:
        check_transition(current, target)
    task.status = target
    task.updated_at = now
    event = TaskEvent(
        task_id=task.id,
        kind=kind,
        at=now,
        actor_id=actor_id,
        from_status=current,
        to_status=target,
        note=note,
        old_deadline=old_deadline,
        new_deadline=new_deadline,
    )
    session.add(event)
    await record(
        session,
        at=now,
        actor_id=actor_id,
        action=f"task.{kind.value}",
        entity="task",
        entity_id=task.id,
        details={"from": current.value, "to": target.value, "note": note},
    )
    await session.flush()
    return event


async def change_status(
    session: AsyncSession,
    task_id: int,
    target: TaskStatus,
    *,
    now: datetime,
    actor_id: int | None = None,
    note: str | None = None,
) -> Task:
    """A plain status change (start, cancel, reopen); the state machine decides."""
    task = await get_task(session, task_id)
    check_transition(task.status, target)
    if target == S.DONE:
        return await complete_task(session, task_id, report=note, now=now, actor_id=actor_id)
    if task.status == S.DONE:
        task.completed_at = None
    await _move(
        session,
        task,
        target,
        kind=TaskEventKind.STATUS_CHANGED,
        now=now,
        actor_id=actor_id,
        note=note,
    )
    return task


async def report_progress(
    session: AsyncSession, task_id: int, *, note: str, now: datetime, actor_id: int | None = None
) -> Task:
    """A progress note; the first one moves an assigned task to in progress."""
    task = await get_task(session, task_id)
    target = S.IN_PROGRESS if task.status == S.ASSIGNED else task.status
    if task.status not in (S.ASSIGNED, S.IN_PROGRESS):
        check_transition(task.status, S.IN_PROGRESS)
    await _move(
        session, task, target, kind=TaskEventKind.PROGRESS, now=now, actor_id=actor_id, note=note
    )
    return task


async def complete_task(
    session: AsyncSession,
    task_id: int,
    *,
    now: datetime,
    report: str | None = None,
    actor_id: int | None = None,
) -> Task:
    task = await get_task(session, task_id)
    check_transition(task.status, S.DONE)
    task.completed_at = now
    await _move(
        session,
        task,
        S.DONE,
        kind=TaskEventKind.COMPLETED,
        now=now,
        actor_id=actor_id,
        note=report,
    )
    return task


async def request_extension(
    session: AsyncSession,
    task_id: int,
    *,
    new_deadline: date,
    reason: str,
    now: datetime,
    actor_id: int | None = None,
) -> Task:
    """An assignee asks for a later deadline, with a reason."""
    if not reason.strip():
        raise InvalidAnswer("an extension needs a reason", "Xin cho biết lý do xin gia hạn.")
    task = await get_task(session, task_id)
    current_due = task.deadline_date
    if current_due is not None and new_deadline <= current_due:
        raise InvalidAnswer(
            f"requested {new_deadline} is not after the deadline {current_due}",
            "Hạn mới phải sau hạn hiện tại.",
        )
    await _move(
        session,
        task,
        S.EXTENSION_REQUESTED,
        kind=TaskEventKind.EXTENSION_REQUESTED,
        now=now,
        actor_id=actor_id,
        note=reason.strip(),
        old_deadline=current_due,
        new_deadline=new_deadline,
    )
    return task


async def decide_extension(
    session: AsyncSession,
    task_id: int,
    *,
    grant: bool,
    now: datetime,
    actor_id: int | None = None,
    note: str | None = None,
) -> Task:
    """The secretariat grants (deadline moves) or refuses; the task returns to the state it
    was in before the request."""
    task = await get_task(session, task_id)
    if task.status != S.EXTENSION_REQUESTED:
        raise IllegalTransition(
            f"task {task_id} has no pending extension request",
            "Nhiệm vụ này không có đề nghị gia hạn đang chờ.",
        )
    request = next(e for e in reversed(task.events) if e.kind == TaskEventKind.EXTENSION_REQUESTED)
    back_to = request.from_status or S.ASSIGNED
    if grant:
        old = task.deadline_date
        task.deadline_date = request.new_deadline
        task.deadline_at = None
        task.deadline_needs_review = False
        await _move(
            session,
            task,
            back_to,
            kind=TaskEventKind.EXTENSION_GRANTED,
            now=now,
            actor_id=actor_id,
            note=note,
            old_deadline=old,
            new_deadline=request.new_deadline,
        )
    else:
        await _move(
            session,
            task,
            back_to,
            kind=TaskEventKind.EXTENSION_REFUSED,
            now=now,
            actor_id=actor_id,
            note=note,
        )
    return task
