"""One transcription path: the job (the server and the demo) and ``transcribe`` (the CLI)
run the same function with the same options and store the same segments.

The job adds the meeting's vocabulary; on Whisper base it is measured to hurt, so the
options the job settles are exactly the CLI's, and so are the segments.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from storage.db import create_all_sync, make_sync_engine, make_sync_sessionmaker
from storage.models import (
    Committee,
    Meeting,
    Person,
    Point,
    PointKind,
    Recording,
    RecordingStatus,
    TranscriptSegment,
    Unit,
)
from tests.transcribe.conftest import SAMPLE
from transcribe.engine import Transcriber
from transcribe.job import run_transcription

NOW = datetime(2026, 6, 4, 8, 0, tzinfo=UTC)

pytestmark = pytest.mark.slow


@pytest.fixture
def sessions(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    engine = make_sync_engine(f"sqlite+aiosqlite:///{tmp_path / 'one-path.db'}")
    create_all_sync(engine)
    yield make_sync_sessionmaker(engine)
    engine.dispose()


def a_meeting_with_vocabulary(session: Session) -> int:
    committee = Committee(
        name="Ban Chỉ đạo lập Quy hoạch tỉnh Lai Châu", short_name="BCĐ Quy hoạch",
        province="Lai Châu", issuing_body="UBND TỈNH LAI CHÂU",
    )  # fmt: skip
    unit = Unit(name="Sở Kế hoạch và Đầu tư", short_name="Sở KH&ĐT")
    session.add_all([committee, unit])
    session.flush()
    point = Point(committee_id=committee.id, code="ubnd", name="UBND tỉnh",
                  kind=PointKind.MAIN_HALL, position=0)  # fmt: skip
    chair = Person(full_name="Trần Tiến Dũng", title="Chủ tịch UBND tỉnh", unit_id=unit.id)
    session.add_all([point, chair])
    session.flush()
    meeting = Meeting(
        committee_id=committee.id, title="Phiên họp lần thứ 3", starts_at=NOW,
        chair_id=chair.id, main_point_id=point.id, created_at=NOW, updated_at=NOW,
    )  # fmt: skip
    session.add(meeting)
    session.flush()
    return meeting.id


def test_the_job_stores_the_segments_the_cli_prints(
    sessions: sessionmaker[Session], transcriber: Transcriber
) -> None:
    with sessions.begin() as session:
        recording = Recording(
            meeting_id=a_meeting_with_vocabulary(session), path=str(SAMPLE),
            original_name=SAMPLE.name, sha256="0" * 64, size_bytes=SAMPLE.stat().st_size,
            status=RecordingStatus.QUEUED, progress=0.0, created_at=NOW, updated_at=NOW,
        )  # fmt: skip
        session.add(recording)
        session.flush()
        recording_id = recording.id
    outcome = run_transcription(sessions, recording_id, transcriber=transcriber, now=lambda: NOW)
    assert outcome.status == RecordingStatus.TRANSCRIBED
    with sessions() as session:
        stored = session.scalars(
            select(TranscriptSegment)
            .where(TranscriptSegment.recording_id == recording_id)
            .order_by(TranscriptSegment.seq)
        ).all()
        job = [(round(s.start, 3), round(s.end, 3), s.text) for s in stored]

    cli = transcriber.transcribe(SAMPLE, transcriber.options_for(None))  # as the CLI calls it
    assert job and job == [(s.start, s.end, s.text) for s in cli.segments]
