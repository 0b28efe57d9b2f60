"""In webhook mode the server registers its webhook (with the secret) and publishes the
command menu once Telegram answers, however late that is."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from diemcau.commands.run import build_web_app
from diemcau.settings import Settings
from storage import migrate
from tests.fakebotapi import FakeBotAPI
from tests.ops.processes import free_port


async def test_the_webhook_is_registered_once_telegram_answers(
    aiohttp_client: Any, tmp_path: Path
) -> None:
    port = free_port()
    settings = Settings(
        _env_file=None,
        data_dir=tmp_path,  # type: ignore[call-arg]
        telegram_token="123456:TEST-TOKEN",
        telegram_base_url=f"http://127.0.0.1:{port}/bot",
        telegram_webhook_url="https://diemcau.example.gov.vn",
        telegram_webhook_secret="s3cret",
    )
    migrate.upgrade(settings.effective_database_url)
    client = await aiohttp_client(build_web_app(settings))
    assert (await client.get("/healthz")).status == 200  # Telegram not there yet
    fake = FakeBotAPI()
    await fake.start(port=port)
    try:
        for _ in range(100):
            if fake.webhook_url is not None:
                break
            await asyncio.sleep(0.1)
        assert fake.webhook_url == "https://diemcau.example.gov.vn/telegram/webhook"
        assert fake.webhook_secret == "s3cret"
        assert [c["command"] for c in fake.commands["default"]][:2] == ["lichhop", "nhiemvu"]
    finally:
        await client.close()
        await fake.stop()
