"""Fixtures shared by the suites: databases on SQLite and PostgreSQL, a fixed clock."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

import bot  # noqa: F401  (sets PTB_TIMEDELTA before any test touches telegram)
from storage.db import create_all_sync, make_async_engine, make_sync_engine, sync_url

VN = ZoneInfo("Asia/Ho_Chi_Minh")
POSTGRES_ENV = "DIEMCAU_TEST_POSTGRES_URL"
NO_POSTGRES = f"{POSTGRES_ENV} is not set: PostgreSQL tests skipped (.ci/run sets it)"

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def fresh_postgres_database(purpose: str) -> Iterator[str]:
    """Create an empty database on the server named by the environment; drop it afterwards."""
    admin_url = os.environ.get(POSTGRES_ENV)
    if not admin_url:
        pytest.skip(NO_POSTGRES)
    with scratch_database(admin_url, purpose) as url:
        yield url


@contextmanager
def scratch_database(admin_url: str, purpose: str) -> Iterator[str]:
    """An empty database, created on the server at ``admin_url`` (an account that may create
    databases) and dropped, whatever was left in it, afterwards. The tests and the benches
    share it."""
    name = f"diemcau_{purpose}_{uuid.uuid4().hex[:8]}"
    admin = make_sync_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield sync_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def empty_database_url(backend: str, directory: Path, purpose: str) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{directory / (purpose + '.db')}"
    else:
        yield from fresh_postgres_database(purpose)


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A database with the whole schema, shared by a backend's tests (each rolls back)."""
    for url in empty_database_url(request.param, tmp_path_factory.mktemp("db"), "storage"):
        engine = make_sync_engine(url)
        create_all_sync(engine)
        engine.dispose()
        yield url


@pytest.fixture
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of the backend given by indirect parametrisation."""
    yield from empty_database_url(request.param, tmp_path, "empty")


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[AsyncSession]:
    """A session inside an outer transaction that is rolled back after the test."""
    engine = make_async_engine(database_url)
    async with engine.connect() as connection:
        outer = await connection.begin()
        session = AsyncSession(
            bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
        )
        try:
            yield session
        finally:
            await session.close()
            await outer.rollback()
    await engine.dispose()


@pytest.fixture
def now() -> datetime:
    """The injected clock: Thursday 26 November 2026, 09:00 in Hà Nội."""
    return datetime(2026, 11, 26, 9, 0, tzinfo=VN)


def backend_of(url: str) -> str:
    return make_url(url).get_backend_name()


@pytest.fixture(scope="session")
def model_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory with the bundled Whisper model joined once for the whole session
    (the transcription suite and the bot's recording scenarios share it)."""
    from transcribe.model import ensure_bundled_model

    data_dir = tmp_path_factory.mktemp("data")
    ensure_bundled_model(data_dir)
    return data_dir
