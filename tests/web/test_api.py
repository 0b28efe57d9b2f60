from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from storage.db import create_all_sync, make_async_engine, make_async_sessionmaker, make_sync_engine
from storage.services.invitations import invite_points
from tests.conftest import VN
from tests.storage.factories import make_committee, make_meeting
from web.app import init_app


async def _database_with_a_meeting(path: Path, now: datetime) -> tuple[str, int]:
    url = f"sqlite+aiosqlite:///{path}"
    engine = make_sync_engine(url)
    create_all_sync(engine)
    engine.dispose()
    async_engine = make_async_engine(url)
    async with make_async_sessionmaker(async_engine).begin() as session:
        seed = await make_committee(session, points=3)
        meeting = await make_meeting(session, seed, now=now)
        await invite_points(session, meeting.id, now=now)
        meeting_id = meeting.id
    await async_engine.dispose()
    return url, meeting_id


async def test_attendance_api_and_health(
    aiohttp_client: Any, tmp_path: Path, now: datetime
) -> None:
    url, meeting_id = await _database_with_a_meeting(tmp_path / "web.db", now)
    client = await aiohttp_client(init_app(url, VN))

    health = await client.get("/healthz")
    assert health.status == 200
    assert (await health.json())["database"] == "ok"

    response = await client.get(f"/api/meetings/{meeting_id}/attendance")
    assert response.status == 200
    body = await response.json()
    assert [p["name"] for p in body["points"]] == ["Điểm cầu 0", "Điểm cầu 1", "Điểm cầu 2"]
    assert body["totals"]["NEEDS-ACTION"] == 14
    assert body["starts_at"].endswith("+07:00")  # shown in the office's zone

    missing = await client.get("/api/meetings/9999/attendance")
    assert missing.status == 404
    assert (await missing.json())["message"] == "Không tìm thấy phiên họp."
    assert (await client.get("/api/meetings/abc/attendance")).status == 400


async def test_health_reports_an_unreachable_database(aiohttp_client: Any, tmp_path: Path) -> None:
    # A directory cannot be opened as an SQLite file: the check must say so, not crash.
    client = await aiohttp_client(init_app(f"sqlite+aiosqlite:///{tmp_path}", VN))
    response = await client.get("/healthz")
    assert response.status == 503
    assert (await response.json())["status"] == "error"
