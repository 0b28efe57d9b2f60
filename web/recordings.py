"""Recordings in the office: the recording page (its audio, and its transcript where each
segment seeks the audio), the audio itself with HTTP Range support, its progress for the
meeting page, and the seconds of the recording each drafted item came from.

Who hears a recording of a government meeting: the secretariat and the leadership of its
committee (the people who review transcripts and drafts), as for drafts. The file served is
the one the recording's row names, and only if it lies inside the data directory's
recordings: nothing from the request reaches a path.
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from bot.vietnamese import RECORDING_STATUS_VI
from storage.errors import NotFound
from storage.models import Draft, Meeting, Role
from storage.services.intake import RECORDINGS_DIR
from storage.services.recording_views import (
    VisibleRecording,
    clip,
    meeting_recordings,
    transcript,
    visible_recording,
)
from web.keys import SESSIONS, render, route_id, viewer
from web.uploads import INTAKE, STORE

log = logging.getLogger(__name__)

LISTENERS = (Role.SECRETARIAT, Role.LEADERSHIP)
NOT_A_LISTENER_VI = "Chỉ tổ giúp việc và lãnh đạo Ban Chỉ đạo được nghe bản ghi phiên họp."
STATIC = Path(__file__).parent / "static"


def clock(seconds: float) -> str:
    """A moment in the recording as people read it: 1:05 or 1:02:05."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


async def _listenable(request: web.Request, session: AsyncSession) -> VisibleRecording:
    me = viewer(request)
    found = await visible_recording(
        session,
        route_id(request.match_info["recording_id"], "recording"),
        committee_ids=me.committee_ids,
    )
    if not me.has(found.committee_id, *LISTENERS):
        raise web.HTTPForbidden(text=NOT_A_LISTENER_VI)
    return found


def audio_file(request: web.Request, stored: str) -> Path | None:
    """The stored file if it is a file inside ``<data_dir>/recordings``; a row naming
    anything else (a moved data directory, a hand-edited path) is refused and logged."""
    if INTAKE not in request.app:
        return None
    root = (request.app[INTAKE].data_dir / RECORDINGS_DIR).resolve()
    path = Path(stored).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        log.warning("recording file %s is not a file under %s: not served", stored, root)
        return None
    return path


async def recording_page(request: web.Request) -> web.StreamResponse:
    """GET /recordings/{id}: the audio and the transcript, each segment a button to its
    moment."""
    async with request.app[SESSIONS]() as session:
        found = await _listenable(request, session)
        segments = await transcript(session, found.recording.id)
    recording = found.recording
    return render(
        request,
        "recording.html",
        {
            "found": found,
            "recording": recording,
            "status_vi": RECORDING_STATUS_VI[recording.status],
            "segments": segments,
            "audible": audio_file(request, recording.path) is not None,
        },
    )


async def audio(request: web.Request) -> web.StreamResponse:
    """GET /recordings/{id}/audio: the recording's bytes; aiohttp's FileResponse answers a
    Range with 206 (and an unsatisfiable one with 416), streamed from disk."""
    async with request.app[SESSIONS]() as session:
        found = await _listenable(request, session)
    path = audio_file(request, found.recording.path)
    if path is None:
        raise NotFound(f"recording {found.recording.id} has no servable file", "Recording")
    kind = (
        mimetypes.guess_type(found.recording.original_name or "")[0] or "application/octet-stream"
    )
    return web.FileResponse(
        path,
        headers={
            "Content-Type": kind,
            "Content-Disposition": f'inline; filename="ban-ghi-{found.recording.id}"',
            "Cache-Control": "private, no-store",
        },
    )


async def progress(request: web.Request) -> web.StreamResponse:
    """GET /recordings/{id}/progress: the stage and how far transcription went, for the
    meeting page to show without reloading."""
    async with request.app[SESSIONS]() as session:
        found = await _listenable(request, session)
    recording = found.recording
    return web.json_response(
        {
            "id": recording.id,
            "status": recording.status.value,
            "status_vi": RECORDING_STATUS_VI[recording.status],
            "percent": round(recording.progress * 100),
        }
    )


async def meeting_section(
    request: web.Request, session: AsyncSession, meeting: Meeting
) -> dict[str, Any]:
    """What the meeting page adds: its recordings for those who may hear them, and the upload
    form for the secretariat (where the server takes uploads)."""
    me = viewer(request)
    listener = me.has(meeting.committee_id, *LISTENERS)
    store = request.app.get(STORE)
    return {
        "recordings": await meeting_recordings(session, meeting.id) if listener else [],
        "recording_status_vi": RECORDING_STATUS_VI,
        "may_upload": store is not None and me.has(meeting.committee_id, Role.SECRETARIAT),
        "upload_max": store.max_bytes if store is not None else 0,
    }


async def draft_clips(session: AsyncSession, draft: Draft) -> dict[str, Any]:
    """What the draft editor adds: for each conclusion and task, the (start, end) seconds of
    the recording it came from, where the draft has a recording and the item a start."""
    if draft.recording_id is None:
        return {"audio_url": None, "clips": {}}
    segments = await transcript(session, draft.recording_id)
    clips = {
        (kind, i): span
        for kind in ("conclusions", "tasks")
        for i, item in enumerate(draft.content.get(kind, []))
        if (span := clip(item, segments)) is not None
    }
    return {"audio_url": f"/recordings/{draft.recording_id}/audio", "clips": clips}


def setup(app: web.Application) -> None:
    r = app.router
    r.add_get(r"/recordings/{recording_id:\d+}", recording_page)
    r.add_get(r"/recordings/{recording_id:\d+}/audio", audio)
    r.add_get(r"/recordings/{recording_id:\d+}/progress", progress)
    r.add_static("/static/", STATIC, append_version=False)
    aiohttp_jinja2.get_env(app).filters["clock"] = clock
