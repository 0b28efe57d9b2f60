"""Recording → transcript → draft → reviewers, as the embedded default runs it.

Each stage is stored on the recording and committed before the next begins (queued →
transcribing → transcribed → drafted → sent, or failed with the reason in Vietnamese), so
after any crash :meth:`RecordingPipeline.process` picks a recording up at the stage it
reached and never does a finished stage again. The pipeline holds the recording's lease
while it works (renewed in the background) and hands its fencing token to the job: a second
server, or a job started under an older claim, cannot write (``storage.services.recordings``).

The transcription job (``transcribe.job``) runs in a warmed process pool, never on the event
loop; its workers die with this process (``diemcau.lifeline``). A worker that dies mid-job
breaks the pool: the pipeline replaces the pool and runs the job again from its checkpoint,
a bounded number of times with a growing pause, so the person never sees Python's "process
pool is not usable anymore". This module is wiring: it joins storage, transcribe and
minutes, which do not know one another.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import socket
import tempfile
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

import minutes
from diemcau.documents import meeting_info
from diemcau.lifeline import die_with_parent
from minutes.render import to_docx
from storage.models import (
    Draft,
    Meeting,
    Recording,
    RecordingStatus,
    TranscriptSegment,
    Unit,
)
from storage.services.drafts import create_draft
from storage.services.recordings import Lease, LeaseLost, claim, fenced_update, release, unfinished
from transcribe.job import init_worker, run_in_worker, worker_ready
from transcribe.options import TranscribeOptions

log = logging.getLogger(__name__)
Progress = Callable[[float], Awaitable[None]]
Review = Callable[[int], Awaitable[None]]  # sends the draft with this id to its reviewers
_T = TypeVar("_T")
_TRANSCRIBABLE = frozenset(
    {RecordingStatus.UPLOADED, RecordingStatus.QUEUED, RecordingStatus.TRANSCRIBING}
)

# What the person reads when the workers kept dying (never Python's own message).
WORKERS_DIED_VI = (
    "tiến trình chép lời bị dừng đột ngột {n} lần (có thể do thiếu bộ nhớ); "
    "bản ghi vẫn được giữ nguyên, hãy thử lại sau hoặc báo quản trị hệ thống"
)
STOPPING_VI = "máy chủ đang dừng; bản ghi sẽ được chép lời tiếp khi máy chủ chạy lại"
BUSY_VI = "bản ghi đang được một máy chủ khác xử lý; kết quả sẽ được gửi khi xong"


class RecordingFailed(Exception):
    """The recording could not be transcribed; ``message_vi`` says why, for people."""

    def __init__(self, message_vi: str) -> None:
        super().__init__(message_vi)
        self.message_vi = message_vi


class RecordingBusy(RecordingFailed):
    """Another owner holds the recording's lease: it does the work, not us."""


@dataclass(frozen=True, slots=True)
class Outcome:
    draft_id: int
    segments: int
    duration: float


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _init_pool_worker(parent_pid: int, *init_args: Any) -> None:
    """Pool initializer: tie the worker's life to the server's, then load the model."""
    die_with_parent(parent_pid)
    init_worker(*init_args)


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
    """One warmed worker pool for transcription, and the stages that follow it."""

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
        lease_seconds: float = 60.0,
        max_attempts: int = 4,
        retry_pause_s: float = 1.0,
        options: TranscribeOptions | None = None,
        worker_checkpoint: str | None = None,
        owner: str | None = None,
        clock: Callable[[], datetime] = _utcnow,
        queued: bool = False,
        device: str = "auto",
    ) -> None:
        """``lease_seconds``: how long a claim lasts without renewal (a dead owner's
        recordings are taken over after it); ``max_attempts``: transcription runs a recording
        gets, across restarts, before it is failed; ``worker_checkpoint``: a callable's
        import path the job calls at its named moments (tests kill workers with it);
        ``queued``: the stages are queued jobs that ``diemcau worker`` processes run
        (PostgreSQL), so :meth:`process` follows them instead of running them here."""
        self.sessions, self.tz, self.poll_seconds = sessions, tz, poll_seconds
        self.lease_ttl = timedelta(seconds=lease_seconds)
        self.max_attempts, self.retry_pause_s = max_attempts, retry_pause_s
        self.options, self.clock, self.queued = options, clock, queued
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        # Set by the wiring once the bot exists: how a draft reaches its reviewers.
        self.review: Review | None = None
        # Recordings this process is working on, and how each run ends: a second caller
        # (the bot's upload and the start-up sweep) follows the run instead of starting one.
        self._running: dict[int, asyncio.Future[Outcome]] = {}
        self._workers = workers
        self._init_args = (database_url, model, str(data_dir), None, worker_checkpoint, device)
        self._pool = self._new_pool()
        self._closed = False

    def _new_pool(self) -> ProcessPoolExecutor:
        # spawn, not fork: the parent runs an event loop and threads a fork would copy.
        return ProcessPoolExecutor(
            max_workers=self._workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_pool_worker,
            initargs=(os.getpid(), *self._init_args),
        )

    def _replace_pool(self, broken: ProcessPoolExecutor) -> None:
        """A worker died: the pool is unusable; start a fresh one (once per breakage, however
        many jobs noticed it)."""
        if self._pool is broken:
            broken.shutdown(wait=False, cancel_futures=True)
            self._pool = self._new_pool()

    async def warm(self) -> str:
        """Start every transcription process and load its model now rather than at the
        first job (a worker is then ready when it says so); the model's name."""
        loop = asyncio.get_running_loop()
        # One call per process: a spawn-context pool starts a process for each call that
        # finds none idle.
        names = await asyncio.gather(
            *(loop.run_in_executor(self._pool, worker_ready) for _ in range(self._workers))
        )
        return names[0]

    def close(self, *, wait: bool = True) -> None:
        """Stop the pool. ``wait=False`` (the server stopping) does not wait for a running
        job: the workers are killed (the only ``multiprocessing`` children of the server are
        this pool's), and the job resumes from its checkpoint at the next start."""
        self._closed = True
        self._pool.shutdown(wait=wait, cancel_futures=True)
        if not wait:
            for child in multiprocessing.active_children():
                child.kill()
                child.join(timeout=5)

    # ------------------------------------------------------------------ leases and stages

    async def _in_transaction(self, work: Callable[[Session], _T]) -> _T:
        async with self.sessions.begin() as session:
            return await session.run_sync(work)

    async def _claim(self, recording_id: int) -> Lease | None:
        return await self._in_transaction(
            lambda s: claim(s, recording_id, owner=self.owner, now=self.clock(), ttl=self.lease_ttl)
        )

    async def _write(self, lease: Lease, **values: Any) -> None:
        await self._in_transaction(lambda s: fenced_update(s, lease, now=self.clock(), **values))

    @contextlib.asynccontextmanager
    async def _holding(self, recording_id: int) -> AsyncIterator[list[Lease]]:
        """Claim the recording, keep the lease alive while inside, release it after.

        Yields a one-item list: a retry claims again (a new token) and replaces the item.
        """
        lease = await self._claim(recording_id)
        if lease is None:
            raise RecordingBusy(BUSY_VI)
        held = [lease]

        async def renew() -> None:
            while True:
                await asyncio.sleep(self.lease_ttl.total_seconds() / 3)
                try:
                    await self._write(held[0])
                except LeaseLost:
                    log.warning("recording %d: lease lost to another owner", recording_id)
                    return
                except Exception:  # the database blinked: try again next period
                    log.exception("recording %d: the lease could not be renewed", recording_id)

        renewing = asyncio.create_task(renew(), name=f"lease-{recording_id}")
        try:
            yield held
        finally:
            renewing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewing  # never leave a renewal half-way through a database call
            with contextlib.suppress(Exception):
                await self._in_transaction(lambda s: release(s, held[0]))

    async def _recording(self, recording_id: int) -> Recording:
        async with self.sessions() as session:
            recording = await session.get(Recording, recording_id)
        if recording is None:
            raise RecordingFailed(f"không tìm thấy bản ghi số {recording_id}")
        return recording

    async def process(
        self, recording_id: int, on_progress: Progress | None = None, review: Review | None = None
    ) -> Outcome:
        """Take the recording through every stage it has not finished; each is done once.

        ``review`` (or the pipeline's own :attr:`review`) sends the draft to its reviewers;
        without either the recording stops at ``drafted``. The reviewers are sent the draft
        before the recording is marked ``sent``: a crash in between sends it again on resume
        (at least once, never lost). A recording this process already works on is not
        started twice: the call follows that run (its progress, its outcome). With
        ``queued`` the call only follows the queued jobs until the draft is made.
        """
        if self.queued:
            return await self._follow(recording_id, on_progress)
        running = self._running.get(recording_id)
        if running is not None:
            while not running.done():
                await asyncio.wait({running}, timeout=self.poll_seconds)
                if on_progress is not None and not running.done():
                    await on_progress(await self._progress(recording_id))
            return running.result()
        ends: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()
        self._running[recording_id] = ends
        try:
            outcome = await self._stages(recording_id, on_progress, review or self.review)
        except Exception as error:
            ends.set_exception(error)
            ends.exception()  # retrieved: nobody else may be waiting
            raise
        except BaseException:
            ends.cancel()
            raise
        finally:
            del self._running[recording_id]
        ends.set_result(outcome)
        return outcome

    async def _stages(
        self, recording_id: int, on_progress: Progress | None, review: Review | None
    ) -> Outcome:
        async with self._holding(recording_id) as held:
            await self._transcribe_if_due(held, on_progress)
            await self._draft_if_due(held)
            draft_id = await self._draft_of(recording_id)
            if review is not None:
                await self._review_if_due(held, review)
            return await self._outcome(recording_id, draft_id)

    async def _transcribe_if_due(self, held: list[Lease], on_progress: Progress | None) -> None:
        recording = await self._recording(held[0].recording_id)
        if recording.status in _TRANSCRIBABLE:
            await self._transcribe(held, recording.attempts, on_progress)
            recording = await self._recording(recording.id)
        if recording.status == RecordingStatus.FAILED:
            raise RecordingFailed(recording.error or "không rõ lý do")

    async def _draft_if_due(self, held: list[Lease]) -> None:
        recording = await self._recording(held[0].recording_id)
        if recording.status == RecordingStatus.TRANSCRIBED:
            await self._draft(held[0], recording)

    async def _review_if_due(self, held: list[Lease], review: Review) -> None:
        recording_id = held[0].recording_id
        if await self._stage(recording_id) == RecordingStatus.DRAFTED:
            await review(await self._draft_of(recording_id))
            await self._write(
                held[0], expect={RecordingStatus.DRAFTED}, status=RecordingStatus.SENT
            )

    async def _outcome(self, recording_id: int, draft_id: int) -> Outcome:
        async with self.sessions() as session:
            segments = len(await stored_segments(session, recording_id))
            duration = await session.scalar(
                select(Recording.duration_s).where(Recording.id == recording_id)
            )
        return Outcome(draft_id, segments, duration or 0.0)

    # ------------------------------------------------------------------ one stage at a time
    #
    # On PostgreSQL each stage is a queued job (``diemcau.queue``): a ``diemcau worker`` runs
    # one stage of one recording under its lease, and the stage's own commit queues the next.

    async def transcribe_stage(self, recording_id: int) -> None:
        """Transcribe the recording if it is at a stage before ``transcribed``."""
        async with self._holding(recording_id) as held:
            await self._transcribe_if_due(held, None)

    async def draft_stage(self, recording_id: int) -> None:
        """Draft the minutes if the recording is ``transcribed``."""
        async with self._holding(recording_id) as held:
            await self._draft_if_due(held)

    async def review_stage(self, recording_id: int) -> None:
        """Send the draft to its reviewers (through :attr:`review`) if it is ``drafted``."""
        if self.review is None:
            raise RuntimeError("review_stage needs the pipeline's review to be set")
        async with self._holding(recording_id) as held:
            await self._review_if_due(held, self.review)

    async def _follow(self, recording_id: int, on_progress: Progress | None) -> Outcome:
        """Wait for the queued jobs to take the recording to its draft, reporting the
        progress they store; what the server does when ``diemcau worker`` processes work."""
        while True:
            recording = await self._recording(recording_id)
            if recording.status == RecordingStatus.FAILED:
                raise RecordingFailed(recording.error or "không rõ lý do")
            if recording.status in (RecordingStatus.DRAFTED, RecordingStatus.SENT):
                return await self._outcome(recording_id, await self._draft_of(recording_id))
            if on_progress is not None:
                await on_progress(recording.progress)
            await asyncio.sleep(self.poll_seconds)

    async def _stage(self, recording_id: int) -> RecordingStatus:
        return (await self._recording(recording_id)).status

    async def _draft_of(self, recording_id: int) -> int:
        async with self.sessions() as session:
            draft_id = await session.scalar(
                select(Draft.id).where(Draft.recording_id == recording_id).order_by(Draft.id)
            )
        if draft_id is None:
            raise RecordingFailed(f"bản ghi số {recording_id} chưa có dự thảo")
        return draft_id

    async def _progress(self, recording_id: int) -> float:
        async with self.sessions() as session:
            value = await session.scalar(
                select(Recording.progress).where(Recording.id == recording_id)
            )
        return float(value or 0.0)

    async def _transcribe(
        self, held: list[Lease], attempts: int, on_progress: Progress | None
    ) -> None:
        """Run the job in the pool, reporting progress as the job stores it; a dead worker
        means a new pool and another run from the checkpoint, up to ``max_attempts`` runs
        in all (counted on the recording, so restarts count too)."""
        recording_id = held[0].recording_id
        loop = asyncio.get_running_loop()
        deaths = 0
        while True:
            # Runs counted on the recording bound restarts; deaths here also bound a worker
            # that dies before its job could count the run (a model that will not load).
            if max(attempts, deaths) >= self.max_attempts:
                reason = WORKERS_DIED_VI.format(n=max(attempts, deaths))
                await self._write(held[0], status=RecordingStatus.FAILED, error=reason)
                raise RecordingFailed(reason)
            pool = self._pool
            future = loop.run_in_executor(pool, run_in_worker, recording_id, self.options, held[0])
            while not future.done():
                await asyncio.wait({future}, timeout=self.poll_seconds)
                if on_progress is not None and not future.done():
                    await on_progress(await self._progress(recording_id))
            try:
                outcome = future.result()
            except BrokenProcessPool:
                if self._closed:  # the server is stopping: resumed at its next start
                    raise RecordingFailed(STOPPING_VI) from None
                deaths += 1
                log.warning("recording %d: a transcription worker died (%d)", recording_id, deaths)
                self._replace_pool(pool)
                await asyncio.sleep(self.retry_pause_s * 2 ** (deaths - 1))
                lease = await self._claim(recording_id)  # a new token fences off the dead run
                if lease is None:
                    raise RecordingBusy(BUSY_VI) from None
                held[0] = lease
                attempts = (await self._recording(recording_id)).attempts
                continue
            except LeaseLost as error:
                raise RecordingBusy(BUSY_VI) from error
            except Exception as error:  # the job recorded the failure; say it in Vietnamese
                log.exception("recording %d: the job failed", recording_id)
                failed = await self._recording(recording_id)
                raise RecordingFailed(failed.error or "lỗi nội bộ khi chép lời") from error
            if outcome.status == RecordingStatus.FAILED:
                raise RecordingFailed(outcome.error or "không rõ lý do")
            return

    async def _draft(self, lease: Lease, recording: Recording) -> None:
        """Draft the minutes of a transcribed recording; the draft and the ``drafted`` stage
        are committed together, under the lease."""
        recording_id = recording.id
        async with self.sessions() as session:
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
            # The stage first: it takes the row's lock, and refuses a second drafter.
            await session.run_sync(
                lambda s: fenced_update(
                    s, lease, now=self.clock(), expect={RecordingStatus.TRANSCRIBED},
                    status=RecordingStatus.DRAFTED,
                )
            )  # fmt: skip
            existing = await session.scalar(
                select(Draft.id).where(Draft.recording_id == recording_id)
            )
            if existing is None:
                await create_draft(
                    session,
                    content=draft_content(drafted),
                    now=recording.updated_at,
                    meeting_id=recording.meeting_id,
                    recording_id=recording_id,
                    created_by_id=recording.uploaded_by_id,
                )

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
        """Recordings a dead process left at a stage with work to do (queued, transcribing,
        transcribed without a draft, drafted and not sent), whose lease is free or expired,
        and that this process is not already working on."""
        async with self.sessions() as session:
            found = await session.run_sync(lambda s: unfinished(s, now=self.clock()))
        return [recording_id for recording_id in found if recording_id not in self._running]
