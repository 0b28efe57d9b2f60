"""The fake Bot API speaks enough Telegram for the real PTB client."""

from __future__ import annotations

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, RetryAfter

from tests.fakebotapi import FakeBotAPI


async def test_ptb_bot_sends_edits_and_downloads_through_the_fake() -> None:
    server = FakeBotAPI()
    await server.start()
    try:
        async with Bot(
            server.token, base_url=server.base_url, base_file_url=server.base_file_url
        ) as bot:
            me = await bot.get_me()
            assert me.username == "diemcau_test_bot"
            markup = InlineKeyboardMarkup([[InlineKeyboardButton("Tham dự", callback_data="a:1")]])
            sent = await bot.send_message(42, "Giấy mời họp", reply_markup=markup)
            await bot.edit_message_text(
                "Giấy mời họp (đã trả lời)", chat_id=42, message_id=sent.message_id
            )
            [message] = server.messages(42)
            assert message.text == "Giấy mời họp (đã trả lời)"
            assert message.edits == ["Giấy mời họp"]
            stored = server.add_file(b"RIFF....WAVE", "ghi-am.wav")
            file = await bot.get_file(stored.file_id)
            assert bytes(await file.download_as_bytearray()) == b"RIFF....WAVE"
            too_long = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="x" * 65)]])
            with pytest.raises(BadRequest):
                await bot.send_message(42, "x", reply_markup=too_long)
    finally:
        await server.stop()


async def test_the_fake_answers_429_when_a_chat_gets_two_messages_in_a_second() -> None:
    server = FakeBotAPI(enforce_limits=True)
    await server.start()
    try:
        async with Bot(server.token, base_url=server.base_url) as bot:
            await bot.send_message(7, "một")
            with pytest.raises(RetryAfter) as flood:
                await bot.send_message(7, "hai")
            assert flood.value.retry_after.total_seconds() >= 1  # type: ignore[union-attr]
            await bot.send_message(8, "khác chat thì được")
            assert server.flood_errors == 1
    finally:
        await server.stop()
