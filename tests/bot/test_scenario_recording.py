"""A file that is not a recording fails clearly, and is kept. (The recording that becomes
an approved draft is part of the main scenario in test_scenario_meeting.py.)"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from storage.models import (
    Recording,
    RecordingStatus,
)
from tests.bot.harness import running_bot
from tests.storage.factories import make_meeting

pytestmark = [pytest.mark.scenario, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "examples" / "sample-ket-luan.ogg"


async def test_a_file_that_is_not_audio_fails_clearly_and_is_kept(
    tmp_path: Path, now: datetime, model_data_dir: Path
) -> None:
    async with running_bot(tmp_path, now, whisper_data_dir=model_data_dir) as h:
        async with h.sessions.begin() as session:
            await make_meeting(session, h.seed, now=now, starts_in=timedelta(hours=1))
        h.clock.advance(timedelta(hours=3))
        secretary = h.user("secretary")
        await secretary.send_file(
            "Ghi chép cuộc họp, không phải ghi âm".encode(), "ghi-chep.txt", mime_type="text/plain"
        )
        await secretary.press("Phiên họp lần thứ 3")
        failed = await secretary.receive("Không chuyển được bản ghi thành văn bản", timeout=120)
        assert "Traceback" not in (failed.text or "")
        async with h.sessions() as session:
            recording = await session.scalar(select(Recording))
        assert recording is not None and recording.status == RecordingStatus.FAILED
        assert recording.error
        assert Path(recording.path).stat().st_size > 0  # nothing lost  # noqa: ASYNC240
        assert not any("DỰ THẢO" in t for t in secretary.texts())
