"""Fan-out benchmark: 1,000 notifications to 300 recipients within Telegram's flood limits.

The real PTB ``ExtBot`` with ``bot.ratelimit.FloodLimiter`` sends through the fake Bot API
server (``tests/fakebotapi.py``) with ``enforce_limits=True``, which answers 429 with
``retry_after`` when 30 messages/s overall, 1/s in a private chat or 20/min in a group is
broken. All messages are handed to the bot at once, as a reminder burst would be.

The last line is ``sent=N flood_errors=N efficiency=X``: efficiency is the achieved
throughput divided by the throughput the limits allow for this mix of recipients, that is the
shortest time the limits permit divided by the time taken.

    .venv/bin/python bench/fanout.py [--messages 1000] [--recipients 300] [--groups 10]
                                     [--log sqlite|postgresql]

With ``--log`` every message goes through the outbox as every message to a person does: all
are written first (one transaction, as a reminder burst is), then the one sender
(``bot.outbox.OutboxSender.drain``) claims, sends and records each, on a fresh SQLite file or
on the PostgreSQL server named by DIEMCAU_TEST_POSTGRES_URL (a scratch database, dropped
after).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from telegram.ext import ExtBot
from telegram.request import HTTPXRequest

import bot  # noqa: F401  (sets PTB_TIMEDELTA: retry_after as a timedelta)
from bot.outbox import OutboxSender
from bot.ratelimit import FloodLimiter
from storage.db import create_all_sync, make_async_engine, make_async_sessionmaker, make_sync_engine
from storage.services.notifications import NotificationKey, OutgoingMessage, enqueue
from tests.conftest import fresh_postgres_database
from tests.fakebotapi import FakeBotAPI

OVERALL_PER_S, PER_CHAT_S, GROUP_PER_MIN = 30, 1.0, 20


def recipients(count: int, groups: int) -> list[int]:
    """Private chats are positive ids, groups negative (as Telegram's)."""
    return [-(1000 + i) for i in range(groups)] + [10_000 + i for i in range(count - groups)]


def shortest_time(chat_of: list[int]) -> float:
    """The least time the limits allow for these messages: each limit gives a lower bound."""
    per_chat = Counter(chat_of)
    bounds = [len(chat_of) / OVERALL_PER_S]
    bounds += [(n - 1) * PER_CHAT_S for chat, n in per_chat.items() if chat > 0]
    bounds += [math.ceil(n / GROUP_PER_MIN - 1) * 60.0 for chat, n in per_chat.items() if chat < 0]
    return max(bounds)


async def _through_log(
    telegram: ExtBot[None], chat_of: list[int], url: str, concurrency: int
) -> None:
    engine = make_async_engine(url)
    sessions = make_async_sessionmaker(engine)
    moment = datetime.now(UTC)
    messages = [
        OutgoingMessage(
            NotificationKey("bench.fanout", f"bench:{i}", f"chat:{chat}", moment),
            chat,
            f"Nhắc việc số {i + 1}",
        )
        for i, chat in enumerate(chat_of)
    ]
    try:
        async with sessions.begin() as session:
            await enqueue(session, messages, now=moment)
        sender = OutboxSender(telegram, sessions, concurrency=concurrency)
        report = await sender.drain()
        assert report.sent == len(chat_of), report.counts
    finally:
        await engine.dispose()


def _database(kind: str, directory: str) -> Iterator[str]:
    if kind == "sqlite":
        url = f"sqlite+aiosqlite:///{directory}/fanout.db"
        engine = make_sync_engine(url)
        create_all_sync(engine)
        engine.dispose()
        yield url
        return
    for url in fresh_postgres_database("fanout"):
        engine = make_sync_engine(url)
        create_all_sync(engine)
        engine.dispose()
        yield url


async def main(messages: int, people: int, groups: int, log: str | None) -> None:
    server = FakeBotAPI(enforce_limits=True)
    await server.start()
    chats = recipients(people, groups)
    # A burst as the scheduler makes it: reminder after reminder, each to everyone concerned.
    chat_of = [chats[i % len(chats)] for i in range(messages)]
    request = HTTPXRequest(connection_pool_size=64, pool_timeout=30.0)
    try:
        async with ExtBot(
            server.token, base_url=server.base_url, rate_limiter=FloodLimiter(), request=request
        ) as telegram:
            if log is None:
                started = time.perf_counter()
                await asyncio.gather(
                    *(
                        telegram.send_message(chat, f"Nhắc việc số {i + 1}")
                        for i, chat in enumerate(chat_of)
                    )
                )
                elapsed = time.perf_counter() - started
            else:
                with tempfile.TemporaryDirectory() as directory:
                    for url in _database(log, directory):
                        concurrency = 16 if log == "sqlite" else 32  # as bot.reminders does
                        started = time.perf_counter()
                        await _through_log(telegram, chat_of, url, concurrency)
                        elapsed = time.perf_counter() - started
    finally:
        await server.stop()
    sent = sum(len(by_id) for by_id in server.chats.values())
    bound = shortest_time(chat_of)
    print(
        f"path={'bot' if log is None else 'notification log on ' + log} "
        f"messages={messages} recipients={people} (groups={groups}) elapsed={elapsed:.2f}s "
        f"limit_bound={bound:.2f}s achieved={sent / elapsed:.2f}/s allowed={messages / bound:.2f}/s"
    )
    print(f"sent={sent} flood_errors={server.flood_errors} efficiency={bound / elapsed:.3f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--recipients", type=int, default=300)
    parser.add_argument("--groups", type=int, default=10)
    parser.add_argument("--log", choices=["sqlite", "postgresql"], default=None)
    options = parser.parse_args()
    asyncio.run(main(options.messages, options.recipients, options.groups, options.log))
