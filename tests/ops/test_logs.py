"""Logs a collector can read: one JSON object per line when standard error is not a
terminal, at INFO for the server, without Alembic's narration of every migration."""

from __future__ import annotations

import io
import json
import logging
import sys
from pathlib import Path

from diemcau.logs import JsonFormatter, formatter_for
from tests.ops.processes import clean_env, free_port, spawn, wait_healthy


def test_the_server_logs_json_lines_at_info_without_alembic(tmp_path: Path) -> None:
    port = free_port()
    env = clean_env(DIEMCAU_DATA_DIR=str(tmp_path), DIEMCAU_WEB_PORT=str(port))
    server = spawn("run", cwd=tmp_path, env=env)  # a fresh database: the migrations run
    try:
        wait_healthy(port, server)
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    records = [json.loads(line) for line in output.splitlines() if line.strip()]  # JSON only
    assert records, output
    for record in records:
        assert set(record) >= {"time", "level", "logger", "message"}, record
        assert record["time"].endswith("+00:00")
    assert not [r for r in records if r["logger"].startswith("alembic")]
    info = [r["message"] for r in records if r["level"] == "INFO"]
    assert f"serving on http://127.0.0.1:{port}" in info
    warnings = [r["message"] for r in records if r["level"] == "WARNING"]
    assert any("DIEMCAU_TELEGRAM_TOKEN is not set" in m for m in warnings), warnings
    assert "Traceback" not in output


def test_a_traceback_stays_inside_its_record() -> None:
    try:
        raise ValueError("hỏng")
    except ValueError:
        record = logging.LogRecord(
            "diemcau.x", logging.ERROR, __file__, 1, "bản ghi %s lỗi", (7,), sys.exc_info()
        )
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "bản ghi 7 lỗi" and entry["level"] == "ERROR"
    assert "Traceback" in entry["exception"] and "ValueError: hỏng" in entry["exception"]
    assert "bản ghi" in line  # Vietnamese stays readable, not \\u-escaped


def test_a_person_at_a_terminal_gets_text() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert not isinstance(formatter_for(Terminal()), JsonFormatter)
    assert isinstance(formatter_for(io.StringIO()), JsonFormatter)
