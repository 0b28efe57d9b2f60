"""Sign-in from a bot link, sessions, sign-out, and the attacks each must refuse."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from storage.db import make_async_engine, make_async_sessionmaker
from storage.models import AnswerStatus, AuditEntry, Invitation, WebSession
from tests.conftest import VN
from tests.web.conftest import Client, Office, sign_in
from web.app import init_app
from web.auth import SESSION_COOKIE


async def _audit(office: Office) -> list[tuple[str, int | None]]:
    engine = make_async_engine(office.url)
    try:
        async with make_async_sessionmaker(engine)() as session:
            rows = await session.scalars(select(AuditEntry).order_by(AuditEntry.id))
            return [(row.action, row.actor_id) for row in rows]
    finally:
        await engine.dispose()


async def _status_of(office: Office, invitation_id: int) -> AnswerStatus:
    engine = make_async_engine(office.url)
    try:
        async with make_async_sessionmaker(engine)() as session:
            invitation = await session.get(Invitation, invitation_id)
            assert invitation is not None
            return invitation.status
    finally:
        await engine.dispose()


def _plant(client: Client, value: str) -> None:
    """Put a session cookie in the browser for this server, as a response from it would."""
    client.session.cookie_jar.update_cookies(
        {SESSION_COOKIE: value}, response_url=client.make_url("/")
    )


def _session_cookie(client: Client) -> str:
    found = [c.value for c in client.session.cookie_jar if c.key == SESSION_COOKIE]
    return found[0] if found else ""


async def test_sign_in_sets_a_safe_cookie_audits_and_signs_out(
    client: Client, office: Office
) -> None:
    token = await office.link("secretary")
    page = await client.get(f"/login/{token}")
    nonce = (await page.text()).split('name="nonce" value="')[1].split('"')[0]
    done = await client.post(f"/login/{token}", data={"nonce": nonce}, allow_redirects=False)
    assert done.status == 303 and done.headers["Location"] == "/"
    cookie = next(v for k, v in done.headers.items() if k == "Set-Cookie" and SESSION_COOKIE in v)
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=Lax" in cookie
    home = await client.get("/")
    assert "Phiên họp lần thứ 3" in await home.text()
    csrf = (await home.text()).split('name="csrf" value="')[1].split('"')[0]

    stolen = _session_cookie(client)
    out = await client.post("/logout", data={"csrf": csrf})
    assert out.status == 200 and "Đã đăng xuất" in await out.text()
    assert 'action="/logout"' not in await out.text()
    # The server forgot the session: the old cookie, replayed, opens nothing.
    _plant(client, stolen)
    assert (await client.get("/")).status == 401
    secretary = office.people["secretary"]
    assert ("web.sign_in", secretary) in await _audit(office)
    assert ("web.sign_out", secretary) in await _audit(office)


async def test_a_link_works_once(client: Client, office: Office) -> None:
    token = await office.link("u1_0")
    for attempt in range(2):
        page = await client.get(f"/login/{token}")
        nonce = (await page.text()).split('name="nonce" value="')[1].split('"')[0]
        done = await client.post(f"/login/{token}", data={"nonce": nonce}, allow_redirects=False)
        if attempt == 0:
            assert done.status == 303
        else:
            assert done.status == 400
            assert "đã dùng hoặc đã hết hạn" in await done.text()


async def test_an_expired_link_is_refused(client: Client, office: Office) -> None:
    token = await office.link("u1_0")
    office.now += timedelta(minutes=11)
    page = await client.get(f"/login/{token}")
    nonce = (await page.text()).split('name="nonce" value="')[1].split('"')[0]
    done = await client.post(f"/login/{token}", data={"nonce": nonce}, allow_redirects=False)
    assert done.status == 400
    assert (await client.get("/")).status == 401


async def test_a_sign_in_form_posted_from_elsewhere_is_refused(
    client: Client, office: Office
) -> None:
    # Login CSRF: a page elsewhere posts a link of the attacker's; the browser has no nonce.
    token = await office.link("outsider")
    done = await client.post(f"/login/{token}", data={"nonce": "guess"}, allow_redirects=False)
    assert done.status == 403
    assert _session_cookie(client) == ""


async def test_no_session_fixation(client: Client, office: Office) -> None:
    # An attacker plants a session id, or the browser still holds an older session.
    _plant(client, "planted-by-attacker")
    await sign_in(client, office, "secretary")
    first = _session_cookie(client)
    assert first and first != "planted-by-attacker"
    await sign_in(client, office, "u1_0")
    second = _session_cookie(client)
    assert second != first
    _plant(client, first)
    assert (await client.get("/")).status == 401  # the earlier session was ended, not reused


async def test_changes_need_the_form_token(client: Client, office: Office) -> None:
    await sign_in(client, office, "secretary")
    invitation = office.invitations["u1_0"]
    url = f"/meetings/{office.meeting}/answers/{invitation}"
    for data in ({"status": "ACCEPTED"}, {"status": "ACCEPTED", "csrf": "forged"}):
        refused = await client.post(url, data=data, allow_redirects=False)
        assert refused.status == 403
    assert await _status_of(office, invitation) == AnswerStatus.NEEDS_ACTION
    json_refused = await client.post(url, json={"status": "ACCEPTED"})
    assert json_refused.status == 403


async def test_sessions_expire(client: Client, office: Office) -> None:
    await sign_in(client, office, "chair")
    office.now += timedelta(hours=13)
    assert (await client.get("/")).status == 401


async def test_only_digests_are_stored(client: Client, office: Office) -> None:
    await sign_in(client, office, "chair")
    cookie = _session_cookie(client)
    engine = make_async_engine(office.url)
    try:
        async with make_async_sessionmaker(engine)() as session:
            hashes = list(await session.scalars(select(WebSession.token_hash)))
    finally:
        await engine.dispose()
    assert hashes and cookie not in hashes


async def test_health_hides_the_database_error(aiohttp_client: object, tmp_path: Path) -> None:
    # A directory cannot be opened as an SQLite file: unhealthy, and the path stays private.
    from aiohttp.test_utils import TestClient

    client: TestClient = await aiohttp_client(init_app(f"sqlite+aiosqlite:///{tmp_path}", VN))  # type: ignore[operator, type-arg]
    response = await client.get("/readyz")
    assert response.status == 503
    body = await response.text()
    assert "unavailable" in body and str(tmp_path) not in body and "sqlite" not in body.lower()


async def test_pages_cannot_be_framed_or_cached(client: Client, office: Office) -> None:
    for response in (
        await client.get("/"),
        await client.get(f"/login/{await office.link('chair')}"),
    ):
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
