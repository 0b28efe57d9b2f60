"""Resumable uploads (the tus 1.0 protocol's state): bytes arriving in pieces, possibly over
several connections, kept on disk beside a small description until the whole file is there.

An upload lives in ``<data_dir>/uploads/<id>`` (the bytes so far) and ``<id>.json`` (who
started it, for which meeting, how long it will be, and at the end what became of it). The
bytes on disk are the truth: the offset is the file's size, so a restart loses nothing that
was written. Memory stays flat whatever the size: each piece passes through in chunks.

A piece that arrives with a SHA-256 checksum is kept only when it arrived whole and matches;
one cut short by a dropped connection cannot be verified and is discarded, so the client sends
it again from the last verified offset. A piece without a checksum is kept as far as it got.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
import secrets
from collections.abc import AsyncIterable, Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

from storage.errors import DomainError, ErrorCode, NotFound

T = TypeVar("T")
UPLOADS_DIR = "uploads"
ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{24}")  # what create makes; anything else is unknown
ABANDONED_AFTER = timedelta(days=7)


class UploadRefused(DomainError):
    """A tus request broke a rule; ``status`` is the HTTP status the protocol names for it."""

    status = 400


class OffsetMismatch(UploadRefused):
    """The client's Upload-Offset is not where the stored bytes end (409 Conflict)."""

    status = 409


class TooLarge(UploadRefused):
    """More bytes than the declared length, or a length over the limit (413)."""

    status = 413


class ChecksumMismatch(UploadRefused):
    """The piece's SHA-256 differs from the one the client sent (tus: 460)."""

    status = 460


class UploadBusy(UploadRefused):
    """Another request is writing to this upload right now (423 Locked)."""

    status = 423


class UploadGone(UploadRefused):
    """The upload was completed (or abandoned) and takes no more bytes (410)."""

    status = 410


@dataclass(frozen=True, slots=True)
class Upload:
    """One upload's description; once the whole file was handed on, what it became: a
    recording (``recording_id``) or a refusal with its reason (``refused``: the sentence the
    web rendered for the person, kept so a repeated last request gets the same answer)."""

    id: str
    person_id: int
    meeting_id: int
    length: int
    filename: str | None
    created_at: str
    recording_id: int | None = None
    refused: str | None = None
    duplicate_of: int | None = None  # the recording a refused duplicate repeats

    @property
    def finished(self) -> bool:
        return self.recording_id is not None or self.refused is not None


def _upload_not_found(upload_id: str) -> NotFound:
    return NotFound(f"upload {upload_id!r} not found", "Upload")


# Disk writes run here, off the event loop; one pool so an interrupted write can be waited for.
_DISK = ThreadPoolExecutor(max_workers=4, thread_name_prefix="uploads")


async def _on_disk(function: Callable[..., T], *args: Any) -> T:
    return await asyncio.wrap_future(_DISK.submit(function, *args))


def _sync(handle: BinaryIO) -> None:
    handle.flush()
    os.fsync(handle.fileno())


class UploadStore:
    """The uploads in one directory; one writer per upload at a time (in this process: the
    server is one instance per database)."""

    def __init__(self, data_dir: Path, *, max_bytes: int) -> None:
        self.directory = data_dir / UPLOADS_DIR
        self.max_bytes = max_bytes
        self._writing: set[str] = set()

    def _paths(self, upload_id: str) -> tuple[Path, Path]:
        if not ID_PATTERN.fullmatch(upload_id):  # nothing from a request reaches a path
            raise _upload_not_found(upload_id)
        return self.directory / upload_id, self.directory / f"{upload_id}.json"

    def _write_info(self, upload: Upload) -> None:
        _, info = self._paths(upload.id)
        partial = info.with_suffix(".tmp")
        partial.write_text(json.dumps(asdict(upload), ensure_ascii=False), encoding="utf-8")
        partial.replace(info)  # atomic: a reader sees the old description or the new one

    def create(
        self,
        *,
        person_id: int,
        meeting_id: int,
        length: int,
        filename: str | None,
        now: datetime,
    ) -> Upload:
        """A new, empty upload of ``length`` bytes (refused over the limit)."""
        if length < 1:
            raise UploadRefused("Upload-Length must be positive", ErrorCode.UPLOAD_EMPTY)
        if length > self.max_bytes:
            raise TooLarge(
                f"Upload-Length {length} over the limit {self.max_bytes}",
                ErrorCode.UPLOAD_TOO_LARGE,
                length=length,
                limit=self.max_bytes,
            )
        self.directory.mkdir(parents=True, exist_ok=True)
        upload = Upload(
            id=secrets.token_urlsafe(18),
            person_id=person_id,
            meeting_id=meeting_id,
            length=length,
            filename=filename,
            created_at=now.isoformat(),
        )
        data, _ = self._paths(upload.id)
        data.touch(exist_ok=False)
        self._write_info(upload)
        return upload

    def sweep(self, *, now: datetime, idle: timedelta = ABANDONED_AFTER) -> list[str]:
        """Remove the uploads nobody has written to for ``idle`` (a browser closed for good,
        a file never finished): their bytes would otherwise fill the disk. Run at each new
        upload; returns the ids removed."""
        if not self.directory.is_dir():
            return []
        removed = []
        for info in self.directory.glob("*.json"):
            upload_id = info.stem
            if upload_id in self._writing or not ID_PATTERN.fullmatch(upload_id):
                continue
            data = info.with_suffix("")
            touched = max(p.stat().st_mtime for p in (info, data) if p.exists())
            if now.timestamp() - touched > idle.total_seconds():
                data.unlink(missing_ok=True)
                info.unlink(missing_ok=True)
                removed.append(upload_id)
        return removed

    def get(self, upload_id: str, *, person_id: int) -> Upload:
        """The upload if ``person_id`` started it; another person's is as unknown as none."""
        _, info = self._paths(upload_id)
        try:
            raw: dict[str, Any] = json.loads(info.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise _upload_not_found(upload_id) from None
        upload = Upload(**raw)
        if upload.person_id != person_id:
            raise _upload_not_found(upload_id)
        return upload

    def offset(self, upload: Upload) -> int:
        """How many bytes are stored: the whole length once the upload was handed on."""
        if upload.finished:
            return upload.length
        data, _ = self._paths(upload.id)
        try:
            return data.stat().st_size
        except FileNotFoundError:
            raise _upload_not_found(upload.id) from None

    def busy(self, upload: Upload) -> bool:
        return upload.id in self._writing

    def data_path(self, upload: Upload) -> Path:
        return self._paths(upload.id)[0]

    async def append(
        self,
        upload: Upload,
        *,
        offset: int,
        chunks: AsyncIterable[bytes],
        sha256: bytes | None = None,
    ) -> int:
        """Write one piece at ``offset`` (which must be where the stored bytes end) and return
        the new offset; the caller holds :meth:`writing`. Raises :class:`OffsetMismatch`,
        :class:`TooLarge` (nothing of the piece kept), :class:`ChecksumMismatch` (likewise)."""
        if upload.id not in self._writing:
            raise RuntimeError(f"upload {upload.id}: append outside writing()")
        if upload.finished:
            raise UploadGone(f"upload {upload.id} is complete", ErrorCode.UPLOAD_COMPLETE)
        stored = self.offset(upload)
        if offset != stored:
            raise OffsetMismatch(
                f"upload {upload.id}: client offset {offset}, stored {stored}",
                ErrorCode.UPLOAD_OFFSET_MISMATCH,
                offset=offset,
                stored=stored,
            )
        return await self._write(upload, stored, chunks, sha256)

    @contextmanager
    def writing(self, upload: Upload) -> Iterator[None]:
        """One request at a time writes to (or completes) an upload; another is refused with
        :class:`UploadBusy` rather than queued behind a connection that may be dead."""
        if upload.id in self._writing:
            raise UploadBusy(
                f"upload {upload.id} is being written by another request",
                ErrorCode.UPLOAD_BUSY,
            )
        self._writing.add(upload.id)
        try:
            yield
        finally:
            self._writing.discard(upload.id)

    async def _write(
        self, upload: Upload, start: int, chunks: AsyncIterable[bytes], sha256: bytes | None
    ) -> int:
        data, _ = self._paths(upload.id)
        digest = hashlib.sha256() if sha256 is not None else None
        handle: BinaryIO = await _on_disk(data.open, "r+b")
        written = start
        keep = False
        # The write in flight, waited for before any truncation: a cancelled request must not
        # leave a thread writing behind the end we settle on.
        pending: Future[Any] | None = None
        try:
            await _on_disk(handle.seek, start)
            async for block in chunks:
                if written + len(block) > upload.length:
                    raise TooLarge(
                        f"upload {upload.id}: more than the declared {upload.length} bytes",
                        ErrorCode.UPLOAD_OVER_LENGTH,
                        length=upload.length,
                    )
                if digest is not None:
                    digest.update(block)
                pending = _DISK.submit(handle.write, block)
                await asyncio.wrap_future(pending)
                pending = None
                written += len(block)
            if digest is not None and digest.digest() != sha256:
                raise ChecksumMismatch(
                    f"upload {upload.id}: SHA-256 of bytes {start}-{written} differs",
                    ErrorCode.UPLOAD_CHECKSUM_MISMATCH,
                )
            await _on_disk(_sync, handle)
            keep = True
        except UploadRefused:
            written = start  # a refused piece is dropped whole, checksum or not
            raise
        finally:
            # Also on a dropped connection and on cancellation: synchronous (the rare path),
            # so the stored bytes always end at a piece we can vouch for.
            if pending is not None:
                wait([pending])
            if not keep:
                if sha256 is not None:
                    written = start  # a piece cut short cannot be checked: sent again whole
                handle.truncate(written)
                _sync(handle)
            handle.close()
        return written

    def finish(
        self,
        upload: Upload,
        *,
        recording_id: int | None = None,
        refused: str | None = None,
        duplicate_of: int | None = None,
    ) -> Upload:
        """Record what the whole file became; its bytes have gone (moved into the recordings,
        or removed when refused), the description stays so a client that missed the answer
        can ask again."""
        done = replace(
            upload, recording_id=recording_id, refused=refused, duplicate_of=duplicate_of
        )
        self._write_info(done)
        self.data_path(upload).unlink(missing_ok=True)
        return done
