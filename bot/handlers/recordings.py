"""Recordings sent to the bot: stored in a stream, transcribed with ONE progress message kept
up to date, drafted, and handed to the reviewers."""

from __future__ import annotations

import functools
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum, auto
from pathlib import Path

import aiohttp
from sqlalchemy import select
from telegram import Bot, Message, Update

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
    remember,
    reply,
)
from bot.handlers.drafts import send_for_review
from bot.handlers.meetings import END
from storage.errors import DomainError
from storage.models import Meeting, MeetingStatus, Role
from storage.services.intake import CHUNK, file_chunks, take_in

log = logging.getLogger(__name__)


class RecordingStep(Enum):
    """What a recording sent to the bot is asked before it is stored."""

    MEETING = auto()  # which meeting it is the recording of (buttons)


@dataclass(frozen=True, slots=True)
class RecordingForm:
    """The file Telegram holds for us: fetched only once the meeting is chosen."""

    file_id: str
    name: str
    size: int


async def recording_received(update: Update, context: Context) -> RecordingStep | None:
    """An audio, voice note, video or document: check its size, then ask which meeting."""
    d = deps(context)
    message = update.effective_message
    if message is None:
        return None
    media = (
        message.audio or message.voice or message.video or message.video_note or message.document
    )
    if media is None:
        return None
    async with d.sessions() as session:
        found = await authorize(session, update, Role.SECRETARIAT)
        if found is None:
            return None
        committees = [m.committee_id for m in found[0].memberships]
        meetings = (
            await session.scalars(
                select(Meeting)
                .where(
                    Meeting.committee_id.in_(committees),
                    Meeting.status != MeetingStatus.CANCELLED,
                    Meeting.starts_at <= d.now() + timedelta(days=1),
                )
                .order_by(Meeting.starts_at.desc())
                .limit(5)
            )
        ).all()
    name = (
        getattr(media, "file_name", None) or f"{type(media).__name__.lower()}-{message.message_id}"
    )
    size = media.file_size or 0
    if d.max_download_bytes is not None and size > d.max_download_bytes:
        lines = [texts.TOO_BIG.format(size=round(size / 2**20), limit=d.max_download_bytes >> 20)]
        if meetings:  # what the command's --meeting needs, so nobody has to look it up
            lines += ["", texts.RECENT_MEETING_NUMBERS]
            lines += [f"- số {m.id}: {m.title}" for m in meetings]
        await reply(update, "\n".join(lines))
        return None
    if not meetings:
        await reply(update, texts.NO_MEETINGS)
        return None
    remember(context, RecordingForm(file_id=media.file_id, name=name, size=size))
    rows = [[button(context, m.title[:60], "rec", m.id)] for m in meetings]
    await reply(update, texts.ASK_RECORDING_MEETING, keyboard(rows))
    return RecordingStep.MEETING


async def http_chunks(url: str) -> AsyncIterator[bytes]:
    """A file served by the Bot API over HTTP, piece by piece."""
    async with aiohttp.ClientSession() as client, client.get(url) as response:
        response.raise_for_status()
        async for chunk in response.content.iter_chunked(CHUNK):
            yield chunk


def file_source(bot: Bot, file_path: str) -> AsyncIterator[bytes] | None:
    """Where the bytes of a Telegram file come from: a local Bot API server (``local_mode``)
    hands over an absolute path on the disk it shares with us; the cloud one a URL. None
    when the local server's path cannot be read here (its volume is not mounted)."""
    if not bot.local_mode:
        return http_chunks(file_path)
    # PTB puts the file URL before a path it cannot find on this machine.
    if Path(file_path).is_absolute() and Path(file_path).is_file():
        return file_chunks(Path(file_path))
    return None


async def recording_meeting_chosen(update: Update, context: Context, args: list[str]) -> int | None:
    """Store the upload (streamed, hashed, checked) for the chosen meeting and queue it."""
    d = deps(context)
    form = recall(context, RecordingForm)
    meeting_id = int(args[0])
    async with d.sessions() as session:
        found = await authorize(session, update, Role.SECRETARIAT)
    if found is None:
        return None
    forget(context)
    await edit_or_send(update, texts.RECORDING_RECEIVING)
    await _take_in(update, context, form, meeting_id, found[0].id)
    return END


async def _take_in(
    update: Update, context: Context, form: RecordingForm, meeting_id: int, uploader_id: int
) -> None:
    d = deps(context)
    file = await context.bot.get_file(form.file_id)
    if file.file_path is None:
        raise RuntimeError(f"getFile gave no file_path for {form.file_id}")
    source = file_source(context.bot, file.file_path)
    if source is None:
        log.error(
            "local Bot API server gave %s, which is not readable here: mount its "
            "/var/lib/telegram-bot-api volume at the same path (DIEMCAU_TELEGRAM_LOCAL_MODE)",
            file.file_path,
        )
        await edit_or_send(update, texts.LOCAL_FILE_UNREADABLE)
        return
    try:
        recording = await take_in(
            d.sessions,
            source,
            data_dir=d.data_dir,
            meeting_id=meeting_id,
            original_name=form.name,
            uploaded_by_id=uploader_id,
            now=d.now(),
            tz=d.tz,
            check_media=d.check_recording,
        )
    except DomainError as error:
        log.info("recording refused: %s", error)
        await edit_or_send(update, error.message_vi)
        return
    chat = update.effective_chat
    assert chat is not None
    progress = await chat.send_message(texts.TRANSCRIBING.format(percent=0))
    context.application.create_task(
        _process(context, recording.id, progress),
        update=update,
        name=f"recording-{recording.id}",
    )


async def _process(context: Context, recording_id: int, progress: Message) -> None:
    """Transcribe, draft and send for review in the background (the pipeline's stages),
    editing the one progress message."""
    d = deps(context)
    shown = {"percent": 0}

    async def on_progress(fraction: float) -> None:
        percent = int(fraction * 100)
        if percent >= shown["percent"] + 5 and percent < 100:
            shown["percent"] = percent
            await progress.edit_text(texts.TRANSCRIBING.format(percent=percent))

    if d.process_recording is None:
        await progress.edit_text(texts.TRANSCRIBE_FAILED.format(reason="chưa cấu hình"))
        return
    try:
        outcome = await d.process_recording(
            recording_id, on_progress, review=functools.partial(send_for_review, context)
        )
    except Exception as error:  # the job stored the reason; the person gets it in Vietnamese
        log.exception("recording %s failed", recording_id)
        reason = getattr(error, "message_vi", None) or str(error)
        await progress.edit_text(texts.TRANSCRIBE_FAILED.format(reason=reason))
        return
    await progress.edit_text(
        texts.TRANSCRIBED.format(
            segments=outcome.segments, minutes=max(1, round(outcome.duration / 60))
        )
    )
