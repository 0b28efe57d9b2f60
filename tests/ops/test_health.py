"""Liveness, readiness and metrics: what monitoring sees, and that it sees no internals."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text, update
from telegram.ext import ExtBot

from bot.ratelimit import FloodLimiter
from diemcau.commands.run import build_web_app
from diemcau.metrics import telegram_families
from diemcau.settings import Settings
from storage import migrate
from storage.db import make_async_engine, make_async_sessionmaker, make_sync_engine
from storage.models import Notification, NotificationState, Recording, RecordingStatus
from storage.services.recordings import enqueue_recording
from tests.conftest import BACKENDS, VN, empty_database_url
from tests.fakebotapi import FakeBotAPI
from tests.storage.factories import make_committee
from web.app import init_app
from web.health import render

TOKEN = "s3cret-metrics-token"
BEARER = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    for url in empty_database_url(request.param, tmp_path, "health"):
        migrate.upgrade(url)
        yield url


def samples(body: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a Prometheus text exposition, parsed by Prometheus' own parser."""
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(body)
        for s in family.samples
    }


async def test_liveness_shows_nothing_and_readiness_names_only_the_component(
    aiohttp_client: Any, tmp_path: Path
) -> None:
    # A directory cannot be opened as an SQLite file: the process lives, but is not ready.
    client = await aiohttp_client(init_app(f"sqlite+aiosqlite:///{tmp_path}", VN))
    live = await client.get("/healthz")
    assert live.status == 200 and await live.json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status == 503
    assert await ready.json() == {
        "status": "not ready",
        "database": "unavailable",
        "queue": "off",
        "telegram": "off",
    }
    assert str(tmp_path) not in await ready.text()


async def test_ready_without_the_bot(aiohttp_client: Any, database: str) -> None:
    client = await aiohttp_client(init_app(database, VN))
    ready = await client.get("/readyz")
    assert ready.status == 200
    assert await ready.json() == {
        "status": "ready",
        "database": "ok",
        "queue": "off",
        "telegram": "off",
    }


async def test_metrics_need_the_token_and_are_off_without_one(
    aiohttp_client: Any, database: str
) -> None:
    off = await aiohttp_client(init_app(database, VN))
    assert (await off.get("/metrics", headers=BEARER)).status == 404
    on = await aiohttp_client(init_app(database, VN, metrics_token=TOKEN))
    assert (await on.get("/metrics")).status == 401
    wrong = await on.get("/metrics", headers={"Authorization": "Bearer nope"})
    assert wrong.status == 401 and "diemcau_" not in await wrong.text()
    assert (await on.get("/metrics", headers=BEARER)).status == 200


async def test_metrics_count_jobs_audio_and_reminders_from_the_database(
    aiohttp_client: Any, database: str
) -> None:
    now = datetime.now(VN)
    engine = make_async_engine(database)
    async with make_async_sessionmaker(engine).begin() as session:
        made = {}
        for n, (status, duration, attempts) in enumerate(
            [
                (RecordingStatus.SENT, 600.0, 1),
                (RecordingStatus.DRAFTED, 90.5, 2),  # retried once
                (RecordingStatus.QUEUED, 1200.0, 0),  # not transcribed yet: no audio counted
                (RecordingStatus.FAILED, 30.0, 3),
            ]
        ):
            recording = await enqueue_recording(
                session, meeting_id=None, path=f"/r/{n}.ogg", original_name=None,
                sha256=f"{n:064d}", size_bytes=1, uploaded_by_id=None, now=now,
            )  # fmt: skip
            made[recording.id] = (status, duration, attempts)
        await session.flush()
        for rid, (status, duration, attempts) in made.items():
            await session.execute(
                update(Recording)
                .where(Recording.id == rid)
                .values(status=status, duration_s=duration, attempts=attempts)
            )
        for person, state in ((1, NotificationState.SENT), (2, NotificationState.SENT),
                              (3, NotificationState.BLOCKED)):  # fmt: skip
            session.add(
                Notification(kind="meeting.day_before", subject="meeting:1",
                             recipient=f"person:{person}", moment=now, state=state, sent_at=now)
            )  # fmt: skip
        session.add(
            Notification(kind="task.overdue", subject="task:1", recipient="person:1",
                         moment=now, state=NotificationState.DROPPED, sent_at=now)
        )  # fmt: skip
    await engine.dispose()
    # Two reminders came due and wait for the sender, and a message that is no reminder was
    # sent; written as stored strings, whatever states this version's enum knows.
    sync = make_sync_engine(database)
    with sync.begin() as connection:
        for kind, recipient, state in (
            ("meeting.hour_before", "person:1", "pending"),
            ("meeting.hour_before", "person:2", "sending"),
            ("invitation", "person:1", "sent"),
        ):
            connection.execute(
                text("INSERT INTO notifications (kind, subject, recipient, moment, state, sent_at)"
                     " VALUES (:kind, 'meeting:1', :recipient, :moment, :state, :moment)"),
                {"kind": kind, "recipient": recipient, "state": state, "moment": now},
            )  # fmt: skip
    sync.dispose()

    client = await aiohttp_client(init_app(database, VN, metrics_token=TOKEN))
    response = await client.get("/metrics", headers=BEARER)
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    got = samples(await response.text())
    assert got[("diemcau_recordings", (("status", "queued"),))] == 1
    assert got[("diemcau_recordings", (("status", "failed"),))] == 1
    assert got[("diemcau_recordings", (("status", "transcribing"),))] == 0
    assert got[("diemcau_transcription_runs_total", ())] == 6
    assert got[("diemcau_transcribed_audio_seconds_total", ())] == pytest.approx(690.5)
    reminders = (("kind", "meeting.day_before"), ("state", "sent"))
    assert got[("diemcau_reminders", reminders)] == 2
    blocked = (("kind", "meeting.day_before"), ("state", "blocked"))
    assert got[("diemcau_reminders", blocked)] == 1
    dropped = (("kind", "task.overdue"), ("state", "dropped"))
    assert got[("diemcau_reminders", dropped)] == 1
    assert not [key for key in got if ("kind", "invitation") in key[1]]  # not a reminder
    assert got[("diemcau_reminders_due", ())] == 2  # pending and being sent
    assert got[("diemcau_messages", (("state", "sent"),))] == 3  # two reminders, the invitation
    assert got[("diemcau_messages", (("state", "pending"),))] == 1


async def test_the_sender_counts_messages_and_429s() -> None:
    server = FakeBotAPI(enforce_limits=True)
    await server.start()
    try:
        assert server.limits is not None
        # Someone else's message to this chat counts as sent 3 s from now: the first try is
        # refused with a 429 however slowly this machine gets there.
        server.limits.accept(7, time.monotonic() + 3)
        limiter = FloodLimiter()
        async with ExtBot(server.token, base_url=server.base_url, rate_limiter=limiter) as bot:
            await bot.send_message(7, "một")
            await bot.send_message(8, "hai")
            await bot.get_me()  # not a message
        assert server.flood_errors == 1
        got = samples(render(telegram_families(limiter)).decode())
        assert got[("diemcau_telegram_messages_sent_total", ())] == 2
        assert got[("diemcau_telegram_flood_errors_total", ())] == 1
    finally:
        await server.stop()


async def test_the_server_reports_ready_once_telegram_answers(
    aiohttp_client: Any, tmp_path: Path
) -> None:
    """The whole ``diemcau run`` wiring: database, the queue's sweep and the bot all "ok",
    and the bot's replies counted in /metrics."""
    server = FakeBotAPI()
    await server.start()
    try:
        settings = Settings(
            _env_file=None,
            data_dir=tmp_path,  # type: ignore[call-arg]
            telegram_token=server.token,
            telegram_base_url=server.base_url,
            metrics_token=TOKEN,
        )
        url = settings.effective_database_url
        migrate.upgrade(url)
        engine = make_async_engine(url)
        async with make_async_sessionmaker(engine).begin() as session:
            await make_committee(session)
        await engine.dispose()
        client = await aiohttp_client(build_web_app(settings))
        deadline = time.monotonic() + 20
        while (ready := await client.get("/readyz")).status != 200:
            assert time.monotonic() < deadline, await ready.text()
            await asyncio.sleep(0.1)
        assert await ready.json() == {
            "status": "ready",
            "database": "ok",
            "queue": "ok",
            "telegram": "ok",
        }
        stranger = server.user(31337, "Khách")
        await stranger.send("/start")
        await stranger.receive("chưa được đăng ký")
        got = samples(await (await client.get("/metrics", headers=BEARER)).text())
        assert got[("diemcau_telegram_messages_sent_total", ())] >= 1
        assert got[("diemcau_telegram_flood_errors_total", ())] == 0
        assert got[("diemcau_recordings", (("status", "queued"),))] == 0
        await client.close()
    finally:
        await server.stop()
