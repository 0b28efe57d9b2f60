"""Production mode: Telegram calls the aiohttp webhook; forged calls are refused."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from bot.app import build_application
from bot.common import BotDeps
from storage.db import create_all_sync, make_async_engine, make_async_sessionmaker, make_sync_engine
from storage.services.updates import first_delivery
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

        # Bodies that are not updates get 400, never a 5xx that Telegram would retry for ever.
        deep = b"[" * 100_000 + b"]" * 100_000
        hostile: list[bytes] = [
            b"[1,2]",
            b'"hi"',
            b"{}",
            b"null",
            b'{"update_id": "7"}',
            b'{"update_id": true}',
            b'{"update_id": 8, "message": "hi"}',
            deep,
            b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
            b"\xff\xfe not utf-8",
        ]
        for body in hostile:
            answer = await client.post(
                WEBHOOK_PATH,
                data=body,
                headers={SECRET_HEADER: "s3cr3t", "Content-Type": "application/json"},
            )
            assert answer.status == 400, (body[:40], answer.status)

        # A replayed update (Telegram retries, a restart) is answered 200 and handled once.
        for _ in range(3):
            again = await client.post(
                WEBHOOK_PATH, json=update_from_stranger(10), headers={SECRET_HEADER: "s3cr3t"}
            )
            assert again.status == 200
        fresh = await client.post(
            WEBHOOK_PATH, json=update_from_stranger(11), headers={SECRET_HEADER: "s3cr3t"}
        )
        assert fresh.status == 200
        await server.wait_for(lambda: len(server.messages(4242)) >= 3, what="the fresh update")
        # updates are handled in order: a replay of 10 would have answered before 11 did
        assert len(server.messages(4242)) == 3  # update 10 once, update 11 once
        # The ids seen are in the database: a restarted server drops the replay as well.
        other = make_async_engine(url)
        try:
            assert not await first_delivery(make_async_sessionmaker(other), 10, now=now)
            assert await first_delivery(make_async_sessionmaker(other), 12, now=now)
        finally:
            await other.dispose()
        await client.close()  # stops the bot inside the server's clean-up, before the engine
    finally:
        await server.stop()
        await async_engine.dispose()
