"""Recordings over the cloud Bot API's 20 MB are not lost: the bot says how to hand them over."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from storage.models import Recording
from tests.bot.harness import running_bot
from tests.storage.factories import make_meeting

pytestmark = pytest.mark.scenario


async def test_a_file_over_the_limit_gets_instructions_and_nothing_is_stored(
    tmp_path: Path, now: datetime
) -> None:
    async with running_bot(tmp_path, now, max_download_bytes=1024 * 1024) as h:
        async with h.sessions.begin() as session:
            # a meeting held this morning (scheduled the day before)
            await make_meeting(
                session, h.seed, now=now - timedelta(days=1), starts_in=timedelta(hours=22)
            )
        secretary = h.user("secretary")
        await secretary.send_file(
            b"\0" * (2 * 1024 * 1024 + 10),
            "phien-hop.mp4",
            kind="video",
            mime_type="video/mp4",
            duration=7200,
        )
        message = await secretary.receive("vượt giới hạn 20 MB")
        assert "Tệp chưa bị mất" in (message.text or "")
        assert str(tmp_path / "inbox") in (message.text or "")
        async with h.sessions() as session:
            assert await session.scalar(select(func.count()).select_from(Recording)) == 0

        # A participant cannot upload recordings at all.
        await h.user("u1_0").send_file(
            b"ID3....", "ghi-am.mp3", kind="audio", mime_type="audio/mpeg"
        )
        await h.user("u1_0").receive("không có quyền")
