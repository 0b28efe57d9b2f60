"""The transcription job: a stored recording in, stored transcript segments out.

Independent of any queue engine: the embedded default calls :func:`run_transcription` in a
process pool, a distributed engine calls the same function in ``diemcau worker`` processes.
It runs in a worker process, so it uses a synchronous SQLAlchemy session.

Crash safety: the recording is transcribed window by window, and each window's segments are
stored in the same transaction as the window's row (the checkpoint) and the progress. A
killed worker leaves the recording ``transcribing`` with its last committed window; run
again, the job resumes from that window's end, and a recording whose last window is stored
(progress 1.0) is only marked ``transcribed``, never started over.

One live job: every write names the lease the job was given (or claimed itself), and is
refused once another claim replaced it (:mod:`storage.services.recordings`);
``(recording_id, start)`` of a window and ``(recording_id, seq)`` of a segment are unique as
the last guards.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from pkgutil import resolve_name
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from storage.models import (
    AgendaItem,
    Committee,
    Invitation,
    Meeting,
    Person,
    Point,
    Recording,
    RecordingStatus,
    TranscriptSegment,
    TranscriptWindow,
    Unit,
)
from storage.services.recordings import Lease, LeaseLost, claim, fenced_update, release
from transcribe.audio import decoded_duration, probe
from transcribe.engine import Transcriber, Window
from transcribe.errors import TranscribeError
from transcribe.options import TranscribeOptions

log = logging.getLogger(__name__)

# A job run on its own (not under a pipeline that holds the lease) claims it for this long;
# each stored window renews it.
OWN_LEASE = timedelta(minutes=10)

# Named moments of a run, where a ``checkpoint`` callback is called: a test uses them to kill
# the process at exactly that point.
BEFORE_FIRST_WINDOW = "before-first-window"
AFTER_WINDOW = "after-window"
AFTER_LAST_WINDOW = "after-last-window"
TRANSCRIBED = "transcribed"
Checkpoint = Callable[[str], None]

# Stages past transcription: a job asked to run on one of them has nothing to do.
_PAST_TRANSCRIPTION = frozenset(
    {RecordingStatus.TRANSCRIBED, RecordingStatus.DRAFTED, RecordingStatus.SENT}
)


class RecordingNotFound(LookupError):
    """No recording has the id the job was given."""


@dataclass(frozen=True, slots=True)
class JobOutcome:
    """What one run of the job did."""

    recording_id: int
    status: RecordingStatus
    resumed_from: float  # seconds into the recording where this run started
    segments_added: int
    segments_total: int
    error: str | None = None


def _utcnow() -> datetime:
    return datetime.now(UTC)


def run_transcription(
    sessions: sessionmaker[Session],
    recording_id: int,
    *,
    transcriber: Transcriber,
    options: TranscribeOptions | Mapping[str, Any] | None = None,
    media_root: Path | None = None,
    now: Callable[[], datetime] = _utcnow,
    lease: Lease | None = None,
    checkpoint: Checkpoint | None = None,
) -> JobOutcome:
    """Transcribe recording ``recording_id``, storing segments and progress window by window.

    Marks the recording ``transcribed``, or ``failed`` with the reason (in Vietnamese, for
    people) when the recording cannot be read; an unexpected error is recorded too and
    re-raised so the caller can retry. A recording already transcribed is left alone.
    A relative ``Recording.path`` is taken from ``media_root`` (default: the working
    directory). Without ``lease`` the job claims the recording itself, and raises
    :class:`LeaseLost` while another job holds it.
    """
    opts = TranscribeOptions.coerce(options)
    own_lease = lease is None
    with sessions.begin() as session:
        recording = session.get(Recording, recording_id)
        if recording is None:
            raise RecordingNotFound(f"no recording with id {recording_id}")
        stored = _stored_count(session, recording_id)
        if recording.status in _PAST_TRANSCRIPTION:
            return JobOutcome(recording_id, recording.status, recording.duration_s or 0.0,
                              0, stored)  # fmt: skip
        if lease is None:
            owner = f"job:{socket.gethostname()}:{os.getpid()}"
            lease = claim(session, recording_id, owner=owner, now=now(), ttl=OWN_LEASE)
            if lease is None:
                raise LeaseLost(f"recording {recording_id} is leased by {recording.lease_owner}")
        path = Path(recording.path)
        if not path.is_absolute() and media_root is not None:
            path = media_root / path
        vocabulary = meeting_vocabulary(session, recording.meeting_id)
        resume, finished = _resume_point(session, recording)
        fenced_update(
            session, lease, now=now(), status=RecordingStatus.TRANSCRIBING, error=None,
            model=transcriber.name, language=opts.language, attempts=Recording.attempts + 1,
        )  # fmt: skip
    log.info("recording %d: transcribing %s from %.1f s", recording_id, path, resume)
    _reach(checkpoint, BEFORE_FIRST_WINDOW)

    added = 0
    try:
        opts = transcriber.options_for(opts, vocabulary=vocabulary)  # as the CLI settles them
        if not finished:
            duration = _ensure_duration(sessions, lease, path, now)
            for window in transcriber.windows(path, opts, start=resume):
                added += _store_window(sessions, lease, window, resume, duration, now)
                duration = max(duration, window.end)
                _reach(checkpoint, AFTER_WINDOW)
        _reach(checkpoint, AFTER_LAST_WINDOW)
    except LeaseLost:
        log.warning("recording %d: lease lost, this job stops", recording_id)
        raise
    except TranscribeError as error:
        log.warning("recording %d failed: %s", recording_id, error.log_message)
        _mark_failed(sessions, lease, str(error), now, release_lease=own_lease)
        return JobOutcome(recording_id, RecordingStatus.FAILED, resume, added,
                          _count(sessions, recording_id), str(error))  # fmt: skip
    except Exception as error:
        log.exception("recording %d: unexpected failure", recording_id)
        try:
            reason = f"lỗi nội bộ khi chép lời: {error}"
            _mark_failed(sessions, lease, reason, now, release_lease=own_lease)
        except Exception:
            log.exception("recording %d: could not record the failure", recording_id)
        raise

    with sessions.begin() as session:
        fenced_update(session, lease, now=now(), status=RecordingStatus.TRANSCRIBED, progress=1.0)
        if own_lease:
            release(session, lease)
    _reach(checkpoint, TRANSCRIBED)
    total = _count(sessions, recording_id)
    log.info("recording %d transcribed: %d segments (%d this run)", recording_id, total, added)
    return JobOutcome(recording_id, RecordingStatus.TRANSCRIBED, resume, added, total)


def _reach(checkpoint: Checkpoint | None, moment: str) -> None:
    if checkpoint is not None:
        checkpoint(moment)


def _store_window(
    sessions: sessionmaker[Session],
    lease: Lease,
    window: Window,
    resume: float,
    duration: float,
    now: Callable[[], datetime],
) -> int:
    """One window's segments, its checkpoint row and the progress, in one transaction."""
    recording_id = lease.recording_id
    kept = [s for s in window.segments if s.start >= resume - 1e-3]  # never before the resume
    # Stretch the duration rather than clamp the progress: progress × duration must give
    # back exactly this window's end, the next run's starting point.
    duration = max(duration, window.end)
    with sessions.begin() as session:
        # The fenced update comes first: it takes the row's lock (the database's write lock
        # on SQLite) before anything of this window is written.
        fenced_update(
            session, lease, now=now(), duration_s=duration,
            progress=window.end / duration if duration else 1.0, language=window.language,
        )  # fmt: skip
        session.add(
            TranscriptWindow(recording_id=recording_id, start=window.start, end=window.end,
                             segments=len(kept), lease_token=lease.token)
        )  # fmt: skip
        seq = _next_seq(session, recording_id)
        session.add_all(
            TranscriptSegment(recording_id=recording_id, seq=seq + i, start=segment.start,
                              end=segment.end, text=segment.text)
            for i, segment in enumerate(kept)
        )  # fmt: skip
    return len(kept)


def _get(session: Session, recording_id: int) -> Recording:
    recording = session.get(Recording, recording_id)
    if recording is None:
        raise RecordingNotFound(f"recording {recording_id} vanished during its job")
    return recording


def _stored_count(session: Session, recording_id: int) -> int:
    return (
        session.scalar(select(func.count()).where(TranscriptSegment.recording_id == recording_id))
        or 0
    )


def _count(sessions: sessionmaker[Session], recording_id: int) -> int:
    with sessions() as session:
        return _stored_count(session, recording_id)


def _next_seq(session: Session, recording_id: int) -> int:
    last = session.scalar(
        select(func.max(TranscriptSegment.seq)).where(
            TranscriptSegment.recording_id == recording_id
        )
    )
    return 0 if last is None else last + 1


def _resume_point(session: Session, recording: Recording) -> tuple[float, bool]:
    """Where this run starts (seconds), and whether every window is already stored.

    The last stored window's end is the checkpoint; rows from before windows were stored
    fall back to ``progress × duration``. Progress 1.0 means the last window is stored: the
    run only marks the recording transcribed, it never starts over.
    """
    finished = recording.progress >= 1.0 and bool(recording.duration_s)
    last_end = session.scalar(
        select(func.max(TranscriptWindow.end)).where(TranscriptWindow.recording_id == recording.id)
    )
    if last_end is not None:
        return float(last_end), finished
    if recording.duration_s and recording.progress > 0:
        return min(recording.progress, 1.0) * recording.duration_s, finished
    return 0.0, False


def _ensure_duration(
    sessions: sessionmaker[Session], lease: Lease, path: Path, now: Callable[[], datetime]
) -> float:
    """The recording's duration, from the database or the container (decoded if it won't say)."""
    with sessions() as session:
        known = _get(session, lease.recording_id).duration_s
    if known:
        return known
    declared = probe(path).duration
    duration = declared if declared else decoded_duration(path)
    with sessions.begin() as session:
        fenced_update(session, lease, now=now(), duration_s=duration)
    return duration


def _mark_failed(
    sessions: sessionmaker[Session],
    lease: Lease,
    reason: str,
    now: Callable[[], datetime],
    *,
    release_lease: bool,
) -> None:
    with sessions.begin() as session:
        fenced_update(session, lease, now=now(), status=RecordingStatus.FAILED, error=reason)
        if release_lease:
            release(session, lease)


def meeting_vocabulary(session: Session, meeting_id: int | None) -> tuple[str, ...]:
    """A meeting's own words for context biasing, most useful first.

    People (the chair first) by name, then units, points, the committee, agenda titles.
    """
    if meeting_id is None:
        return ()
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        return ()
    people = session.scalars(
        select(Person)
        .join(Invitation, Invitation.person_id == Person.id)
        .where(Invitation.meeting_id == meeting_id)
        .order_by(Invitation.id)
    ).all()
    chair = session.get(Person, meeting.chair_id)
    unit_ids = {p.unit_id for p in [chair, *people] if p is not None and p.unit_id}
    units = (
        session.scalars(select(Unit).where(Unit.id.in_(unit_ids)).order_by(Unit.id)).all()
        if unit_ids
        else []
    )
    points = session.scalars(
        select(Point).where(Point.committee_id == meeting.committee_id).order_by(Point.position)
    ).all()
    committee = session.get(Committee, meeting.committee_id)
    agenda = session.scalars(
        select(AgendaItem.title).where(AgendaItem.meeting_id == meeting_id)
        .order_by(AgendaItem.position)
    ).all()  # fmt: skip

    terms: list[str | None] = []
    for person in [chair, *people]:
        if person is not None:
            terms.append(person.full_name)
    for unit in units:
        terms += [unit.name, unit.short_name]
    terms += [point.name for point in points]
    if committee is not None:
        terms += [committee.short_name or committee.name, committee.province]
    terms += list(agenda)
    return _unique(t for t in terms if t)


def _unique(terms: Iterable[str]) -> tuple[str, ...]:
    seen: set[str] = set()
    kept: list[str] = []
    for term in terms:
        key = term.casefold().strip()
        if key and key not in seen:
            seen.add(key)
            kept.append(term.strip())
    return tuple(kept)


# ---------------------------------------------------------------- process-pool workers
#
#     pool = ProcessPoolExecutor(
#         max_workers=1, initializer=init_worker, initargs=(url, "base", "var", None)
#     )
#     outcome = await loop.run_in_executor(pool, run_in_worker, recording_id, None, lease)
#
# The model loads once per worker process (in the initializer), never per job.

_worker: dict[str, Any] = {}


def init_worker(
    database_url: str,
    model: str,
    data_dir: str,
    media_root: str | None = None,
    checkpoint: str | None = None,
    device: str = "auto",
) -> None:
    """Process-pool initializer: open the database and load the model once, on ``device``
    (``auto``, ``cpu``, ``cuda``).

    ``checkpoint`` names a callable (``"package.module:function"``) the job calls at its
    named moments; tests use it to kill the worker at an exact point.
    """
    from storage.db import make_sync_engine, make_sync_sessionmaker

    _worker["sessions"] = make_sync_sessionmaker(make_sync_engine(database_url))
    _worker["transcriber"] = Transcriber.load(model, data_dir=Path(data_dir), device=device)
    _worker["media_root"] = Path(media_root) if media_root else None
    _worker["checkpoint"] = resolve_name(checkpoint) if checkpoint else None


def worker_ready() -> str:
    """Called in a fresh pool process to have it started (and its model loaded) ahead of the
    first job; the model's name."""
    if not _worker:
        raise RuntimeError("worker_ready needs a process started with init_worker")
    return str(_worker["transcriber"].name)


def run_in_worker(
    recording_id: int,
    options: TranscribeOptions | Mapping[str, Any] | None = None,
    lease: Lease | None = None,
) -> JobOutcome:
    """Run the job in a process set up by :func:`init_worker`."""
    if not _worker:
        raise RuntimeError("run_in_worker needs a process started with init_worker")
    return run_transcription(
        _worker["sessions"],
        recording_id,
        transcriber=_worker["transcriber"],
        options=options,
        media_root=_worker["media_root"],
        lease=lease,
        checkpoint=_worker["checkpoint"],
    )
