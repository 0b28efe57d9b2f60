"""The recording page and its audio: the transcript's segments seek the audio, the audio is
served with HTTP Range (206), only to the secretariat and leadership of the meeting's
committee, never from a path outside the recordings; and the draft editor plays the seconds
each task came from."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiohttp import CookieJar
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import update

from diemcau.media import check_recording
from storage.db import make_async_engine, make_async_sessionmaker
from storage.models import Recording, TranscriptSegment
from storage.services.drafts import create_draft
from storage.services.intake import file_chunks, take_in
from tests.conftest import VN
from tests.web.conftest import Client, Office, draft_content, sign_in
from tests.web.uploading import office_app, tone_wav

SEGMENTS = [
    (0.0, 4.5, "Kính thưa các đồng chí, phiên họp bắt đầu."),
    (4.5, 9.0, "Đơn vị tư vấn báo cáo dự thảo quy hoạch."),
    (9.0, 14.0, "ĐV1 hoàn thiện báo cáo trước ngày 20/12/2026."),
]


@dataclass
class Heard:
    client: Client
    recording_id: int
    draft_id: int
    audio: bytes


@pytest.fixture
async def heard(office: Office, tmp_path: Path) -> AsyncIterator[Heard]:
    """A recording of the upcoming meeting taken in as a chat upload is, its transcript, and a
    draft from it whose second task was said at 9.5 s."""
    data_dir = tmp_path / "data"
    wav = tone_wav(tmp_path / "phien.wav", seconds=15.0)
    engine = make_async_engine(office.url)
    sessions = make_async_sessionmaker(engine)
    recording = await take_in(
        sessions,
        file_chunks(wav),
        data_dir=data_dir,
        meeting_id=office.meeting,
        original_name="phiên họp.wav",
        uploaded_by_id=office.people["secretary"],
        now=office.now,
        tz=VN,
        check_media=check_recording,
    )
    content = draft_content()
    content["tasks"][1]["start"] = 9.5
    async with sessions.begin() as session:
        for seq, (start, end, text) in enumerate(SEGMENTS):
            session.add(
                TranscriptSegment(
                    recording_id=recording.id, seq=seq, start=start, end=end, text=text
                )
            )
        draft = await create_draft(
            session,
            content=content,
            now=office.now,
            meeting_id=office.meeting,
            recording_id=recording.id,
        )
    await engine.dispose()
    server = TestServer(office_app(office, data_dir, []))
    await server.start_server()
    origin = str(server.make_url("/")).rstrip("/")
    client = TestClient(server, cookie_jar=CookieJar(unsafe=True, treat_as_secure_origin=[origin]))
    await client.start_server()
    try:
        yield Heard(client, recording.id, draft.id, wav.read_bytes())
    finally:
        await client.close()


async def test_the_transcript_seeks_the_audio(heard: Heard, office: Office) -> None:
    await sign_in(heard.client, office, "secretary")
    page = await heard.client.get(f"/recordings/{heard.recording_id}")
    assert page.status == 200
    body = await page.text()
    assert f'src="/recordings/{heard.recording_id}/audio"' in body
    starts = re.findall(r'class="plain seek" data-start="([\d.]+)"', body)
    assert starts == ["0.0", "4.5", "9.0"]
    assert "ĐV1 hoàn thiện báo cáo trước ngày 20/12/2026." in body
    assert "▶ 0:09" in body and 'src="/static/recording.js"' in body

    meeting = await (await heard.client.get(f"/meetings/{office.meeting}")).text()
    assert f'href="/recordings/{heard.recording_id}"' in meeting
    assert "chờ chép lời" in meeting
    progress = await heard.client.get(f"/recordings/{heard.recording_id}/progress")
    assert await progress.json() == {
        "id": heard.recording_id,
        "status": "queued",
        "status_vi": "chờ chép lời",
        "percent": 0,
    }


async def test_the_audio_answers_ranges(heard: Heard, office: Office) -> None:
    await sign_in(heard.client, office, "chair")  # leadership hears it too
    url = f"/recordings/{heard.recording_id}/audio"
    whole = await heard.client.get(url)
    assert whole.status == 200
    assert whole.headers["Accept-Ranges"] == "bytes"
    assert whole.headers["Content-Type"] == "audio/x-wav"
    assert await whole.read() == heard.audio

    part = await heard.client.get(url, headers={"Range": "bytes=100-1099"})
    assert part.status == 206
    assert part.headers["Content-Range"] == f"bytes 100-1099/{len(heard.audio)}"
    assert await part.read() == heard.audio[100:1100]

    tail = await heard.client.get(url, headers={"Range": "bytes=-500"})
    assert tail.status == 206 and await tail.read() == heard.audio[-500:]

    beyond = await heard.client.get(url, headers={"Range": f"bytes={len(heard.audio) + 10}-"})
    assert beyond.status == 416


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("nobody", 401),
        ("secretary", 200),
        ("chair", 200),
        ("u1_0", 403),
        ("coord1", 403),
        ("outsider", 404),
    ],
)
async def test_who_hears_a_recording(heard: Heard, office: Office, who: str, status: int) -> None:
    if who != "nobody":
        await sign_in(heard.client, office, who)
    for path in ("", "/audio", "/progress"):
        response = await heard.client.get(f"/recordings/{heard.recording_id}{path}")
        assert response.status == status, path
        if status != 200:
            text = await response.text()
            assert "phiên họp.wav" not in text and "Kính thưa" not in text
    missing = await heard.client.get("/recordings/999999/audio")
    assert missing.status == (401 if who == "nobody" else 404)


async def test_paths_outside_the_recordings_are_refused(heard: Heard, office: Office) -> None:
    await sign_in(heard.client, office, "secretary")
    for path in (
        "/recordings/..%2F..%2F..%2Fetc%2Fpasswd/audio",
        "/recordings/%2E%2E/%2E%2E/etc/passwd",
        "/recordings/1/../../../etc/passwd",
        "/static/..%2F..%2Fpyproject.toml",
        "/static/../app.py",
        "/static/%2e%2e/app.py",
    ):
        response = await heard.client.get(path)
        assert response.status in (403, 404), path
        assert "root:" not in await response.text() and "[project]" not in await response.text()

    # A row naming a file outside the data directory is not served, whoever edited it.
    engine = make_async_engine(office.url)
    async with make_async_sessionmaker(engine).begin() as session:
        await session.execute(
            update(Recording).where(Recording.id == heard.recording_id).values(path="/etc/passwd")
        )
    await engine.dispose()
    response = await heard.client.get(f"/recordings/{heard.recording_id}/audio")
    assert response.status == 404
    assert "root:" not in await response.text()
    page = await (await heard.client.get(f"/recordings/{heard.recording_id}")).text()
    assert "<audio" not in page and "không còn trên máy chủ" in page


async def test_each_drafted_task_plays_the_seconds_it_came_from(
    heard: Heard, office: Office
) -> None:
    await sign_in(heard.client, office, "secretary")
    page = await (await heard.client.get(f"/drafts/{heard.draft_id}")).text()
    assert (
        f'id="player" controls preload="metadata" src="/recordings/{heard.recording_id}/audio"'
        in page
    )
    clips = dict(re.findall(r'id="clip-(\d+)" data-start="([\d.]+)" data-end="[\d.]+"', page))
    assert clips == {"0": "95.0", "1": "9.5"}
    # The second task was said inside the third segment: it plays to that segment's end.
    assert 'id="clip-1" data-start="9.5" data-end="14.0"' in page
    assert "giây 10–14 của bản ghi" in page  # 9.5 s shown rounded
    # No transcript segment holds 95 s: a stretch of the default length.
    assert 'id="clip-0" data-start="95.0" data-end="110.0"' in page

    # A draft without a recording (typed notes) shows no player.
    plain = await (await heard.client.get(f"/drafts/{office.drafts['a']}")).text()
    assert 'id="player"' not in plain and "clip-" not in plain
