"""How many database writes one dialogue step costs: the whole of /taohop, through the real
bot (python-telegram-bot against the fake Bot API, ``tests/bot/harness.py``) on a SQLite file.

For each step it prints what PTB handed to the persistence (``offered``: a conversation state
and a person's data, written or not), the transactions and rows the persistence wrote or
deleted, and the SQL statements that touched ``bot_conversations`` or ``bot_user_data``
(one upsert or delete per row on SQLite and PostgreSQL). Steps that change nothing (a time
the bot cannot read, a command outside the dialogue) should write nothing.

    .venv/bin/python bench/dialogue_writes.py
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event

from bot.persistence import DatabasePersistence
from tests.bot.harness import Harness, running_bot
from tests.conftest import VN

STEPS = [
    ("send", "/taohop", "tiêu đề"),
    ("send", "Phiên họp đo ghi", "Thời gian bắt đầu"),
    ("send", "họp sớm nhé", "Chưa hiểu thời gian"),  # refused: the question stays
    ("send", "8h00 thứ năm tuần sau", "Ai chủ trì"),
    ("send", "/lichhop", "phiên họp"),  # outside the dialogue
    ("press", "Trần Văn Chủ (Chủ tịch UBND tỉnh)", "Chọn các điểm cầu"),
    ("press", "▫️ Điểm cầu 0", "Chọn các điểm cầu"),
    ("press", "▫️ Điểm cầu 1", "Chọn các điểm cầu"),
    ("press", "Xong", "Nội dung chương trình"),
    ("send", "Báo cáo tiến độ — Đơn vị tư vấn", "Đã thêm nội dung 1"),
    ("press", "Xong", "XÁC NHẬN PHIÊN HỌP"),
    ("press", "Lưu phiên họp", "Đã lưu phiên họp"),
]


def figures(persistence: DatabasePersistence, statements: list[int]) -> list[int]:
    counts = persistence.counts
    return [
        counts.offered,
        counts.transactions,
        counts.rows_written,
        counts.rows_deleted,
        statements[0],
    ]


async def one_step(
    h: Harness, statements: list[int], how: str, what: str, needle: str
) -> list[int]:
    """Send or press, wait for the bot's answer and for the flush after it; the figures'
    growth."""
    persistence = h.application.persistence
    assert isinstance(persistence, DatabasePersistence)
    secretary = h.user("secretary")
    before = figures(persistence, statements)
    seen = {m.message_id: len(m.edits) for m in secretary.inbox}
    await (secretary.send(what) if how == "send" else secretary.press(what))
    await h.server.wait_for(
        lambda: any(
            seen.get(m.message_id) != len(m.edits) and needle in (m.text or "")
            for m in secretary.inbox
        ),
        what=needle,
    )
    counts = persistence.counts
    for _ in range(1000):  # the flush follows the reply
        if counts.offered > before[0] and counts.settled == counts.offered:
            break
        await asyncio.sleep(0.01)
    return [a - b for a, b in zip(figures(persistence, statements), before, strict=True)]


async def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        async with running_bot(Path(scratch), datetime(2026, 11, 26, 9, 0, tzinfo=VN)) as h:
            statements = [0]

            def count(_conn: Any, _cursor: Any, sql: str, *_: Any) -> None:
                if "bot_conversations" in sql or "bot_user_data" in sql:
                    statements[0] += 1

            event.listen(h.sessions.kw["bind"].sync_engine, "before_cursor_execute", count)
            print(f"{'step':<40} offered  tx  written  deleted  statements")
            totals = [0] * 5
            for how, what, needle in STEPS:
                delta = await one_step(h, statements, how, what, needle)
                totals = [t + d for t, d in zip(totals, delta, strict=True)]
                print(f"{how + ' ' + what:<40.40} " + _row(delta))
            print(f"{'total (' + str(len(STEPS)) + ' steps)':<40} " + _row(totals))
            print(
                f"steps={len(STEPS)} offered={totals[0]} transactions={totals[1]} "
                f"rows_written={totals[2]} rows_deleted={totals[3]} statements={totals[4]}"
            )


def _row(values: list[int]) -> str:
    return f"{values[0]:>7} {values[1]:>3} {values[2]:>8} {values[3]:>8} {values[4]:>11}"


if __name__ == "__main__":
    asyncio.run(main())
