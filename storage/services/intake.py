"""Taking a recording in: a streamed copy into the data directory, named by its SHA-256, and a
queued row for the transcription job.

The chat upload and ``diemcau recording add`` call :func:`take_in` with the bytes, the
browser's resumable upload with the file it assembled; both end in the same checks and the
same queued row, so a recording enters the system one way whatever door it came through.
Memory stays flat: the bytes pass through in chunks, the hash is computed as they pass, and
disk writes run in a thread so a gigabyte copy never stalls the event loop.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import unicodedata
from collections.abc import AsyncIterable, AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.errors import DomainError, ErrorCode
from storage.models import Meeting, Recording
from storage.services.recordings import enqueue_recording

log = logging.getLogger(__name__)

CHUNK = 1 << 20
RECORDINGS_DIR = "recordings"
# A file name as sent by a client is only a label (the copy is named by its hash); it is kept
# this long at most, which every backend stores (the column holds 500).
MAX_NAME = 200

# Raises a DomainError (such as NotARecording) when the stored copy is not a recording;
# given by the wiring, which knows how to decode media (storage does not).
MediaCheck = Callable[[Path], None]


class DuplicateRecording(DomainError):
    """The same bytes were taken in before; ``existing_id`` names that recording."""

    def __init__(self, message: str, existing_id: int, **params: object) -> None:
        super().__init__(message, ErrorCode.RECORDING_DUPLICATE, id=existing_id, **params)
        self.existing_id = existing_id


class NotARecording(DomainError):
    """The file holds no audio that can be transcribed (not audio or video, or damaged)."""


class RecordingNotSaved(DomainError):
    """The database refused the recording's row; the stored copy was removed again."""


def safe_name(name: str | None) -> str | None:
    """A client's file name made fit to store and show: NFC, without control or format
    characters (PostgreSQL refuses NUL in text), path separators as "_", at most
    ``MAX_NAME`` characters keeping the extension. None when nothing printable is left."""
    if name is None:
        return None
    text = unicodedata.normalize("NFC", name)
    text = "".join(
        "_" if c in "/\\" else c for c in text if not unicodedata.category(c).startswith("C")
    ).strip()
    if len(text) > MAX_NAME:
        stem, dot, extension = text.rpartition(".")
        if dot and stem and 0 < len(extension) <= 10:
            text = f"{stem[: MAX_NAME - len(extension) - 2]}….{extension}"
        else:
            text = text[: MAX_NAME - 1] + "…"
    return text or None


@dataclass(frozen=True, slots=True)
class StoredCopy:
    path: Path
    sha256: str
    size_bytes: int


async def file_chunks(path: Path, chunk: int = CHUNK) -> AsyncIterator[bytes]:
    """A file on this machine, read piece by piece in a thread."""
    handle = await asyncio.to_thread(path.open, "rb")
    try:
        while block := await asyncio.to_thread(handle.read, chunk):
            yield block
    finally:
        handle.close()


async def _copy(chunks: AsyncIterable[bytes], directory: Path) -> StoredCopy:
    """Write the chunks to a fresh partial file, hashing as they pass; fsync before anyone
    relies on it. The caller renames it to its final name or removes it."""
    await asyncio.to_thread(directory.mkdir, parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    partial = directory / f".partial-{os.getpid()}-{id(digest)}"
    out = await asyncio.to_thread(partial.open, "wb")
    try:
        async for block in chunks:
            digest.update(block)
            await asyncio.to_thread(out.write, block)
            size += len(block)
        await asyncio.to_thread(out.flush)
        await asyncio.to_thread(os.fsync, out.fileno())
    except BaseException:
        out.close()
        partial.unlink(missing_ok=True)
        raise
    out.close()
    return StoredCopy(partial, digest.hexdigest(), size)


async def find_by_sha256(session: AsyncSession, sha256: str) -> Recording | None:
    return await session.scalar(
        select(Recording).where(Recording.sha256 == sha256).order_by(Recording.id).limit(1)
    )


async def _refuse_duplicate(session: AsyncSession, sha256: str, tz: tzinfo) -> None:
    existing = await find_by_sha256(session, sha256)
    if existing is None:
        return
    meeting = await session.get(Meeting, existing.meeting_id) if existing.meeting_id else None
    raise DuplicateRecording(
        f"recording {sha256} already taken in as #{existing.id}",
        existing.id,
        meeting_title=meeting.title if meeting else None,
        meeting_id=meeting.id if meeting else None,
        added_at=existing.created_at.astimezone(tz),
    )


async def _meeting(session: AsyncSession, meeting_id: int) -> Meeting:
    meeting = await session.get(Meeting, meeting_id)
    if meeting is None:
        raise DomainError(
            f"meeting {meeting_id} not found", ErrorCode.NO_SUCH_MEETING_NUMBER, number=meeting_id
        )
    return meeting


async def add_recording(
    session: AsyncSession,
    *,
    meeting_id: int,
    stored: StoredCopy,
    original_name: str | None,
    uploaded_by_id: int | None,
    now: datetime,
    tz: tzinfo,
) -> Recording:
    """The queued row for a stored copy; the same bytes twice are refused, naming the first."""
    await _meeting(session, meeting_id)
    await _refuse_duplicate(session, stored.sha256, tz)
    return await enqueue_recording(
        session,
        meeting_id=meeting_id,
        path=str(stored.path),
        original_name=original_name,
        sha256=stored.sha256,
        size_bytes=stored.size_bytes,
        uploaded_by_id=uploaded_by_id,
        now=now,
    )


def _hash_file(path: Path) -> StoredCopy:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
            size += len(block)
    return StoredCopy(path, digest.hexdigest(), size)


async def take_in(
    sessions: async_sessionmaker[AsyncSession],
    source: AsyncIterable[bytes] | Path,
    *,
    data_dir: Path,
    meeting_id: int,
    original_name: str | None,
    uploaded_by_id: int | None,
    now: datetime,
    tz: tzinfo,
    check_media: MediaCheck | None = None,
) -> Recording:
    """Take a recording into ``<data_dir>/recordings/<sha256>`` and queue it for the meeting.

    ``source`` is either the bytes, copied as they come (the source itself is never touched),
    or a file already assembled under ``data_dir`` (a browser's resumable upload), hashed where
    it lies and moved, not copied, into the recordings.

    Refused, with nothing kept, when the meeting does not exist (checked before any byte is
    copied), when the same bytes were taken in before, or when ``check_media`` says the copy is
    not a recording; an assembled file is removed on any refusal.
    """
    if isinstance(source, Path):
        copy = await _hash_assembled(sessions, source, meeting_id)
    else:
        async with sessions() as session:
            await _meeting(session, meeting_id)
        copy = await _copy(source, data_dir / RECORDINGS_DIR)
    # Refuse a duplicate or a file that is not a recording (removing the copy), else give
    # the copy its final name and queue it.
    try:
        async with sessions() as session:
            await _refuse_duplicate(session, copy.sha256, tz)
        if check_media is not None:
            await asyncio.to_thread(check_media, copy.path)
    except BaseException:
        await asyncio.to_thread(copy.path.unlink, missing_ok=True)
        raise
    final = data_dir / RECORDINGS_DIR / copy.sha256
    await asyncio.to_thread(final.parent.mkdir, parents=True, exist_ok=True)
    await asyncio.to_thread(copy.path.replace, final)
    stored = StoredCopy(final, copy.sha256, copy.size_bytes)
    # A racing duplicate after the rename leaves the same bytes under the same name: the
    # first recording's file stays valid, and the insert below refuses the second row.
    try:
        async with sessions.begin() as session:
            return await add_recording(
                session,
                meeting_id=meeting_id,
                stored=stored,
                original_name=safe_name(original_name),
                uploaded_by_id=uploaded_by_id,
                now=now,
                tz=tz,
            )
    except DBAPIError as error:
        log.exception("the recording row for %s was refused", copy.sha256)
        async with sessions() as session:
            kept_by_another = await find_by_sha256(session, copy.sha256) is not None
        if not kept_by_another:
            await asyncio.to_thread(final.unlink, missing_ok=True)
        raise RecordingNotSaved(
            f"recording row refused: {type(error.orig).__name__}", ErrorCode.RECORDING_NOT_SAVED
        ) from error


async def _hash_assembled(
    sessions: async_sessionmaker[AsyncSession], path: Path, meeting_id: int
) -> StoredCopy:
    """The stored copy an assembled file already is, once the meeting is known to exist;
    on any refusal the file is removed."""
    try:
        async with sessions() as session:
            await _meeting(session, meeting_id)
        return await asyncio.to_thread(_hash_file, path)
    except BaseException:
        await asyncio.to_thread(path.unlink, missing_ok=True)
        raise
