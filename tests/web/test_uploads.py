"""The tus 1.0 upload of recordings, over HTTP against the real app: creation, offsets, a
PATCH cut short by a dropped connection and resumed, 409 on a wrong offset, checksums, the size
limit, sessions, CSRF and committees; then the chat upload's intake (duplicates refused
naming the recording they repeat)."""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiohttp import CookieJar
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from diemcau.commands.run import build_web_app
from diemcau.media import check_recording
from diemcau.settings import Settings
from storage.db import make_async_engine, make_async_sessionmaker
from storage.models import AuditEntry, Recording, RecordingStatus
from tests.web.conftest import Client, Office, sign_in
from tests.web.uploading import TUS, metadata, office_app, piece_headers, tone_wav
from web.uploads import INTAKE

LIMIT = 3 * 2**20


@dataclass
class Site:
    client: Client
    data_dir: Path
    added: list[int] = field(default_factory=list)


@pytest.fixture
async def site(office: Office, tmp_path: Path) -> AsyncIterator[Site]:
    added: list[int] = []
    data_dir = tmp_path / "data"
    server = TestServer(office_app(office, data_dir, added, max_bytes=LIMIT))
    await server.start_server()
    origin = str(server.make_url("/")).rstrip("/")
    client = TestClient(server, cookie_jar=CookieJar(unsafe=True, treat_as_secure_origin=[origin]))
    await client.start_server()
    try:
        yield Site(client, data_dir, added)
    finally:
        await client.close()


@pytest.fixture(scope="module")
def recording(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """Two seconds of tone as a WAV (64 KB): small, but real audio."""
    return tone_wav(tmp_path_factory.mktemp("wav") / "tone.wav", seconds=2.0).read_bytes()


async def create(site: Site, csrf: str, meeting: int, length: int, name: str = "phiên.wav") -> str:
    response = await site.client.post(
        "/uploads",
        headers={
            **TUS,
            "X-CSRF-Token": csrf,
            "Upload-Length": str(length),
            "Upload-Metadata": metadata(meeting=str(meeting), filename=name),
        },
    )
    assert response.status == 201, await response.text()
    assert response.headers["Tus-Resumable"] == "1.0.0"
    location = response.headers["Location"]
    assert location.startswith("/uploads/")
    return location


def file_bytes(path: Path) -> bytes:
    return path.read_bytes()


def leftover_bytes(uploads: Path) -> list[Path]:
    """Upload data files still there (descriptions, ``<id>.json``, stay)."""
    return [p for p in uploads.iterdir() if p.suffix != ".json"]


async def offset_of(site: Site, url: str) -> int:
    response = await site.client.head(url, headers=TUS)
    assert response.status == 200
    assert response.headers["Cache-Control"] == "no-store"
    return int(response.headers["Upload-Offset"])


async def stored_recordings(office: Office) -> list[Recording]:
    engine = make_async_engine(office.url)
    try:
        async with make_async_sessionmaker(engine)() as session:
            return list(await session.scalars(select(Recording).order_by(Recording.id)))
    finally:
        await engine.dispose()


async def upload_whole(
    site: Site, csrf: str, meeting: int, data: bytes
) -> tuple[int, dict[str, str]]:
    url = await create(site, csrf, meeting, len(data))
    response = await site.client.patch(url, data=data, headers=piece_headers(csrf, 0, data))
    return response.status, {**response.headers, "body": await response.text()}


async def test_the_server_describes_what_it_supports(site: Site, office: Office) -> None:
    await sign_in(site.client, office, "secretary")
    response = await site.client.options("/uploads")
    assert response.status == 204
    assert response.headers["Tus-Version"] == "1.0.0"
    assert set(response.headers["Tus-Extension"].split(",")) == {"creation", "checksum"}
    assert response.headers["Tus-Checksum-Algorithm"] == "sha256"
    assert int(response.headers["Tus-Max-Size"]) == LIMIT


async def test_pieces_and_a_dropped_connection_resume_to_one_recording(
    site: Site, office: Office, recording: bytes
) -> None:
    csrf = await sign_in(site.client, office, "secretary")
    url = await create(site, csrf, office.meeting, len(recording))
    assert await offset_of(site, url) == 0

    first = recording[:20_000]
    response = await site.client.patch(url, data=first, headers=piece_headers(csrf, 0, first))
    assert response.status == 204
    assert response.headers["Upload-Offset"] == "20000"
    assert response.headers["Tus-Resumable"] == "1.0.0"

    # A PATCH (no checksum) whose connection drops after 15,000 of its 30,000 bytes.
    server = site.client.server
    reader, writer = await asyncio.open_connection(server.host, server.port)
    head = (
        f"PATCH {url} HTTP/1.1\r\nHost: {server.host}:{server.port}\r\n"
        f"Cookie: {'; '.join(f'{c.key}={c.value}' for c in site.client.session.cookie_jar)}\r\n"
        + "".join(f"{k}: {v}\r\n" for k, v in piece_headers(csrf, 20_000).items())
        + "Content-Length: 30000\r\n\r\n"
    )
    writer.write(head.encode() + recording[20_000:35_000])
    await writer.drain()
    for _ in range(200):  # the server is reading the piece (the upload is busy) ...
        if (await site.client.head(url, headers=TUS)).status == 423:
            break
        await asyncio.sleep(0.02)
    writer.transport.abort()  # ... when the connection dies
    del reader
    for _ in range(200):  # the server notices the loss and keeps what arrived
        answer = await site.client.head(url, headers=TUS)
        if answer.status == 200:
            break
        assert answer.status == 423 and answer.headers["Retry-After"] == "1"
        await asyncio.sleep(0.02)
    assert await offset_of(site, url) == 35_000

    # The browser resumes from where the server got to.
    stale = await site.client.patch(url, data=b"x", headers=piece_headers(csrf, 20_000))
    assert stale.status == 409
    rest = recording[35_000:]
    done = await site.client.patch(url, data=rest, headers=piece_headers(csrf, 35_000, rest))
    assert done.status == 204, await done.text()
    recording_id = int(done.headers["Diemcau-Recording"])
    assert done.headers["Upload-Offset"] == str(len(recording))

    [stored] = await stored_recordings(office)
    assert stored.id == recording_id and stored.meeting_id == office.meeting
    assert stored.sha256 == hashlib.sha256(recording).hexdigest()
    assert stored.status == RecordingStatus.QUEUED and stored.original_name == "phiên.wav"
    assert stored.uploaded_by_id == office.people["secretary"]
    assert Path(stored.path) == site.data_dir / "recordings" / stored.sha256
    assert file_bytes(Path(stored.path)) == recording
    assert site.added == [recording_id]  # handed to the pipeline, as a chat upload is
    assert leftover_bytes(site.data_dir / "uploads") == []

    # The answer was lost? Asking again gives it again, and takes nothing more.
    again = await site.client.patch(url, data=b"", headers=piece_headers(csrf, len(recording), b""))
    assert again.status == 204 and again.headers["Diemcau-Recording"] == str(recording_id)
    late = await site.client.patch(url, data=b"x", headers=piece_headers(csrf, 0))
    assert late.status == 409
    extra = await site.client.patch(url, data=b"x", headers=piece_headers(csrf, len(recording)))
    assert extra.status == 413
    assert await offset_of(site, url) == len(recording)
    engine = make_async_engine(office.url)
    async with make_async_sessionmaker(engine)() as session:
        audit = await session.scalar(
            select(AuditEntry).where(AuditEntry.action == "recording.upload")
        )
    await engine.dispose()
    assert audit is not None and audit.entity_id == recording_id
    assert audit.actor_id == office.people["secretary"]


async def test_a_wrong_offset_is_409_and_changes_nothing(site: Site, office: Office) -> None:
    csrf = await sign_in(site.client, office, "secretary")
    url = await create(site, csrf, office.meeting, 1000)
    ahead = await site.client.patch(url, data=b"a" * 10, headers=piece_headers(csrf, 500))
    assert ahead.status == 409
    assert "không khớp" in (await ahead.json())["message"]
    assert await offset_of(site, url) == 0


async def test_a_damaged_piece_is_460_and_not_kept(site: Site, office: Office) -> None:
    csrf = await sign_in(site.client, office, "secretary")
    url = await create(site, csrf, office.meeting, 1000)
    headers = piece_headers(csrf, 0, b"b" * 100)  # the checksum of other bytes
    response = await site.client.patch(url, data=b"a" * 100, headers=headers)
    assert response.status == 460
    assert await offset_of(site, url) == 0
    bad = {**piece_headers(csrf, 0), "Upload-Checksum": "md5 AAAA"}
    assert (await site.client.patch(url, data=b"a", headers=bad)).status == 400


async def test_over_the_size_limit_is_refused(site: Site, office: Office) -> None:
    csrf = await sign_in(site.client, office, "secretary")
    response = await site.client.post(
        "/uploads",
        headers={
            **TUS,
            "X-CSRF-Token": csrf,
            "Upload-Length": str(LIMIT + 1),
            "Upload-Metadata": metadata(meeting=str(office.meeting)),
        },
    )
    assert response.status == 413
    assert "quá lớn" in (await response.json())["message"]
    assert not (site.data_dir / "uploads").exists() or not any(
        (site.data_dir / "uploads").iterdir()
    )

    # More bytes than declared: the piece is dropped whole.
    url = await create(site, csrf, office.meeting, 100)
    first = b"a" * 60
    assert (
        await site.client.patch(url, data=first, headers=piece_headers(csrf, 0, first))
    ).status == 204
    response = await site.client.patch(url, data=b"b" * 50, headers=piece_headers(csrf, 60))
    assert response.status == 413
    assert await offset_of(site, url) == 60


async def test_another_committee_and_other_roles_are_refused(
    site: Site, office: Office, recording: bytes
) -> None:
    csrf = await sign_in(site.client, office, "secretary")
    for meeting, status in ((office.other_meeting, 404), (999_999, 404)):
        response = await site.client.post(
            "/uploads",
            headers={
                **TUS,
                "X-CSRF-Token": csrf,
                "Upload-Length": "100",
                "Upload-Metadata": metadata(meeting=str(meeting)),
            },
        )
        assert response.status == status
    url = await create(site, csrf, office.meeting, len(recording))

    # The other committee's secretary: the upload does not exist for them.
    csrf = await sign_in(site.client, office, "outsider")
    assert (await site.client.head(url, headers=TUS)).status == 404
    response = await site.client.patch(url, data=recording, headers=piece_headers(csrf, 0))
    assert response.status == 404
    assert (
        await site.client.post(
            "/uploads",
            headers={
                **TUS,
                "X-CSRF-Token": csrf,
                "Upload-Length": "100",
                "Upload-Metadata": metadata(meeting=str(office.meeting)),
            },
        )
    ).status == 404

    # The chair (leadership) and a participant of the same committee see the meeting but do
    # not upload: only the secretariat does, as in the bot.
    for who in ("chair", "u1_0"):
        csrf = await sign_in(site.client, office, who)
        response = await site.client.post(
            "/uploads",
            headers={
                **TUS,
                "X-CSRF-Token": csrf,
                "Upload-Length": "100",
                "Upload-Metadata": metadata(meeting=str(office.meeting)),
            },
        )
        assert response.status == 403
        assert (await site.client.head(url, headers=TUS)).status == 404
    assert await stored_recordings(office) == []


async def test_no_session_and_no_form_token_are_refused(site: Site, office: Office) -> None:
    for method in ("OPTIONS", "POST", "HEAD", "PATCH"):
        path = "/uploads" if method in ("OPTIONS", "POST") else "/uploads/" + "A" * 24
        response = await site.client.request(method, path, headers=TUS)
        assert response.status == 401, method
        if method != "OPTIONS":
            assert response.headers["Tus-Resumable"] == "1.0.0"

    csrf = await sign_in(site.client, office, "secretary")
    url = await create(site, csrf, office.meeting, 100)
    no_token = {**TUS, "Upload-Length": "100", "Upload-Metadata": metadata(meeting="1")}
    assert (await site.client.post("/uploads", headers=no_token)).status == 403
    forged = {**piece_headers(csrf, 0), "X-CSRF-Token": "forged"}
    assert (await site.client.patch(url, data=b"a", headers=forged)).status == 403
    assert await offset_of(site, url) == 0


async def test_protocol_version_and_content_type_are_checked(site: Site, office: Office) -> None:
    csrf = await sign_in(site.client, office, "secretary")
    url = await create(site, csrf, office.meeting, 100)
    old = {**piece_headers(csrf, 0), "Tus-Resumable": "0.2.2"}
    response = await site.client.patch(url, data=b"a", headers=old)
    assert response.status == 412 and response.headers["Tus-Version"] == "1.0.0"
    octet = {**piece_headers(csrf, 0), "Content-Type": "application/octet-stream"}
    assert (await site.client.patch(url, data=b"a", headers=octet)).status == 415
    assert await offset_of(site, url) == 0


async def test_a_duplicate_is_refused_naming_the_recording_it_repeats(
    site: Site, office: Office, recording: bytes
) -> None:
    csrf = await sign_in(site.client, office, "secretary")
    status, first = await upload_whole(site, csrf, office.meeting, recording)
    assert status == 204
    recording_id = int(first["Diemcau-Recording"])

    url = await create(site, csrf, office.meeting, len(recording), name="bản sao.wav")
    response = await site.client.patch(
        url, data=recording, headers=piece_headers(csrf, 0, recording)
    )
    assert response.status == 422
    body = await response.json()
    assert f"bản ghi số {recording_id}" in body["message"]
    assert body["existing"] == recording_id
    assert len(await stored_recordings(office)) == 1 and site.added == [recording_id]
    # The client that lost that answer asks again and hears the same.
    again = await site.client.patch(url, data=b"", headers=piece_headers(csrf, len(recording)))
    assert again.status == 422 and (await again.json())["existing"] == recording_id


async def test_a_file_that_is_not_a_recording_is_refused(site: Site, office: Office) -> None:
    csrf = await sign_in(site.client, office, "secretary")
    text = "Biên bản phiên họp, không phải bản ghi âm.\n".encode() * 50
    status, answer = await upload_whole(site, csrf, office.meeting, text)
    assert status == 422
    assert "Tệp không dùng được làm bản ghi" in json.loads(answer["body"])["message"]
    assert await stored_recordings(office) == []
    assert not (site.data_dir / "recordings").exists() or not any(
        (site.data_dir / "recordings").iterdir()
    )


async def test_the_meeting_page_offers_the_upload_to_the_secretariat_only(
    site: Site, office: Office
) -> None:
    await sign_in(site.client, office, "secretary")
    page = await (await site.client.get(f"/meetings/{office.meeting}")).text()
    assert 'id="upload"' in page and 'src="/static/upload.js"' in page
    script = await site.client.get("/static/upload.js")
    assert script.status == 200 and "Upload-Checksum" in await script.text()
    for who in ("chair", "u1_0"):
        await sign_in(site.client, office, who)
        page = await (await site.client.get(f"/meetings/{office.meeting}")).text()
        assert 'id="upload"' not in page


def test_diemcau_run_takes_uploads_without_the_bot_too(tmp_path: Path) -> None:
    """Without a bot token the server still takes uploads (queued for a later ``run`` with
    the bot), with the size limit from the settings."""
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path,
        web_upload_max_bytes=123_456,
    )
    app = build_web_app(settings)
    assert app[INTAKE].data_dir == tmp_path and app[INTAKE].max_bytes == 123_456
    assert app[INTAKE].check_media is check_recording and app[INTAKE].on_added is None
