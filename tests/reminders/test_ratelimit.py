"""The flood limiter keeps a private chat to one message a second and waits out a 429."""

from __future__ import annotations

import time

from telegram.ext import ExtBot

from bot.ratelimit import FloodLimiter
from tests.fakebotapi import FakeBotAPI


async def test_two_messages_to_one_chat_go_a_second_apart_without_a_flood_error() -> None:
    server = FakeBotAPI(enforce_limits=True)
    await server.start()
    try:
        async with ExtBot(
            server.token, base_url=server.base_url, rate_limiter=FloodLimiter()
        ) as bot:
            await bot.send_message(7, "một")
            await bot.send_message(7, "hai")
            await bot.send_message(8, "khác chat")
        first, second = server.messages(7)
        assert second.sent_at - first.sent_at >= 1.0
        assert server.flood_errors == 0
    finally:
        await server.stop()


async def test_a_429_is_waited_out_and_the_message_sent_once() -> None:
    server = FakeBotAPI(enforce_limits=True)
    await server.start()
    try:
        assert server.limits is not None
        server.limits.accept(7, time.monotonic())  # someone else just wrote to this chat
        async with ExtBot(
            server.token, base_url=server.base_url, rate_limiter=FloodLimiter()
        ) as bot:
            await bot.send_message(7, "một lần thôi")
        assert server.flood_errors == 1
        assert [m.text for m in server.messages(7)] == ["một lần thôi"]
    finally:
        await server.stop()
