"""Participants answer invitations; coordinators confirm their point and mark who is present."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, auto

from sqlalchemy import select
from sqlalchemy.orm import selectinload
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
from storage.models import (
    AnswerStatus,
    Invitation,
    Meeting,
    MeetingStatus,
    Point,
    Readiness,
    Role,
)
from storage.services.invitations import answer_invitation, mark_presence
from storage.services.meetings import set_point_readiness
from storage.services.people import people_with_role
from storage.texts import format_moment

CODES = {"acc": AnswerStatus.ACCEPTED, "dec": AnswerStatus.DECLINED, "del": AnswerStatus.DELEGATED}


class AnswerStep(Enum):
    """What "Vắng" and "Cử người dự thay" ask before the answer is recorded."""

    DECLINE_REASON = auto()
    SUBSTITUTE = auto()


@dataclass(frozen=True, slots=True)
class AnswerForm:
    """The invitation being answered (possibly by the secretariat on someone's behalf)."""

    invitation_id: int


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
        invitation = await session.get(Invitation, invitation_id)
        on_behalf = Role.SECRETARIAT in found[1]  # the secretariat may answer for anyone
        if invitation is None or (invitation.person_id != found[0].id and not on_behalf):
            await refuse(update, texts.BAD_BUTTON)
            return None
        if code == "acc":
            await answer_invitation(
                session,
                invitation_id,
                status=AnswerStatus.ACCEPTED,
                now=d.now(),
                answered_by_id=found[0].id,
            )
    if code == "acc":
        await edit_or_send(
            update, texts.ANSWER_DONE["acc"], _change_buttons(context, invitation_id)
        )
    elif code in ("dec", "del"):
        remember(context, AnswerForm(invitation_id=invitation_id))
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
    invitation_id = recall(context, AnswerForm).invitation_id
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
            done = texts.ANSWER_DONE["dec"].format(reason=text)
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
            done = texts.ANSWER_DONE["del"].format(delegate=name + (f" ({title})" if title else ""))
    forget(context)
    await reply(update, done, _change_buttons(context, invitation_id))
    return END


async def answer_on_behalf(update: Update, context: Context, args: list[str]) -> None:
    """The secretariat picks someone who has not answered and answers for them."""
    d = deps(context)
    meeting_id = int(args[0])
    async with d.sessions() as session:
        if await authorize(session, update, Role.SECRETARIAT) is None:
            return
        waiting = (
            await session.scalars(
                select(Invitation)
                .where(
                    Invitation.meeting_id == meeting_id,
                    Invitation.status == AnswerStatus.NEEDS_ACTION,
                )
                .options(selectinload(Invitation.person), selectinload(Invitation.point))
                .order_by(Invitation.point_id, Invitation.id)
            )
        ).all()
    if not waiting:
        await reply(update, texts.reminded(0))
        return
    for inv in waiting:
        await reply(
            update,
            texts.on_behalf(inv.person.display_name, inv.point.name),
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
    if state == "ok":
        await edit_or_send(update, texts.readiness_recorded(point.name, True, None))
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
        meeting = await session.get(Meeting, meeting_id)
        point = await session.get(Point, point_id)
        assert meeting is not None and point is not None
        secretaries = await people_with_role(session, meeting.committee_id, Role.SECRETARIAT)
    forget(context)
    await reply(update, texts.readiness_recorded(point.name, False, text))
    for secretary in secretaries:
        await send_to(context, secretary, texts.problem_alert(point.name, meeting.title, text))
    return END


async def roll_call(update: Update, context: Context) -> None:
    """/diemdanh: the coordinator marks who is present at their point in the next meeting."""
    d = deps(context)
    async with d.sessions() as session:
        found = await authorize(session, update, Role.COORDINATOR)
        if found is None:
            return
        coordinator = found[0]
        points = [
            p.id
            for p in await session.scalars(
                select(Point).where(Point.coordinator_id == coordinator.id)
            )
        ]
        invitations = (
            await session.scalars(
                select(Invitation)
                .join(Meeting)
                .where(Invitation.point_id.in_(points), Meeting.status == MeetingStatus.PLANNED)
                .options(selectinload(Invitation.person))
                .order_by(Meeting.starts_at, Invitation.id)
            )
        ).all()
    if not invitations:
        await reply(update, texts.NO_MEETINGS)
        return
    await reply(
        update,
        "Điểm danh tại điểm cầu (bấm để đánh dấu có mặt / vắng):",
        _roll_call_keyboard(context, list(invitations)),
    )


def _roll_call_keyboard(context: Context, invitations: list[Invitation]) -> InlineKeyboardMarkup:
    rows = []
    for inv in invitations:
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
        invitations = (
            await session.scalars(
                select(Invitation)
                .where(
                    Invitation.meeting_id == invitation.meeting_id,
                    Invitation.point_id == point.id,
                )
                .options(selectinload(Invitation.person))
                .order_by(Invitation.id)
            )
        ).all()
    await edit_or_send(
        update,
        "Điểm danh tại điểm cầu (bấm để đánh dấu có mặt / vắng):",
        _roll_call_keyboard(context, list(invitations)),
    )


async def my_meetings(update: Update, context: Context) -> None:
    """/lichhop: the caller's coming meetings and their answer."""
    d = deps(context)
    async with d.sessions() as session:
        found = await authorize(session, update)
        if found is None:
            return
        invitations = (
            await session.scalars(
                select(Invitation)
                .join(Meeting)
                .where(
                    Invitation.person_id == found[0].id,
                    Meeting.status == MeetingStatus.PLANNED,
                    Meeting.starts_at > d.now(),
                )
                .options(selectinload(Invitation.meeting), selectinload(Invitation.point))
                .order_by(Meeting.starts_at)
            )
        ).all()
    if not invitations:
        await reply(update, texts.NO_MEETINGS)
        return
    lines = [texts.MY_MEETINGS_HEADER]
    from storage.texts import ANSWER_VI

    for inv in invitations:
        lines.append(
            f"• {inv.meeting.title}\n  {format_moment(inv.meeting.starts_at, d.tz)} — "
            f"{inv.point.name} — {ANSWER_VI[inv.status]}"
        )
    await reply(update, "\n".join(lines))
