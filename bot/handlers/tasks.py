"""Assignees report progress, completion or ask for more time; the secretariat decides."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, auto

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup, Update

from bot import texts
from bot.common import (
    Context,
    authorize,
    button,
    deps,
    edit_or_send,
    forget,
    keyboard,
    recall,
    refuse,
    remember,
    reply,
)
from bot.handlers.meetings import END, send_to
from bot.timeparse import deadline_from_words
from storage.models import Meeting, Person, Role, Task, TaskStatus
from storage.services.people import people_with_role
from storage.services.tasks import (
    complete_task,
    decide_extension,
    get_task,
    report_progress,
    request_extension,
)
from storage.texts import format_date


class TaskReportStep(Enum):
    """What "Đã hoàn thành" and "Xin gia hạn" ask before anything is recorded."""

    DONE_REPORT = auto()
    EXTENSION = auto()  # the new date and the reason


@dataclass(frozen=True, slots=True)
class TaskReportForm:
    task_id: int


def task_buttons(context: Context, task_id: int) -> InlineKeyboardMarkup:
    return keyboard(
        [
            [
                button(context, texts.TASK_PROGRESS, "tk", task_id, "prog"),
                button(context, texts.TASK_DONE, "tk", task_id, "done"),
            ],
            [button(context, texts.TASK_EXTEND, "tk", task_id, "ext")],
        ]
    )


async def unit_people(session: AsyncSession, task: Task) -> list[Person]:
    """The people of the task's unit in charge: they receive it and may report on it."""
    if task.unit_id is None:
        return []
    return list(
        await session.scalars(
            select(Person).where(Person.unit_id == task.unit_id).order_by(Person.id)
        )
    )


async def deliver_tasks(context: Context, task_ids: list[int]) -> int:
    """Send each approved task to the people of its unit; returns how many messages went."""
    d = deps(context)
    sent = 0
    for task_id in task_ids:
        async with d.sessions() as session:
            task = await get_task(session, task_id)
            people = await unit_people(session, task)
        for person in people:
            sent += await send_to(
                context, person, texts.task_assigned(task, d.tz), task_buttons(context, task_id)
            )
    return sent


async def _own_task(update: Update, context: Context, task_id: int) -> tuple[Person, Task] | None:
    d = deps(context)
    async with d.sessions() as session:
        found = await authorize(session, update)
        if found is None:
            return None
        task = await get_task(session, task_id)
    person = found[0]
    if task.unit_id is None or person.unit_id != task.unit_id:
        await refuse(update, texts.NOT_ALLOWED)
        return None
    return person, task


async def task_button(update: Update, context: Context, args: list[str]) -> TaskReportStep | None:
    d = deps(context)
    task_id, what = int(args[0]), args[1]
    owned = await _own_task(update, context, task_id)
    if owned is None:
        return None
    person = owned[0]
    if what == "prog":
        async with d.sessions.begin() as session:
            await report_progress(
                session, task_id, note="Đang thực hiện", now=d.now(), actor_id=person.id
            )
        if d.on_task_changed:
            await d.on_task_changed(task_id)
        await reply(update, texts.progress_recorded(task_id))
    elif what == "done":
        remember(context, TaskReportForm(task_id=task_id))
        await reply(update, texts.ASK_DONE_REPORT)
        return TaskReportStep.DONE_REPORT
    elif what == "ext":
        remember(context, TaskReportForm(task_id=task_id))
        await reply(update, texts.ASK_EXTENSION)
        return TaskReportStep.EXTENSION
    return None


async def task_text(
    update: Update, context: Context, text: str, *, step: TaskReportStep
) -> int | None:
    """The completion report, or the requested date and reason."""
    d = deps(context)
    task_id = recall(context, TaskReportForm).task_id
    owned = await _own_task(update, context, task_id)
    if owned is None:
        return None
    person = owned[0]
    if step == TaskReportStep.DONE_REPORT:
        async with d.sessions.begin() as session:
            await complete_task(session, task_id, report=text, now=d.now(), actor_id=person.id)
        forget(context)
        if d.on_task_changed:
            await d.on_task_changed(task_id)
        await reply(update, texts.done_recorded(task_id))
        return END
    today = d.now().astimezone(d.tz).date()
    new_date = deadline_from_words(text.partition(",")[0], today)
    reason = text[text.index(",") + 1 :].strip() if "," in text else ""
    if new_date is None or not reason:
        await reply(update, texts.BAD_EXTENSION)
        return None  # the question stays
    async with d.sessions.begin() as session:
        task = await request_extension(
            session, task_id, new_deadline=new_date, reason=reason, now=d.now(), actor_id=person.id
        )
        meeting = await session.get(Meeting, task.meeting_id) if task.meeting_id else None
        secretaries = (
            await people_with_role(session, meeting.committee_id, Role.SECRETARIAT)
            if meeting
            else []
        )
    forget(context)
    message = texts.extension_requested(task, person, format_date(new_date), reason, d.tz)
    decision = keyboard(
        [
            [
                button(context, texts.GRANT, "ext", task_id, "y"),
                button(context, texts.REFUSE, "ext", task_id, "n"),
            ]
        ]
    )
    for secretary in secretaries:
        await send_to(context, secretary, message, decision)
    await reply(update, texts.extension_sent(task_id))
    return END


async def extension_button(update: Update, context: Context, args: list[str]) -> None:
    """The secretariat grants or refuses; the unit's people are told."""
    d = deps(context)
    task_id, grant = int(args[0]), args[1] == "y"
    async with d.sessions.begin() as session:
        found = await authorize(session, update, Role.SECRETARIAT)
        if found is None:
            return
        task = await decide_extension(
            session, task_id, grant=grant, now=d.now(), actor_id=found[0].id
        )
        people = await unit_people(session, task)
    if d.on_task_changed:
        await d.on_task_changed(task_id)
    decided = texts.extension_decided(task, grant)
    await edit_or_send(update, decided)
    for person in people:
        await send_to(context, person, decided)


async def my_tasks(update: Update, context: Context) -> None:
    """/nhiemvu: the open tasks of the caller's unit."""
    d = deps(context)
    async with d.sessions() as session:
        found = await authorize(session, update)
        if found is None:
            return
        unit_id = found[0].unit_id
        tasks = (
            (
                await session.scalars(
                    select(Task)
                    .where(
                        Task.unit_id == unit_id,
                        Task.status.in_(
                            [
                                TaskStatus.ASSIGNED,
                                TaskStatus.IN_PROGRESS,
                                TaskStatus.EXTENSION_REQUESTED,
                            ]
                        ),
                    )
                    .order_by(Task.deadline_date, Task.id)
                )
            ).all()
            if unit_id
            else []
        )
    if not tasks:
        await reply(update, texts.NO_TASKS)
        return
    for task in tasks:
        await reply(update, texts.task_card(task, d.tz), task_buttons(context, task.id))
