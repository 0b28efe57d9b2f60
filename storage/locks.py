"""Locks that keep one server per database and one migration at a time.

PostgreSQL: advisory locks, the instance lock on a connection of its own held for the life of
the process (the server releases it when the process dies), the migration lock inside the
migration's transaction. SQLite: ``flock`` on a file beside the database, which the kernel
releases when the process dies.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from sqlalchemy import Connection, text
from sqlalchemy.engine import URL
from sqlalchemy.pool import NullPool

from storage.db import make_sync_engine, sync_url


def _key(name: str) -> int:
    """A stable signed 64-bit advisory-lock key for ``name``."""
    return int.from_bytes(hashlib.sha256(f"diemcau:{name}".encode()).digest()[:8], signed=True)


INSTANCE_KEY = _key("instance")
MIGRATION_KEY = _key("migration")


class AlreadyRunning(Exception):
    """Another server holds the instance lock of this database."""

    def __init__(self, holder: str) -> None:
        super().__init__(f"another server holds the instance lock ({holder})")
        self.holder = holder


def _sqlite_path(url: URL, suffix: str) -> Path | None:
    if not url.database or url.database == ":memory:":
        return None
    return Path(f"{url.database}.{suffix}.lock")


def _flock(path: Path, *, wait: bool) -> IO[str]:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "?"
        handle.close()
        raise AlreadyRunning(f"PID {holder}") from None
    except BaseException:
        handle.close()
        raise
    return handle


class InstanceLock:
    """Held by the one server of a database from start-up to exit."""

    def __init__(self, url: str | URL) -> None:
        self._url = sync_url(url)
        self._file: IO[str] | None = None
        self._connection: Connection | None = None

    def acquire(self) -> None:
        if self._url.get_backend_name() == "sqlite":
            path = _sqlite_path(self._url, "instance")
            if path is None:
                return
            self._file = _flock(path, wait=False)
            self._file.seek(0)
            self._file.truncate()
            self._file.write(str(os.getpid()))
            self._file.flush()
            return
        # The name shows in pg_stat_activity: a refused second server says who holds the lock.
        name = f"diemcau {socket.gethostname()} PID {os.getpid()}"[:63]
        engine = make_sync_engine(
            self._url,
            poolclass=NullPool,
            isolation_level="AUTOCOMMIT",
            connect_args={"application_name": name},
        )
        connection = engine.connect()
        got = connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": INSTANCE_KEY})
        if not got:
            holder = connection.scalar(
                text(
                    "SELECT coalesce(nullif(a.application_name, ''), 'PID ' || a.pid)"
                    " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                    " WHERE l.locktype = 'advisory' AND l.granted"
                    # advisory locks are per database; another database on the same server
                    # may run its own Điểm Cầu under the same key
                    " AND l.database = (SELECT oid FROM pg_database"
                    " WHERE datname = current_database())"
                    " AND l.objsubid = 1"
                    " AND ((l.classid::bigint << 32) | l.objid::bigint) = :key"
                ),
                {"key": INSTANCE_KEY},
            )
            connection.close()
            engine.dispose()
            raise AlreadyRunning(str(holder or "?"))
        self._connection = connection

    def release(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        if self._connection is not None:
            engine = self._connection.engine
            self._connection.close()
            engine.dispose()
            self._connection = None

    def __enter__(self) -> InstanceLock:
        self.acquire()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


@contextlib.contextmanager
def migration_lock(connection: Connection) -> Iterator[None]:
    """Serialise schema changes (and the job store's table) across processes. On PostgreSQL
    call it inside the transaction: the lock ends with it."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_KEY})
        yield
        return
    path = _sqlite_path(connection.engine.url, "migrate")
    if path is None:
        yield
        return
    handle = _flock(path, wait=True)
    try:
        yield
    finally:
        handle.close()
