"""Browser upload of recordings of any size: the tus 1.0 core protocol (with its ``creation``
and ``checksum`` extensions) on aiohttp, streamed to disk, then the same intake as a chat
upload.

    OPTIONS /uploads          what this server supports (version, extensions, maximum size)
    POST    /uploads          Upload-Length, Upload-Metadata (meeting, filename) -> 201 Location
    HEAD    /uploads/{id}     Upload-Offset: where to continue after a dropped connection
    PATCH   /uploads/{id}     Upload-Offset + application/offset+octet-stream body -> 204

A PATCH at the wrong offset is refused with 409; one that carries ``Upload-Checksum: sha256
<base64>`` is kept only if the piece arrived whole and matches (460 otherwise). The PATCH that
completes the file hands it to :func:`take_in` and answers what it became: 204 with
``Diemcau-Recording: <id>``, or 422 with the reason in Vietnamese (a duplicate names the
recording it duplicates). Repeating that PATCH (empty, at the full length) repeats the answer,
so a client that lost it can ask again.

Only the secretariat of the meeting's committee uploads, as in the bot; every request needs
the session, and every change the session's CSRF token (the session middleware checks both).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

from bot.vietnamese import error_vi
from storage.errors import DomainError, ErrorCode
from storage.models import Role
from storage.services.audit import record
from storage.services.intake import CHUNK, DuplicateRecording, MediaCheck, take_in
from storage.services.office import visible_meeting
from storage.services.uploads import (
    OffsetMismatch,
    TooLarge,
    Upload,
    UploadBusy,
    UploadRefused,
    UploadStore,
)
from web.keys import SESSIONS, TIMEZONE, now, viewer

log = logging.getLogger(__name__)

TUS_VERSION = "1.0.0"
OFFSET_TYPE = "application/offset+octet-stream"
PREFIX = "/uploads"
# A connection that sends nothing for this long is given up, so a half-open one (a laptop
# closed mid-upload) does not keep the upload locked against the browser's retry.
IDLE_SECONDS = 60.0
DEFAULT_MAX_BYTES = 8 * 2**30  # a day-long session in video is a few GB
ONLY_SECRETARIAT_VI = "Chỉ tổ giúp việc của Ban Chỉ đạo được tải bản ghi lên."
NO_INTAKE_VI = "Máy chủ chưa được cấu hình để nhận bản ghi qua trình duyệt."

RecordingAdded = Callable[[int], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Intake:
    """What the wiring gives the web for recordings: where they live, the largest upload
    accepted, the check that a file is media, and the hook that starts the pipeline (the same
    job as a chat upload)."""

    data_dir: Path
    max_bytes: int = DEFAULT_MAX_BYTES
    check_media: MediaCheck | None = None
    on_added: RecordingAdded | None = None


INTAKE = web.AppKey("intake", Intake)
STORE = web.AppKey("upload_store", UploadStore)


def _store(request: web.Request) -> UploadStore:
    if STORE not in request.app:
        raise web.HTTPNotFound()
    return request.app[STORE]


def _answer(status: int, message_vi: str | None = None, **headers: str) -> web.Response:
    """A tus answer: headers always, a JSON reason for the person when something is refused
    (a HEAD's body is dropped by aiohttp)."""
    if message_vi is None:
        return web.Response(status=status, headers=headers)
    return web.json_response(
        {"error": status, "message": message_vi}, status=status, headers=headers
    )


def _refused(error: UploadRefused) -> web.Response:
    log.info("tus refused (%s): %s", error.status, error)
    headers = {"Retry-After": "1"} if isinstance(error, UploadBusy) else {}
    return _answer(error.status, error_vi(error), **headers)


def _metadata(header: str) -> dict[str, str]:
    """``Upload-Metadata``: comma-separated ``key base64(value)`` pairs."""
    pairs: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in header.split(","))):
        key, _, value = item.partition(" ")
        try:
            pairs[key] = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise UploadRefused(
                f"Upload-Metadata {key!r} is not base64 UTF-8",
                ErrorCode.UPLOAD_BAD_METADATA,
                key=key,
            ) from None
    return pairs


def _non_negative(request: web.Request, name: str) -> int:
    value = request.headers.get(name, "")
    if not value.isdigit():
        raise UploadRefused(
            f"{name} missing or not a number", ErrorCode.UPLOAD_HEADER_MISSING, header=name
        )
    return int(value)


def _checksum(request: web.Request) -> bytes | None:
    header = request.headers.get("Upload-Checksum")
    if header is None:
        return None
    algorithm, _, value = header.partition(" ")
    if algorithm.lower() != "sha256":
        raise UploadRefused(
            f"checksum algorithm {algorithm!r}",
            ErrorCode.UPLOAD_CHECKSUM_ALGORITHM,
            algorithm=algorithm,
        )
    try:
        return base64.b64decode(value.strip(), validate=True)
    except binascii.Error:
        raise UploadRefused(
            "Upload-Checksum not base64", ErrorCode.UPLOAD_CHECKSUM_INVALID
        ) from None


async def _body(request: web.Request) -> AsyncIterator[bytes]:
    """The request body in pieces of up to a megabyte, never whole in memory; a connection
    silent for IDLE_SECONDS ends it with TimeoutError. When the connection drops, what had
    arrived is still handed on before the error, so the store can keep it."""
    while True:
        block = bytearray()
        try:
            while len(block) < CHUNK:
                async with asyncio.timeout(IDLE_SECONDS):
                    piece = await request.content.read(CHUNK - len(block))
                if not piece:
                    break
                block += piece
        except BaseException:  # a dropped connection: an error, or the handler cancelled
            if block:
                yield bytes(block)
            raise
        if not block:
            return
        yield bytes(block)


async def _check_secretariat(request: web.Request, meeting_id: int) -> None:
    """The meeting is visible to the viewer (else 404, as for one that does not exist) and
    they are of its committee's secretariat (else 403); asked again on every piece, so a role
    taken away stops an upload in progress."""
    me = viewer(request)
    async with request.app[SESSIONS]() as session:
        meeting = await visible_meeting(session, meeting_id, committee_ids=me.committee_ids)
    if not me.has(meeting.committee_id, Role.SECRETARIAT):
        raise web.HTTPForbidden(text=ONLY_SECRETARIAT_VI)


async def options(request: web.Request) -> web.StreamResponse:
    """OPTIONS /uploads: the protocol's discovery."""
    return web.Response(
        status=204,
        headers={
            "Tus-Resumable": TUS_VERSION,
            "Tus-Version": TUS_VERSION,
            "Tus-Extension": "creation,checksum",
            "Tus-Checksum-Algorithm": "sha256",
            "Tus-Max-Size": str(_store(request).max_bytes),
        },
    )


def _check_version(request: web.Request) -> None:
    if request.headers.get("Tus-Resumable") != TUS_VERSION:
        raise web.HTTPPreconditionFailed(
            headers={"Tus-Version": TUS_VERSION, "Tus-Resumable": TUS_VERSION}
        )


async def create(request: web.Request) -> web.StreamResponse:
    """POST /uploads: a new upload for a meeting, of a declared length."""
    store = _store(request)
    _check_version(request)
    try:
        if "Upload-Defer-Length" in request.headers:
            raise UploadRefused(
                "Upload-Defer-Length is not supported", ErrorCode.UPLOAD_LENGTH_NEEDED
            )
        length = _non_negative(request, "Upload-Length")
        meta = _metadata(request.headers.get("Upload-Metadata", ""))
        if not meta.get("meeting", "").isdigit():
            raise UploadRefused("no meeting in Upload-Metadata", ErrorCode.UPLOAD_NEEDS_MEETING)
        meeting_id = int(meta["meeting"])
        await _check_secretariat(request, meeting_id)
        for stale in store.sweep(now=now(request)):
            log.info("upload %s abandoned: removed", stale)
        upload = store.create(
            person_id=viewer(request).person_id,
            meeting_id=meeting_id,
            length=length,
            filename=(meta.get("filename") or "").strip()[:300] or None,
            now=now(request),
        )
    except UploadRefused as error:
        return _refused(error)
    log.info(
        "upload %s started by person %s: %d bytes for meeting %s",
        upload.id,
        upload.person_id,
        upload.length,
        upload.meeting_id,
    )
    return _answer(201, Location=f"{PREFIX}/{upload.id}", **{"Upload-Offset": "0"})


def _upload(request: web.Request) -> Upload:
    return _store(request).get(request.match_info["upload_id"], person_id=viewer(request).person_id)


async def head(request: web.Request) -> web.StreamResponse:
    """HEAD /uploads/{id}: how far the stored bytes go (423 while a piece is being written)."""
    store = _store(request)
    upload = _upload(request)
    if store.busy(upload):
        return _answer(423, **{"Retry-After": "1", "Cache-Control": "no-store"})
    return _answer(
        200,
        **{
            "Upload-Offset": str(store.offset(upload)),
            "Upload-Length": str(upload.length),
            "Cache-Control": "no-store",
        },
    )


async def patch(request: web.Request) -> web.StreamResponse:
    """PATCH /uploads/{id}: one piece at the stored offset; the last one completes the file."""
    store = _store(request)
    _check_version(request)
    upload = _upload(request)
    try:
        if request.content_type != OFFSET_TYPE:
            raise web.HTTPUnsupportedMediaType(text=f"Content-Type must be {OFFSET_TYPE}")
        offset = _non_negative(request, "Upload-Offset")
        sha256 = _checksum(request)
        await _check_secretariat(request, upload.meeting_id)
        with store.writing(upload):
            if upload.finished:  # asked again: the same answer, nothing more taken
                if offset != upload.length:
                    raise OffsetMismatch(
                        f"upload {upload.id} is complete at {upload.length}, not {offset}",
                        ErrorCode.UPLOAD_ALREADY_COMPLETE,
                    )
                if request.content_length:
                    raise TooLarge(
                        f"upload {upload.id} is complete", ErrorCode.UPLOAD_ALREADY_COMPLETE
                    )
                return _outcome(upload)
            reached = await store.append(
                upload, offset=offset, chunks=_body(request), sha256=sha256
            )
            if reached == upload.length:
                upload = await _complete(request, store, upload)
                return _outcome(upload)
    except UploadRefused as error:
        return _refused(error)
    except TimeoutError:
        log.info("upload %s: connection idle, piece given up", upload.id)
        return _answer(408, "Kết nối bị ngắt quãng quá lâu.")
    return _answer(204, **{"Upload-Offset": str(reached)})


async def _complete(request: web.Request, store: UploadStore, upload: Upload) -> Upload:
    """The whole file is here: the chat upload's intake, then the pipeline; what it became is
    written down before answering."""
    intake = request.app[INTAKE]
    me = viewer(request)
    moment = now(request)
    try:
        recording = await take_in(
            request.app[SESSIONS],
            store.data_path(upload),
            data_dir=intake.data_dir,
            meeting_id=upload.meeting_id,
            original_name=upload.filename,
            uploaded_by_id=me.person_id,
            now=moment,
            tz=request.app[TIMEZONE],
            check_media=intake.check_media,
        )
    except DomainError as error:
        log.info("upload %s refused at intake: %s", upload.id, error)
        existing = error.existing_id if isinstance(error, DuplicateRecording) else None
        # Rendered here, at the edge, and kept: a client that lost the answer gets it again.
        reason = error_vi(error, request.app[TIMEZONE])
        return store.finish(upload, refused=reason, duplicate_of=existing)
    async with request.app[SESSIONS].begin() as session:
        await record(
            session,
            at=moment,
            actor_id=me.person_id,
            action="recording.upload",
            entity="recording",
            entity_id=recording.id,
            details={"meeting_id": upload.meeting_id, "bytes": upload.length, "via": "web"},
        )
    done = store.finish(upload, recording_id=recording.id)
    if intake.on_added is not None:
        await intake.on_added(recording.id)
    return done


def _outcome(upload: Upload) -> web.Response:
    offset = {"Upload-Offset": str(upload.length)}
    if upload.recording_id is not None:
        return _answer(204, **offset, **{"Diemcau-Recording": str(upload.recording_id)})
    body: dict[str, object] = {"error": 422, "message": upload.refused or ""}
    if upload.duplicate_of is not None:
        body["existing"] = upload.duplicate_of
    return web.json_response(body, status=422, headers=offset)


async def _tus_header(request: web.Request, response: web.StreamResponse) -> None:
    """Every answer under /uploads but OPTIONS names the protocol version (tus 1.0), refusals
    of the session middleware included."""
    if request.path.startswith(PREFIX) and request.method != "OPTIONS":
        response.headers.setdefault("Tus-Resumable", TUS_VERSION)


def setup(app: web.Application, intake: Intake | None) -> None:
    """The routes, and the store where the wiring gave a data directory."""
    if intake is not None:
        app[INTAKE] = intake
        app[STORE] = UploadStore(intake.data_dir, max_bytes=intake.max_bytes)
    app.on_response_prepare.append(_tus_header)
    r = app.router
    r.add_route("OPTIONS", PREFIX, options)
    r.add_post(PREFIX, create)
    upload_path = PREFIX + "/{upload_id:[A-Za-z0-9_-]{1,64}}"
    r.add_route("HEAD", upload_path, head)
    r.add_patch(upload_path, patch)
