"""Building the one PTB ``Application``: handlers, the button and text routers, errors."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from telegram import BotCommand, Update
from telegram.error import BadRequest
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseRateLimiter,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot import texts
from bot.callbacks import unpack
from bot.common import (
    DEPS_KEY,
    BotDeps,
    Context,
    Pending,
    authorize,
    deps,
    get_pending,
    reply,
    set_pending,
)
from bot.handlers import attendance, drafts, meetings, recordings, start, tasks
from bot.handlers.web import web_link
from bot.vietnamese import error_vi
from storage.errors import DomainError

log = logging.getLogger(__name__)

TextHandler = Callable[[Update, Context, Pending, str], Awaitable[None]]
TEXT_HANDLERS: dict[str, TextHandler] = {
    "new_meeting": meetings.new_meeting_text,
    "cancel_meeting": meetings.change_meeting_text,
    "move_meeting": meetings.change_meeting_text,
    "edit_title": meetings.change_meeting_text,
    "add_agenda": meetings.change_meeting_text,
    "answer": attendance.answer_text,
    "problem": attendance.problem_text,
    "task_done": tasks.task_text,
    "task_extend": tasks.task_text,
    "edit_draft": drafts.draft_text,
    "reject": drafts.draft_text,
    "add_task": drafts.draft_text,
}

ButtonHandler = Callable[[Update, Context, list[str]], Awaitable[None]]
BUTTON_HANDLERS: dict[str, ButtonHandler] = {
    "moi": start.invite_pressed,
    "inv": attendance.invitation_button,
    "beh": attendance.answer_on_behalf,
    "rdy": attendance.readiness_button,
    "pres": attendance.presence_button,
    "tk": tasks.task_button,
    "ext": tasks.extension_button,
    "dr": drafts.draft_button,
    "rec": recordings.recording_meeting_chosen,
}
MEETING_ACTIONS = {
    "mt_inv",
    "mt_mx",
    "mt_rem",
    "mt_cancel",
    "mt_move",
    "mt_title",
    "mt_agenda",
    "mt_end",
    "mt_links",
}
NEW_MEETING_ACTIONS = {"nm_chair", "nm_pt", "nm_pts_done", "nm_ag_done", "nm_save", "nm_discard"}


async def on_text(update: Update, context: Context) -> None:
    """A plain text message answers the question the bot asked, if it asked one."""
    message = update.effective_message
    if message is None or message.text is None:  # the filter lets only text through
        return
    pending = get_pending(context)
    if pending is None:
        async with deps(context).sessions() as session:
            if await authorize(session, update) is None:
                return
        await reply(update, texts.NOT_UNDERSTOOD)
        return
    try:
        await TEXT_HANDLERS[pending.kind](update, context, pending, message.text.strip())
    except DomainError as error:
        log.info("refused %s: %s", pending.kind, error)
        set_pending(context, None)
        await reply(update, error_vi(error, deps(context).tz))


async def on_button(update: Update, context: Context) -> None:
    """Every button press: verify the signed data, dispatch, and always answer the query so
    no button is left spinning."""
    query = update.callback_query
    if query is None:  # registered as a CallbackQueryHandler: always a press
        return
    parsed = unpack(deps(context).secret, query.data)
    if parsed is None:
        log.warning("forged or stale callback data %r from %s", query.data, query.from_user.id)
        await query.answer(texts.BAD_BUTTON, show_alert=True)
        return
    action, args = parsed
    try:
        if action in MEETING_ACTIONS:
            await meetings.meeting_button(update, context, action, args)
        elif action in NEW_MEETING_ACTIONS:
            await meetings.new_meeting_button(update, context, get_pending(context), action, args)
        elif action in BUTTON_HANDLERS:
            await BUTTON_HANDLERS[action](update, context, args)
        else:
            await query.answer(texts.BAD_BUTTON, show_alert=True)
            return
    except DomainError as error:
        log.info("refused button %s: %s", action, error)
        await _answer(update, error_vi(error, deps(context).tz), alert=True)
        return
    await _answer(update)


async def _answer(update: Update, text: str | None = None, *, alert: bool = False) -> None:
    query = update.callback_query
    if query is None:
        return
    try:
        await query.answer(text, show_alert=alert)
    except BadRequest as error:  # already answered (e.g. with a refusal) or too old
        log.debug("callback already answered: %s", error)


async def on_unknown_command(update: Update, context: Context) -> None:
    async with deps(context).sessions() as session:
        if await authorize(session, update) is None:
            return
    await reply(update, texts.NOT_UNDERSTOOD)


async def on_error(update: object, context: Context) -> None:
    """Log first, then tell the person something useful; never leave a button spinning."""
    log.error("error while handling %r", update, exc_info=context.error)
    if isinstance(update, Update):
        await _answer(update, texts.GENERIC_ERROR, alert=True)
        if update.effective_chat is not None and update.callback_query is None:
            await update.effective_chat.send_message(texts.GENERIC_ERROR)


async def publish_default_commands(application: Application) -> None:  # type: ignore[type-arg]
    """Everyone sees the participant's commands; /start adds those of each person's roles."""
    await application.bot.set_my_commands(
        [BotCommand(name, description) for name, description in texts.commands_for(set())]
    )


def add_handlers(application: Application) -> None:  # type: ignore[type-arg]
    commands = {
        "start": start.start,
        "trogiup": start.help_command,
        "help": start.help_command,
        "huy": start.cancel,
        "moi": start.invite,
        "taohop": meetings.new_meeting,
        "hop": meetings.list_meetings,
        "lichhop": attendance.my_meetings,
        "diemdanh": attendance.roll_call,
        "nhiemvu": tasks.my_tasks,
        "duthao": drafts.pending_drafts,
        "web": web_link,
    }
    for name, callback in commands.items():
        application.add_handler(CommandHandler(name, callback))
    media = (
        filters.AUDIO | filters.VOICE | filters.VIDEO | filters.VIDEO_NOTE | filters.Document.ALL
    )
    application.add_handler(MessageHandler(media, recordings.recording_received))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, on_text))
    application.add_handler(MessageHandler(filters.COMMAND, on_unknown_command))
    application.add_handler(CallbackQueryHandler(on_button))
    application.add_error_handler(on_error)


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
    application = builder.concurrent_updates(False).post_init(publish_default_commands).build()
    application.bot_data[DEPS_KEY] = bot_deps
    add_handlers(application)
    return application
