"""Assignees report progress, completion or ask for more time; the secretariat decides."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, auto

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
from bot.outbox import to_person
from bot.timeparse import deadline_from_words
from bot.vietnamese import format_date
from storage.models import Person, Role, Task
from storage.services.meetings import secretaries_of_meeting
from storage.services.notifications import enqueue
from storage.services.people import unit_people
from storage.services.tasks import (
    complete_task,
    decide_extension,
    get_task,
    open_tasks_of_unit,
    report_progress,
    request_extension,
)


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


async def deliver_tasks(
    context: Context, task_ids: list[int], *, session: AsyncSession | None = None
) -> int:
    """Write each approved task to the outbox for the people of its unit, in ``session``'s
    transaction (the approval's) or in one of its own; returns how many messages."""
    d = deps(context)
    if session is None:
        async with d.sessions.begin() as own:
            written = await deliver_tasks(context, task_ids, session=own)
        d.outbox_written()
        return written
    written = 0
    for task_id in task_ids:
        task = await get_task(session, task_id)
        for person in await unit_people(session, task.unit_id):
            # Keyed by the task's creation: delivering the same approval again adds nothing.
            messages = to_person(
                person,
                texts.task_assigned(task, d.tz, task.meeting),
                task_buttons(context, task_id),
                kind="task.assigned",
                subject=f"task:{task_id}",
                moment=task.created_at,
            )
            written += await enqueue(session, messages, now=d.now())
    return written


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
    person, task = owned
    if what == "prog":
        async with d.sessions.begin() as session:
            await report_progress(
                session, task_id, note="Đang thực hiện", now=d.now(), actor_id=person.id
            )
        if d.on_task_changed:
            await d.on_task_changed(task_id)
        await reply(update, texts.progress_recorded(task, task.meeting, d.tz))
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
    person, task = owned
    if step == TaskReportStep.DONE_REPORT:
        async with d.sessions.begin() as session:
            await complete_task(session, task_id, report=text, now=d.now(), actor_id=person.id)
        forget(context)
        if d.on_task_changed:
            await d.on_task_changed(task_id)
        await reply(update, texts.done_recorded(task, task.meeting, d.tz))
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
        secretaries = await secretaries_of_meeting(session, task.meeting_id)
        message = texts.extension_requested(
            task, person, format_date(new_date), reason, d.tz, task.meeting
        )
        decision = keyboard(
            [
                [
                    button(context, texts.GRANT, "ext", task_id, "y"),
                    button(context, texts.REFUSE, "ext", task_id, "n"),
                ]
            ]
        )
        for secretary in secretaries:
            await send_to(
                session,
                context,
                secretary,
                message,
                decision,
                kind="task.extension_requested",
                subject=f"task:{task_id}",
            )
    d.outbox_written()
    forget(context)
    await reply(update, texts.extension_sent(task, task.meeting, d.tz))
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
        decided = texts.extension_decided(task, grant, task.meeting, d.tz)
        for person in await unit_people(session, task.unit_id):
            await send_to(
                session,
                context,
                person,
                decided,
                kind="task.extension_decided",
                subject=f"task:{task_id}",
            )
    d.outbox_written()
    if d.on_task_changed:
        await d.on_task_changed(task_id)
    await edit_or_send(update, decided)


async def my_tasks(update: Update, context: Context) -> None:
    """/nhiemvu: the open tasks of the caller's unit."""
    d = deps(context)
    async with d.sessions() as session:
        found = await authorize(session, update)
        if found is None:
            return
        tasks = await open_tasks_of_unit(session, found[0].unit_id)
    if not tasks:
        await reply(update, texts.NO_TASKS)
        return
    for task in tasks:
        await reply(
            update, texts.task_card(task, d.tz, task.meeting), task_buttons(context, task.id)
        )
