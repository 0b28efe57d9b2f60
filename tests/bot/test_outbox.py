"""The outbox sender against the fake Bot API: what each kind of failure leaves in the log, and
that nothing whose delivery is unknown is sent twice."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import ExtBot
from telegram.request import HTTPXRequest

from bot.outbox import FIRST_PAUSE, OutboxSender
from storage.db import create_all_sync, make_async_engine, make_async_sessionmaker, make_sync_engine
from storage.models import Notification, NotificationState
from storage.services.notifications import NotificationKey, OutgoingMessage, enqueue
from tests.fakebotapi import FakeBotAPI


@dataclass
class Box:
    sessions: async_sessionmaker[AsyncSession]
    server: FakeBotAPI
    sender: OutboxSender
    clock: list[datetime]

    async def write(self, *chats: int) -> None:
        moment = self.clock[0]
        async with self.sessions.begin() as session:
            await enqueue(
                session,
                [
                    OutgoingMessage(
                        NotificationKey("test.note", f"note:{chat}", f"chat:{chat}", moment),
                        chat,
                        f"Thông báo cho {chat}",
                    )
                    for chat in chats
                ],
                now=moment,
            )

    async def states(self) -> dict[int | None, NotificationState]:
        async with self.sessions() as session:
            rows = await session.scalars(select(Notification).order_by(Notification.id))
            return {r.chat_id: r.state for r in rows}


@pytest.fixture
async def box(tmp_path: Path, now: datetime) -> AsyncIterator[Box]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'outbox.db'}"
    engine = make_sync_engine(url)
    create_all_sync(engine)
    engine.dispose()
    async_engine = make_async_engine(url)
    sessions = make_async_sessionmaker(async_engine)
    server = FakeBotAPI()
    await server.start()
    clock = [now]
    # A short read timeout: a reply that never comes is given up on in a second.
    request = HTTPXRequest(read_timeout=1.0, connect_timeout=1.0)
    bot = ExtBot(server.token, base_url=server.base_url, request=request)
    await bot.initialize()
    try:
        yield Box(sessions, server, OutboxSender(bot, sessions, clock=lambda: clock[0]), clock)
    finally:
        await bot.shutdown()
        await server.stop()
        await async_engine.dispose()


async def test_a_send_whose_reply_never_comes_is_in_doubt_and_not_sent_again(box: Box) -> None:
    box.server.withhold_replies.add(11)
    await box.write(11, 12)
    report = await box.sender.drain()
    assert report.counts == {"in_doubt": 1, "sent": 1}
    assert await box.states() == {11: NotificationState.IN_DOUBT, 12: NotificationState.SENT}
    box.server.withhold_replies.clear()
    box.clock[0] += timedelta(hours=2)
    assert (await box.sender.drain()).counts == {}  # nothing is due: the doubt is final
    await box.sender.recover()  # a restart changes nothing either
    assert (await box.sender.drain()).counts == {}
    assert [len(box.server.messages(c)) for c in (11, 12)] == [1, 1]  # it did arrive, once


async def test_blocked_missing_and_unreachable_recipients_hold_up_nobody(box: Box) -> None:
    box.server.blocked.add(21)
    box.server.missing_chats.add(22)
    real_send = box.server._api_sendmessage
    refusals = {23: 1}

    async def bad_gateway_once(params: dict[str, object], uploads: dict[str, bytes]) -> object:
        from tests.fakebotapi import ApiError

        chat = int(str(params["chat_id"]))
        if refusals.get(chat):
            refusals[chat] -= 1
            raise ApiError(502, "Bad Gateway")  # an answer came: it was not sent
        return await real_send(params, uploads)  # type: ignore[arg-type]

    box.server._api_sendmessage = bad_gateway_once  # type: ignore[method-assign]
    await box.write(21, 22, 23, 24)
    first = await box.sender.drain()
    assert first.counts == {"blocked": 1, "failed": 1, "retry": 1, "sent": 1}
    assert await box.states() == {
        21: NotificationState.BLOCKED,
        22: NotificationState.FAILED,
        23: NotificationState.PENDING,
        24: NotificationState.SENT,
    }
    assert (await box.sender.drain()).counts == {}  # the retry waits for its pause
    box.clock[0] += FIRST_PAUSE
    assert (await box.sender.drain()).counts == {"sent": 1}
    assert [len(box.server.messages(c)) for c in (21, 22, 23, 24)] == [0, 0, 1, 1]
    # A recipient who blocked the bot is not called again for a week.
    box.clock[0] += timedelta(minutes=1)
    await box.write(21)
    assert (await box.sender.drain()).counts == {"blocked": 1}
    calls = [p for name, p in box.server.calls if name == "sendMessage"]
    assert sum(1 for p in calls if int(p["chat_id"]) == 21) == 1
