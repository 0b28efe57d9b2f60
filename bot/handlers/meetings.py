"""The secretariat's meetings: guided creation, invitations point by point, the matrix,
reminders to those who have not answered, rescheduling and cancelling."""

from __future__ import annotations

import logging
from datetime import datetime
from enum import StrEnum
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.error import Forbidden

from bot import texts
from bot.common import (
    Context,
    Pending,
    authorize,
    button,
    deps,
    edit_or_send,
    keyboard,
    reply,
    set_pending,
)
from bot.timeparse import parse_meeting_time
from bot.vietnamese import format_attendance_matrix, format_moment
from storage.models import AnswerStatus, Invitation, Meeting, MeetingStatus, Person, Role
from storage.services.invitations import (
    Unreached,
    attendance_matrix,
    invitations_of,
    invitations_to_deliver,
    invite_points,
    issue_invite_links,
    not_reached,
    record_invitation_sent,
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
from storage.services.people import (
    INVITE_TTL,
    committees_of,
    people_with_role,
    secretariat_committees,
)

log = logging.getLogger(__name__)


# Buttons that ask one question; the typed answer goes to ``change_meeting_text``.
QUESTIONS = {
    "mt_cancel": ("cancel_meeting", texts.ASK_CANCEL_REASON),
    "mt_move": ("move_meeting", texts.ASK_NEW_TIME),
    "mt_title": ("edit_title", texts.ASK_NEW_TITLE),
    "mt_agenda": ("add_agenda", texts.ASK_AGENDA_ITEM),
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


class Delivery(StrEnum):
    SENT = "sent"
    NO_ACCOUNT = "no_account"
    BLOCKED = "blocked"


async def deliver(
    context: Context, person: Person, text: str, markup: InlineKeyboardMarkup | None = None
) -> Delivery:
    """Send to a person's private chat, saying whether it arrived, and if not, why."""
    if person.telegram_user_id is None:
        return Delivery.NO_ACCOUNT
    try:
        await context.bot.send_message(person.telegram_user_id, text, reply_markup=markup)
    except Forbidden:
        log.warning("person %s blocked the bot", person.id)
        return Delivery.BLOCKED
    return Delivery.SENT


async def send_to(
    context: Context, person: Person, text: str, markup: InlineKeyboardMarkup | None = None
) -> bool:
    """Send to a person's private chat; False when they have no account or blocked the bot."""
    return await deliver(context, person, text, markup) == Delivery.SENT


# --- creating a meeting ---------------------------------------------------------------------


async def new_meeting(update: Update, context: Context) -> None:
    """/taohop: start the guided creation of a meeting."""
    async with deps(context).sessions() as session:
        found = await authorize(session, update, Role.SECRETARIAT)
    if found is None:
        return
    committees = secretariat_committees(found[0])
    if not committees:
        await reply(update, texts.NO_COMMITTEE)
        return
    set_pending(
        context,
        Pending(
            "new_meeting",
            {"committee_id": committees[0], "step": "title", "points": [], "agenda": []},
        ),
    )
    await reply(update, texts.ASK_TITLE)


async def new_meeting_text(update: Update, context: Context, pending: Pending, text: str) -> None:
    """Typed answers during creation: the title, the time, agenda items."""
    d = deps(context)
    data = pending.data
    if data["step"] == "title":
        data["title"] = text
        data["step"] = "time"
        await reply(update, texts.ASK_TIME)
    elif data["step"] == "time":
        now = d.now()
        moment = parse_meeting_time(text, now=now, tz=d.tz)
        if moment is None:
            await reply(update, texts.BAD_TIME.format(text=text))
            return
        if moment <= now:
            await reply(update, texts.PAST_TIME.format(when=format_moment(moment, d.tz)))
            return
        data["starts_at"] = moment.isoformat()
        data["step"] = "chair"
        async with d.sessions() as session:
            leaders = await people_with_role(session, data["committee_id"], Role.LEADERSHIP)
        rows = [[button(context, p.display_name[:60], "nm_chair", p.id)] for p in leaders]
        await reply(update, texts.ASK_CHAIR, keyboard(rows))
    elif data["step"] == "agenda":
        title, presenter = _agenda_parts(text)
        data["agenda"].append({"title": title, "presenter": presenter})
        await reply(
            update,
            texts.AGENDA_ADDED.format(n=len(data["agenda"])),
            keyboard([[button(context, texts.AGENDA_DONE, "nm_ag_done")]]),
        )
    else:
        await reply(update, "Xin chọn bằng các nút ở tin nhắn trên (hoặc /huy).")


def _agenda_parts(text: str) -> tuple[str, str | None]:
    """ "Nội dung — người trình bày" (an em or en dash, or a spaced hyphen)."""
    for separator in (" — ", " – ", " - "):
        if separator in text:
            title, _, presenter = text.partition(separator)
            return title.strip(), presenter.strip() or None
    return text.strip(), None


async def _points_keyboard(
    context: Context, committee_id: int, chosen: list[int]
) -> InlineKeyboardMarkup:
    async with deps(context).sessions() as session:
        points = await committee_points(session, committee_id)
    rows = [
        [button(context, ("✅ " if p.id in chosen else "▫️ ") + p.name[:50], "nm_pt", p.id)]
        for p in points
    ]
    rows.append([button(context, texts.POINTS_DONE, "nm_pts_done")])
    return keyboard(rows)


async def new_meeting_button(
    update: Update, context: Context, pending: Pending | None, action: str, args: list[str]
) -> None:
    """Button presses during creation: chair, points, end of agenda, save or discard."""
    if pending is None or pending.kind != "new_meeting":
        await edit_or_send(update, texts.BAD_BUTTON)
        return
    data = pending.data
    if action == "nm_chair":
        data["chair_id"] = int(args[0])
        data["step"] = "points"
        await edit_or_send(
            update,
            texts.ASK_POINTS,
            await _points_keyboard(context, data["committee_id"], data["points"]),
        )
    elif action == "nm_pt":
        point_id = int(args[0])
        chosen: list[int] = data["points"]
        chosen.remove(point_id) if point_id in chosen else chosen.append(point_id)
        await edit_or_send(
            update, texts.ASK_POINTS, await _points_keyboard(context, data["committee_id"], chosen)
        )
    elif action == "nm_pts_done":
        if not data["points"]:
            await edit_or_send(
                update,
                "Chưa chọn điểm cầu nào. " + texts.ASK_POINTS,
                await _points_keyboard(context, data["committee_id"], []),
            )
            return
        data["step"] = "agenda"
        await edit_or_send(
            update, texts.ASK_AGENDA, keyboard([[button(context, texts.AGENDA_DONE, "nm_ag_done")]])
        )
    elif action == "nm_ag_done":
        data["step"] = "confirm"
        await edit_or_send(
            update,
            await _confirmation(context, data),
            keyboard(
                [
                    [
                        button(context, texts.CONFIRM_SAVE, "nm_save"),
                        button(context, texts.CONFIRM_DISCARD, "nm_discard"),
                    ]
                ]
            ),
        )
    elif action == "nm_discard":
        set_pending(context, None)
        await edit_or_send(update, texts.CANCELLED)
    elif action == "nm_save":
        await _save_meeting(update, context, data)


async def _confirmation(context: Context, data: dict[str, Any]) -> str:
    d = deps(context)
    async with d.sessions() as session:
        chair = await session.get(Person, data["chair_id"])
        points = await points_by_ids(session, data["points"])
    agenda = [
        a["title"] + (f" — {a['presenter']}" if a["presenter"] else "") for a in data["agenda"]
    ]
    when = format_moment(datetime.fromisoformat(str(data["starts_at"])), d.tz)
    return texts.confirm_meeting(
        str(data["title"]),
        when,
        chair.display_name if chair else "?",
        [p.name for p in points],
        agenda,
    )


async def _save_meeting(update: Update, context: Context, data: dict[str, Any]) -> None:
    d = deps(context)
    async with d.sessions.begin() as session:
        found = await authorize(session, update, Role.SECRETARIAT)
        if found is None:
            return
        meeting = await create_meeting(
            session,
            committee_id=int(data["committee_id"]),
            title=str(data["title"]),
            starts_at=datetime.fromisoformat(str(data["starts_at"])),
            chair_id=int(data["chair_id"]),
            main_point_id=None,  # the service picks the main hall among the points
            point_ids=data["points"],
            now=d.now(),
            agenda=[
                AgendaInput(title=a["title"], presenter_text=a["presenter"]) for a in data["agenda"]
            ],
            actor_id=found[0].id,
        )
        meeting_id = meeting.id
    set_pending(context, None)
    if d.on_meeting_changed:
        await d.on_meeting_changed(meeting_id)
    await edit_or_send(
        update, texts.meeting_saved(str(data["title"])), meeting_actions(context, meeting_id)
    )


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
        invitations = await invitations_of(session, meeting_id)
        to_deliver = await invitations_to_deliver(session, meeting_id)
        coordinators = await meeting_coordinators(session, meeting_id)
        matrix = (
            await attendance_matrix(session, meeting_id, now=d.now()) if action == "mt_mx" else None
        )
    if action == "mt_end":
        await edit_or_send(update, texts.meeting_finished(finished, d.tz))
    elif action == "mt_links":
        codes = [(person, code.code) for person, code in links]
        await reply(update, texts.invite_links(context.bot.username, codes, INVITE_TTL.days))
    elif action == "mt_inv":
        await _send_invitations(update, context, meeting, to_deliver)
        # The readiness check goes once, with the first invitations, not at every resend.
        for point, coordinator in coordinators if first_sending else []:
            await send_to(
                context,
                coordinator,
                texts.readiness_request(meeting, point.name, d.tz),
                readiness_buttons(context, meeting_id, point.id),
            )
    elif action == "mt_mx" and matrix is not None:
        await reply(update, format_attendance_matrix(matrix, d.tz))
    elif action == "mt_rem":
        count = 0
        for inv in invitations:
            if inv.status == AnswerStatus.NEEDS_ACTION and await send_to(
                context,
                inv.person,
                texts.reminder_no_answer(meeting, d.tz),
                answer_buttons(context, inv.id),
            ):
                count += 1
        await reply(update, texts.reminded(count))
    elif action in QUESTIONS:
        kind, question = QUESTIONS[action]
        set_pending(context, Pending(kind, {"meeting_id": meeting_id}))
        await reply(update, question)


async def _send_invitations(
    update: Update, context: Context, meeting: Meeting, invitations: list[Invitation]
) -> None:
    """Send each invitation not delivered yet, log who got it (or blocked the bot), then tell
    the secretariat how many arrived and, point by point, whom they did not reach and why."""
    d = deps(context)
    outcomes = [
        (
            inv,
            await deliver(
                context,
                inv.person,
                texts.invitation(meeting, inv.point.name, d.tz),
                answer_buttons(context, inv.id),
            ),
        )
        for inv in invitations
    ]
    async with d.sessions.begin() as session:
        for inv, outcome in outcomes:
            if outcome != Delivery.NO_ACCOUNT:
                await record_invitation_sent(
                    session, inv.id, blocked=outcome == Delivery.BLOCKED, now=d.now()
                )
        missed = await not_reached(session, meeting.id, now=d.now())
    reached = sum(1 for _, outcome in outcomes if outcome == Delivery.SENT)
    await reply(update, texts.invitations_sent(meeting, d.tz, reached, len(meeting.points)))
    if missed:
        fixable = any(item.reason != Unreached.BLOCKED for item in missed)
        links = keyboard([[button(context, texts.ISSUE_LINKS, "mt_links", meeting.id)]])
        await reply(update, texts.not_reached(missed), links if fixable else None)


async def change_meeting_text(
    update: Update, context: Context, pending: Pending, text: str
) -> None:
    """The reason for cancelling, or the new time, then everyone invited is told."""
    d = deps(context)
    meeting_id = int(pending.data["meeting_id"])
    async with d.sessions.begin() as session:
        found = await authorize(session, update, Role.SECRETARIAT)
        if found is None:
            return
        if pending.kind == "cancel_meeting":
            meeting = await cancel_meeting(
                session, meeting_id, reason=text, now=d.now(), actor_id=found[0].id
            )
            message = texts.meeting_cancelled(meeting, meeting.cancel_reason, d.tz)
        elif pending.kind in ("edit_title", "add_agenda"):
            title, presenter = _agenda_parts(text)
            meeting = await edit_meeting(
                session,
                meeting_id,
                now=d.now(),
                actor_id=found[0].id,
                title=text if pending.kind == "edit_title" else None,
                add_agenda=[AgendaInput(title=title, presenter_text=presenter)]
                if pending.kind == "add_agenda"
                else (),
            )
            message = texts.meeting_changed(meeting, d.tz)
        else:
            moment = parse_meeting_time(text, now=d.now(), tz=d.tz)
            if moment is None:
                await reply(update, texts.BAD_TIME.format(text=text))
                return
            meeting = await reschedule_meeting(
                session, meeting_id, starts_at=moment, now=d.now(), actor_id=found[0].id
            )
            message = texts.meeting_moved(meeting, d.tz)
        # The secretary who made the change reads it in the reply: told once, not twice.
        invitations = await invitations_of(session, meeting_id, besides=found[0].id)
    set_pending(context, None)
    if d.on_meeting_changed:
        await d.on_meeting_changed(meeting_id)
    told = 0
    for inv in invitations:
        told += await send_to(context, inv.person, message)
    await reply(update, f"{message}\nĐã báo {told} người.")
