"""One server per database, and migrations that may run twice at once, on both backends."""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.pool import NullPool

from storage import migrate
from storage.db import make_sync_engine
from storage.locks import INSTANCE_KEY, AlreadyRunning, InstanceLock
from tests.conftest import BACKENDS, empty_database_url, fresh_postgres_database
from tests.ops.processes import (
    clean_env,
    diemcau,
    free_port,
    output_lines,
    spawn,
    wait_healthy,
)


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from empty_database_url(request.param, tmp_path, "ops")


def test_a_second_server_on_the_same_database_is_refused(database: str, tmp_path: Path) -> None:
    first_port = free_port()
    env = clean_env(DIEMCAU_DATABASE_URL=database, DIEMCAU_DATA_DIR=str(tmp_path))
    first = spawn("run", cwd=tmp_path, env={**env, "DIEMCAU_WEB_PORT": str(first_port)})
    try:
        wait_healthy(first_port, first)
        # Same port too: the answer is that a server runs, not that the port is taken.
        second = diemcau(
            "run", cwd=tmp_path, env={**env, "DIEMCAU_WEB_PORT": str(first_port)}, timeout=60
        )
        lines = output_lines(second)
        assert second.returncode != 0
        assert len(lines) == 1, lines
        assert "Đã có một máy chủ Điểm Cầu chạy trên cơ sở dữ liệu này" in lines[0]
        assert f"PID {first.pid})" in lines[0]  # who holds it
        assert first.poll() is None  # the first one is untouched
    finally:
        first.terminate()
        output = first.communicate(timeout=30)[0]
    assert "Traceback" not in output, output
    # With the first one gone, a server starts again (the lock died with its process).
    port = free_port()
    again = spawn("run", cwd=tmp_path, env={**env, "DIEMCAU_WEB_PORT": str(port)})
    try:
        wait_healthy(port, again)
    finally:
        again.terminate()
        again.communicate(timeout=30)


def test_two_upgrades_at_once_both_end_well(database: str, tmp_path: Path) -> None:
    env = clean_env(DIEMCAU_DATABASE_URL=database, DIEMCAU_DATA_DIR=str(tmp_path))
    results: list[subprocess.CompletedProcess[str]] = []

    def upgrade() -> None:
        results.append(diemcau("db", "upgrade", cwd=tmp_path, env=env, timeout=120))

    threads = [threading.Thread(target=upgrade) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for result in results:
        assert result.returncode == 0, result.stdout + result.stderr
    head = ScriptDirectory.from_config(migrate.alembic_config(database)).get_current_head()
    assert migrate.current_revision(database) == head
    engine = make_sync_engine(database)
    try:
        assert "invite_codes" in inspect(engine).get_table_names()
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_the_refusal_names_the_holder_on_this_database_not_another() -> None:
    """Advisory locks are per database: a server of another database on the same PostgreSQL
    holds the same key, and must not be named as this one's holder."""
    databases = [fresh_postgres_database("other"), fresh_postgres_database("mine")]
    other, mine = (next(database) for database in databases)
    held = []
    try:
        for url, name in ((other, "the other database's server"), (mine, "this one's")):
            engine = make_sync_engine(
                url, poolclass=NullPool, isolation_level="AUTOCOMMIT",
                connect_args={"application_name": name},
            )  # fmt: skip
            connection = engine.connect()
            held.append(connection)
            connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": INSTANCE_KEY})
        with pytest.raises(AlreadyRunning) as refused:
            InstanceLock(mine).acquire()
        assert refused.value.holder == "this one's"
    finally:
        for connection in held:
            connection.close()
            connection.engine.dispose()
        for database in databases:
            database.close()  # drops it
