"""``diemcau run`` wiring: settings → web server with the bot inside, polling the Bot API."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from diemcau.commands.run import REMINDERS, build_web_app
from diemcau.media import check_recording
from diemcau.settings import Settings
from storage import migrate
from storage.db import make_async_engine, make_async_sessionmaker, make_sync_engine
from storage.migrate import include_object
from storage.models import Base
from tests.conftest import VN
from tests.fakebotapi import FakeBotAPI
from tests.storage.factories import make_committee, make_meeting
from web.uploads import INTAKE

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
        assert settings.max_download_bytes == 20 * 1024 * 1024  # the cloud API's limit
        url = settings.effective_database_url
        migrate.upgrade(url)
        engine = make_async_engine(url)
        async with make_async_sessionmaker(engine).begin() as session:
            seed = await make_committee(session)
            meeting = await make_meeting(session, seed, now=datetime.now(VN))
        await engine.dispose()
        client = await aiohttp_client(build_web_app(settings))
        assert (await client.get("/healthz")).status == 200
        # A recording uploaded on the web goes to the same checks and the same pipeline.
        intake = client.app[INTAKE]
        assert intake.data_dir == tmp_path and intake.check_media is check_recording
        assert intake.on_added is not None
        stranger = server.user(31337, "Khách")
        await stranger.send("/start")
        await stranger.receive("chưa được đăng ký")
        # The one reminder loop started with the server and planned the meeting's reminders
        # from the application's own database.
        reminders = client.server.app[REMINDERS]
        assert reminders.running
        assert [s for s in reminders.upcoming if s.startswith("meeting:")] == [
            f"meeting:{meeting.id}"
        ]
        # ...and the migrations still see no difference with the models.
        sync = make_sync_engine(url)
        with sync.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "include_object": include_object}
            )
            assert compare_metadata(context, Base.metadata) == []
        await client.close()
    finally:
        await server.stop()


def test_local_mode_lifts_the_download_limit() -> None:
    local = Settings(_env_file=None, telegram_local_mode=True)  # type: ignore[call-arg]
    assert local.max_download_bytes is None
