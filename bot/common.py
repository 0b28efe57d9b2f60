"""What every handler needs: its dependencies, the caller's identity and role, safe replies."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot import texts
from bot.callbacks import pack
from storage.models import Person, Role
from storage.services.people import person_by_telegram, roles_of

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE
MAX_TEXT = 4000  # Telegram allows 4096 characters; keep room for a header


@dataclass(frozen=True, slots=True)
class DraftFiles:
    """What goes to the reviewers beside a draft's text: its documents as (kind, file name,
    bytes), kind one of "notice", "record", "transcript"; and, for a draft made from a
    recording, how much speech the recording held (what tells an empty draft from a silent
    recording)."""

    documents: tuple[tuple[str, str, bytes], ...]
    spoken_words: int | None = None
    recording_s: float | None = None


@dataclass(frozen=True, slots=True)
class BotDeps:
    """Everything the handlers use, created once by the wiring and kept in ``bot_data``."""

    sessions: async_sessionmaker[AsyncSession]
    tz: ZoneInfo
    secret: bytes
    data_dir: Path
    clock: Callable[[], datetime]
    # Telegram's cloud Bot API serves files up to 20 MB; a local Bot API server has no limit.
    max_download_bytes: int | None = 20 * 1024 * 1024
    # Turns a stored recording into a draft; set by the wiring (transcription + minutes).
    process_recording: Callable[..., Awaitable[Any]] | None = None
    # A draft's documents (notice, record, transcript) and its recording's figures.
    draft_files: Callable[[int], Awaitable[DraftFiles]] | None = None
    # Raises a DomainError when a stored copy is not a recording (the wiring decodes media).
    check_recording: Callable[[Path], None] | None = None
    on_meeting_changed: Callable[[int], Awaitable[None]] | None = None
    on_task_changed: Callable[[int], Awaitable[None]] | None = None
    # Tells the outbox sender that messages were committed (it also polls every few seconds).
    wake_outbox: Callable[[], None] | None = None

    def now(self) -> datetime:
        return self.clock()

    def outbox_written(self) -> None:
        """Call after committing outbox rows, so they go now rather than at the next poll."""
        if self.wake_outbox is not None:
            self.wake_outbox()


DEPS_KEY = "deps"


def deps(context: Context) -> BotDeps:
    value = context.bot_data.get(DEPS_KEY)
    if not isinstance(value, BotDeps):
        raise RuntimeError("the application was built without BotDeps in bot_data")
    return value


def button(context: Context, label: str, action: str, *args: str | int) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=pack(deps(context).secret, action, *args))


def keyboard(rows: list[list[InlineKeyboardButton]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(rows)


async def reply(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Answer in the chat the update came from, split if longer than Telegram allows."""
    chat = update.effective_chat
    if chat is None:  # an inline query or a poll answer: there is nowhere to answer
        log.warning("no chat to answer %s in", update.update_id)
        return
    chunks = split_text(text)
    for i, chunk in enumerate(chunks):
        await chat.send_message(chunk, reply_markup=markup if i == len(chunks) - 1 else None)


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Split on line breaks into pieces Telegram accepts."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            pieces.append(line[:limit])
            line = line[limit:]
        if len(current) + len(line) + 1 > limit:
            pieces.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    pieces.append(current)
    return [p for p in pieces if p] or [text[:limit]]


async def edit_or_send(
    update: Update, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Replace the pressed message's text (and buttons); send a new one if it cannot be."""
    query = update.callback_query
    if query is not None and query.message is not None:
        try:
            await query.edit_message_text(text, reply_markup=markup)
            return
        except BadRequest as error:
            if "not modified" in str(error).lower():
                return
            log.info("could not edit message, sending a new one: %s", error)
    await reply(update, text, markup)


def pressed_message(update: Update) -> Message | None:
    """The message whose button was pressed, when Telegram still gives its content."""
    query = update.callback_query
    if query is None or not isinstance(query.message, Message):
        return None
    return query.message


async def edit_message(
    context: Context,
    chat_id: int,
    message_id: int,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
) -> bool:
    """Replace an earlier message's text (and buttons); False when Telegram refuses (too old,
    deleted): the caller's own reply still says what happened."""
    try:
        await context.bot.edit_message_text(
            text, chat_id=chat_id, message_id=message_id, reply_markup=markup
        )
    except BadRequest as error:
        if "not modified" in str(error).lower():
            return True
        log.info("could not edit message %s in %s: %s", message_id, chat_id, error)
        return False
    return True


async def caller(session: AsyncSession, update: Update) -> Person | None:
    user = update.effective_user
    if user is None:
        return None
    return await person_by_telegram(session, user.id)


async def authorize(
    session: AsyncSession, update: Update, *roles: Role
) -> tuple[Person, set[Role]] | None:
    """The caller and their roles, or None after telling an unknown or unauthorised caller."""
    person = await caller(session, update)
    if person is None:
        log.info(
            "refused unknown telegram user %s", update.effective_user and update.effective_user.id
        )
        await refuse(update, texts.UNKNOWN_USER)
        return None
    granted = roles_of(person)
    if roles and not granted.intersection(roles):
        log.info("refused person %s: needs one of %s", person.id, roles)
        await refuse(update, texts.NOT_ALLOWED)
        return None
    return person, granted


async def refuse(update: Update, text: str) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    else:
        await reply(update, text)


# --- dialogues: the form a wizard fills in, kept in ``user_data`` (persisted by bot.persistence)

DIALOGUE_KEY = "dialogue"
DIALOGUE_AT_KEY = "dialogue_at"  # when the form last changed: an answer came
# A question left unanswered this long is over: a message days later is not taken as the answer
# to a question the person has forgotten (the time of a meeting typed as its title, say).
DIALOGUE_IDLE = timedelta(hours=24)
Form = TypeVar("Form")


class DialogueLost(Exception):
    """The conversation says a question was asked, but the answers collected before it are
    gone or belong to another wizard (stored by an older version of the bot, or dropped)."""


class DialogueExpired(DialogueLost):
    """The question was asked longer than ``DIALOGUE_IDLE`` ago: the dialogue is over."""


def _user_data(context: Context) -> dict[Any, Any]:
    if context.user_data is None:  # only updates without a user (channel posts) lack it
        raise DialogueLost("this update has no user, so no dialogue")
    return context.user_data


def remember(context: Context, form: object) -> None:
    """Start a dialogue with its (frozen) form, or keep the form's new version."""
    data = _user_data(context)
    data[DIALOGUE_KEY] = form
    data[DIALOGUE_AT_KEY] = deps(context).now()


def recall(context: Context, kind: type[Form]) -> Form:
    """The form of the dialogue in progress, which must be of ``kind``."""
    data = _user_data(context)
    value = data.get(DIALOGUE_KEY)
    if not isinstance(value, kind):
        raise DialogueLost(f"expected a {kind.__name__}, found {type(value).__name__}")
    at = data.get(DIALOGUE_AT_KEY)  # absent in dialogues stored before it was kept
    if isinstance(at, datetime) and deps(context).now() - at > DIALOGUE_IDLE:
        raise DialogueExpired(f"{kind.__name__} left unanswered since {at.isoformat()}")
    return value


def forget(context: Context) -> bool:
    """End the dialogue; whether one was in progress."""
    if context.user_data is None:
        return False
    context.user_data.pop(DIALOGUE_AT_KEY, None)
    return context.user_data.pop(DIALOGUE_KEY, None) is not None


async def answer_query(update: Update, text: str | None = None, *, alert: bool = False) -> None:
    """Answer a button press, so no button is left spinning; once is all Telegram takes."""
    query = update.callback_query
    if query is None:
        return
    try:
        await query.answer(text, show_alert=alert)
    except BadRequest as error:  # already answered (e.g. with a refusal) or too old
        log.debug("callback already answered: %s", error)
