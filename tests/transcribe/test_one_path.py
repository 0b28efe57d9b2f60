"""One transcription path: the job (the server and the demo) and ``transcribe`` (the CLI)
run the same function with the same options and store the same segments.

The job adds the meeting's vocabulary; on Whisper base it is measured to hurt, so the
options the job settles are exactly the CLI's, and so are the segments.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from storage.db import create_all_sync, make_sync_engine, make_sync_sessionmaker
from storage.models import RecordingStatus
from tests.transcribe.conftest import SAMPLE
from tests.transcribe.rows import NOW, add_meeting_with_vocabulary, add_recording, segments_of
from transcribe.engine import Transcriber
from transcribe.job import run_transcription

pytestmark = pytest.mark.slow


@pytest.fixture
def sessions(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    engine = make_sync_engine(f"sqlite+aiosqlite:///{tmp_path / 'one-path.db'}")
    create_all_sync(engine)
    yield make_sync_sessionmaker(engine)
    engine.dispose()


def test_the_job_stores_the_segments_the_cli_prints(
    sessions: sessionmaker[Session], transcriber: Transcriber
) -> None:
    with sessions.begin() as session:
        meeting_id = add_meeting_with_vocabulary(session)
    recording_id = add_recording(sessions, SAMPLE, meeting_id=meeting_id)
    outcome = run_transcription(sessions, recording_id, transcriber=transcriber, now=lambda: NOW)
    assert outcome.status == RecordingStatus.TRANSCRIBED
    with sessions() as session:
        stored = segments_of(session, recording_id)
        job = [(round(s.start, 3), round(s.end, 3), s.text) for s in stored]

    cli = transcriber.transcribe(SAMPLE, transcriber.options_for(None))  # as the CLI calls it
    assert job and job == [(s.start, s.end, s.text) for s in cli.segments]
