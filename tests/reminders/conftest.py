"""A world for the scheduler tests: a committed database of its own (SQLite or PostgreSQL),
the fake Bot API server, a movable clock, and schedulers built like the application's."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from telegram import Bot
from telegram.ext import ExtBot

from bot.ratelimit import FloodLimiter
from bot.reminders import ReminderScheduler, build_scheduler, start_scheduler, stop_scheduler
from storage.db import create_all_sync, make_async_engine, make_async_sessionmaker, make_sync_engine
from storage.models import Notification, Person
from storage.seed import SeedResult
from tests.conftest import BACKENDS, VN, empty_database_url
from tests.fakebotapi import FakeBotAPI
from tests.storage.factories import make_committee

SECRET = b"test-secret"
CHAT_BASE = 500_000


def vn(*args: int) -> datetime:
    return datetime(*args, tzinfo=VN)


@dataclass
class Clock:
    """The injected clock; tests move it, nobody sleeps. The loops are started paused, so
    they never run a test's reminder by themselves; ``run_from`` makes the clock tick with
    the wall clock from a moment, for the one test of the loop's own timer."""

    moment: datetime
    ticking_since: float | None = None

    def __call__(self) -> datetime:
        if self.ticking_since is None:
            return self.moment
        return self.moment + timedelta(seconds=time.monotonic() - self.ticking_since)

    def set(self, moment: datetime) -> None:
        self.moment, self.ticking_since = moment, None

    def run_from(self, moment: datetime) -> None:
        self.moment, self.ticking_since = moment, time.monotonic()


@dataclass
class World:
    url: str
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    server: FakeBotAPI
    bot: Bot
    clock: Clock
    seed: SeedResult | None = None
    schedulers: list[ReminderScheduler] = field(default_factory=list)

    def chat(self, key: str) -> int:
        assert self.seed is not None
        return CHAT_BASE + self.seed.person_ids[key]

    def texts(self, key: str) -> list[str]:
        return [m.text or "" for m in self.server.messages(self.chat(key))]

    def sent_count(self) -> int:
        return sum(len(by_id) for by_id in self.server.chats.values())

    async def scheduler(self, *, start: bool = True) -> ReminderScheduler:
        scheduler = build_scheduler(
            self.url, bot=self.bot, sessions=self.sessions, clock=self.clock, secret=SECRET
        )
        self.schedulers.append(scheduler)
        if start:  # paused: nothing runs by itself, only run_due at the test's clock
            await start_scheduler(scheduler, paused=True)
        return scheduler

    async def log(self) -> list[Notification]:
        async with self.sessions() as session:
            return list(await session.scalars(select(Notification).order_by(Notification.id)))


@pytest.fixture(params=BACKENDS)
def world_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    for url in empty_database_url(request.param, tmp_path, "reminders"):
        engine = make_sync_engine(url)
        create_all_sync(engine)
        engine.dispose()
        yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> Iterator[str]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'reminders.db'}"
    engine = make_sync_engine(url)
    create_all_sync(engine)
    engine.dispose()
    yield url


async def _world(url: str) -> AsyncIterator[World]:
    server = FakeBotAPI(enforce_limits=True)  # a 429 would show as a missing message
    await server.start()
    engine = make_async_engine(url)
    sessions = make_async_sessionmaker(engine)
    world = World(
        url,
        engine,
        sessions,
        server,
        ExtBot(server.token, base_url=server.base_url, rate_limiter=FloodLimiter()),
        Clock(vn(2027, 1, 5, 9)),
    )
    await world.bot.initialize()
    try:
        async with sessions.begin() as session:
            world.seed = await make_committee(session, points=2, per_point=3)
            for person in await session.scalars(select(Person)):
                person.telegram_user_id = CHAT_BASE + person.id
        yield world
        assert server.flood_errors == 0, "a reminder broke Telegram's flood limits"
    finally:
        for scheduler in world.schedulers:
            await stop_scheduler(scheduler)
        await world.bot.shutdown()
        await server.stop()
        await engine.dispose()


@pytest.fixture
async def world(world_url: str) -> AsyncIterator[World]:
    """On SQLite and on PostgreSQL."""
    async for w in _world(world_url):
        yield w


@pytest.fixture
async def sworld(sqlite_url: str) -> AsyncIterator[World]:
    """On SQLite only, for the tests of planning details."""
    async for w in _world(sqlite_url):
        yield w


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


ONE_MINUTE = timedelta(minutes=1)
