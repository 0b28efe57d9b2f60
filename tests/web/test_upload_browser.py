"""Uploading a recording from the meeting page in a real browser (Playwright driving Debian's
Chromium) while the connection drops in the middle: a TCP proxy between the browser and the
server cuts the second piece's connection; the page's own tus client asks the server how
far it got and finishes. Then the recording page: a transcript segment seeks the audio, which
the browser fetches with Range requests; and the draft editor plays the seconds a task came
from. Screenshots kept as artefacts."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestServer
from playwright.async_api import Browser, Response
from sqlalchemy import select

from storage.db import make_async_engine, make_async_sessionmaker
from storage.models import Recording, TranscriptSegment
from storage.services.drafts import create_draft
from tests.web.conftest import Office, draft_content
from tests.web.test_browser import browser, screenshots  # noqa: F401 (fixtures)
from tests.web.uploading import DroppingProxy, office_app, tone_wav

PIECE = 4 * 2**20  # upload.js's CHUNK


@pytest.fixture
async def proxied(
    office: Office, tmp_path: Path
) -> AsyncIterator[tuple[str, DroppingProxy, list[int]]]:
    """The office behind a proxy that cuts the second piece's PATCH after 1 MB (and the
    browser's own retry of it)."""
    added: list[int] = []
    server = TestServer(office_app(office, tmp_path / "data", added), host="127.0.0.1")
    await server.start_server()
    proxy = DroppingProxy(server.port or 0, cut_after=2**20, in_patch=2)
    await proxy.start()
    try:
        yield f"http://127.0.0.1:{proxy.port}", proxy, added
    finally:
        await proxy.close()
        await server.close()


async def test_upload_survives_a_dropped_connection_then_the_transcript_seeks_the_audio(
    browser: Browser,  # noqa: F811
    proxied: tuple[str, DroppingProxy, list[int]],
    office: Office,
    screenshots: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    site, proxy, added = proxied
    wav = tone_wav(tmp_path / "phiên họp 26-11.wav", seconds=200.0)  # 6.4 MB: two pieces
    page = await browser.new_page(viewport={"width": 1366, "height": 900}, locale="vi-VN")
    offsets: list[str] = []

    def heard(response: Response) -> None:
        if response.request.method == "HEAD" and "/uploads/" in response.url:
            offsets.append(response.headers.get("upload-offset", ""))

    page.on("response", heard)
    await page.goto(f"{site}/login/{await office.link('secretary')}")
    await page.click("button:has-text('Đăng nhập')")
    await page.wait_for_url(f"{site}/")
    await page.goto(f"{site}/meetings/{office.meeting}")

    # The plain-JavaScript SHA-256 (for http pages without crypto.subtle) is the real one.
    digest = await page.evaluate(
        "Array.from(window.diemcauSha256(new TextEncoder().encode('Điểm Cầu')))"
    )
    assert bytes(digest) == hashlib.sha256("Điểm Cầu".encode()).digest()

    await page.set_input_files("#upload input[type=file]", str(wav))
    await page.click("#upload button[type=submit]")
    await page.wait_for_function(
        "() => document.getElementById('upload').dataset.state === 'done'", timeout=60_000
    )
    status = await page.inner_text("#upload .upload-status")
    assert status.startswith("Đã nhận bản ghi số ")
    recording_id = int(status.removeprefix("Đã nhận bản ghi số ").split(".")[0])
    # The drop reached the page's client, which went on from the first piece.
    assert "Mất kết nối 1 lần, đã tải tiếp từ 4,0 MB." in status
    assert await page.get_attribute("#upload progress", "value") == "100"
    assert f"Bản ghi số {recording_id} (phiên họp 26-11.wav)" in await page.inner_text(
        "#recording-list"
    )
    await page.screenshot(path=str(screenshots / "upload-done.png"), full_page=True)

    assert proxy.cut >= 1 and proxy.healed
    assert await page.get_attribute("#upload", "data-reconnects") == "1"
    # After the cut the server kept the first piece only: the second, cut short, could not be
    # checked against its SHA-256 and was sent again whole.
    assert str(PIECE) in offsets
    assert added == [recording_id]
    engine = make_async_engine(office.url)
    async with make_async_sessionmaker(engine).begin() as session:
        stored = await session.scalar(select(Recording).where(Recording.id == recording_id))
        assert stored is not None
        assert stored.sha256 == hashlib.sha256(wav.read_bytes()).hexdigest()
        assert stored.size_bytes == wav.stat().st_size
        for seq, start in enumerate((0.0, 60.0, 120.0)):
            session.add(
                TranscriptSegment(
                    recording_id=recording_id,
                    seq=seq,
                    start=start,
                    end=start + 3.0,
                    text=f"Đoạn {seq + 1} của phiên họp.",
                )
            )
        content = draft_content()
        content["tasks"][1]["start"] = 120.5  # said in the third segment, which ends at 123 s
        draft = await create_draft(
            session,
            content=content,
            now=office.now,
            meeting_id=office.meeting,
            recording_id=recording_id,
        )
        draft_id = draft.id
    await engine.dispose()

    ranges: list[int] = []
    page.on(
        "response",
        lambda r: ranges.append(r.status) if r.url.endswith(f"/{recording_id}/audio") else None,
    )
    await page.click(f"#recording-list a[href='/recordings/{recording_id}']")
    await page.wait_for_url(f"{site}/recordings/{recording_id}")
    await page.click("#seg-2 button.seek")
    await page.wait_for_function(
        "() => document.getElementById('player').currentTime >= 120"
        " && document.getElementById('player').readyState >= 2"
    )
    assert 206 in ranges  # the browser fetched the audio by ranges
    await page.screenshot(path=str(screenshots / "recording.png"), full_page=True)

    # The draft editor plays the seconds a task came from, and stops at their end.
    await page.goto(f"{site}/drafts/{draft_id}")
    clip = page.locator("#clip-1")
    assert await clip.inner_text() == "▶ 2:00–2:03"
    await clip.click()
    await page.wait_for_function(
        "() => { const p = document.getElementById('player');"
        " return p.currentTime >= 122.5 && p.paused; }",
        polling=100,
        timeout=20_000,
    )
    assert await page.evaluate("document.getElementById('player').currentTime") < 124
    await page.screenshot(path=str(screenshots / "draft-clip.png"), full_page=True)
