"""Participants answer invitations; coordinators confirm their point and mark who is present."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, auto

from telegram import InlineKeyboardMarkup, Update

from bot import texts
from bot.common import (
    Context,
    authorize,
    button,
    deps,
    edit_message,
    edit_or_send,
    forget,
    keyboard,
    pressed_message,
    recall,
    refuse,
    remember,
    reply,
)
from bot.handlers.meetings import END, send_to
from bot.vietnamese import ANSWER_VI, format_moment
from storage.models import AnswerStatus, Invitation, Point, Readiness, Role
from storage.services.invitations import (
    RollCall,
    answer_invitation,
    coming_invitations,
    get_invitation,
    invitations_of,
    mark_presence,
    point_roll,
    roll_calls_of,
)
from storage.services.meetings import get_meeting, secretaries_of_meeting, set_point_readiness

CODES = {"acc": AnswerStatus.ACCEPTED, "dec": AnswerStatus.DECLINED, "del": AnswerStatus.DELEGATED}


class AnswerStep(Enum):
    """What "Vắng" and "Cử người dự thay" ask before the answer is recorded."""

    DECLINE_REASON = auto()
    SUBSTITUTE = auto()


@dataclass(frozen=True, slots=True)
class AnswerForm:
    """The invitation being answered (possibly by the secretariat on someone's behalf), and
    the message whose button was pressed, which shows the answer below it once given."""

    invitation_id: int
    shown_chat_id: int | None = None
    shown_message_id: int | None = None
    shown_text: str | None = None


class ProblemStep(Enum):
    """What "Có sự cố" asks a coordinator."""

    DESCRIPTION = auto()


@dataclass(frozen=True, slots=True)
class ProblemForm:
    meeting_id: int
    point_id: int


async def invitation_button(update: Update, context: Context, args: list[str]) -> AnswerStep | None:
    """Tham dự answers at once; Vắng and Cử người dự thay ask a question first."""
    d = deps(context)
    invitation_id, code = int(args[0]), args[1]
    async with d.sessions.begin() as session:
        found = await authorize(session, update)
        if found is None:
            return None
        invitation = await get_invitation(session, invitation_id)
        on_behalf = Role.SECRETARIAT in found[1]  # the secretariat may answer for anyone
        if invitation.person_id != found[0].id and not on_behalf:
            await refuse(update, texts.BAD_BUTTON)
            return None
        if code == "acc":
            invitation = await answer_invitation(
                session,
                invitation_id,
                status=AnswerStatus.ACCEPTED,
                now=d.now(),
                answered_by_id=found[0].id,
            )
    pressed = pressed_message(update)
    if code == "acc":
        # The answer goes below the invitation, which stays readable; a change of mind
        # edits the same message again.
        base = pressed.text if pressed is not None and pressed.text else ""
        await edit_or_send(
            update,
            texts.with_answer(base, invitation, invitation.answered_at or d.now(), d.tz),
            _change_buttons(context, invitation_id),
        )
    elif code in ("dec", "del"):
        shown = pressed if pressed is not None and pressed.text else None
        remember(
            context,
            AnswerForm(
                invitation_id=invitation_id,
                shown_chat_id=shown.chat_id if shown else None,
                shown_message_id=shown.message_id if shown else None,
                shown_text=shown.text if shown else None,
            ),
        )
        await reply(update, texts.ASK_DECLINE_REASON if code == "dec" else texts.ASK_DELEGATE)
        return AnswerStep.DECLINE_REASON if code == "dec" else AnswerStep.SUBSTITUTE
    return None


def _change_buttons(context: Context, invitation_id: int) -> InlineKeyboardMarkup:
    """After an answer the buttons stay, so a person can change their mind until the start."""
    return keyboard(
        [
            [
                button(context, label, "inv", invitation_id, code)
                for code, label in texts.ANSWER_BUTTONS.items()
            ]
        ]
    )


async def answer_text(
    update: Update, context: Context, text: str, *, step: AnswerStep
) -> int | None:
    """The reason for being absent, or the substitute's name and title."""
    d = deps(context)
    form = recall(context, AnswerForm)
    invitation_id = form.invitation_id
    async with d.sessions.begin() as session:
        found = await authorize(session, update)
        if found is None:
            return None
        if step == AnswerStep.DECLINE_REASON:
            await answer_invitation(
                session,
                invitation_id,
                status=AnswerStatus.DECLINED,
                reason=text,
                now=d.now(),
                answered_by_id=found[0].id,
            )
        else:
            name, _, title = (part.strip() for part in text.partition(","))
            await answer_invitation(
                session,
                invitation_id,
                status=AnswerStatus.DELEGATED,
                delegate_name=name,
                delegate_title=title or None,
                now=d.now(),
                answered_by_id=found[0].id,
            )
        invitation = await get_invitation(session, invitation_id)
    forget(context)
    if form.shown_chat_id and form.shown_message_id and form.shown_text:
        # The invitation that was pressed shows the answer below it.
        await edit_message(
            context,
            form.shown_chat_id,
            form.shown_message_id,
            texts.with_answer(form.shown_text, invitation, invitation.answered_at or d.now(), d.tz),
            _change_buttons(context, invitation_id),
        )
    await reply(update, texts.answer_recorded(invitation, d.tz))
    return END


async def answer_on_behalf(update: Update, context: Context, args: list[str]) -> None:
    """The secretariat picks someone who has not answered and answers for them."""
    d = deps(context)
    meeting_id = int(args[0])
    async with d.sessions() as session:
        if await authorize(session, update, Role.SECRETARIAT) is None:
            return
        waiting = await invitations_of(session, meeting_id, unanswered_only=True)
        meeting = await get_meeting(session, meeting_id)
    if not waiting:
        await reply(update, texts.reminded(0))
        return
    for inv in waiting:
        await reply(
            update,
            texts.on_behalf(inv.person.display_name, inv.point.name, meeting, d.tz),
            _change_buttons(context, inv.id),
        )


async def readiness_button(update: Update, context: Context, args: list[str]) -> ProblemStep | None:
    d = deps(context)
    meeting_id, point_id, state = int(args[0]), int(args[1]), args[2]
    async with d.sessions.begin() as session:
        found = await authorize(session, update, Role.COORDINATOR, Role.SECRETARIAT)
        if found is None:
            return None
        point = await session.get(Point, point_id)
        if point is None or (
            point.coordinator_id != found[0].id and Role.SECRETARIAT not in found[1]
        ):
            await refuse(update, texts.NOT_ALLOWED)
            return None
        if state == "ok":
            await set_point_readiness(
                session,
                meeting_id=meeting_id,
                point_id=point_id,
                readiness=Readiness.READY,
                by_id=found[0].id,
                now=d.now(),
            )
        meeting = await get_meeting(session, meeting_id)
    if state == "ok":
        await edit_or_send(update, texts.readiness_recorded(point.name, True, None, meeting, d.tz))
        return None
    remember(context, ProblemForm(meeting_id=meeting_id, point_id=point_id))
    await reply(update, texts.ASK_PROBLEM)
    return ProblemStep.DESCRIPTION


async def problem_text(update: Update, context: Context, text: str) -> int | None:
    """A coordinator's problem report: recorded, and the secretariat is alerted."""
    d = deps(context)
    form = recall(context, ProblemForm)
    meeting_id, point_id = form.meeting_id, form.point_id
    async with d.sessions.begin() as session:
        found = await authorize(session, update, Role.COORDINATOR, Role.SECRETARIAT)
        if found is None:
            return None
        await set_point_readiness(
            session,
            meeting_id=meeting_id,
            point_id=point_id,
            readiness=Readiness.PROBLEM,
            note=text,
            by_id=found[0].id,
            now=d.now(),
        )
        meeting = await get_meeting(session, meeting_id)
        point = next(mp.point for mp in meeting.points if mp.point_id == point_id)
        for secretary in await secretaries_of_meeting(session, meeting_id):
            await send_to(
                session,
                context,
                secretary,
                texts.problem_alert(point.name, meeting, text, d.tz),
                kind="point.problem",
                subject=f"meeting:{meeting_id}",
            )
    d.outbox_written()
    forget(context)
    await reply(update, texts.readiness_recorded(point.name, False, text, meeting, d.tz))
    return END


async def roll_call(update: Update, context: Context) -> None:
    """/diemdanh: the coordinator marks who is present at their point in the next meeting."""
    d = deps(context)
    async with d.sessions.begin() as session:
        found = await authorize(session, update, Role.COORDINATOR)
        if found is None:
            return
        rolls = await roll_calls_of(session, found[0].id, now=d.now(), tz=d.tz)
    if not rolls:
        await reply(update, texts.NO_ROLL_CALL)
        return
    for roll in rolls:
        await reply(
            update,
            texts.roll_call(roll.meeting, roll.point.name, d.tz),
            _roll_keyboard(context, roll),
        )


def _roll_keyboard(context: Context, roll: RollCall) -> InlineKeyboardMarkup:
    rows = []
    for inv in roll.invitations:
        name = inv.delegate_name or inv.person.full_name or inv.person.title
        mark = "✅" if inv.present else "❌" if inv.present is False else "▫️"
        rows.append(
            [button(context, f"{mark} {name}"[:60], "pres", inv.id, "0" if inv.present else "1")]
        )
    return keyboard(rows)


async def presence_button(update: Update, context: Context, args: list[str]) -> None:
    d = deps(context)
    invitation_id, present = int(args[0]), args[1] == "1"
    async with d.sessions.begin() as session:
        found = await authorize(session, update, Role.COORDINATOR)
        if found is None:
            return
        invitation = await session.get(Invitation, invitation_id)
        point = await session.get(Point, invitation.point_id) if invitation else None
        if invitation is None or point is None or point.coordinator_id != found[0].id:
            await refuse(update, texts.NOT_ALLOWED)
            return
        await mark_presence(session, invitation_id, present=present, by_id=found[0].id, now=d.now())
        roll = await point_roll(session, invitation.meeting_id, point.id)
    await edit_or_send(
        update, texts.roll_call(roll.meeting, roll.point.name, d.tz), _roll_keyboard(context, roll)
    )


async def my_meetings(update: Update, context: Context) -> None:
    """/lichhop: the caller's coming meetings and their answer."""
    d = deps(context)
    async with d.sessions.begin() as session:
        found = await authorize(session, update)
        if found is None:
            return
        invitations = await coming_invitations(session, found[0].id, now=d.now())
    if not invitations:
        await reply(update, texts.NO_MEETINGS)
        return
    lines = [texts.MY_MEETINGS_HEADER]
    for inv in invitations:
        lines.append(
            f"• {inv.meeting.title}\n  {format_moment(inv.meeting.starts_at, d.tz)} — "
            f"{inv.point.name} — {ANSWER_VI[inv.status]}"
        )
    await reply(update, "\n".join(lines))
