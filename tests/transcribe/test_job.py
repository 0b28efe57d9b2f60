"""The job: a stored recording to stored segments, done or failed, and resumed after a kill."""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from storage.db import create_all_sync, make_sync_engine
from storage.models import AgendaItem, RecordingStatus, TranscriptSegment
from storage.services.recordings import LeaseLost
from tests.transcribe.conftest import REPO, SAMPLE, SAMPLE_TEXT, Synthesise, cer
from tests.transcribe.job_worker import WORKER_OPTIONS
from tests.transcribe.rows import (
    NOW,
    add_meeting_with_vocabulary,
    add_recording,
    segments_of,
    state,
    sync_sessions,
)
from transcribe.engine import Transcriber
from transcribe.job import OWN_LEASE, RecordingNotFound, meeting_vocabulary, run_transcription

SENTENCES = [
    "Đơn vị tư vấn sớm hoàn thiện quy hoạch tỉnh.",
    "Giao Sở Tài chính chủ trì, phối hợp với Sở Xây dựng.",
    "Các huyện, thành phố tổng hợp ý kiến bằng văn bản.",
    "Xin cảm ơn các đồng chí.",
]


@pytest.fixture
def db_url(tmp_path: Path) -> Iterator[str]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'job.db'}"
    engine = make_sync_engine(url)
    create_all_sync(engine)
    engine.dispose()
    yield url


@pytest.fixture
def sessions(db_url: str) -> Iterator[sessionmaker[Session]]:
    yield from sync_sessions(db_url)


def stored(sessions: sessionmaker[Session], recording_id: int) -> list[TranscriptSegment]:
    with sessions() as session:
        return segments_of(session, recording_id)


def assert_well_ordered(segments: list[TranscriptSegment]) -> None:
    assert [s.seq for s in segments] == list(range(len(segments)))
    for before, after in itertools.pairwise(segments):
        assert after.start >= before.end - 0.05, (before.text, after.text)


@pytest.mark.slow
def test_a_recording_becomes_stored_segments(
    sessions: sessionmaker[Session], transcriber: Transcriber
) -> None:
    recording_id = add_recording(sessions, SAMPLE)
    outcome = run_transcription(sessions, recording_id, transcriber=transcriber, now=lambda: NOW)
    assert outcome.status == RecordingStatus.TRANSCRIBED and outcome.error is None
    recording = state(sessions, recording_id)
    assert recording.status == RecordingStatus.TRANSCRIBED and recording.progress == 1.0
    assert recording.duration_s == pytest.approx(47.7, abs=0.3)
    assert (recording.model, recording.language) == ("whisper-base", "vi")
    segments = stored(sessions, recording_id)
    assert len(segments) == outcome.segments_total == outcome.segments_added > 0
    assert_well_ordered(segments)
    # A bounded error rate, not the words Whisper writes on one CPU.
    assert cer(SAMPLE_TEXT.read_text(encoding="utf-8"), " ".join(s.text for s in segments)) < 0.6
    again = run_transcription(sessions, recording_id, transcriber=transcriber)
    assert again.segments_added == 0 and len(stored(sessions, recording_id)) == len(segments)


def test_a_bad_recording_is_marked_failed_with_the_reason(
    sessions: sessionmaker[Session], transcriber: Transcriber, tmp_path: Path
) -> None:
    text = tmp_path / "not-audio.mp3"
    text.write_text("không phải ghi âm\n" * 100, encoding="utf-8")
    recording_id = add_recording(sessions, text)
    outcome = run_transcription(sessions, recording_id, transcriber=transcriber)
    assert outcome.status == RecordingStatus.FAILED
    recording = state(sessions, recording_id)
    assert recording.status == RecordingStatus.FAILED
    assert recording.error is not None and "không đọc được" in recording.error
    missing_id = add_recording(sessions, tmp_path / "gone.ogg")
    run_transcription(sessions, missing_id, transcriber=transcriber)
    assert "không tìm thấy" in (state(sessions, missing_id).error or "")
    with pytest.raises(RecordingNotFound):
        run_transcription(sessions, 9999, transcriber=transcriber)


def test_a_relative_path_is_found_under_the_media_root(
    sessions: sessionmaker[Session], transcriber: Transcriber, tmp_path: Path
) -> None:
    recording_id = add_recording(sessions, Path("nowhere.ogg"))
    outcome = run_transcription(
        sessions, recording_id, transcriber=transcriber, media_root=tmp_path
    )
    assert outcome.error is not None and str(tmp_path / "nowhere.ogg") in outcome.error


def test_the_meeting_gives_its_vocabulary(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        meeting_id = add_meeting_with_vocabulary(session)
        session.add(AgendaItem(meeting_id=meeting_id, position=1, title="Dự thảo Quy hoạch"))
        session.flush()
        vocabulary = meeting_vocabulary(session, meeting_id)
        assert meeting_vocabulary(session, None) == ()
    assert vocabulary[0] == "Trần Tiến Dũng"
    for term in ["Sở Kế hoạch và Đầu tư", "Sở KH&ĐT", "Huyện Sìn Hồ", "Dự thảo Quy hoạch"]:
        assert term in vocabulary
    assert len(set(vocabulary)) == len(vocabulary)


@pytest.mark.slow
def test_a_killed_worker_resumes_without_storing_a_segment_twice(
    sessions: sessionmaker[Session],
    db_url: str,
    transcriber: Transcriber,
    synthesise: Synthesise,
    model_data_dir: Path,
) -> None:
    parts: list[str | float] = []
    for sentence in SENTENCES * 5:
        parts += [sentence, 2.0]
    path = synthesise("phien-hop.ogg", *parts)
    recording_id = add_recording(sessions, path)

    worker = subprocess.Popen(
        [sys.executable, "-m", "tests.transcribe.job_worker", db_url, str(recording_id),
         str(model_data_dir)],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            if state(sessions, recording_id).progress > 0:
                break
            assert worker.poll() is None, worker.communicate()
            time.sleep(0.02)
        else:
            pytest.fail("the worker stored nothing in 120 s")
        os.kill(worker.pid, signal.SIGKILL)
    finally:
        worker.kill()
        worker.communicate()
    assert worker.returncode == -signal.SIGKILL

    killed = state(sessions, recording_id)
    assert killed.status == RecordingStatus.TRANSCRIBING  # left as the kill found it
    assert 0 < killed.progress < 1, "the kill came too late to test a resume"
    before = [(s.seq, s.start, s.text) for s in stored(sessions, recording_id)]
    checkpoint = killed.progress * (killed.duration_s or 0)
    assert all(end <= checkpoint + 1e-3 for end in (s.end for s in stored(sessions, recording_id)))

    # The dead worker's lease is live until it expires: no second job may start before.
    with pytest.raises(LeaseLost):
        run_transcription(sessions, recording_id, transcriber=transcriber)
    outcome = run_transcription(
        sessions, recording_id, transcriber=transcriber, options=WORKER_OPTIONS,
        now=lambda: datetime.now(UTC) + OWN_LEASE + timedelta(seconds=1),
    )  # fmt: skip
    assert outcome.status == RecordingStatus.TRANSCRIBED
    assert outcome.resumed_from == pytest.approx(checkpoint, abs=1e-6)
    segments = stored(sessions, recording_id)
    assert [(s.seq, s.start, s.text) for s in segments[: len(before)]] == before  # untouched
    assert all(s.start >= checkpoint - 1e-3 for s in segments[len(before) :])
    assert_well_ordered(segments)
    text = " ".join(s.text for s in segments)
    assert cer(" ".join(SENTENCES * 5), text) < 0.6


@pytest.mark.slow
def test_a_process_pool_worker_loads_once_and_runs_the_job(
    sessions: sessionmaker[Session], db_url: str, model_data_dir: Path
) -> None:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from transcribe.job import init_worker, run_in_worker

    recording_id = add_recording(sessions, SAMPLE)
    with ProcessPoolExecutor(
        max_workers=1,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=init_worker,
        initargs=(db_url, "base", str(model_data_dir), None),
    ) as pool:
        outcome = pool.submit(run_in_worker, recording_id).result(timeout=120)
    assert outcome.status == RecordingStatus.TRANSCRIBED
    assert state(sessions, recording_id).status == RecordingStatus.TRANSCRIBED
    assert state(sessions, recording_id).lease_owner is None  # a job's own lease is released
