"""Backup → drop → restore gives back every row and every recording byte for byte, on
SQLite and PostgreSQL, with the backup taken while a server runs on the database."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, select, text
from sqlalchemy.engine import make_url

from storage import migrate
from storage.db import make_async_engine, make_async_sessionmaker, make_sync_engine
from storage.models import Recording, RecordingStatus
from storage.services.people import create_invite_code
from tests.conftest import BACKENDS, POSTGRES_ENV, VN, empty_database_url
from tests.ops.processes import clean_env, diemcau, free_port, spawn, wait_healthy
from tests.storage.factories import make_committee, make_meeting


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from empty_database_url(request.param, tmp_path, "backup")


async def _fill(url: str, data_dir: Path) -> list[Path]:
    """A committee, a meeting, invitation codes and three recordings with their files."""
    engine = make_async_engine(url)
    files = []
    async with make_async_sessionmaker(engine).begin() as session:
        now = datetime.now(VN)
        seed = await make_committee(session)
        meeting = await make_meeting(session, seed, now=now)
        for person_id in list(seed.person_ids.values())[:2]:
            await create_invite_code(session, person_id, now=now)
        for i, size in enumerate((1, 70_000, 3 * 1024 * 1024 + 7)):
            data = os.urandom(size)
            path = data_dir / "recordings" / f"rec-{i}"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            files.append(path)
            session.add(
                Recording(
                    meeting_id=meeting.id,
                    path=str(path),
                    original_name=f"Phiên họp {i}.mp3",
                    sha256="0" * 64,
                    size_bytes=size,
                    status=RecordingStatus.TRANSCRIBED,
                    progress=1.0,
                    created_at=now,
                    updated_at=now,
                )
            )
    await engine.dispose()
    return files


def _every_row(url: str) -> dict[str, list[Any]]:
    engine = make_sync_engine(url)
    try:
        metadata = MetaData()
        metadata.reflect(engine)
        with engine.connect() as connection:
            return {
                name: sorted((tuple(row) for row in connection.execute(select(table))), key=repr)
                for name, table in metadata.tables.items()
            }
    finally:
        engine.dispose()


def _drop(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{parsed.database}{suffix}").unlink(missing_ok=True)
        return
    admin = make_sync_engine(os.environ[POSTGRES_ENV], isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{parsed.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


async def test_backup_drop_restore_gives_everything_back(database: str, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    migrate.upgrade(database)
    files = await _fill(database, data_dir)
    contents = {path: path.read_bytes() for path in files}
    rows = _every_row(database)
    assert len(rows["recordings"]) == 3 and len(rows["invite_codes"]) == 2
    env = clean_env(DIEMCAU_DATABASE_URL=database, DIEMCAU_DATA_DIR=str(data_dir))

    # The backup is taken while a server runs on the same database.
    port = free_port()
    server = spawn("run", cwd=tmp_path, env={**env, "DIEMCAU_WEB_PORT": str(port)})
    try:
        wait_healthy(port, server)
        made = diemcau("backup", str(tmp_path / "backup"), cwd=tmp_path, env=env)
        assert made.returncode == 0, made.stdout + made.stderr
        assert "3 tệp" in made.stdout
        # A restore while the server runs is refused: it holds the instance lock.
        busy = diemcau("restore", "--yes", str(tmp_path / "backup"), cwd=tmp_path, env=env)
        assert busy.returncode != 0 and "Đã có một máy chủ" in busy.stderr
    finally:
        server.terminate()
        server.communicate(timeout=30)
    rows = _every_row(database)  # the server added its job-store rows meanwhile

    _drop(database)
    shutil.rmtree(data_dir / "recordings")
    assert not (data_dir / "recordings").exists()

    restored = diemcau("restore", "--yes", str(tmp_path / "backup"), cwd=tmp_path, env=env)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert _every_row(database) == rows
    for path, data in contents.items():
        assert path.read_bytes() == data


async def test_restore_into_another_data_dir_repoints_recordings(
    database: str, tmp_path: Path
) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    migrate.upgrade(database)
    files = await _fill(database, old)
    env = clean_env(DIEMCAU_DATABASE_URL=database, DIEMCAU_DATA_DIR=str(old))
    assert diemcau("backup", str(tmp_path / "b"), cwd=tmp_path, env=env).returncode == 0
    _drop(database)
    env["DIEMCAU_DATA_DIR"] = str(new)
    restored = diemcau("restore", "--yes", str(tmp_path / "b"), cwd=tmp_path, env=env)
    assert restored.returncode == 0, restored.stderr
    paths = [Path(row[0]) for row in _every_row_paths(database)]
    assert sorted(p.read_bytes() for p in paths) == sorted(f.read_bytes() for f in files)
    assert all(p.is_relative_to(new.resolve()) for p in paths)


def _every_row_paths(url: str) -> list[Any]:
    engine = make_sync_engine(url)
    try:
        with engine.connect() as connection:
            return list(connection.execute(select(Recording.path)))
    finally:
        engine.dispose()


def test_a_damaged_backup_is_refused_before_anything_changes(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'data' / 'diemcau.db'}"
    migrate.upgrade(url)
    recording = tmp_path / "data" / "recordings" / "r"
    recording.parent.mkdir(parents=True)
    recording.write_bytes(b"abc")
    env = clean_env(DIEMCAU_DATA_DIR=str(tmp_path / "data"))
    assert diemcau("backup", str(tmp_path / "b"), cwd=tmp_path, env=env).returncode == 0
    (tmp_path / "b" / "files" / "recordings" / "r").write_bytes(b"abd")
    refused = diemcau("restore", "--yes", str(tmp_path / "b"), cwd=tmp_path, env=env)
    assert refused.returncode != 0 and "bị thiếu hoặc hỏng" in refused.stderr
    again = diemcau("backup", str(tmp_path / "b"), cwd=tmp_path, env=env)
    assert again.returncode != 0 and "đã có dữ liệu" in again.stderr


async def test_restore_over_a_changed_database_brings_back_the_backup(
    database: str, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    migrate.upgrade(database)
    await _fill(database, data_dir)
    env = clean_env(DIEMCAU_DATABASE_URL=database, DIEMCAU_DATA_DIR=str(data_dir))
    assert diemcau("backup", str(tmp_path / "b"), cwd=tmp_path, env=env).returncode == 0
    before = _every_row(database)
    await _fill(database, tmp_path / "later")  # another committee's worth of rows
    assert _every_row(database) != before
    restored = diemcau("restore", "--yes", str(tmp_path / "b"), cwd=tmp_path, env=env)
    assert restored.returncode == 0, restored.stderr
    assert _every_row(database) == before


def test_restore_over_a_damaged_sqlite_file(tmp_path: Path) -> None:
    database = tmp_path / "data" / "diemcau.db"
    url = f"sqlite+aiosqlite:///{database}"
    migrate.upgrade(url)
    env = clean_env(DIEMCAU_DATA_DIR=str(tmp_path / "data"))
    assert diemcau("backup", str(tmp_path / "b"), cwd=tmp_path, env=env).returncode == 0
    before = _every_row(url)
    database.write_bytes(b"garbage" * 1000)
    broken = diemcau("db", "current", cwd=tmp_path, env=env)
    assert broken.returncode != 0 and "diemcau restore" in broken.stderr
    restored = diemcau("restore", "--yes", str(tmp_path / "b"), cwd=tmp_path, env=env)
    assert restored.returncode == 0, restored.stderr
    assert _every_row(url) == before
