"""Backups of the database and the stored files, taken while the server runs.

A backup is a directory: ``manifest.json``; the database as ``database.sqlite3`` (SQLite's
online backup API: a consistent copy while others write) or ``database.pgdump`` (``pg_dump
--format=custom``: one snapshot transaction); and ``files/recordings/…`` with every file's
SHA-256 in the manifest. The database is copied first: any file a copied row names was
complete on disk before that row was written (uploads are renamed into place), so the
files copied afterwards cover it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import URL

from storage.db import make_sync_engine, sync_url
from storage.errors import DomainError, ErrorCode
from storage.models import Recording

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PGDUMP_FILE = "database.pgdump"
FILES = "files"
# Sub-directories of the data directory that hold what the database points at.
FILE_DIRS = ("recordings",)


class BackupError(DomainError):
    """The backup or restore cannot go on; its code says why (rendered in one line)."""


@dataclass(frozen=True, slots=True)
class BackupSummary:
    backend: str
    files: int
    file_bytes: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq URI for pg_dump/pg_restore, the password passed in the environment (never on
    a command line that ``ps`` shows)."""
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} not found", ErrorCode.BACKUP_TOOL_MISSING, tool=name)
    return found


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["?"])[-1]
        tool = Path(command[0]).name
        raise BackupError(
            f"{tool} failed: {last}", ErrorCode.BACKUP_TOOL_FAILED, tool=tool, detail=last
        )


def _sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup: page by page, consistent even while the server writes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def backup(url: str | URL, data_dir: Path, target: Path) -> BackupSummary:
    """Write a backup of the database at ``url`` and the files under ``data_dir`` to the
    new or empty directory ``target``."""
    parsed = sync_url(url)
    if target.exists() and any(target.iterdir()):
        raise BackupError(
            f"{target} is not empty", ErrorCode.BACKUP_TARGET_NOT_EMPTY, target=str(target)
        )
    target.mkdir(parents=True, exist_ok=True)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        database = Path(parsed.database or "")
        if not database.is_file():
            raise BackupError(
                f"no database file {database}", ErrorCode.BACKUP_NO_DATABASE, database=str(database)
            )
        _sqlite_copy(database, target / SQLITE_FILE)
    else:
        uri, env = _libpq(parsed)
        _run([_tool("pg_dump"), "--format=custom", f"--file={target / PGDUMP_FILE}", uri], env)

    files: dict[str, str] = {}
    total = 0
    for name in FILE_DIRS:
        source_root = data_dir / name
        if not source_root.is_dir():
            continue
        for source in sorted(source_root.rglob("*")):
            if not source.is_file() or source.name.startswith(".partial-"):
                continue  # an upload still in progress: no row names it yet
            relative = source.relative_to(data_dir).as_posix()
            copy = target / FILES / relative
            copy.parent.mkdir(parents=True, exist_ok=True)
            try:
                shutil.copy2(source, copy)
            except FileNotFoundError:
                continue  # removed meanwhile
            files[relative] = _sha256(copy)
            total += copy.stat().st_size

    manifest: dict[str, Any] = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(),
        "backend": backend,
        "data_dir": str(data_dir.resolve()),
        "files": files,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return BackupSummary(backend=backend, files=len(files), file_bytes=total)


def read_manifest(source: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BackupError(
            f"{source} has no readable manifest", ErrorCode.BACKUP_NOT_A_BACKUP, source=str(source)
        ) from None
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"{source} has format {manifest.get('format')!r}",
            ErrorCode.BACKUP_UNKNOWN_FORMAT,
            source=str(source),
            format=repr(manifest.get("format")),
        )
    return manifest


def restore(url: str | URL, data_dir: Path, source: Path) -> BackupSummary:
    """Put the database and files of the backup in ``source`` back. The server must be
    stopped (the caller holds the instance lock)."""
    manifest = read_manifest(source)
    parsed = sync_url(url)
    backend = parsed.get_backend_name()
    if manifest["backend"] != backend:
        raise BackupError(
            f"backup of {manifest['backend']}, database is {backend}",
            ErrorCode.BACKUP_WRONG_BACKEND,
            backup=manifest["backend"],
            current=backend,
        )
    # Check every file before touching anything.
    for relative, digest in manifest["files"].items():
        stored = source / FILES / relative
        if not stored.is_file() or _sha256(stored) != digest:
            raise BackupError(
                f"{relative} missing or damaged", ErrorCode.BACKUP_FILE_DAMAGED, file=relative
            )

    if backend == "sqlite":
        database = Path(parsed.database or "")
        database.parent.mkdir(parents=True, exist_ok=True)
        # A fresh file renamed over the old one: works over a damaged database too, and a
        # restore cut short leaves the old one as it was.
        incoming = database.with_name(f".{database.name}.restoring")
        incoming.unlink(missing_ok=True)
        _sqlite_copy(source / SQLITE_FILE, incoming)
        for stale in (Path(f"{database}-wal"), Path(f"{database}-shm")):
            stale.unlink(missing_ok=True)
        incoming.replace(database)
    else:
        uri, env = _libpq(parsed)
        _run(
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                f"--dbname={uri}",
                str(source / PGDUMP_FILE),
            ],
            env,
        )

    total = 0
    for relative in manifest["files"]:
        target = data_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / FILES / relative, target)
        total += target.stat().st_size
    _repoint_recordings(url, Path(manifest["data_dir"]), data_dir.resolve())
    return BackupSummary(backend=backend, files=len(manifest["files"]), file_bytes=total)


def _repoint_recordings(url: str | URL, old: Path, new: Path) -> None:
    """Restored into another data directory: the recordings' stored paths follow."""
    if old == new:
        return
    engine = make_sync_engine(url)
    try:
        with engine.begin() as connection:
            rows = connection.execute(select(Recording.id, Recording.path)).all()
            for recording_id, path in rows:
                stored = Path(path)
                if stored.is_relative_to(old):
                    moved = str(new / stored.relative_to(old))
                    connection.execute(
                        update(Recording).where(Recording.id == recording_id).values(path=moved)
                    )
    finally:
        engine.dispose()
