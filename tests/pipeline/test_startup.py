"""``diemcau run`` at start-up: the model checked in one line; unfinished stages resumed."""

from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from diemcau.cli import cli
from diemcau.pipeline import RecordingFailed, RecordingPipeline
from diemcau.settings import get_settings
from storage import migrate
from storage.db import make_async_engine, make_async_sessionmaker
from storage.models import Draft, Recording, RecordingStatus
from storage.services.drafts import create_draft
from storage.services.recordings import enqueue_recording
from tests.conftest import VN, empty_database_url
from tests.transcribe.conftest import SAMPLE
from transcribe.options import TranscribeOptions

NOW = datetime(2026, 6, 4, 8, 0, tzinfo=UTC)


def test_a_missing_model_stops_the_server_at_start_up_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DIEMCAU_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DIEMCAU_DATABASE_URL", raising=False)
    monkeypatch.setenv("DIEMCAU_TELEGRAM_TOKEN", "123456:not-a-real-token")
    monkeypatch.setenv("DIEMCAU_WHISPER_MODEL", str(tmp_path / "no-such-model"))
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli, ["run"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert "DIEMCAU_WHISPER_MODEL" in lines[0] and "model.bin" in lines[0]
    assert "Traceback" not in result.output


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    for url in empty_database_url(request.param, tmp_path, "startup"):
        migrate.upgrade(url)
        yield url


@pytest.fixture
async def sessions(db_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = make_async_engine(db_url)
    yield make_async_sessionmaker(engine)
    await engine.dispose()


async def add_recording(
    sessions: async_sessionmaker[AsyncSession], status: RecordingStatus, *, draft: bool
) -> int:
    async with sessions.begin() as session:
        recording = Recording(
            path="/nowhere.ogg", sha256="0" * 64, size_bytes=0, status=status, progress=1.0,
            duration_s=10.0, created_at=NOW, updated_at=NOW,
        )  # fmt: skip
        session.add(recording)
        await session.flush()
        if draft:
            await create_draft(
                session, content={"meeting_date": None, "conclusions": [], "tasks": []},
                now=NOW, recording_id=recording.id,
            )  # fmt: skip
        return recording.id


async def test_a_draft_left_unsent_is_sent_once_at_start_up(
    sessions: async_sessionmaker[AsyncSession], db_url: str, tmp_path: Path
) -> None:
    drafted = await add_recording(sessions, RecordingStatus.DRAFTED, draft=True)
    sent = await add_recording(sessions, RecordingStatus.SENT, draft=True)
    failed = await add_recording(sessions, RecordingStatus.FAILED, draft=False)
    pipeline = RecordingPipeline(
        database_url=db_url, sessions=sessions, model="base", data_dir=tmp_path, tz=VN
    )
    reviewed: list[int] = []

    async def review(draft_id: int) -> None:
        reviewed.append(draft_id)

    pipeline.review = review
    try:
        found = set(await pipeline.resume_unfinished())
        assert drafted in found and not found & {sent, failed}
        outcome = await pipeline.process(drafted)
        again = await pipeline.process(drafted)  # a second resume: nothing left to do
    finally:
        pipeline.close()
    async with sessions() as session:
        recording = await session.get(Recording, drafted)
        draft = await session.get(Draft, outcome.draft_id)
    assert recording is not None and recording.status == RecordingStatus.SENT
    assert recording.lease_owner is None
    assert draft is not None and draft.recording_id == drafted
    assert reviewed == [outcome.draft_id] and again.draft_id == outcome.draft_id
    assert drafted not in await pipeline.resume_unfinished()


async def test_a_second_caller_in_the_same_server_follows_the_run_instead_of_starting_one(
    sessions: async_sessionmaker[AsyncSession], db_url: str, tmp_path: Path
) -> None:
    drafted = await add_recording(sessions, RecordingStatus.DRAFTED, draft=True)
    pipeline = RecordingPipeline(
        database_url=db_url, sessions=sessions, model="base", data_dir=tmp_path, tz=VN,
        poll_seconds=0.05,
    )  # fmt: skip
    reviewed: list[int] = []
    sending = asyncio.Event()

    async def slow_review(draft_id: int) -> None:
        sending.set()
        await asyncio.sleep(0.3)
        reviewed.append(draft_id)

    try:
        upload = asyncio.create_task(pipeline.process(drafted, review=slow_review))
        await sending.wait()
        assert drafted not in await pipeline.resume_unfinished()  # the sweep leaves it alone
        follower = await pipeline.process(drafted, review=slow_review)
        leader = await upload
    finally:
        pipeline.close()
    assert follower == leader and reviewed == [leader.draft_id]


@pytest.mark.slow
async def test_a_stopping_server_kills_its_workers_instead_of_waiting_and_the_job_resumes_later(
    sessions: async_sessionmaker[AsyncSession], db_url: str, model_data_dir: Path
) -> None:
    async with sessions.begin() as session:
        recording = await enqueue_recording(
            session, meeting_id=None, path=str(SAMPLE), original_name=SAMPLE.name,
            sha256="0" * 64, size_bytes=SAMPLE.stat().st_size, uploaded_by_id=None, now=NOW,
        )  # fmt: skip
    options = TranscribeOptions(window_s=36.0)

    def make_pipeline() -> RecordingPipeline:
        return RecordingPipeline(
            database_url=db_url, sessions=sessions, model="base", data_dir=model_data_dir,
            tz=VN, poll_seconds=0.05, options=options,
        )  # fmt: skip

    async def progress() -> float:
        async with sessions() as session:
            found = await session.get(Recording, recording.id, populate_existing=True)
            assert found is not None
            return found.progress

    pipeline = make_pipeline()
    job = asyncio.create_task(pipeline.process(recording.id))
    for _ in range(1200):
        if await progress() > 0 or job.done():
            break
        await asyncio.sleep(0.1)
    pipeline.close(wait=False)
    with pytest.raises(RecordingFailed) as stopped:
        await asyncio.wait_for(job, 30)
    assert "máy chủ đang dừng" in stopped.value.message_vi
    assert multiprocessing.active_children() == []
    async with sessions() as session:
        left = await session.get(Recording, recording.id)
    assert left is not None and left.status == RecordingStatus.TRANSCRIBING
    assert 0 < left.progress < 1 and left.lease_owner is None  # stopped, not finished

    restarted = make_pipeline()
    try:
        assert recording.id in await restarted.resume_unfinished()
        outcome = await restarted.process(recording.id)
    finally:
        restarted.close()
    async with sessions() as session:
        done = await session.get(Recording, recording.id)
    assert done is not None and done.status == RecordingStatus.DRAFTED and outcome.segments > 0
