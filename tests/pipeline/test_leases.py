"""One live job per recording: claims, fencing tokens, unique windows (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from storage.models import Recording, RecordingStatus, TranscriptWindow
from storage.services.recordings import LeaseLost, claim, fenced_update, release, unfinished
from tests.transcribe.rows import sync_sessions

T0 = datetime(2026, 6, 4, 8, 0, tzinfo=UTC)
TTL = timedelta(seconds=30)


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    yield from sync_sessions(database_url)


def add_recording(
    sessions: sessionmaker[Session], status: RecordingStatus = RecordingStatus.QUEUED
) -> int:
    with sessions.begin() as session:
        recording = Recording(
            path="/nowhere.ogg", sha256="0" * 64, size_bytes=0, status=status, progress=0.0,
            created_at=T0, updated_at=T0,
        )  # fmt: skip
        session.add(recording)
        session.flush()
        return recording.id


def test_a_second_owner_waits_for_the_lease_and_the_old_token_is_fenced_off(
    sessions: sessionmaker[Session],
) -> None:
    recording_id = add_recording(sessions)
    with sessions.begin() as session:
        first = claim(session, recording_id, owner="server-a", now=T0, ttl=TTL)
    assert first is not None
    with sessions.begin() as session:
        assert claim(session, recording_id, owner="server-b", now=T0 + TTL / 2, ttl=TTL) is None
        fenced_update(session, first, now=T0 + TTL / 2, progress=0.5)  # a's write: renews

    # Renewed at T0 + TTL/2, so still a's at T0 + TTL; b gets it once a stops renewing.
    with sessions.begin() as session:
        assert claim(session, recording_id, owner="server-b", now=T0 + TTL, ttl=TTL) is None
    later = T0 + TTL / 2 + TTL + timedelta(seconds=1)
    with sessions.begin() as session:
        second = claim(session, recording_id, owner="server-b", now=later, ttl=TTL)
    assert second is not None and second.token == first.token + 1

    # a comes back from the dead: every write it tries is refused and changes nothing.
    with pytest.raises(LeaseLost), sessions.begin() as session:
        fenced_update(session, first, now=later, progress=0.9)
    with sessions() as session:
        recording = session.get(Recording, recording_id)
        assert recording is not None
        assert (recording.progress, recording.lease_owner) == (0.5, "server-b")

    # The stage guard: a write that expects another stage is refused too.
    with pytest.raises(LeaseLost), sessions.begin() as session:
        fenced_update(
            session, second, now=later, expect={RecordingStatus.TRANSCRIBED},
            status=RecordingStatus.DRAFTED,
        )  # fmt: skip
    with sessions.begin() as session:
        release(session, second)
        again = claim(session, recording_id, owner="server-a", now=later, ttl=TTL)
    assert again is not None and again.token == second.token + 1


def test_the_same_owner_claiming_again_fences_off_its_own_earlier_job(
    sessions: sessionmaker[Session],
) -> None:
    recording_id = add_recording(sessions)
    with sessions.begin() as session:
        first = claim(session, recording_id, owner="server-a", now=T0, ttl=TTL)
        retry = claim(session, recording_id, owner="server-a", now=T0, ttl=TTL)
    assert first is not None and retry is not None and retry.token == first.token + 1
    with pytest.raises(LeaseLost), sessions.begin() as session:
        fenced_update(session, first, now=T0, progress=0.1)


def test_a_window_is_stored_once(sessions: sessionmaker[Session]) -> None:
    recording_id = add_recording(sessions)
    with sessions.begin() as session:
        session.add(
            TranscriptWindow(recording_id=recording_id, start=0.0, end=36.0, segments=3,
                             lease_token=1)
        )  # fmt: skip
    with pytest.raises(IntegrityError), sessions.begin() as session:
        session.add(
            TranscriptWindow(recording_id=recording_id, start=0.0, end=36.0, segments=3,
                             lease_token=2)
        )  # fmt: skip


def test_unfinished_lists_stages_with_work_left_and_no_live_owner(
    sessions: sessionmaker[Session],
) -> None:
    ids = {status: add_recording(sessions, status) for status in RecordingStatus}
    with sessions.begin() as session:
        leased = claim(session, ids[RecordingStatus.DRAFTED], owner="a", now=T0, ttl=TTL)
        assert leased is not None
        found = set(unfinished(session, now=T0 + TTL / 2)) & set(ids.values())
        expired = set(unfinished(session, now=T0 + TTL * 2)) & set(ids.values())
    active = {RecordingStatus.QUEUED, RecordingStatus.TRANSCRIBING, RecordingStatus.TRANSCRIBED}
    assert found == {ids[s] for s in active}
    assert expired == found | {ids[RecordingStatus.DRAFTED]}
