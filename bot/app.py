"""Building the one PTB ``Application``: handlers, the button and text routers, errors."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from telegram import BotCommand, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseRateLimiter,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import dialogues, texts
from bot.callbacks import unpack
from bot.common import DEPS_KEY, BotDeps, Context, answer_query, authorize, deps, reply
from bot.handlers import attendance, drafts, meetings, start, tasks
from bot.handlers.web import web_link
from bot.persistence import DatabasePersistence
from storage.errors import DomainError

log = logging.getLogger(__name__)

# The buttons that act at once; those that ask a question start a dialogue (bot.dialogues).
ButtonHandler = Callable[[Update, Context, list[str]], Awaitable[object]]
BUTTON_HANDLERS: dict[str, ButtonHandler] = {
    "moi": start.invite_pressed,
    "inv": attendance.invitation_button,
    "beh": attendance.answer_on_behalf,
    "rdy": attendance.readiness_button,
    "pres": attendance.presence_button,
    "tk": tasks.task_button,
    "ext": tasks.extension_button,
    "dr": drafts.draft_button,
}
MEETING_ACTIONS = {"mt_inv", "mt_mx", "mt_rem"}


async def on_text(update: Update, context: Context) -> None:
    """A plain text message outside any dialogue (those answer in bot.dialogues)."""
    async with deps(context).sessions() as session:
        if await authorize(session, update) is None:
            return
    await reply(update, texts.NOT_UNDERSTOOD)


async def on_button(update: Update, context: Context) -> None:
    """Every button press: verify the signed data, dispatch, and always answer the query so
    no button is left spinning."""
    query = update.callback_query
    assert query is not None
    parsed = unpack(deps(context).secret, query.data)
    if parsed is None:
        log.warning("forged or stale callback data %r from %s", query.data, query.from_user.id)
        await query.answer(texts.BAD_BUTTON, show_alert=True)
        return
    action, args = parsed
    try:
        if action in MEETING_ACTIONS:
            await meetings.meeting_button(update, context, action, args)
        elif action in dialogues.WIZARD_BUTTONS:
            # A dialogue's button outside its question: an old message, or one already done.
            await query.answer(texts.BAD_BUTTON, show_alert=True)
            return
        elif action in BUTTON_HANDLERS:
            await BUTTON_HANDLERS[action](update, context, args)
        else:
            await query.answer(texts.BAD_BUTTON, show_alert=True)
            return
    except DomainError as error:
        log.info("refused button %s: %s", action, error)
        await answer_query(update, error.message_vi, alert=True)
        return
    await answer_query(update)


async def on_unknown_command(update: Update, context: Context) -> None:
    async with deps(context).sessions() as session:
        if await authorize(session, update) is None:
            return
    await reply(update, texts.NOT_UNDERSTOOD)


async def on_error(update: object, context: Context) -> None:
    """Log first, then tell the person something useful; never leave a button spinning."""
    log.error("error while handling %r", update, exc_info=context.error)
    if isinstance(update, Update):
        await answer_query(update, texts.GENERIC_ERROR, alert=True)
        if update.effective_chat is not None and update.callback_query is None:
            await update.effective_chat.send_message(texts.GENERIC_ERROR)


async def publish_default_commands(application: Application) -> None:  # type: ignore[type-arg]
    """Everyone sees the participant's commands; /start adds those of each person's roles."""
    await application.bot.set_my_commands(
        [BotCommand(name, description) for name, description in texts.commands_for(set())]
    )


def add_handlers(application: Application, secret: bytes) -> None:  # type: ignore[type-arg]
    # First: a dialogue in progress takes its answers before any other handler sees them.
    application.add_handler(dialogues.dialogue_handler(secret))
    commands = {
        "start": start.start,
        "trogiup": start.help_command,
        "help": start.help_command,
        "huy": start.cancel,
        "moi": start.invite,
        "hop": meetings.list_meetings,
        "lichhop": attendance.my_meetings,
        "diemdanh": attendance.roll_call,
        "nhiemvu": tasks.my_tasks,
        "duthao": drafts.pending_drafts,
        "web": web_link,
    }
    for name, callback in commands.items():
        application.add_handler(CommandHandler(name, callback))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, on_text))
    application.add_handler(MessageHandler(filters.COMMAND, on_unknown_command))
    application.add_handler(CallbackQueryHandler(on_button))
    # Last, in a group of its own so it sees every update once the one above handled it.
    application.add_handler(TypeHandler(Update, dialogues.save_dialogues), group=SAVE_GROUP)
    application.add_error_handler(on_error)


SAVE_GROUP = 100


def build_application(
    bot_deps: BotDeps,
    *,
    token: str,
    base_url: str,
    base_file_url: str | None = None,
    rate_limiter: BaseRateLimiter | None = None,  # type: ignore[type-arg]
    polling: bool = True,
    local_mode: bool = False,
) -> Application:  # type: ignore[type-arg]
    """One Application: long polling in development, webhook (no updater) in production;
    ``local_mode`` for a local Bot API server, which hands files over as paths on disk."""
    builder = ApplicationBuilder().token(token).base_url(base_url).local_mode(local_mode)
    if base_file_url:
        builder = builder.base_file_url(base_file_url)
    if rate_limiter is not None:
        builder = builder.rate_limiter(rate_limiter)
    if not polling:
        builder = builder.updater(None)
    persistence = DatabasePersistence(
        bot_deps.sessions, codec=dialogues.codec(), clock=bot_deps.clock
    )
    builder = builder.persistence(persistence).concurrent_updates(False)
    application = builder.post_init(publish_default_commands).build()
    application.bot_data[DEPS_KEY] = bot_deps
    add_handlers(application, bot_deps.secret)
    return application
