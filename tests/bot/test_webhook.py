"""Production mode: Telegram calls the aiohttp webhook; forged calls are refused."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from bot.app import build_application
from bot.common import BotDeps
from storage.db import create_all_sync, make_async_engine, make_async_sessionmaker, make_sync_engine
from tests.conftest import VN
from tests.fakebotapi import FakeBotAPI
from web.app import SECRET_HEADER, WEBHOOK_PATH, init_app

pytestmark = pytest.mark.scenario


def update_from_stranger(update_id: int) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": 1764120000,
            "text": "/lichhop",
            "entities": [{"type": "bot_command", "offset": 0, "length": 8}],
            "chat": {"id": 4242, "type": "private", "first_name": "Lạ"},
            "from": {"id": 4242, "is_bot": False, "first_name": "Lạ"},
        },
    }


async def test_webhook_checks_the_secret_token(
    aiohttp_client: Any, tmp_path: Path, now: datetime
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'hook.db'}"
    engine = make_sync_engine(url)
    create_all_sync(engine)
    engine.dispose()
    async_engine = make_async_engine(url)
    server = FakeBotAPI()
    await server.start()
    deps = BotDeps(
        sessions=make_async_sessionmaker(async_engine),
        tz=VN,
        secret=b"s",
        data_dir=tmp_path,
        clock=lambda: now,
    )
    telegram = build_application(deps, token=server.token, base_url=server.base_url, polling=False)
    try:
        client = await aiohttp_client(init_app(url, VN, telegram=telegram, webhook_secret="s3cr3t"))
        forged = await client.post(
            WEBHOOK_PATH, json=update_from_stranger(1), headers={SECRET_HEADER: "s3cr3u"}
        )
        assert forged.status == 403
        missing = await client.post(WEBHOOK_PATH, json=update_from_stranger(2))
        assert missing.status == 403
        not_json = await client.post(WEBHOOK_PATH, data=b"{", headers={SECRET_HEADER: "s3cr3t"})
        assert not_json.status == 400
        good = await client.post(
            WEBHOOK_PATH, json=update_from_stranger(3), headers={SECRET_HEADER: "s3cr3t"}
        )
        assert good.status == 200
        reply = await server.user(4242, "Lạ").receive("chưa được đăng ký")
        assert reply.chat_id == 4242
        assert len(server.messages(4242)) == 1  # the forged calls produced nothing
        await client.close()  # stops the bot inside the server's clean-up, before the engine
    finally:
        await server.stop()
        await async_engine.dispose()
