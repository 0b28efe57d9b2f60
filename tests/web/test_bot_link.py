"""The whole sign-in journey: /web in the (real PTB) bot, the link it sends, the web office."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from aiohttp import CookieJar
from aiohttp.test_utils import TestClient, TestServer

from bot.handlers.web import WEB_URL_KEY
from tests.bot.harness import running_bot
from tests.conftest import VN
from web.app import init_app

pytestmark = pytest.mark.scenario


async def test_web_command_sends_a_link_that_signs_in_once(tmp_path: Path, now: datetime) -> None:
    async with running_bot(tmp_path, now) as h:
        server = TestServer(
            init_app(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}", VN, clock=h.clock)
        )
        await server.start_server()
        origin = str(server.make_url("/")).rstrip("/")
        h.application.bot_data[WEB_URL_KEY] = origin + "/"
        client = TestClient(
            server, cookie_jar=CookieJar(unsafe=True, treat_as_secure_origin=[origin])
        )
        await client.start_server()
        try:
            secretary = h.user("secretary")
            await secretary.send("/web")
            message = await secretary.receive("Đường dẫn đăng nhập")
            assert "10 phút" in (message.text or "")
            link = re.search(r"(http://\S+/login/[\w-]+)", message.text or "")
            assert link is not None
            path = link[1].removeprefix(origin)

            page = await client.get(path)
            nonce = (await page.text()).split('name="nonce" value="')[1].split('"')[0]
            signed = await client.post(path, data={"nonce": nonce})
            assert signed.status == 200 and "Chánh Văn phòng" in await signed.text()

            # The same link a second time, even from the same browser, opens nothing.
            page = await client.get(path)
            nonce = (await page.text()).split('name="nonce" value="')[1].split('"')[0]
            again = await client.post(path, data={"nonce": nonce})
            assert again.status == 400

            # A link not used within ten minutes expires.
            await secretary.send("/web")

            def links() -> list[str] | None:
                texts = [m.text or "" for m in secretary.inbox if "/login/" in (m.text or "")]
                return texts if len(texts) == 2 else None

            later = await h.server.wait_for(links, timeout=10, what="a second link")
            h.clock.advance(timedelta(minutes=11))
            stale = re.search(r"(http://\S+/login/[\w-]+)", later[-1])
            assert stale is not None and stale[1] != link[1]
            stale_path = stale[1].removeprefix(origin)
            page = await client.get(stale_path)
            nonce = (await page.text()).split('name="nonce" value="')[1].split('"')[0]
            assert (await client.post(stale_path, data={"nonce": nonce})).status == 400

            stranger = h.server.user(5555, "Người lạ")
            await stranger.send("/web")
            await stranger.receive("chưa được đăng ký")
            assert not any("/login/" in (m.text or "") for m in stranger.inbox)
        finally:
            await client.close()
