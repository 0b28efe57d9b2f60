"""The rows the transcription and pipeline tests store and read back: a queued recording, a
meeting whose names make a vocabulary, a recording's windows and segments in order."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from storage.db import make_sync_engine, make_sync_sessionmaker
from storage.models import (
    Committee,
    Meeting,
    Person,
    Point,
    PointKind,
    Recording,
    RecordingStatus,
    TranscriptSegment,
    TranscriptWindow,
    Unit,
)

NOW = datetime(2026, 6, 4, 8, 0, tzinfo=UTC)


def sync_sessions(url: str) -> Iterator[sessionmaker[Session]]:
    """Sessions on the database at ``url`` (for a fixture to ``yield from``); the engine is
    disposed of afterwards."""
    engine = make_sync_engine(url)
    yield make_sync_sessionmaker(engine)
    engine.dispose()


def add_recording(
    sessions: sessionmaker[Session], path: Path, *, meeting_id: int | None = None
) -> int:
    """A queued recording of ``path`` (which need not exist); its id."""
    with sessions.begin() as session:
        recording = Recording(
            meeting_id=meeting_id, path=str(path), original_name=path.name, sha256="0" * 64,
            size_bytes=path.stat().st_size if path.exists() else 0,
            status=RecordingStatus.QUEUED, progress=0.0, created_at=NOW, updated_at=NOW,
        )  # fmt: skip
        session.add(recording)
        session.flush()
        return recording.id


def add_meeting_with_vocabulary(session: Session) -> int:
    """A meeting whose chair, unit and point have names to give the job as its vocabulary
    ("Trần Tiến Dũng", "Sở Kế hoạch và Đầu tư", "Sở KH&ĐT", "Huyện Sìn Hồ"); its id."""
    committee = Committee(
        name="Ban Chỉ đạo lập Quy hoạch tỉnh Lai Châu", short_name="BCĐ Quy hoạch",
        province="Lai Châu", issuing_body="UBND TỈNH LAI CHÂU",
    )  # fmt: skip
    unit = Unit(name="Sở Kế hoạch và Đầu tư", short_name="Sở KH&ĐT")
    session.add_all([committee, unit])
    session.flush()
    point = Point(committee_id=committee.id, code="sin-ho", name="Huyện Sìn Hồ",
                  kind=PointKind.DISTRICT, position=1)  # fmt: skip
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


def state(sessions: sessionmaker[Session], recording_id: int) -> Recording:
    with sessions() as session:
        recording = session.get(Recording, recording_id)
        assert recording is not None
        return recording


def segments_of(session: Session, recording_id: int) -> list[TranscriptSegment]:
    """The recording's stored segments, in order."""
    return list(
        session.scalars(
            select(TranscriptSegment)
            .where(TranscriptSegment.recording_id == recording_id)
            .order_by(TranscriptSegment.seq)
        )
    )


def windows_of(session: Session, recording_id: int) -> list[TranscriptWindow]:
    """The recording's transcribed windows, in time order."""
    return list(
        session.scalars(
            select(TranscriptWindow)
            .where(TranscriptWindow.recording_id == recording_id)
            .order_by(TranscriptWindow.start)
        )
    )


def assert_covered_once(windows: list[TranscriptWindow], segments: list[TranscriptSegment]) -> None:
    """The windows follow each other from the start with no gap or overlap; the segments are
    numbered without gaps, each counted by one window."""
    assert windows and windows[0].start == 0.0
    for earlier, later in itertools.pairwise(windows):
        assert later.start == pytest.approx(earlier.end, abs=1e-6)
    assert segments and [s.seq for s in segments] == list(range(len(segments)))
    assert sum(w.segments for w in windows) == len(segments)
