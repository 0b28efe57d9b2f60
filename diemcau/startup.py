"""Start-up checks that turn configuration and environment faults into one line.

Every fault an operator can meet before the first request (a bad setting, a PostgreSQL that is
down or silent, an unwritable data directory, a damaged SQLite file, a port already taken)
stops the command with one Vietnamese line that names the setting to fix, and a non-zero exit,
instead of a traceback. Each check is bounded by the database connect timeout.
"""

from __future__ import annotations

import errno
import os
import socket
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import click
from pydantic import ValidationError
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from diemcau.settings import Settings, get_settings
from storage import migrate
from storage.db import CONNECT_TIMEOUT_S, make_sync_engine, sync_url
from storage.locks import AlreadyRunning, InstanceLock


class StartupError(click.ClickException):
    """A fault the operator fixes in the configuration or the environment: shown as its one
    line, without click's "Error:" prefix, so that it reads the same in every log."""

    exit_code = 2

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(self.format_message(), err=True, file=file)


def env_name(field: str) -> str:
    return f"DIEMCAU_{field.upper()}"


def load_settings() -> Settings:
    """The settings, or one line naming the first setting that is wrong."""
    try:
        return get_settings()
    except ValidationError as error:
        first = error.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "?"
        value = first.get("input")
        if field == "timezone":
            raise StartupError(
                f"Múi giờ {value!r} không tồn tại: sửa {env_name(field)} (ví dụ Asia/Ho_Chi_Minh)."
            ) from None
        raise StartupError(
            f"Giá trị {value!r} không hợp lệ ({first['msg']}): sửa {env_name(field)}."
        ) from None


def _where(url: str) -> str:
    parsed = make_url(url)
    return f"{parsed.host or 'localhost'}:{parsed.port or 5432}/{parsed.database or ''}"


def check_database(url: str, *, data_dir: Path | None = None) -> None:
    """Connect once and read the schema table, within the connect timeout.

    SQLite: the data directory must be writable and the file a database. PostgreSQL: the
    server must answer. Anything else stops here with one line.
    """
    try:
        parsed = sync_url(url)
    except (ArgumentError, NoSuchModuleError, ValueError):
        raise StartupError(
            "DIEMCAU_DATABASE_URL không hợp lệ: dùng sqlite+aiosqlite:///ĐƯỜNG/DẪN.db "
            "hoặc postgresql+psycopg://NGƯỜI_DÙNG@MÁY:5432/TÊN_CSDL."
        ) from None
    if parsed.get_backend_name() == "sqlite":
        _check_sqlite(parsed.database or "", data_dir=data_dir)
        return
    try:
        engine = make_sync_engine(url, pool_pre_ping=False)
    except Exception as error:  # a missing driver, a malformed option
        raise StartupError(
            f"DIEMCAU_DATABASE_URL không dùng được ({type(error).__name__}): kiểm tra lại."
        ) from None
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except DBAPIError as error:
        raise StartupError(_postgres_fault(url, error)) from None
    finally:
        engine.dispose()


def _postgres_fault(url: str, error: DBAPIError) -> str:
    detail = str(error.orig).lower()
    where = _where(url)
    if "timeout" in detail or "timed out" in detail:
        seconds = make_url(url).query.get("connect_timeout", CONNECT_TIMEOUT_S)
        return (
            f"PostgreSQL tại {where} không trả lời sau {seconds} giây: "
            "kiểm tra DIEMCAU_DATABASE_URL (máy, cổng) và máy chủ PostgreSQL."
        )
    if "password" in detail or "authentication" in detail or "role" in detail:
        return (
            f"PostgreSQL tại {where} từ chối đăng nhập: "
            "sửa người dùng/mật khẩu trong DIEMCAU_DATABASE_URL."
        )
    if "does not exist" in detail:
        return f"Cơ sở dữ liệu {where} chưa có: tạo nó (createdb) hoặc sửa DIEMCAU_DATABASE_URL."
    return (
        f"Không kết nối được PostgreSQL tại {where} (máy chủ chưa chạy hoặc cổng đóng): "
        "kiểm tra DIEMCAU_DATABASE_URL."
    )


def _check_sqlite(database: str, *, data_dir: Path | None) -> None:
    if not database or database == ":memory:":
        return
    path = Path(database)
    setting = "DIEMCAU_DATA_DIR" if data_dir is not None else "DIEMCAU_DATABASE_URL"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StartupError(
            f"Không tạo được thư mục dữ liệu {path.parent} ({error.strerror}): sửa {setting}."
        ) from None
    if not os.access(path.parent, os.W_OK | os.X_OK) or (
        path.exists() and not os.access(path, os.R_OK | os.W_OK)
    ):
        raise StartupError(
            f"Thư mục dữ liệu {path.parent} không ghi được: cấp quyền ghi hoặc sửa {setting}."
        )
    if data_dir is not None:
        _check_writable(data_dir)
    if not path.exists():
        return
    import sqlite3

    try:
        # Read-only, not through the engine: a damaged file must not be "repaired" here.
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=CONNECT_TIMEOUT_S)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        if "locked" in str(error):
            return  # a running server holds it; the instance lock speaks to that
        raise StartupError(
            f"Tệp CSDL {path} hỏng hoặc không phải SQLite ({error}): khôi phục bằng "
            f"`diemcau restore`, hoặc chuyển tệp đi nơi khác, hoặc sửa {setting}."
        ) from None


def _check_writable(directory: Path) -> None:
    probe = directory / f".diemcau-write-check-{os.getpid()}"
    try:
        directory.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        raise StartupError(
            f"Thư mục dữ liệu {directory} không ghi được ({error.strerror}): "
            "cấp quyền ghi hoặc sửa DIEMCAU_DATA_DIR."
        ) from None


def checked_settings(*, database: bool = True) -> Settings:
    """Settings for a command that opens the database: each fault is one line."""
    settings = load_settings()
    if database:
        check_database(
            settings.effective_database_url,
            data_dir=None if settings.database_url else settings.data_dir,
        )
    _check_writable(settings.data_dir)
    return settings


def bind_listening_socket(settings: Settings) -> socket.socket:
    """Bind the web port now, so that a port in use is one line before anything else starts."""
    try:
        infos = socket.getaddrinfo(
            settings.web_host, settings.web_port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )
    except socket.gaierror:
        raise StartupError(
            f"Không hiểu địa chỉ {settings.web_host!r}: sửa DIEMCAU_WEB_HOST."
        ) from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(128)
    except OSError as error:
        sock.close()
        if error.errno == errno.EADDRINUSE:
            raise StartupError(
                f"Cổng {settings.web_host}:{settings.web_port} đã có chương trình khác dùng: "
                "đổi DIEMCAU_WEB_PORT hoặc dừng chương trình kia."
            ) from None
        raise StartupError(
            f"Không mở được cổng {settings.web_host}:{settings.web_port} ({error.strerror}): "
            "sửa DIEMCAU_WEB_HOST/DIEMCAU_WEB_PORT."
        ) from None
    return sock


def check_run_settings(settings: Settings) -> None:
    """Settings that only the server needs, checked before it starts anything."""
    if settings.telegram_token and settings.telegram_webhook_url:
        if not settings.telegram_webhook_secret:
            raise StartupError(
                "Dùng webhook thì phải đặt DIEMCAU_TELEGRAM_WEBHOOK_SECRET (chuỗi ngẫu nhiên)."
            )
        if not settings.telegram_webhook_url.startswith("https://"):
            raise StartupError(
                "Telegram chỉ gửi webhook tới https://: sửa DIEMCAU_TELEGRAM_WEBHOOK_URL."
            )


def acquire_instance_lock(settings: Settings) -> InstanceLock:
    """One server per database: a second one stops here with one line."""
    lock = InstanceLock(settings.effective_database_url)
    try:
        lock.acquire()
    except AlreadyRunning as error:
        raise StartupError(
            f"Đã có một máy chủ Điểm Cầu chạy trên cơ sở dữ liệu này ({error.holder}): "
            "dừng nó trước, hoặc đặt DIEMCAU_DATABASE_URL (DIEMCAU_DATA_DIR) khác."
        ) from None
    return lock


def prepare_server(
    check: Callable[[Settings], None] | None = None,
) -> tuple[Settings, socket.socket]:
    """Everything ``diemcau run`` does before it starts serving: settings, database, data
    directory, ``check`` (the caller's own, e.g. the Whisper model), the web port (bound here
    and handed to the server), the instance lock (held until the process exits), the schema
    Nothing is held when a check fails."""
    settings = checked_settings()
    check_run_settings(settings)
    if check is not None:
        check(settings)
    # The lock first: a second server on the same port is told that a server runs, not
    # merely that the port is taken.
    _held_locks.append(acquire_instance_lock(settings))
    listening = bind_listening_socket(settings)
    migrate.upgrade(settings.effective_database_url)
    return settings, listening


# The server's instance lock lives as long as the process.
_held_locks: list[InstanceLock] = []
