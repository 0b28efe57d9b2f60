"""Recordings of a real session (100 MB to 2 GB) reach the bot: over the cloud Bot API's 20 MB
the bot names ways that work; through a local Bot API server (local mode) a big file is read
from the shared disk, stored and queued like any other."""

from __future__ import annotations

import asyncio
import hashlib
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from storage.models import Recording, RecordingStatus
from tests.bot.harness import running_bot
from tests.storage.factories import make_meeting

pytestmark = pytest.mark.scenario


def tone(path: Path, seconds: int) -> Path:
    """A real WAV recording, large and quick to make: 44.1 kHz stereo, about 10 MB a minute."""
    command = ["sox", "-n", "-r", "44100", "-c", "2", "-b", "16", str(path)]
    subprocess.run([*command, "synth", str(seconds), "sine", "440"], check=True)
    return path


async def test_a_file_over_the_cloud_limit_gets_ways_that_work_and_nothing_is_stored(
    tmp_path: Path, now: datetime
) -> None:
    async with running_bot(tmp_path, now, max_download_bytes=1024 * 1024) as h:
        async with h.sessions.begin() as session:
            # a meeting held this morning (scheduled the day before)
            meeting = await make_meeting(
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
        message = await secretary.receive("vượt giới hạn 1 MB")
        text = message.text or ""
        assert "Tệp chưa bị mất" in text
        # the command, with this meeting's number filled in for its --meeting
        assert "diemcau recording add <tệp> --meeting <số phiên họp>" in text
        assert f"- số {meeting.id}: 26/11 07:00 — Phiên họp lần thứ 3" in text
        assert "Bot API cục bộ" in text and "2 GB" in text
        assert "inbox" not in text  # a folder nothing reads is no way at all
        async with h.sessions() as session:
            assert await session.scalar(select(func.count()).select_from(Recording)) == 0

        # A participant cannot upload recordings at all.
        await h.user("u1_0").send_file(
            b"ID3....", "ghi-am.mp3", kind="audio", mime_type="audio/mpeg"
        )
        await h.user("u1_0").receive("không có quyền")


async def test_in_local_mode_a_file_over_20_mb_is_stored_and_queued(
    tmp_path: Path, now: datetime
) -> None:
    source = tone(tmp_path / "phien-hop.wav", 130)
    assert source.stat().st_size > 20 * 1024 * 1024
    started: list[int] = []
    release = asyncio.Event()

    async def process(recording_id: int, on_progress: object, **_: object) -> None:
        started.append(recording_id)
        await release.wait()  # the queue's consumer; transcription is tested elsewhere
        raise RuntimeError("not transcribed in this test")

    async with running_bot(tmp_path, now, local_mode=True, process_recording=process) as h:
        assert h.application.bot.local_mode
        async with h.sessions.begin() as session:
            await make_meeting(session, h.seed, now=now, starts_in=timedelta(hours=1))
        h.clock.advance(timedelta(hours=3))
        secretary = h.user("secretary")
        sent = await secretary.send_file(source, source.name, kind="audio", mime_type="audio/wav")
        assert sent.local_path is not None and sent.size == source.stat().st_size
        await secretary.press("26/11 10:00 — Phiên họp lần thứ 3")
        await secretary.receive("Đang chuyển giọng nói thành văn bản… 0%")
        await h.server.wait_for(lambda: started, what="the recording to be started")

        async with h.sessions() as session:
            recording = await session.scalar(select(Recording))
        assert recording is not None and started == [recording.id]
        assert recording.status == RecordingStatus.QUEUED
        digest = hashlib.sha256(source.read_bytes()).hexdigest()
        assert recording.sha256 == digest and recording.size_bytes == source.stat().st_size
        assert Path(recording.path) == h.data_dir / "recordings" / digest
        # getFile answered with an absolute path, and the bot read it from disk: the file
        # endpoint of the (fake) server was never asked for it.
        get_file = [params for name, params in h.server.calls if name == "getFile"]
        assert get_file and get_file[0]["file_id"] == sent.file_id
        assert h.server.file_downloads == []

        # The same recording sent again: refused, naming the first, nothing queued twice.
        await secretary.send_file(source, "ban-sao.wav", kind="audio", mime_type="audio/wav")
        await secretary.press("26/11 10:00 — Phiên họp lần thứ 3")
        refused = await secretary.receive("Bản ghi này đã có")
        assert f"bản ghi số {recording.id}, phiên họp “Phiên họp lần thứ 3”" in (refused.text or "")
        async with h.sessions() as session:
            assert await session.scalar(select(func.count()).select_from(Recording)) == 1
        assert started == [recording.id]
        release.set()
        await secretary.receive("Không chuyển được bản ghi thành văn bản")


async def test_a_file_that_is_not_audio_is_refused_at_once_and_nothing_is_kept(
    tmp_path: Path, now: datetime
) -> None:
    async with running_bot(tmp_path, now) as h:
        async with h.sessions.begin() as session:
            await make_meeting(session, h.seed, now=now, starts_in=timedelta(hours=1))
        h.clock.advance(timedelta(hours=3))
        secretary = h.user("secretary")
        await secretary.send_file(
            "Ghi chép cuộc họp, không phải ghi âm".encode(), "ghi-chep.txt", mime_type="text/plain"
        )
        await secretary.press("26/11 10:00 — Phiên họp lần thứ 3")
        refused = await secretary.receive("Tệp không dùng được làm bản ghi")
        assert h.server.file_downloads  # the cloud API hands files over by URL
        assert "không phải âm thanh/video" in (refused.text or "")
        assert "Traceback" not in (refused.text or "") and ".partial" not in (refused.text or "")
        async with h.sessions() as session:
            assert await session.scalar(select(func.count()).select_from(Recording)) == 0
        recordings = h.data_dir / "recordings"
        assert not recordings.exists() or list(recordings.iterdir()) == []


async def test_in_local_mode_a_path_this_machine_cannot_read_is_told_not_fetched(
    tmp_path: Path, now: datetime
) -> None:
    """The server's volume not mounted in the app: one clear line, no traceback, no row."""
    async with running_bot(tmp_path, now, local_mode=True) as h:
        async with h.sessions.begin() as session:
            await make_meeting(session, h.seed, now=now, starts_in=timedelta(hours=1))
        h.clock.advance(timedelta(hours=3))
        secretary = h.user("secretary")
        sent = await secretary.send_file(b"RIFF....", "ghi-am.wav", kind="audio")
        assert sent.local_path is not None
        sent.local_path.unlink()  # as the app sees it without the shared volume
        await secretary.press("26/11 10:00 — Phiên họp lần thứ 3")
        await secretary.receive("chưa đọc được tệp từ máy chủ Bot API cục bộ")
        assert h.server.file_downloads == []
        async with h.sessions() as session:
            assert await session.scalar(select(func.count()).select_from(Recording)) == 0
