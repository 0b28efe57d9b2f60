"""Logging for every command: one record per line on standard error.

When standard error is not a terminal (a container, a systemd unit, a pipe into a log
collector) each record is one JSON object (``time`` in UTC, ``level``, ``logger``,
``message``, and ``exception`` with the traceback when there is one), so that the collector
needs no parsing rules and a multi-line traceback stays one record. At a terminal the lines are
plain text for a person.

Libraries that narrate routine work at INFO are kept to warnings: Alembic (every migration
step at each start) and httpx, whose request lines would carry the
bot's token inside the Bot API URL.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import TextIO

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
QUIET = ("alembic", "httpx", "httpcore")


class JsonFormatter(logging.Formatter):
    """One JSON object per record, Vietnamese left readable (not \\u-escaped)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


def formatter_for(stream: TextIO) -> logging.Formatter:
    isatty = getattr(stream, "isatty", None)
    return logging.Formatter(TEXT_FORMAT) if isatty is not None and isatty() else JsonFormatter()


def setup(level: int, *, stream: TextIO | None = None) -> None:
    """Log at ``level`` to standard error (``-v``: DEBUG, every library included). Where
    logging is configured already (a test harness, a program that embeds a command) it is
    left as it is, as ``logging.basicConfig`` would."""
    for name in QUIET:
        logging.getLogger(name).setLevel(level if level <= logging.DEBUG else logging.WARNING)
    root = logging.getLogger()
    if root.handlers:
        return
    root.setLevel(level)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(formatter_for(handler.stream))
    root.addHandler(handler)
