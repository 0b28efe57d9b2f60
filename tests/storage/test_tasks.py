from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import product

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from bot.vietnamese import error_vi
from storage.errors import IllegalTransition, InvalidAnswer
from storage.models import Task, TaskEventKind, TaskStatus
from storage.services.tasks import (
    TRANSITIONS,
    Category,
    categorise,
    change_status,
    check_transition,
    complete_task,
    create_task,
    decide_extension,
    get_task,
    report_progress,
    request_extension,
    task_statistics,
)
from tests.conftest import VN


@pytest.mark.parametrize(("current", "target"), list(product(TaskStatus, TaskStatus)))
def test_state_machine_allows_exactly_the_listed_moves(
    current: TaskStatus, target: TaskStatus
) -> None:
    if target in TRANSITIONS[current]:
        check_transition(current, target)
    else:
        with pytest.raises(IllegalTransition) as error:
            check_transition(current, target)
        assert current.value in str(error.value) and target.value in str(error.value)
        assert error.value.params == {"current": current, "target": target}
        assert "không chuyển" in error_vi(error.value)


def test_the_machine_has_no_dead_ends_except_cancelled() -> None:
    assert TRANSITIONS[TaskStatus.CANCELLED] == frozenset()
    assert all(TRANSITIONS[s] for s in TaskStatus if s != TaskStatus.CANCELLED)
    assert TaskStatus.EXTENSION_REQUESTED not in TRANSITIONS[TaskStatus.DONE]


async def _task(db: AsyncSession, now: datetime, **kwargs: object) -> Task:
    defaults: dict[str, object] = {
        "assignee_text": "Sở KH&ĐT",
        "action": "Tổng hợp ý kiến",
        "deadline_date": date(2026, 12, 15),
    }
    defaults.update(kwargs)
    return await create_task(db, now=now, **defaults)  # type: ignore[arg-type]


async def test_progress_completion_and_illegal_moves(db: AsyncSession, now: datetime) -> None:
    task = await _task(db, now)
    assert task.status == TaskStatus.ASSIGNED
    await report_progress(db, task.id, note="Đã gửi văn bản xin ý kiến", now=now)
    await complete_task(db, task.id, report="Đã trình UBND tỉnh", now=now + timedelta(days=1))
    done = await get_task(db, task.id)
    assert done.status == TaskStatus.DONE and done.completed_at == now + timedelta(days=1)
    assert [e.kind for e in done.events] == [
        TaskEventKind.CREATED,
        TaskEventKind.PROGRESS,
        TaskEventKind.COMPLETED,
    ]
    with pytest.raises(IllegalTransition):
        await request_extension(db, task.id, new_deadline=date(2027, 1, 5), reason="x", now=now)
    await change_status(
        db,
        task.id,
        TaskStatus.IN_PROGRESS,
        now=now,
        note="Mở lại: thiếu phụ lục",
    )
    reopened = await get_task(db, task.id)
    assert reopened.status == TaskStatus.IN_PROGRESS and reopened.completed_at is None
    await change_status(db, task.id, TaskStatus.CANCELLED, now=now)
    with pytest.raises(IllegalTransition):
        await report_progress(db, task.id, note="tiếp", now=now)


async def test_extension_granted_moves_the_deadline(db: AsyncSession, now: datetime) -> None:
    task = await _task(db, now)
    await report_progress(db, task.id, note="Đang làm", now=now)
    with pytest.raises(InvalidAnswer):
        await request_extension(db, task.id, new_deadline=date(2026, 12, 1), reason="x", now=now)
    await request_extension(
        db, task.id, new_deadline=date(2027, 1, 15), reason="Chờ số liệu của Bộ", now=now
    )
    assert (await get_task(db, task.id)).status == TaskStatus.EXTENSION_REQUESTED
    granted = await decide_extension(db, task.id, grant=True, now=now)
    assert granted.status == TaskStatus.IN_PROGRESS  # back to where it was
    assert granted.deadline_date == date(2027, 1, 15)
    with pytest.raises(IllegalTransition):
        await decide_extension(db, task.id, grant=True, now=now)


async def test_extension_refused_keeps_the_deadline(db: AsyncSession, now: datetime) -> None:
    task = await _task(db, now)
    await request_extension(
        db, task.id, new_deadline=date(2027, 1, 15), reason="Thiếu người", now=now
    )
    refused = await decide_extension(db, task.id, grant=False, now=now, note="Không đồng ý")
    assert refused.status == TaskStatus.ASSIGNED
    assert refused.deadline_date == date(2026, 12, 15)
    assert (await get_task(db, task.id)).events[-1].kind == TaskEventKind.EXTENSION_REFUSED


async def test_statistics_in_the_government_categories(db: AsyncSession, now: datetime) -> None:
    today = date(2026, 12, 10)
    at = lambda d: datetime(d.year, d.month, d.day, 16, 0, tzinfo=VN)  # noqa: E731
    # Sở A: done on time, done late; Sở B: open in time (date and words), overdue, cancelled.
    a1 = await _task(db, now, assignee_text="Sở A", deadline_date=date(2026, 12, 5))
    await complete_task(db, a1.id, now=at(date(2026, 12, 5)))
    a2 = await _task(db, now, assignee_text="Sở A", deadline_date=date(2026, 12, 1))
    await complete_task(db, a2.id, now=at(date(2026, 12, 3)))
    await _task(db, now, assignee_text="Sở B", deadline_date=date(2026, 12, 10))
    await _task(
        db,
        now,
        assignee_text="Sở B",
        deadline_date=None,
        deadline_text="trước khi họp phiên tiếp theo",
        deadline_needs_review=True,
    )
    await _task(
        db,
        now,
        assignee_text="Sở B",
        deadline_date=None,
        deadline_at=datetime(2026, 12, 9, 17, 0, tzinfo=VN),
    )
    b4 = await _task(db, now, assignee_text="Sở B", deadline_date=date(2026, 12, 2))
    await change_status(db, b4.id, TaskStatus.CANCELLED, now=now)

    stats = await task_statistics(db, today=today, tz=VN)
    assert stats.total == {
        Category.DONE_ON_TIME: 1,
        Category.DONE_LATE: 1,
        Category.OPEN_IN_TIME: 2,
        Category.OVERDUE: 1,
    }
    assert stats.by_unit["Sở A"][Category.DONE_LATE] == 1
    assert stats.by_unit["Sở B"][Category.OVERDUE] == 1
    assert categorise(b4, today=today, tz=VN) is None
