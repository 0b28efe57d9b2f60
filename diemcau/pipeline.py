"""Recording → transcript → draft, as the embedded default runs it.

The transcription job (``transcribe.job``) runs in a warmed process pool, never on the event
loop; its progress is read back from the database, where the job stores it window by window.
The transcript then goes through the minutes drafter and becomes a stored draft. This module
is wiring: it joins storage, transcribe and minutes, which do not know one another.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import tempfile
from collections.abc import Awaitable, Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import minutes
from diemcau.documents import meeting_info
from minutes.render import to_docx
from storage.models import (
    Meeting,
    Recording,
    RecordingStatus,
    TranscriptSegment,
    Unit,
)
from storage.services.drafts import create_draft
from transcribe.job import init_worker, run_in_worker

log = logging.getLogger(__name__)
Progress = Callable[[float], Awaitable[None]]


class RecordingFailed(Exception):
    """The recording could not be transcribed; ``message_vi`` says why, for people."""

    def __init__(self, message_vi: str) -> None:
        super().__init__(message_vi)
        self.message_vi = message_vi


@dataclass(frozen=True, slots=True)
class Outcome:
    draft_id: int
    segments: int
    duration: float


def draft_content(draft: minutes.MinutesDraft) -> dict[str, Any]:
    """The drafter's JSON (DESIGN.md's shape) plus, per item, where in the recording it was
    said and whether a person must check its deadline: what the review and the tasks need."""
    content = draft.to_json_dict()
    for item, task in zip(content["tasks"], draft.tasks, strict=True):
        item.update(start=task.start, needs_review=task.needs_review)
    for item, conclusion in zip(content["conclusions"], draft.conclusions, strict=True):
        item.update(start=conclusion.start)
    return content


def draft_from_content(content: dict[str, Any]) -> minutes.MinutesDraft:
    """The stored (possibly edited) JSON back into the drafter's objects, for rendering."""
    meeting_date = content.get("meeting_date")
    return minutes.MinutesDraft(
        meeting_date=date.fromisoformat(meeting_date) if meeting_date else None,
        conclusions=tuple(
            minutes.Conclusion(c["text"], c.get("evidence", ""), c.get("start"))
            for c in content.get("conclusions", [])
        ),
        tasks=tuple(
            minutes.Task(
                assignee=t["assignee"],
                cooperating=tuple(t.get("cooperating", [])),
                action=t["action"],
                deadline=date.fromisoformat(t["deadline"]) if t.get("deadline") else None,
                deadline_text=t.get("deadline_text"),
                evidence=t.get("evidence", ""),
                start=t.get("start"),
                needs_review=bool(t.get("needs_review")),
            )
            for t in content.get("tasks", [])
        ),
    )


async def stored_segments(session: AsyncSession, recording_id: int) -> list[TranscriptSegment]:
    """A recording's transcript as the job stored it, in order."""
    return list(
        await session.scalars(
            select(TranscriptSegment)
            .where(TranscriptSegment.recording_id == recording_id)
            .order_by(TranscriptSegment.seq)
        )
    )


class RecordingPipeline:
    """One warmed worker pool for transcription, and the drafting that follows it."""

    def __init__(
        self,
        *,
        database_url: str,
        sessions: async_sessionmaker[AsyncSession],
        model: str,
        data_dir: Path,
        tz: ZoneInfo,
        workers: int = 1,
        poll_seconds: float = 1.0,
    ) -> None:
        self.sessions, self.tz, self.poll_seconds = sessions, tz, poll_seconds
        # spawn, not fork: the parent runs an event loop and threads a fork would copy.
        self._pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=init_worker,
            initargs=(database_url, model, str(data_dir)),
        )

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    async def _progress(self, recording_id: int) -> float:
        async with self.sessions() as session:
            value = await session.scalar(
                select(Recording.progress).where(Recording.id == recording_id)
            )
        return float(value or 0.0)

    async def transcribe(self, recording_id: int, on_progress: Progress | None = None) -> None:
        """Run the job in the pool, reporting progress as the job stores it."""
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._pool, run_in_worker, recording_id)
        while not future.done():
            await asyncio.wait({future}, timeout=self.poll_seconds)
            if on_progress is not None and not future.done():
                await on_progress(await self._progress(recording_id))
        outcome = future.result()
        if outcome.status != RecordingStatus.DONE:
            raise RecordingFailed(outcome.error or "không rõ lý do")

    async def draft(self, recording_id: int) -> Outcome:
        """Draft the minutes of a transcribed recording and store the draft."""
        async with self.sessions() as session:
            recording = await session.get(Recording, recording_id)
            assert recording is not None
            segments = await stored_segments(session, recording_id)
            meeting = (
                await session.get(Meeting, recording.meeting_id) if recording.meeting_id else None
            )
            units = [
                u
                for unit in await session.scalars(select(Unit))
                for u in (unit.short_name or unit.name, unit.name)
            ]
        transcript = minutes.Transcript(
            segments=tuple(minutes.Segment(s.start, s.end, s.text) for s in segments),
            duration=recording.duration_s,
        )
        meeting_date = meeting.starts_at.astimezone(self.tz).date() if meeting else None
        drafted = await asyncio.to_thread(
            minutes.draft_minutes, transcript, meeting_date=meeting_date, known_units=units
        )
        async with self.sessions.begin() as session:
            stored = await create_draft(
                session,
                content=draft_content(drafted),
                now=recording.updated_at,
                meeting_id=recording.meeting_id,
                recording_id=recording_id,
                created_by_id=recording.uploaded_by_id,
            )
        return Outcome(stored.id, len(segments), recording.duration_s or 0.0)

    async def process(self, recording_id: int, on_progress: Progress | None = None) -> Outcome:
        await self.transcribe(recording_id, on_progress)
        return await self.draft(recording_id)

    async def render_notice(
        self, content: dict[str, Any], meeting_id: int | None, *, approved: bool = False
    ) -> bytes:
        """The conclusion notice as DOCX bytes (Nghị định 30/2020 layout, by minutes.render),
        marked "DỰ THẢO" unless ``approved``."""
        info = None
        if meeting_id is not None:
            async with self.sessions() as session:
                info = await meeting_info(session, meeting_id, self.tz)
        draft = draft_from_content(content)

        def render() -> bytes:
            with tempfile.TemporaryDirectory() as directory:
                path = Path(directory) / "thong-bao.docx"
                to_docx(draft, path, info, mark_draft=not approved)
                return path.read_bytes()

        return await asyncio.to_thread(render)

    async def resume_unfinished(self) -> list[int]:
        """Recordings left queued or running by a process that died: their job resumes."""
        async with self.sessions() as session:
            return list(
                await session.scalars(
                    select(Recording.id).where(
                        Recording.status.in_([RecordingStatus.QUEUED, RecordingStatus.RUNNING])
                    )
                )
            )
