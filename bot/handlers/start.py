"""Linking an account (/start CODE), help, cancelling, and invitation links (/moi)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from telegram import BotCommand, BotCommandScopeChat, Update
from telegram.ext import ConversationHandler

from bot import texts
from bot.common import Context, authorize, button, deps, forget, keyboard, reply
from storage.errors import DomainError
from storage.models import Membership, Person, Role
from storage.services.people import (
    INVITE_TTL,
    create_invite_code,
    get_person,
    redeem_invite_code,
    roles_of,
)


async def publish_commands(context: Context, chat_id: int, roles: set[Role]) -> None:
    """Show this person the commands of their roles in Telegram's menu."""
    commands = [BotCommand(name, description) for name, description in texts.commands_for(roles)]
    await context.bot.set_my_commands(commands, scope=BotCommandScopeChat(chat_id))


async def start(update: Update, context: Context) -> None:
    """/start [code]: link the account with a one-time code, or greet a known person."""
    d = deps(context)
    user = update.effective_user
    assert user is not None and update.effective_chat is not None
    code = context.args[0] if context.args else None
    async with d.sessions.begin() as session:
        if code:
            try:
                person = await redeem_invite_code(
                    session,
                    code,
                    telegram_user_id=user.id,
                    telegram_username=user.username,
                    now=d.now(),
                )
            except DomainError as error:
                await reply(update, error.message_vi)
                return
            person = await get_person(session, person.id)
        else:
            found = await authorize(session, update)
            if found is None:
                return
            person = found[0]
        roles = roles_of(person)
    await publish_commands(context, update.effective_chat.id, roles)
    await reply(update, texts.welcome(person, roles))


async def help_command(update: Update, context: Context) -> None:
    """/trogiup: the caller's commands."""
    async with deps(context).sessions() as session:
        found = await authorize(session, update)
    if found is not None:
        await reply(update, texts.help_text(found[1]))


async def cancel(update: Update, context: Context) -> int:
    """/huy: leave whatever dialogue is in progress, from any of its questions."""
    had = forget(context)
    await reply(update, texts.CANCELLED if had else texts.NOTHING_TO_CANCEL)
    return ConversationHandler.END


async def invite(update: Update, context: Context) -> None:
    """/moi: the secretariat picks a person without an account and gets their link."""
    d = deps(context)
    async with d.sessions() as session:
        found = await authorize(session, update, Role.SECRETARIAT)
        if found is None:
            return
        secretary = found[0]
        committees = [m.committee_id for m in secretary.memberships if m.role == Role.SECRETARIAT]
        people = (
            await session.scalars(
                select(Person)
                .join(Membership)
                .where(Membership.committee_id.in_(committees), Person.telegram_user_id.is_(None))
                .distinct()
                .order_by(Person.id)
                .limit(40)
            )
        ).all()
    if not people:
        await reply(update, "Mọi thành viên đã có tài khoản Telegram.")
        return
    rows = [[button(context, p.display_name[:60], "moi", p.id)] for p in people]
    await reply(update, "Chọn người cần tạo đường dẫn mời:", keyboard(rows))


async def invite_pressed(update: Update, context: Context, args: list[str]) -> None:
    d = deps(context)
    async with d.sessions.begin() as session:
        found = await authorize(session, update, Role.SECRETARIAT)
        if found is None:
            return
        person = await get_person(session, int(args[0]))
        code = await create_invite_code(session, person.id, now=d.now(), created_by_id=found[0].id)
    username = context.bot.username
    await reply(
        update, texts.invite_link(username, code.code, person, INVITE_TTL // timedelta(days=1))
    )
