"""``diemcau run`` wiring: settings → web server with the bot inside, polling the Bot API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from diemcau.commands.run import build_web_app
from diemcau.settings import Settings
from storage import migrate
from tests.fakebotapi import FakeBotAPI

pytestmark = pytest.mark.scenario


async def test_run_starts_the_bot_in_the_web_server(aiohttp_client: Any, tmp_path: Path) -> None:
    server = FakeBotAPI()
    await server.start()
    try:
        settings = Settings(
            _env_file=None,
            data_dir=tmp_path,  # type: ignore[call-arg]
            telegram_token=server.token,
            telegram_base_url=server.base_url,
        )
        assert settings.telegram_file_url == server.base_file_url
        assert not settings.uses_cloud_bot_api
        migrate.upgrade(settings.effective_database_url)
        client = await aiohttp_client(build_web_app(settings))
        assert (await client.get("/healthz")).status == 200
        stranger = server.user(31337, "Khách")
        await stranger.send("/start")
        await stranger.receive("chưa được đăng ký")
        await client.close()
    finally:
        await server.stop()
