"""Every route, for every role and for no session: the right status, and nothing leaks."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from aiohttp.web_urldispatcher import StaticResource

from storage.db import make_async_engine, make_async_sessionmaker
from storage.models import RecordingStatus
from storage.services.recordings import enqueue_recording
from tests.conftest import VN
from tests.web.conftest import Client, Office, sign_in
from web.app import init_app

NOBODY = "nobody"
WHO = (NOBODY, "secretary", "chair", "coord0", "coord1", "u1_0", "outsider")

# What must never appear in a refusal, nor for someone without the right to see it.
SECRETS = ("Đi công tác huyện Mường Tè", "Lò Thị Mai", "Người 1.1", "Người 2.0")


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # with {meeting}, {inv_u1_0}, {task_overdue}, {draft} and the like
    expected: dict[str, int]  # by who; absent means 200

    def url(self, office: Office) -> str:
        return self.path.format(
            meeting=office.meeting,
            other_meeting=office.other_meeting,
            inv_u1_0=office.invitations["u1_0"],
            task_overdue=office.tasks["overdue"],
            task_asks=office.tasks["asks"],
            draft=office.drafts["a"],
            p1=office.points["p1"],
            other_draft=office.drafts["b"],
            committee_a=office.committees["a"],
            unit_u0=office.units["u0_0"],
            unit_u1=office.units["u1_0"],
        )


def expect(default: int, **by_who: int) -> dict[str, int]:
    return {who: by_who.get(who, default) for who in WHO}


ROUTES = [
    Route("GET", "/healthz", expect(200)),
    Route("GET", "/readyz", expect(200)),
    Route("GET", "/metrics", expect(404)),  # no DIEMCAU_METRICS_TOKEN: no metrics at all
    Route("GET", "/login/sometoken", expect(200)),
    Route("POST", "/login/sometoken", expect(403)),  # no form from this browser's link page
    Route("GET", "/", expect(200, nobody=401)),
    Route("GET", "/meetings/{meeting}", expect(200, nobody=401, outsider=404)),
    Route("GET", "/meetings/{other_meeting}", expect(404, nobody=401, outsider=200)),
    Route("GET", "/meetings/999999", expect(404, nobody=401)),
    Route("GET", "/meetings/99999999999999999999", expect(404, nobody=401)),  # beyond any int
    Route(
        "GET",
        "/api/meetings/{meeting}/attendance",
        expect(200, nobody=401, u1_0=403, outsider=404),
    ),
    Route("GET", "/api/meetings/999999/attendance", expect(404, nobody=401)),
    Route("GET", "/api/meetings/{meeting}/recordings", expect(200, nobody=401, outsider=404)),
    Route("GET", "/api/meetings/999999/recordings", expect(404, nobody=401)),
    Route(
        "POST",
        "/meetings/{meeting}/answers/{inv_u1_0}",
        expect(403, nobody=401, secretary=303, u1_0=303, outsider=404),
    ),
    Route(
        "POST",
        "/meetings/{meeting}/points/{p1}/readiness",
        expect(403, nobody=401, secretary=303, coord1=303, outsider=404),
    ),
    Route(
        "POST",
        "/meetings/{meeting}/presence/{inv_u1_0}",
        expect(403, nobody=401, coord1=303, outsider=404),
    ),
    Route("GET", "/tasks", expect(200, nobody=401)),
    Route(
        "POST",
        "/tasks/{task_overdue}/progress",
        # coord1 works for the same unit as u1_0, so it is their unit's task too
        expect(403, nobody=401, u1_0=303, coord1=303, outsider=404),
    ),
    Route(
        "POST", "/tasks/{task_asks}/decide", expect(403, nobody=401, secretary=303, outsider=404)
    ),
    Route("GET", "/drafts", expect(200, nobody=401)),
    Route(
        "GET", "/drafts/{draft}", expect(403, nobody=401, secretary=200, chair=200, outsider=404)
    ),
    Route("GET", "/drafts/{other_draft}", expect(404, nobody=401, outsider=200)),
    Route("GET", "/drafts/999999", expect(404, nobody=401)),
    Route("GET", "/drafts/99999999999999999999", expect(404, nobody=401)),
    Route(
        "POST",
        "/drafts/{draft}/save",
        expect(403, nobody=401, secretary=303, chair=303, outsider=404),
    ),
    Route(
        "POST",
        "/drafts/{draft}/return",
        expect(403, nobody=401, secretary=303, chair=303, outsider=404),
    ),
    Route(
        "POST",
        "/drafts/{draft}/approve",
        expect(403, nobody=401, secretary=303, chair=303, outsider=404),
    ),
    Route(
        "GET",
        "/drafts/{draft}/notice.docx",
        expect(403, nobody=401, secretary=200, chair=200, outsider=404),
    ),
    Route("GET", "/calendar", expect(200, nobody=401)),
    Route("POST", "/calendar/new", expect(200, nobody=401)),
    Route("POST", "/calendar/revoke", expect(200, nobody=401)),
    Route("GET", "/feeds/not-a-live-token.ics", expect(404)),
    Route("POST", "/logout", expect(200, nobody=401)),
    Route("GET", "/no/such/page", expect(404, nobody=401)),
    # Reports: tasks for everyone (their unit's, outside the secretariat and leadership);
    # attendance for overseers and coordinators; a unit's record where its tasks are visible.
    Route("GET", "/reports", expect(303, nobody=401)),
    Route("GET", "/reports/tasks", expect(200, nobody=401)),
    Route("GET", "/reports/tasks.xlsx", expect(200, nobody=401)),
    Route("GET", "/api/reports/tasks", expect(200, nobody=401)),
    *(
        Route("GET", path, expect(200, nobody=401, u1_0=403))
        for path in ("/reports/attendance", "/reports/attendance.xlsx", "/api/reports/attendance")
    ),
    *(
        Route(
            "GET",
            path + "?committee={committee_a}",
            expect(200, nobody=401, u1_0=403, outsider=404),
        )
        for path in ("/reports/attendance", "/reports/attendance.xlsx", "/api/reports/attendance")
    ),
    *(
        Route("GET", path + "?committee=999999", expect(404, nobody=401))
        for path in ("/reports/attendance", "/api/reports/attendance")
    ),
    *(
        Route("GET", path.format(unit="{unit_u1}"), expect(200, nobody=401, coord0=404))
        for path in (
            "/reports/units/{unit}",
            "/reports/units/{unit}.xlsx",
            "/api/reports/units/{unit}",
        )
    ),
    *(
        Route(
            "GET",
            path.format(unit="{unit_u0}"),
            expect(200, nobody=401, coord1=404, u1_0=404, outsider=404),
        )
        for path in (
            "/reports/units/{unit}",
            "/reports/units/{unit}.xlsx",
            "/api/reports/units/{unit}",
        )
    ),
    *(
        Route("GET", path, expect(404, nobody=401))
        for path in (
            "/reports/units/999999",
            "/reports/units/999999.xlsx",
            "/api/reports/units/999999",
        )
    ),
    Route("GET", "/api/openapi.json", expect(200, nobody=401)),
    Route("GET", "/api/me", expect(200, nobody=401)),
    Route("GET", "/api/meetings", expect(200, nobody=401)),
    Route("GET", "/api/tasks", expect(200, nobody=401)),
    # Recordings: none in this office, so each is refused as missing (the roles who may hear
    # one are tried in test_recordings.py).
    *(
        Route("GET", path, expect(404, nobody=401))
        for path in (
            "/recordings/999999",
            "/recordings/999999/audio",
            "/recordings/999999/progress",
        )
    ),
    Route("GET", "/static/upload.js", expect(200, nobody=401)),  # served to signed-in pages
    # Uploads (tus): this app was wired with no data directory, so it takes none; the
    # secretariat's uploads are tried in test_uploads.py. A PATCH carries no form: its CSRF
    # token would come in a header, absent here.
    Route("OPTIONS", "/uploads", expect(404, nobody=401)),
    Route("POST", "/uploads", expect(404, nobody=401)),
    Route("PATCH", "/uploads/AAAAAAAAAAAAAAAAAAAAAAAA", expect(403, nobody=401)),
]


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.path}")
async def test_route_for_role(client: Client, office: Office, route: Route, who: str) -> None:
    csrf = await sign_in(client, office, who) if who != NOBODY else "none"
    data = {
        "csrf": csrf,
        "status": "ACCEPTED",
        "grant": "yes",
        "note": "Đã làm",
        "version": "1",
        "reason": "Chưa đủ nội dung",
        "state": "ready",
        "present": "1",
    }
    response = await client.request(
        route.method,
        route.url(office),
        data=data if route.method == "POST" else None,
        allow_redirects=False,
    )
    body = (await response.read()).decode("utf-8", "replace")
    assert response.status == route.expected[who], body[-500:]
    if response.status >= 400:
        assert not any(secret in body for secret in SECRETS)
    if who == NOBODY and response.status == 401:
        assert "/web" in body  # says how to sign in, and nothing else


async def test_another_committees_meeting_looks_like_no_meeting(
    client: Client, office: Office
) -> None:
    await sign_in(client, office, "outsider")
    theirs = await client.get(f"/meetings/{office.meeting}")
    missing = await client.get("/meetings/999999")
    assert theirs.status == missing.status == 404
    assert await theirs.text() == await missing.text()
    api_theirs = await client.get(f"/api/meetings/{office.meeting}/attendance")
    api_missing = await client.get("/api/meetings/999999/attendance")
    assert await api_theirs.json() == await api_missing.json()


async def test_each_role_sees_only_its_part_of_the_meeting(client: Client, office: Office) -> None:
    page = f"/meetings/{office.meeting}"
    await sign_in(client, office, "secretary")
    full = await (await client.get(page)).text()
    assert all(secret in full for secret in SECRETS)
    assert "Trả lời thay" in full

    await sign_in(client, office, "coord0")  # point 0 only
    own_point = await (await client.get(page)).text()
    assert "Người 0.0" in own_point
    assert not any(secret in own_point for secret in SECRETS)
    api = await (await client.get(f"/api/meetings/{office.meeting}/attendance")).json()
    assert [p["name"] for p in api["points"]] == ["Điểm cầu 0"]

    await sign_in(client, office, "u1_0")  # a participant: their own invitation and the agenda
    participant = await (await client.get(page)).text()
    assert "Giấy mời của bạn" in participant and "Nội dung 1" in participant
    assert not any(secret in participant for secret in SECRETS)
    assert "Trả lời thay" not in participant


def test_every_route_is_in_the_table(office: Office) -> None:
    """A route added to the app without a line in ROUTES fails here: each route is tried
    for every role and for no session above."""
    app = init_app(office.url, VN)
    tried = [(r.method, r.url(office).partition("?")[0]) for r in ROUTES]
    untried = []
    for route in app.router.routes():
        if route.method == "HEAD" or route.resource is None:
            continue
        pattern = re.sub(r"\{[^}]+\}", "[^/]+", route.resource.canonical.replace(".", r"\."))
        if isinstance(route.resource, StaticResource):
            pattern += "/.+"  # any file under the folder
        if not any(m == route.method and re.fullmatch(pattern, p) for m, p in tried):
            untried.append(f"{route.method} {route.resource.canonical}")
    assert untried == [], "add a line to ROUTES for each, with its status for every role"


async def test_a_meeting_shows_its_recordings_progress_as_their_jobs_stored_it(
    client: Client, office: Office
) -> None:
    engine = make_async_engine(office.url)
    try:
        async with make_async_sessionmaker(engine).begin() as session:
            recording = await enqueue_recording(
                session, meeting_id=office.meeting, path="/data/recordings/x",
                original_name="phien-hop.ogg", sha256="a" * 64, size_bytes=1,
                uploaded_by_id=None, now=office.now,
            )  # fmt: skip
            # What a worker's job writes after a window, wherever it runs.
            recording.status, recording.progress = RecordingStatus.TRANSCRIBING, 0.375
            recording.duration_s = 3600.0
    finally:
        await engine.dispose()
    await sign_in(client, office, "chair")
    shown = await (await client.get(f"/api/meetings/{office.meeting}/recordings")).json()
    assert shown == [
        {
            "recording_id": recording.id,
            "name": "phien-hop.ogg",
            "stage": "transcribing",
            "progress": 0.375,
            "duration_s": 3600.0,
            "error": None,
        }
    ]
    await sign_in(client, office, "outsider")
    hidden = await client.get(f"/api/meetings/{office.meeting}/recordings")
    assert hidden.status == 404
    beyond = await client.get(f"/api/meetings/{10**30}/recordings")  # past any integer column
    assert beyond.status == 404
