"""The transcription job: a stored recording in, stored transcript segments out.

Independent of any queue engine: the embedded default calls :func:`run_transcription` in a
process pool, a distributed engine calls the same function in ``diemcau worker`` processes.
It runs in a worker process, so it uses a synchronous SQLAlchemy session.

Crash safety: the recording is transcribed window by window, and each window's segments are
stored in the same transaction as the progress that says the window is done. A killed
worker leaves the recording ``running`` with its last committed progress; run again, the job
resumes from ``progress × duration_s`` and numbers new segments after the stored ones, so
no segment is stored twice (``(recording_id, seq)`` is unique as a last guard).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
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
    Unit,
)
from transcribe.audio import decoded_duration, probe
from transcribe.engine import Transcriber
from transcribe.errors import TranscribeError
from transcribe.options import TranscribeOptions

log = logging.getLogger(__name__)


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
) -> JobOutcome:
    """Transcribe recording ``recording_id``, storing segments and progress window by window.

    Marks the recording ``done``, or ``failed`` with the reason (in Vietnamese, for people)
    when the recording cannot be read; an unexpected error is recorded too and re-raised so
    a queue engine can retry. A recording already ``done`` is left alone. A relative
    ``Recording.path`` is taken from ``media_root`` (default: the working directory).
    """
    opts = TranscribeOptions.coerce(options)
    with sessions.begin() as session:
        recording = session.get(Recording, recording_id)
        if recording is None:
            raise RecordingNotFound(f"no recording with id {recording_id}")
        stored = _stored_count(session, recording_id)
        if recording.status == RecordingStatus.DONE:
            return JobOutcome(recording_id, RecordingStatus.DONE, recording.duration_s or 0.0,
                              0, stored)  # fmt: skip
        path = Path(recording.path)
        if not path.is_absolute() and media_root is not None:
            path = media_root / path
        vocabulary = meeting_vocabulary(session, recording.meeting_id)
        resume = _resume_point(recording)
        recording.status = RecordingStatus.RUNNING
        recording.error = None
        recording.model = transcriber.name
        recording.language = opts.language
        recording.updated_at = now()
    log.info("recording %d: transcribing %s from %.1f s", recording_id, path, resume)

    added = 0
    try:
        opts = transcriber.options_for(opts, vocabulary=vocabulary)  # as the CLI settles them
        duration = _ensure_duration(sessions, recording_id, path, now)
        for window in transcriber.windows(path, opts, start=resume):
            with sessions.begin() as session:
                recording = _get(session, recording_id)
                seq = _next_seq(session, recording_id)
                for segment in window.segments:
                    if segment.start < resume - 1e-3:
                        continue  # never before the checkpoint this run started from
                    session.add(
                        TranscriptSegment(
                            recording_id=recording_id,
                            seq=seq,
                            start=segment.start,
                            end=segment.end,
                            text=segment.text,
                        )
                    )
                    seq += 1
                    added += 1
                # Stretch the duration rather than clamp the progress: progress × duration
                # must give back exactly this window's end, the next run's starting point.
                duration = max(duration, window.end)
                recording.duration_s = duration
                recording.progress = window.end / duration if duration else 1.0
                recording.language = window.language
                recording.updated_at = now()
    except TranscribeError as error:
        log.warning("recording %d failed: %s", recording_id, error.log_message)
        _mark_failed(sessions, recording_id, str(error), now)
        return JobOutcome(recording_id, RecordingStatus.FAILED, resume, added,
                          _count(sessions, recording_id), str(error))  # fmt: skip
    except Exception as error:
        log.exception("recording %d: unexpected failure", recording_id)
        try:
            _mark_failed(sessions, recording_id, f"lỗi nội bộ khi chép lời: {error}", now)
        except Exception:
            log.exception("recording %d: could not record the failure", recording_id)
        raise

    with sessions.begin() as session:
        recording = _get(session, recording_id)
        recording.status = RecordingStatus.DONE
        recording.progress = 1.0
        recording.updated_at = now()
    total = _count(sessions, recording_id)
    log.info("recording %d done: %d segments (%d this run)", recording_id, total, added)
    return JobOutcome(recording_id, RecordingStatus.DONE, resume, added, total)


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


def _resume_point(recording: Recording) -> float:
    if recording.duration_s and 0 < recording.progress < 1:
        return recording.progress * recording.duration_s
    return 0.0


def _ensure_duration(
    sessions: sessionmaker[Session], recording_id: int, path: Path, now: Callable[[], datetime]
) -> float:
    """The recording's duration, from the database or the container (decoded if it won't say)."""
    with sessions() as session:
        known = _get(session, recording_id).duration_s
    if known:
        return known
    declared = probe(path).duration
    duration = declared if declared else decoded_duration(path)
    with sessions.begin() as session:
        recording = _get(session, recording_id)
        recording.duration_s = duration
        recording.updated_at = now()
    return duration


def _mark_failed(
    sessions: sessionmaker[Session], recording_id: int, reason: str, now: Callable[[], datetime]
) -> None:
    with sessions.begin() as session:
        recording = _get(session, recording_id)
        recording.status = RecordingStatus.FAILED
        recording.error = reason
        recording.updated_at = now()


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
#     outcome = await loop.run_in_executor(pool, run_in_worker, recording_id)
#
# The model loads once per worker process (in the initializer), never per job.

_worker: dict[str, Any] = {}


def init_worker(
    database_url: str, model: str, data_dir: str, media_root: str | None = None
) -> None:
    """Process-pool initializer: open the database and load the model once."""
    from storage.db import make_sync_engine, make_sync_sessionmaker

    _worker["sessions"] = make_sync_sessionmaker(make_sync_engine(database_url))
    _worker["transcriber"] = Transcriber.load(model, data_dir=Path(data_dir))
    _worker["media_root"] = Path(media_root) if media_root else None


def run_in_worker(
    recording_id: int, options: TranscribeOptions | Mapping[str, Any] | None = None
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
    )
