"""Each configuration and environment fault at start-up: one Vietnamese line naming the
setting, a non-zero exit, and no hang (every child process runs under a hard timeout)."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.db import CONNECT_TIMEOUT_S
from tests.fakebotapi import FakeBotAPI
from tests.ops.processes import clean_env, diemcau, free_port, output_lines, spawn

# The commands that open the database, with what each needs to get as far as opening it.
DATABASE_COMMANDS = [["run"], ["db", "upgrade"], ["db", "current"]]


def assert_one_line(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    lines = output_lines(result)
    assert result.returncode != 0, lines
    assert len(lines) == 1, lines
    assert "Traceback" not in lines[0]
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def silent_postgres() -> Iterator[int]:
    """A TCP server that accepts connections and never says a word."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    listener.close()


@pytest.mark.parametrize("command", DATABASE_COMMANDS, ids=" ".join)
def test_postgres_port_closed(command: list[str], tmp_path: Path) -> None:
    url = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/diemcau"
    env = clean_env(DIEMCAU_DATABASE_URL=url, DIEMCAU_DATA_DIR=str(tmp_path))
    result = diemcau(*command, cwd=tmp_path, env=env, timeout=30)
    assert_one_line(result, "DIEMCAU_DATABASE_URL", "PostgreSQL")


@pytest.mark.parametrize("command", DATABASE_COMMANDS, ids=" ".join)
def test_postgres_that_never_answers(
    command: list[str], tmp_path: Path, silent_postgres: int
) -> None:
    url = f"postgresql+psycopg://postgres@127.0.0.1:{silent_postgres}/diemcau?connect_timeout=2"
    env = clean_env(DIEMCAU_DATABASE_URL=url, DIEMCAU_DATA_DIR=str(tmp_path))
    started = time.monotonic()
    result = diemcau(*command, cwd=tmp_path, env=env, timeout=30)
    line = assert_one_line(result, "DIEMCAU_DATABASE_URL", "không trả lời sau 2 giây")
    assert time.monotonic() - started < 25, line


def test_a_silent_postgres_is_given_up_after_the_default_timeout(
    tmp_path: Path, silent_postgres: int
) -> None:
    url = f"postgresql+psycopg://postgres@127.0.0.1:{silent_postgres}/diemcau"  # no timeout set
    env = clean_env(DIEMCAU_DATABASE_URL=url, DIEMCAU_DATA_DIR=str(tmp_path))
    started = time.monotonic()
    result = diemcau("db", "current", cwd=tmp_path, env=env, timeout=60)
    assert_one_line(result, "DIEMCAU_DATABASE_URL", f"không trả lời sau {CONNECT_TIMEOUT_S} giây")
    assert CONNECT_TIMEOUT_S - 1 < time.monotonic() - started < CONNECT_TIMEOUT_S + 20


@pytest.mark.parametrize("command", DATABASE_COMMANDS, ids=" ".join)
def test_read_only_data_dir(command: list[str]) -> None:
    # Root writes anywhere: run the child as nobody when the tests run as root.
    as_nobody: tuple[str, ...] = ()
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: cannot make a directory read-only")
        as_nobody = (setpriv, "--reuid=65534", "--regid=65534", "--clear-groups")
    data = Path(tempfile.mkdtemp(prefix="diemcau-ro-"))
    try:
        data.chmod(0o555)
        env = clean_env(DIEMCAU_DATA_DIR=str(data))
        result = diemcau(*command, cwd=data, env=env, timeout=30, prefix=as_nobody)
        assert_one_line(result, "DIEMCAU_DATA_DIR", str(data))
    finally:
        data.chmod(0o755)
        shutil.rmtree(data)


@pytest.mark.parametrize("command", DATABASE_COMMANDS, ids=" ".join)
def test_corrupt_sqlite_file(command: list[str], tmp_path: Path) -> None:
    damaged = b"this is not a database, it is a letter\n" * 200
    (tmp_path / "diemcau.db").write_bytes(damaged)
    env = clean_env(DIEMCAU_DATA_DIR=str(tmp_path))
    result = diemcau(*command, cwd=tmp_path, env=env, timeout=30)
    assert_one_line(result, "hỏng", "diemcau.db", "DIEMCAU_DATA_DIR")
    assert (tmp_path / "diemcau.db").read_bytes() == damaged  # nothing "repaired" it


@pytest.mark.parametrize("command", [*DATABASE_COMMANDS, ["seed", "x.yaml"]], ids=" ".join)
def test_bad_time_zone(command: list[str], tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text("committee: {}\n", encoding="utf-8")
    env = clean_env(DIEMCAU_DATA_DIR=str(tmp_path), DIEMCAU_TIMEZONE="Asia/Saigon_City")
    result = diemcau(*command, cwd=tmp_path, env=env, timeout=30)
    assert_one_line(result, "DIEMCAU_TIMEZONE", "Asia/Saigon_City", "Asia/Ho_Chi_Minh")


def test_a_setting_of_the_wrong_type(tmp_path: Path) -> None:
    env = clean_env(DIEMCAU_DATA_DIR=str(tmp_path), DIEMCAU_WEB_PORT="tám nghìn")
    result = diemcau("run", cwd=tmp_path, env=env, timeout=30)
    assert_one_line(result, "DIEMCAU_WEB_PORT", "tám nghìn")


def test_port_in_use(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        env = clean_env(DIEMCAU_DATA_DIR=str(tmp_path), DIEMCAU_WEB_PORT=str(port))
        result = diemcau("run", cwd=tmp_path, env=env, timeout=30)
    assert_one_line(result, "DIEMCAU_WEB_PORT", str(port))


def test_webhook_without_secret(tmp_path: Path) -> None:
    env = clean_env(
        DIEMCAU_DATA_DIR=str(tmp_path),
        DIEMCAU_TELEGRAM_TOKEN="123456:TEST-TOKEN",
        DIEMCAU_TELEGRAM_WEBHOOK_URL="https://diemcau.example.gov.vn",
        DIEMCAU_WEB_PORT=str(free_port()),
    )
    result = diemcau("run", cwd=tmp_path, env=env, timeout=30)
    assert_one_line(result, "DIEMCAU_TELEGRAM_WEBHOOK_SECRET")


@pytest.mark.parametrize(
    ("model", "needles"),
    [
        ("/srv/diemcau/models/nowhere", ["DIEMCAU_WHISPER_MODEL", "model.bin"]),
        # A name is fetched from the model hub, which this server cannot reach.
        ("large-v3", ["DIEMCAU_WHISPER_MODEL", "Không tải được mô hình Whisper 'large-v3'"]),
    ],
    ids=["missing directory", "unreachable hub"],
)
def test_the_whisper_model_is_not_there(model: str, needles: list[str], tmp_path: Path) -> None:
    env = clean_env(
        DIEMCAU_DATA_DIR=str(tmp_path),
        DIEMCAU_TELEGRAM_TOKEN="123456:TEST-TOKEN",
        DIEMCAU_WHISPER_MODEL=model,
        DIEMCAU_WEB_PORT=str(free_port()),
    )
    result = diemcau("run", cwd=tmp_path, env=env, timeout=60)
    line = assert_one_line(result, *needles)
    assert not re.search(r"\b(cannot|error happened|Please)\b", line), line  # Vietnamese


def _get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=2) as response:
        status: int = response.status
        return status


def test_unreachable_telegram_is_retried_while_the_web_serves(tmp_path: Path) -> None:
    telegram_port, web_port = free_port(), free_port()
    env = clean_env(
        DIEMCAU_DATA_DIR=str(tmp_path),
        DIEMCAU_WEB_PORT=str(web_port),
        DIEMCAU_TELEGRAM_TOKEN="123456:TEST-TOKEN",
        DIEMCAU_TELEGRAM_BASE_URL=f"http://127.0.0.1:{telegram_port}/bot",
    )
    server = spawn("run", cwd=tmp_path, env=env)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(server.stdout or []), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 60
        status = 0
        while time.monotonic() < deadline and server.poll() is None:
            try:
                status = _get(f"http://127.0.0.1:{web_port}/healthz")
                break
            except OSError:
                time.sleep(0.2)
        assert status == 200, lines

        def retries() -> list[str]:
            return [line for line in lines if "Không kết nối được Telegram" in line]

        while time.monotonic() < deadline and len(retries()) < 3:
            time.sleep(0.2)
        assert len(retries()) >= 3 and "DIEMCAU_TELEGRAM_BASE_URL" in retries()[0], lines
        pauses = [int(m) for line in retries() for m in re.findall(r"thử lại sau (\d+) giây", line)]
        assert pauses[:3] == [1, 2, 4], pauses  # a growing pause between tries
        assert server.poll() is None  # still serving
        assert _get(f"http://127.0.0.1:{web_port}/healthz") == 200

        # Telegram comes back: the next retry connects and the bot starts polling.
        async def telegram_returns() -> list[str]:
            fake = FakeBotAPI()
            await fake.start(port=telegram_port)
            try:
                for _ in range(200):
                    if any(method == "getUpdates" for method, _params in fake.calls):
                        break
                    await asyncio.sleep(0.1)
                return [method for method, _params in fake.calls]
            finally:
                await fake.stop()

        methods = asyncio.run(telegram_returns())
        assert "getMe" in methods and "getUpdates" in methods, (methods, lines)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        reader.join(timeout=10)
        if server.stdout is not None:
            server.stdout.close()
