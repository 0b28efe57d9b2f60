"""A running bot for scenarios: real PTB Application, fake Bot API over HTTP, SQLite file."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import Application

from bot.app import build_application
from bot.common import DEPS_KEY, BotDeps
from bot.outbox import OutboxSender
from diemcau.draft_files import draft_files
from diemcau.media import check_recording
from diemcau.pipeline import RecordingPipeline
from storage.db import create_all_sync, make_async_engine, make_async_sessionmaker, make_sync_engine
from storage.models import Notification, NotificationState
from storage.seed import SeedResult, load_seed
from tests.conftest import VN
from tests.fakebotapi import FakeBotAPI, FakeUser
from tests.storage.factories import committee_data


class Clock:
    """The injected clock: tests move it, nothing sleeps."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@dataclass
class Harness:
    server: FakeBotAPI
    application: Application  # type: ignore[type-arg]
    sessions: async_sessionmaker[AsyncSession]
    seed: SeedResult
    clock: Clock
    users: dict[str, FakeUser]
    data_dir: Path

    def user(self, key: str) -> FakeUser:
        return self.users[key]

    async def outbox_settled(self, timeout: float = 10.0) -> None:
        """Wait until the sender has recorded an outcome for every row of the outbox."""
        deadline = asyncio.get_running_loop().time() + timeout
        busy = (NotificationState.PENDING, NotificationState.SENDING)
        while True:
            async with self.sessions() as session:
                left = await session.scalar(
                    select(func.count()).where(Notification.state.in_(busy))
                )
            if not left:
                return
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"{left} notifications still unsent")
            await asyncio.sleep(0.05)


def twelve_people() -> dict[str, Any]:
    """Three points, twelve people: at the main hall the chair, the secretary, the coordinator
    and one participant; at the two others a coordinator and three participants each. Every
    one of them has a Telegram account except ``u2_2``, who is linked with an invite code."""
    data = committee_data(points=3, per_point=4)
    data["people"] = [p for p in data["people"] if p["key"] not in ("u0_1", "u0_2")]
    for number, person in enumerate(data["people"], start=1):
        if person["key"] != "u2_2":
            person["telegram_user_id"] = 1000 + number
    return data


def with_real_units() -> dict[str, Any]:
    """The twelve people, with the units the sample recording names: the people at point 1
    work for the Department of Finance, those at point 2 for the planning consultants."""
    data = twelve_people()
    for unit in data["units"]:
        if unit["short_name"] == "ĐV1":
            unit.update(name="Sở Tài chính", short_name="Sở Tài chính", aliases=["ĐV1"])
        if unit["short_name"] == "ĐV2":
            unit.update(
                name="Đơn vị tư vấn lập quy hoạch tỉnh", short_name="đơn vị tư vấn", aliases=["ĐV2"]
            )
    for person in data["people"]:
        person["unit"] = {"ĐV1": "Sở Tài chính", "ĐV2": "đơn vị tư vấn"}.get(
            person["unit"], person["unit"]
        )
    return data


@asynccontextmanager
async def running_bot(
    tmp_path: Path,
    now: datetime,
    *,
    data: dict[str, Any] | None = None,
    whisper_data_dir: Path | None = None,
    local_mode: bool = False,
    **deps_overrides: Any,
) -> AsyncIterator[Harness]:
    """The bot on a fresh database; with ``whisper_data_dir`` recordings go through the real
    pipeline (transcription in a worker process, then the drafter); with ``local_mode`` the
    fake Bot API acts as a local Bot API server and the bot runs in its local mode."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    engine = make_sync_engine(url)
    create_all_sync(engine)
    engine.dispose()
    async_engine = make_async_engine(url)
    sessions = make_async_sessionmaker(async_engine)
    data = data or twelve_people()
    async with sessions.begin() as session:
        seed = await load_seed(session, data)
    server = FakeBotAPI(local_dir=tmp_path / "telegram-bot-api" if local_mode else None)
    await server.start()
    clock = Clock(now)
    deps = BotDeps(
        sessions=sessions,
        tz=VN,
        secret=b"scenario-secret",
        data_dir=tmp_path,
        clock=clock,
        max_download_bytes=None if local_mode else 20 * 1024 * 1024,
        check_recording=check_recording,
        draft_files=functools.partial(draft_files, sessions, VN),
    )
    pipeline = None
    if whisper_data_dir is not None:
        pipeline = RecordingPipeline(
            database_url=url,
            sessions=sessions,
            model="base",
            data_dir=whisper_data_dir,
            tz=VN,
            poll_seconds=0.2,
        )
        deps_overrides.setdefault("process_recording", pipeline.process)
    deps = replace(deps, **deps_overrides)
    application = build_application(
        deps,
        token=server.token,
        base_url=server.base_url,
        base_file_url=server.base_file_url,
        local_mode=local_mode,
    )
    users = {
        p["key"]: server.user(p.get("telegram_user_id") or 9999, p.get("full_name") or p["title"])
        for p in data["people"]
    }
    await application.initialize()
    assert application.post_init is not None
    await application.post_init(application)
    # The one outbox sender, as `diemcau run` has it: every message to a person goes through it.
    sender = OutboxSender(application.bot, sessions, clock=clock)
    application.bot_data[DEPS_KEY] = replace(deps, wake_outbox=sender.wake)
    sending = asyncio.create_task(sender.run(), name="outbox")
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0.0, timeout=1)
    try:
        yield Harness(server, application, sessions, seed, clock, users, tmp_path)
    finally:
        sender.stop()  # as the server stops it: the pass in progress ends, nothing is cut
        await asyncio.wait_for(sending, 30)
        await application.updater.stop()
        await application.stop()
        await application.shutdown()
        await server.stop()
        if pipeline is not None:
            pipeline.close()
        await async_engine.dispose()
