"""The secretariat's meetings: guided creation, invitations point by point, the matrix,
reminders to those who have not answered, rescheduling and cancelling."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, replace
from datetime import datetime
from enum import Enum, auto

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup, Update
from telegram.ext import ConversationHandler

from bot import texts
from bot.common import (
    Context,
    DialogueLost,
    authorize,
    button,
    deps,
    edit_or_send,
    forget,
    keyboard,
    recall,
    remember,
    reply,
)
from bot.outbox import to_person
from bot.timeparse import parse_meeting_time
from bot.vietnamese import format_attendance_matrix, format_moment
from storage.models import Invitation, Meeting, MeetingStatus, NotificationState, Person, Role
from storage.services.invitations import (
    INVITATION_KIND,
    Unreached,
    attendance_matrix,
    invitations_of,
    invitations_to_deliver,
    invite_points,
    issue_invite_links,
    not_reached,
)
from storage.services.meetings import (
    AgendaInput,
    cancel_meeting,
    coming_meetings,
    committee_points,
    create_meeting,
    edit_meeting,
    finish_meeting,
    get_meeting,
    meeting_coordinators,
    points_by_ids,
    reschedule_meeting,
)
from storage.services.notifications import UNSETTLED, delivery_states, enqueue
from storage.services.people import (
    INVITE_TTL,
    committees_of,
    people_with_role,
    secretariat_committees,
)

log = logging.getLogger(__name__)


END = ConversationHandler.END


class MeetingChangeStep(Enum):
    """The one question a change of an existing meeting asks."""

    CANCEL_REASON = auto()
    NEW_TIME = auto()
    NEW_TITLE = auto()
    AGENDA_ITEM = auto()


@dataclass(frozen=True, slots=True)
class MeetingChangeForm:
    """Which meeting the question is about."""

    meeting_id: int


# Buttons that ask one question; the typed answer goes to ``change_meeting_text``.
QUESTIONS = {
    "mt_cancel": (MeetingChangeStep.CANCEL_REASON, texts.ASK_CANCEL_REASON),
    "mt_move": (MeetingChangeStep.NEW_TIME, texts.ASK_NEW_TIME),
    "mt_title": (MeetingChangeStep.NEW_TITLE, texts.ASK_NEW_TITLE),
    "mt_agenda": (MeetingChangeStep.AGENDA_ITEM, texts.ASK_AGENDA_ITEM),
}


def meeting_actions(
    context: Context, meeting_id: int, status: MeetingStatus = MeetingStatus.PLANNED
) -> InlineKeyboardMarkup:
    if status == MeetingStatus.ONGOING:  # under way: who came, and closing it
        return keyboard(
            [
                [button(context, texts.SHOW_MATRIX, "mt_mx", meeting_id)],
                [button(context, texts.FINISH_MEETING, "mt_end", meeting_id)],
            ]
        )
    return keyboard(
        [
            [
                button(context, texts.SEND_INVITATIONS, "mt_inv", meeting_id),
                button(context, texts.SHOW_MATRIX, "mt_mx", meeting_id),
            ],
            [
                button(context, texts.REMIND, "mt_rem", meeting_id),
                button(context, texts.ANSWER_FOR, "beh", meeting_id),
            ],
            [
                button(context, texts.EDIT_TITLE, "mt_title", meeting_id),
                button(context, texts.ADD_AGENDA, "mt_agenda", meeting_id),
            ],
            [
                button(context, texts.RESCHEDULE, "mt_move", meeting_id),
                button(context, texts.CANCEL_MEETING, "mt_cancel", meeting_id),
            ],
        ]
    )


def answer_buttons(context: Context, invitation_id: int) -> InlineKeyboardMarkup:
    return keyboard(
        [
            [
                button(context, label, "inv", invitation_id, code)
                for code, label in texts.ANSWER_BUTTONS.items()
            ]
        ]
    )


def readiness_buttons(context: Context, meeting_id: int, point_id: int) -> InlineKeyboardMarkup:
    return keyboard(
        [
            [
                button(context, texts.READY_BUTTON, "rdy", meeting_id, point_id, "ok"),
                button(context, texts.PROBLEM_BUTTON, "rdy", meeting_id, point_id, "bad"),
            ]
        ]
    )


async def send_to(
    session: AsyncSession,
    context: Context,
    person: Person,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
    *,
    kind: str,
    subject: str,
) -> bool:
    """Write a message to a person's private chat into the outbox, in the caller's
    transaction: it goes out (once) after the change commits, by the outbox sender, which
    records blocked or failed recipients. False when they have no Telegram account."""
    messages = to_person(
        person, text, markup, kind=kind, subject=subject, moment=deps(context).now()
    )
    await enqueue(session, messages, now=deps(context).now(), distinct_texts=True)
    return bool(messages)


# --- creating a meeting ---------------------------------------------------------------------


class NewMeetingStep(Enum):
    """The questions of /taohop, in the order they are asked."""

    TITLE = auto()
    TIME = auto()
    CHAIR = auto()  # a button per leader
    POINTS = auto()  # buttons to tick, then "Xong"
    AGENDA = auto()  # typed items, then "Xong"
    CONFIRM = auto()  # save or discard


@dataclass(frozen=True, slots=True)
class AgendaEntry:
    title: str
    presenter: str | None = None


@dataclass(frozen=True, slots=True)
class NewMeetingForm:
    """What /taohop has collected so far."""

    committee_id: int
    title: str = ""
    starts_at: datetime | None = None
    chair_id: int | None = None
    point_ids: tuple[int, ...] = ()
    agenda: tuple[AgendaEntry, ...] = ()


async def new_meeting(update: Update, context: Context) -> NewMeetingStep | None:
    """/taohop: start the guided creation of a meeting."""
    async with deps(context).sessions() as session:
        found = await authorize(session, update, Role.SECRETARIAT)
    if found is None:
        return None
    committees = secretariat_committees(found[0])
    if not committees:
        await reply(update, texts.NO_COMMITTEE)
        return None
    remember(context, NewMeetingForm(committee_id=committees[0]))
    await reply(update, texts.ASK_TITLE)
    return NewMeetingStep.TITLE


async def new_meeting_title(update: Update, context: Context, text: str) -> NewMeetingStep:
    form = recall(context, NewMeetingForm)
    remember(context, replace(form, title=text))
    await reply(update, texts.ASK_TIME)
    return NewMeetingStep.TIME


async def new_meeting_time(update: Update, context: Context, text: str) -> NewMeetingStep | None:
    d = deps(context)
    form = recall(context, NewMeetingForm)
    now = d.now()
    moment = parse_meeting_time(text, now=now, tz=d.tz)
    if moment is None:
        await reply(update, texts.BAD_TIME.format(text=text))
        return None
    if moment <= now:
        await reply(update, texts.PAST_TIME.format(when=format_moment(moment, d.tz)))
        return None
    remember(context, replace(form, starts_at=moment))
    async with d.sessions() as session:
        leaders = await people_with_role(session, form.committee_id, Role.LEADERSHIP)
    rows = [[button(context, p.display_name[:60], "nm_chair", p.id)] for p in leaders]
    await reply(update, texts.ASK_CHAIR, keyboard(rows))
    return NewMeetingStep.CHAIR


async def new_meeting_chair(update: Update, context: Context, args: list[str]) -> NewMeetingStep:
    form = replace(recall(context, NewMeetingForm), chair_id=int(args[0]))
    remember(context, form)
    await edit_or_send(
        update, texts.ASK_POINTS, await _points_keyboard(context, form.committee_id, ())
    )
    return NewMeetingStep.POINTS


async def new_meeting_point(update: Update, context: Context, args: list[str]) -> None:
    """Tick or untick a point; the question stays."""
    form = recall(context, NewMeetingForm)
    point_id = int(args[0])
    chosen = tuple(p for p in form.point_ids if p != point_id)
    if point_id not in form.point_ids:
        chosen += (point_id,)
    remember(context, replace(form, point_ids=chosen))
    await edit_or_send(
        update, texts.ASK_POINTS, await _points_keyboard(context, form.committee_id, chosen)
    )


async def new_meeting_points_done(
    update: Update, context: Context, args: list[str]
) -> NewMeetingStep | None:
    form = recall(context, NewMeetingForm)
    if not form.point_ids:
        await edit_or_send(
            update,
            "Chưa chọn điểm cầu nào. " + texts.ASK_POINTS,
            await _points_keyboard(context, form.committee_id, ()),
        )
        return None
    await edit_or_send(
        update, texts.ASK_AGENDA, keyboard([[button(context, texts.AGENDA_DONE, "nm_ag_done")]])
    )
    return NewMeetingStep.AGENDA


async def new_meeting_agenda(update: Update, context: Context, text: str) -> None:
    """One agenda item; more may follow until "Xong"."""
    form = recall(context, NewMeetingForm)
    title, presenter = _agenda_parts(text)
    form = replace(form, agenda=(*form.agenda, AgendaEntry(title, presenter)))
    remember(context, form)
    await reply(
        update,
        texts.AGENDA_ADDED.format(n=len(form.agenda)),
        keyboard([[button(context, texts.AGENDA_DONE, "nm_ag_done")]]),
    )


async def new_meeting_agenda_done(
    update: Update, context: Context, args: list[str]
) -> NewMeetingStep:
    form = recall(context, NewMeetingForm)
    await edit_or_send(
        update,
        await _confirmation(context, form),
        keyboard(
            [
                [
                    button(context, texts.CONFIRM_SAVE, "nm_save"),
                    button(context, texts.CONFIRM_DISCARD, "nm_discard"),
                ]
            ]
        ),
    )
    return NewMeetingStep.CONFIRM


async def new_meeting_discard(update: Update, context: Context, args: list[str]) -> int:
    forget(context)
    await edit_or_send(update, texts.CANCELLED)
    return END


def _agenda_parts(text: str) -> tuple[str, str | None]:
    """ "Nội dung — người trình bày" (an em or en dash, or a spaced hyphen)."""
    for separator in (" — ", " – ", " - "):
        if separator in text:
            title, _, presenter = text.partition(separator)
            return title.strip(), presenter.strip() or None
    return text.strip(), None


async def _points_keyboard(
    context: Context, committee_id: int, chosen: tuple[int, ...]
) -> InlineKeyboardMarkup:
    async with deps(context).sessions() as session:
        points = await committee_points(session, committee_id)
    rows = [
        [button(context, ("✅ " if p.id in chosen else "▫️ ") + p.name[:50], "nm_pt", p.id)]
        for p in points
    ]
    rows.append([button(context, texts.POINTS_DONE, "nm_pts_done")])
    return keyboard(rows)


def _complete(form: NewMeetingForm) -> tuple[datetime, int]:
    """The start and chair a confirmation needs; a form without them was not filled in by
    this dialogue (stored by an older version, say), so it cannot go on."""
    if form.starts_at is None or form.chair_id is None or not form.point_ids:
        raise DialogueLost(f"incomplete new meeting form {form!r}")
    return form.starts_at, form.chair_id


async def _confirmation(context: Context, form: NewMeetingForm) -> str:
    d = deps(context)
    starts_at, chair_id = _complete(form)
    async with d.sessions() as session:
        chair = await session.get(Person, chair_id)
        points = await points_by_ids(session, list(form.point_ids))
    agenda = [a.title + (f" — {a.presenter}" if a.presenter else "") for a in form.agenda]
    return texts.confirm_meeting(
        form.title,
        format_moment(starts_at, d.tz),
        chair.display_name if chair else "?",
        [p.name for p in points],
        agenda,
    )


async def new_meeting_save(update: Update, context: Context, args: list[str]) -> int | None:
    d = deps(context)
    form = recall(context, NewMeetingForm)
    starts_at, chair_id = _complete(form)
    async with d.sessions.begin() as session:
        found = await authorize(session, update, Role.SECRETARIAT)
        if found is None:
            return None
        meeting = await create_meeting(
            session,
            committee_id=form.committee_id,
            title=form.title,
            starts_at=starts_at,
            chair_id=chair_id,
            main_point_id=None,  # the service picks the main hall among the points
            point_ids=list(form.point_ids),
            now=d.now(),
            agenda=[AgendaInput(title=a.title, presenter_text=a.presenter) for a in form.agenda],
            actor_id=found[0].id,
        )
        meeting_id = meeting.id
    forget(context)
    if d.on_meeting_changed:
        await d.on_meeting_changed(meeting_id)
    await edit_or_send(
        update, texts.meeting_saved(form.title), meeting_actions(context, meeting_id)
    )
    return END


# --- an existing meeting ----------------------------------------------------------------------


async def list_meetings(update: Update, context: Context) -> None:
    """/hop: the committee's coming meetings, each with its actions."""
    d = deps(context)
    async with d.sessions.begin() as session:
        found = await authorize(session, update, Role.SECRETARIAT)
        if found is None:
            return
        meetings = await coming_meetings(
            session, committee_ids=committees_of(found[0]), now=d.now()
        )
    if not meetings:
        await reply(update, texts.NO_MEETINGS)
        return
    for meeting in meetings:
        await reply(
            update,
            texts.meeting_listed(meeting, d.tz),
            meeting_actions(context, meeting.id, meeting.status),
        )


async def meeting_button(update: Update, context: Context, action: str, args: list[str]) -> None:
    d = deps(context)
    meeting_id = int(args[0])
    async with d.sessions.begin() as session:
        found = await authorize(session, update, Role.SECRETARIAT)
        if found is None:
            return
        secretary = found[0]
        first_sending = False
        if action == "mt_inv":
            created = await invite_points(session, meeting_id, now=d.now(), actor_id=secretary.id)
            first_sending = bool(created)
        elif action == "mt_end":
            finished = await finish_meeting(session, meeting_id, now=d.now(), actor_id=secretary.id)
        elif action == "mt_links":
            links = await issue_invite_links(
                session, meeting_id, now=d.now(), created_by_id=secretary.id
            )
        meeting = await get_meeting(session, meeting_id)
        coordinators = await meeting_coordinators(session, meeting_id)
        matrix = (
            await attendance_matrix(session, meeting_id, now=d.now()) if action == "mt_mx" else None
        )
        subject, reached, invited = f"meeting:{meeting_id}", 0, []
        if action == "mt_inv":
            to_deliver = await invitations_to_deliver(session, meeting_id)
            invited = await _write_invitations(session, context, meeting, to_deliver)
            # The readiness check goes once, with the first invitations, not at every resend.
            for point, coordinator in coordinators if first_sending else []:
                await send_to(
                    session,
                    context,
                    coordinator,
                    texts.readiness_request(meeting, point.name, d.tz),
                    readiness_buttons(context, meeting_id, point.id),
                    kind="meeting.readiness_request",
                    subject=subject,
                )
        elif action == "mt_rem":
            for inv in await invitations_of(session, meeting_id, unanswered_only=True):
                reached += await send_to(
                    session,
                    context,
                    inv.person,
                    texts.reminder_no_answer(meeting, d.tz),
                    answer_buttons(context, inv.id),
                    kind="meeting.no_answer",
                    subject=subject,
                )
    d.outbox_written()
    if action == "mt_end":
        await edit_or_send(update, texts.meeting_finished(finished, d.tz))
    elif action == "mt_links":
        codes = [(person, code.code) for person, code in links]
        await reply(update, texts.invite_links(context.bot.username, codes, INVITE_TTL.days))
    elif action == "mt_inv":
        if invited:
            await reply(update, texts.invitations_going(meeting, d.tz, len(invited)))
        # Who was reached is known once the sender has tried everyone (a block shows only
        # then), so the report follows the sending; PTB keeps the task till shutdown.
        context.application.create_task(
            _report_invitations(update, context, meeting_id, invited), update=update
        )
    elif action == "mt_mx" and matrix is not None:
        await reply(update, format_attendance_matrix(matrix, d.tz))
    elif action == "mt_rem":
        await reply(update, texts.reminded(reached))


async def ask_meeting_change(
    update: Update, context: Context, args: list[str], *, action: str
) -> MeetingChangeStep | None:
    """Cancel, reschedule, rename or add to the agenda: ask the one question it needs."""
    async with deps(context).sessions() as session:
        if await authorize(session, update, Role.SECRETARIAT) is None:
            return None
    step, question = QUESTIONS[action]
    remember(context, MeetingChangeForm(meeting_id=int(args[0])))
    await reply(update, question)
    return step


# How long the report after "Gửi giấy mời" waits for the sender to try every invitation; a
# row still waiting then (Telegram asked us to slow down, a network fault) is counted apart.
REPORT_WAIT_S = 30.0


async def _report_invitations(
    update: Update, context: Context, meeting_id: int, subjects: list[str]
) -> None:
    """Once the sender has tried the invitations just written, tell the secretariat how many
    arrived and whom they did not reach, point by point and why: whom to phone."""
    d = deps(context)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + REPORT_WAIT_S
    while True:
        async with d.sessions() as session:
            states = await delivery_states(session, kind=INVITATION_KIND, subjects=subjects)
        waiting = sum(state in UNSETTLED for state in states)
        if not waiting or loop.time() >= deadline or not context.application.running:
            break
        await asyncio.sleep(0.2)
    async with d.sessions() as session:
        meeting = await get_meeting(session, meeting_id)
        missed = await not_reached(session, meeting_id, now=d.now())
    delivered = sum(state == NotificationState.SENT for state in states)
    await reply(
        update, texts.invitations_sent(meeting, d.tz, delivered, len(meeting.points), waiting)
    )
    if missed:
        fixable = any(item.reason != Unreached.BLOCKED for item in missed)
        issue = keyboard([[button(context, texts.ISSUE_LINKS, "mt_links", meeting_id)]])
        await reply(update, texts.not_reached(missed), issue if fixable else None)


async def _write_invitations(
    session: AsyncSession, context: Context, meeting: Meeting, invitations: list[Invitation]
) -> list[str]:
    """Write to the outbox, in the caller's transaction, each invitation not delivered yet
    (one row per invitation), and mark it sent; returns the subjects of the rows written.
    The outbox sender records who blocked the bot, which ``not_reached`` reads."""
    d = deps(context)
    written: list[str] = []
    for inv in invitations:
        messages = to_person(
            inv.person,
            texts.invitation(meeting, inv.point.name, d.tz),
            answer_buttons(context, inv.id),
            kind=INVITATION_KIND,
            subject=f"invitation:{inv.id}",
            moment=d.now(),
        )
        if messages and await enqueue(session, messages, now=d.now()):
            written.append(messages[0].key.subject)
            inv.sent_at = d.now()
    await session.flush()
    return written


async def change_meeting_text(
    update: Update, context: Context, text: str, *, step: MeetingChangeStep
) -> int | None:
    """The reason for cancelling, or the new time, then everyone invited is told."""
    d = deps(context)
    meeting_id = recall(context, MeetingChangeForm).meeting_id
    async with d.sessions.begin() as session:
        found = await authorize(session, update, Role.SECRETARIAT)
        if found is None:
            return None
        if step == MeetingChangeStep.CANCEL_REASON:
            meeting = await cancel_meeting(
                session, meeting_id, reason=text, now=d.now(), actor_id=found[0].id
            )
            message = texts.meeting_cancelled(meeting, meeting.cancel_reason, d.tz)
            kind = "meeting.cancelled"
        elif step in (MeetingChangeStep.NEW_TITLE, MeetingChangeStep.AGENDA_ITEM):
            title, presenter = _agenda_parts(text)
            meeting = await edit_meeting(
                session,
                meeting_id,
                now=d.now(),
                actor_id=found[0].id,
                title=text if step == MeetingChangeStep.NEW_TITLE else None,
                add_agenda=[AgendaInput(title=title, presenter_text=presenter)]
                if step == MeetingChangeStep.AGENDA_ITEM
                else (),
            )
            message = texts.meeting_changed(meeting, d.tz)
            kind = "meeting.changed"
        else:
            moment = parse_meeting_time(text, now=d.now(), tz=d.tz)
            if moment is None:
                await reply(update, texts.BAD_TIME.format(text=text))
                return None  # the question stays
            meeting = await reschedule_meeting(
                session, meeting_id, starts_at=moment, now=d.now(), actor_id=found[0].id
            )
            message = texts.meeting_moved(meeting, d.tz)
            kind = "meeting.moved"
        # The secretary who made the change reads it in the reply: told once, not twice.
        told = 0
        for inv in await invitations_of(session, meeting_id, besides=found[0].id):
            told += await send_to(
                session, context, inv.person, message, kind=kind, subject=f"meeting:{meeting_id}"
            )
    d.outbox_written()
    forget(context)
    if d.on_meeting_changed:
        await d.on_meeting_changed(meeting_id)
    await reply(update, f"{message}\nĐã báo {told} người.")
    return END
