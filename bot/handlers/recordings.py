"""Recordings sent to the bot: stored in a stream, transcribed with ONE progress message kept
up to date, drafted, and handed to the reviewers."""

from __future__ import annotations

import asyncio
import functools
import hashlib
import logging
import os
from datetime import timedelta
from pathlib import Path

import aiohttp
from sqlalchemy import select
from telegram import Message, Update

from bot import texts
from bot.common import (
    Context,
    Pending,
    authorize,
    button,
    deps,
    edit_or_send,
    get_pending,
    keyboard,
    reply,
    set_pending,
)
from bot.handlers.drafts import send_for_review
from storage.models import Meeting, MeetingStatus, Role
from storage.services.recordings import enqueue_recording

log = logging.getLogger(__name__)
CHUNK = 1 << 20


async def recording_received(update: Update, context: Context) -> None:
    """An audio, voice note, video or document: check its size, then ask which meeting."""
    d = deps(context)
    message = update.effective_message
    assert message is not None
    media = (
        message.audio or message.voice or message.video or message.video_note or message.document
    )
    if media is None:
        return
    async with d.sessions() as session:
        found = await authorize(session, update, Role.SECRETARIAT)
        if found is None:
            return
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
        inbox = d.data_dir / "inbox"
        await reply(update, texts.TOO_BIG.format(size=round(size / 2**20), inbox=inbox))
        return
    if not meetings:
        await reply(update, texts.NO_MEETINGS)
        return
    set_pending(
        context, Pending("recording", {"file_id": media.file_id, "name": name, "size": size})
    )
    rows = [[button(context, m.title[:60], "rec", m.id)] for m in meetings]
    await reply(update, texts.ASK_RECORDING_MEETING, keyboard(rows))


async def download(url: str, directory: Path) -> tuple[Path, str, int]:
    """Stream a file to disk while hashing it; the final name is its SHA-256, so a second
    upload of the same recording is recognised and nothing is half-written under that name.
    Disk work runs in a thread so a gigabyte upload never stalls the event loop."""
    await asyncio.to_thread(directory.mkdir, parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    partial = directory / f".partial-{os.getpid()}-{id(digest)}"
    out = await asyncio.to_thread(partial.open, "wb")
    try:
        async with aiohttp.ClientSession() as client, client.get(url) as response:
            response.raise_for_status()
            async for chunk in response.content.iter_chunked(CHUNK):
                digest.update(chunk)
                await asyncio.to_thread(out.write, chunk)
                size += len(chunk)
        await asyncio.to_thread(out.flush)
        await asyncio.to_thread(os.fsync, out.fileno())
    finally:
        out.close()
    final = directory / digest.hexdigest()
    await asyncio.to_thread(partial.replace, final)
    return final, digest.hexdigest(), size


async def recording_meeting_chosen(update: Update, context: Context, args: list[str]) -> None:
    d = deps(context)
    pending = get_pending(context)
    if pending is None or pending.kind != "recording":
        await edit_or_send(update, texts.BAD_BUTTON)
        return
    meeting_id = int(args[0])
    async with d.sessions() as session:
        found = await authorize(session, update, Role.SECRETARIAT)
    if found is None:
        return
    set_pending(context, None)
    file = await context.bot.get_file(pending.data["file_id"])
    assert file.file_path is not None
    url = (
        file.file_path
        if "://" in file.file_path
        else f"{context.bot.base_file_url}{file.file_path}"
    )
    path, sha, size = await download(url, d.data_dir / "recordings")
    async with d.sessions.begin() as session:
        recording = await enqueue_recording(
            session,
            meeting_id=meeting_id,
            path=str(path),
            original_name=pending.data["name"],
            sha256=sha,
            size_bytes=size,
            uploaded_by_id=found[0].id,
            now=d.now(),
        )
        recording_id = recording.id
    chat = update.effective_chat
    assert chat is not None
    progress = await chat.send_message(texts.TRANSCRIBING.format(percent=0))
    context.application.create_task(
        _process(context, recording_id, progress),
        update=update,
        name=f"recording-{recording_id}",
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
