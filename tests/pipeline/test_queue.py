"""The stages as queued jobs on PostgreSQL, without Whisper: each stage commits with its job
(or not at all), the server sends each draft once however many servers take review jobs,
and a server follows the workers' progress from the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from diemcau.pipeline import RecordingFailed, RecordingPipeline
from diemcau.workers import review_worker
from storage import migrate
from storage.db import make_async_engine, make_async_sessionmaker
from storage.models import Draft, Recording, RecordingStatus
from storage.services.drafts import create_draft
from storage.services.recordings import claim, enqueue_recording, fenced_update, release
from tests.conftest import POSTGRES_ENV, VN, empty_database_url, fresh_postgres_database

NOW = datetime(2026, 6, 4, 8, 0, tzinfo=UTC)
TTL = timedelta(seconds=30)


@pytest.fixture
def pg_url() -> Iterator[str]:
    for url in fresh_postgres_database("queue"):
        migrate.upgrade(url)
        yield url


@contextlib.asynccontextmanager
async def opened(url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = make_async_engine(url)
    sessions = make_async_sessionmaker(engine)
    try:
        yield sessions
    finally:
        await engine.dispose()


async def jobs(sessions: async_sessionmaker[AsyncSession]) -> list[tuple[Any, ...]]:
    async with sessions() as session:
        rows = await session.execute(
            text(
                "SELECT task_name, queue_name, lock, args, status"
                " FROM procrastinate_jobs ORDER BY id"
            )
        )
        return [tuple(row) for row in rows]


async def queued(sessions: async_sessionmaker[AsyncSession], number: int) -> int:
    async with sessions.begin() as session:
        recording = await enqueue_recording(
            session, meeting_id=None, path="/nowhere.ogg", original_name=None,
            sha256=f"{number:064x}", size_bytes=0, uploaded_by_id=None, now=NOW,
        )  # fmt: skip
        return recording.id


@pytest.mark.postgres
async def test_each_stage_commits_together_with_its_job_or_not_at_all(pg_url: str) -> None:
    async with opened(pg_url) as sessions:
        with pytest.raises(RuntimeError):
            async with sessions.begin() as session:
                await enqueue_recording(
                    session, meeting_id=None, path="/nowhere.ogg", original_name=None,
                    sha256="f" * 64, size_bytes=0, uploaded_by_id=None, now=NOW,
                )  # fmt: skip
                raise RuntimeError("the upload failed after the row was written")
        assert await jobs(sessions) == []  # rolled back: no recording, no job

        recording_id = await queued(sessions, 1)
        lock, args = f"recording:{recording_id}", {"recording_id": recording_id}
        assert await jobs(sessions) == [("diemcau.transcribe", "transcribe", lock, args, "todo")]

        async with sessions.begin() as session:
            lease = await session.run_sync(
                lambda s: claim(s, recording_id, owner="test", now=NOW, ttl=TTL)
            )
        assert lease is not None
        for stage in (RecordingStatus.TRANSCRIBING, RecordingStatus.TRANSCRIBED):
            async with sessions.begin() as session:
                await session.run_sync(
                    lambda s, st=stage: fenced_update(s, lease, now=NOW, status=st)
                )
        with pytest.raises(RuntimeError):  # a stage change rolled back queues nothing
            async with sessions.begin() as session:
                await session.run_sync(
                    lambda s: fenced_update(s, lease, now=NOW, status=RecordingStatus.DRAFTED)
                )
                raise RuntimeError("the draft could not be stored")
        async with sessions.begin() as session:
            await session.run_sync(
                lambda s: fenced_update(s, lease, now=NOW, status=RecordingStatus.DRAFTED)
            )
        assert [row[:2] for row in await jobs(sessions)] == [
            ("diemcau.transcribe", "transcribe"),
            ("diemcau.draft", "draft"),
            ("diemcau.review", "review"),
        ]


async def test_the_embedded_default_has_no_queue(tmp_path: Path) -> None:
    for url in empty_database_url("sqlite", tmp_path, "noqueue"):
        migrate.upgrade(url)
        async with opened(url) as sessions:
            recording_id = await queued(sessions, 1)
            async with sessions() as session:
                recording = await session.get(Recording, recording_id)
                names = await session.scalars(
                    text("SELECT name FROM sqlite_master WHERE name LIKE 'procrastinate%'")
                )
                assert recording is not None and recording.status == RecordingStatus.QUEUED
                assert list(names) == []


async def drafted(sessions: async_sessionmaker[AsyncSession], number: int) -> int:
    """A recording the workers have drafted: its review job queued with the stage."""
    recording_id = await queued(sessions, number)
    async with sessions.begin() as session:
        lease = await session.run_sync(
            lambda s: claim(s, recording_id, owner="worker", now=NOW, ttl=TTL)
        )
        assert lease is not None
        await create_draft(
            session, content={"meeting_date": None, "conclusions": [], "tasks": []},
            now=NOW, recording_id=recording_id,
        )  # fmt: skip
        await session.run_sync(
            lambda s: fenced_update(s, lease, now=NOW, status=RecordingStatus.DRAFTED)
        )
        await session.run_sync(lambda s: release(s, lease))  # the worker is done with it
    return recording_id


@pytest.mark.postgres
async def test_two_servers_send_each_draft_the_workers_made_once(
    pg_url: str, tmp_path: Path
) -> None:
    sent: list[tuple[str, int]] = []
    async with opened(pg_url) as sessions:
        ids = [await drafted(sessions, number) for number in range(6)]
        servers = []
        for name in ("a", "b"):
            pipeline = RecordingPipeline(
                database_url=pg_url, sessions=sessions, model="base", data_dir=tmp_path,
                tz=VN, lease_seconds=8.0, queued=True, owner=f"server-{name}",
            )  # fmt: skip

            async def review(draft_id: int, name: str = name) -> None:
                await asyncio.sleep(0.05)  # both servers are polling meanwhile
                sent.append((name, draft_id))

            pipeline.review = review
            servers.append((pipeline, asyncio.create_task(review_worker(pg_url, pipeline))))
        try:
            async with asyncio.timeout(60):
                while True:
                    async with sessions() as session:
                        stages = set(
                            await session.scalars(
                                select(Recording.status).where(Recording.id.in_(ids))
                            )
                        )
                    if stages == {RecordingStatus.SENT}:
                        break
                    await asyncio.sleep(0.1)
        finally:
            for pipeline, task in servers:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
                pipeline.close()
        async with sessions() as session:
            made = set(await session.scalars(select(Draft.id)))
        draft_ids = sorted(draft_id for _, draft_id in sent)
        assert draft_ids == sorted(made) and len(made) == len(ids)  # each sent once
        statuses_of_jobs = {row[0:5:4] for row in await jobs(sessions)}
        assert ("diemcau.review", "succeeded") in statuses_of_jobs
        assert ("diemcau.review", "todo") not in statuses_of_jobs


@pytest.mark.postgres
async def test_the_server_follows_the_workers_progress_from_the_database(
    pg_url: str, tmp_path: Path
) -> None:
    async with opened(pg_url) as sessions:
        recording_id = await queued(sessions, 1)
        pipeline = RecordingPipeline(
            database_url=pg_url, sessions=sessions, model="base", data_dir=tmp_path, tz=VN,
            poll_seconds=0.02, queued=True,
        )  # fmt: skip
        shown: list[float] = []
        stepped = asyncio.Event()

        async def on_progress(fraction: float) -> None:
            shown.append(fraction)
            stepped.set()

        following = asyncio.create_task(pipeline.process(recording_id, on_progress))
        async with sessions.begin() as session:  # what a worker's job writes, window by window
            lease = await session.run_sync(
                lambda s: claim(s, recording_id, owner="worker", now=NOW, ttl=TTL)
            )
        assert lease is not None
        for progress in (0.25, 0.5, 1.0):
            stepped.clear()
            async with sessions.begin() as session:
                await session.run_sync(
                    lambda s, p=progress: fenced_update(
                        s, lease, now=NOW, status=RecordingStatus.TRANSCRIBING, progress=p,
                        duration_s=60.0,
                    )
                )  # fmt: skip
            await asyncio.wait_for(stepped.wait(), 10)
            while shown[-1] != progress:
                stepped.clear()
                await asyncio.wait_for(stepped.wait(), 10)
        assert not following.done()  # transcribed is not the end: the draft is awaited
        async with sessions.begin() as session:
            draft = await create_draft(
                session, content={"meeting_date": None, "conclusions": [], "tasks": []},
                now=NOW, recording_id=recording_id,
            )  # fmt: skip
            await session.run_sync(
                lambda s: fenced_update(s, lease, now=NOW, status=RecordingStatus.DRAFTED)
            )
        outcome = await asyncio.wait_for(following, 10)
        assert outcome.draft_id == draft.id and outcome.duration == 60.0
        assert shown == sorted(shown) and {0.25, 0.5, 1.0} <= set(shown)

        failing = await queued(sessions, 2)
        async with sessions.begin() as session:
            await session.execute(
                update(Recording)
                .where(Recording.id == failing)
                .values(status=RecordingStatus.FAILED, error="tệp hỏng")
            )
        with pytest.raises(RecordingFailed, match="tệp hỏng"):
            await asyncio.wait_for(pipeline.process(failing), 10)
        pipeline.close()


def test_a_worker_without_postgresql_or_its_model_stops_in_one_line(tmp_path: Path) -> None:
    """On SQLite there is no queue to serve; a closed PostgreSQL port and a missing model
    are each one line naming the setting, before any job is taken."""
    from tests.ops.processes import clean_env, diemcau, free_port, output_lines

    closed = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/x"
    cases = [
        (clean_env(DIEMCAU_DATA_DIR=str(tmp_path)), ["PostgreSQL", "DIEMCAU_DATABASE_URL"]),
        (
            clean_env(DIEMCAU_DATA_DIR=str(tmp_path), DIEMCAU_DATABASE_URL=closed),
            ["DIEMCAU_DATABASE_URL"],
        ),
    ]
    with contextlib.ExitStack() as stack:
        if os.environ.get(POSTGRES_ENV):
            url = stack.enter_context(contextlib.contextmanager(fresh_postgres_database)("cli"))
            no_model = str(tmp_path / "no-model")
            cases.append(
                (
                    clean_env(
                        DIEMCAU_DATA_DIR=str(tmp_path),
                        DIEMCAU_DATABASE_URL=url,
                        DIEMCAU_WHISPER_MODEL=no_model,
                    ),
                    ["DIEMCAU_WHISPER_MODEL"],
                )
            )
        for env, needles in cases:
            result = diemcau("worker", cwd=tmp_path, env=env, timeout=60)
            lines = output_lines(result)
            assert result.returncode != 0 and len(lines) == 1, lines
            assert all(needle in lines[0] for needle in needles), lines[0]
            assert "Traceback" not in lines[0]
