"""Web office benchmark: the meeting page of a 10-point, 120-person session, the task board
with 2,000 tasks, and the reports over them (tasks per unit, a unit's record, attendance per
point over ``--sessions`` past sessions with roll calls; pages, XLSX and JSON), served by the
real aiohttp app over HTTP with a signed-in session.

DESIGN.md's target: each answers in under 200 ms on this machine. The database is a fresh
SQLite file (the embedded default) or, with ``--database postgresql``, a scratch database on
the server named by DIEMCAU_TEST_POSTGRES_URL (dropped after).

    .venv/bin/python bench/web_pages.py [--points 10] [--per-point 12] [--tasks 2000]
                                        [--sessions 8] [--requests 30]
                                        [--database sqlite|postgresql]

Prints one line per page: median, p95 and max wall time of ``--requests`` GETs after two
warm-up requests, and the page's size.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiohttp import CookieJar
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import create_all_sync, make_async_engine, make_async_sessionmaker, make_sync_engine
from storage.models import AnswerStatus, Invitation, Unit
from storage.seed import SeedResult, load_seed
from storage.services.invitations import answer_invitation, invite_points, mark_presence
from storage.services.meetings import AgendaInput, create_meeting
from storage.services.tasks import complete_task, create_task
from storage.services.web_sessions import create_login_link
from web.app import init_app

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 11, 26, 9, 0, tzinfo=VN)


def committee(points: int, per_point: int) -> dict[str, object]:
    kinds = ["main_hall", "telecom_studio"] + ["district"] * (points - 2)
    people: list[dict[str, object]] = [
        {
            "key": "secretary",
            "title": "Chánh Văn phòng",
            "unit": "ĐV0",
            "point": "p0",
            "roles": ["secretariat"],
        },
    ]
    for i in range(points):
        people += [
            {
                "key": f"u{i}_{j}",
                "full_name": f"Nguyễn Văn {i}.{j}",
                "title": f"Phó Giám đốc {i}.{j}",
                "unit": f"ĐV{i}",
                "point": f"p{i}",
                "roles": ["leadership" if (i, j) == (0, 0) else "participant"],
                "telegram_user_id": 10_000 + i * 100 + j if j % 7 else None,
            }
            for j in range(per_point)
        ]
    return {
        "committee": {
            "name": "BCĐ quy hoạch tỉnh",
            "province": "Lai Châu",
            "issuing_body": "UBND TỈNH LAI CHÂU",
        },
        "units": [{"name": f"Sở số {i}", "short_name": f"ĐV{i}"} for i in range(points)],
        "points": [
            {"code": f"p{i}", "name": f"Điểm cầu huyện {i}", "kind": kinds[i]}
            for i in range(points)
        ],
        "people": people,
    }


async def held_sessions(s: AsyncSession, seed: SeedResult, count: int) -> None:
    """``count`` weekly sessions before NOW, everyone invited, the roll call taken at every
    point but one (its rate stays unknown), about three in four present."""
    for week in range(count, 0, -1):
        then = NOW - timedelta(weeks=week, days=1)
        meeting = await create_meeting(
            s,
            committee_id=seed.committee.id,
            title=f"Phiên họp tuần {week}",
            starts_at=then + timedelta(days=1),
            chair_id=seed.person_ids["u0_0"],
            main_point_id=seed.point_ids["p0"],
            point_ids=list(seed.point_ids.values()),
            now=then,
        )
        silent_point = seed.point_ids["p1"]
        for n, inv in enumerate(await invite_points(s, meeting.id, now=then)):
            if inv.point_id != silent_point:
                here = (n + week) % 4 != 0
                await mark_presence(s, inv.id, present=here, by_id=inv.person_id, now=then)


async def fill(
    url: str, points: int, per_point: int, tasks: int, sessions: int
) -> tuple[int, int, int]:
    engine = make_async_engine(url)
    async with make_async_sessionmaker(engine).begin() as s:
        seed = await load_seed(s, committee(points, per_point))
        await held_sessions(s, seed, sessions)
        meeting = await create_meeting(
            s,
            committee_id=seed.committee.id,
            title="Phiên họp lần thứ 5",
            starts_at=NOW + timedelta(days=3),
            chair_id=seed.person_ids["u0_0"],
            main_point_id=seed.point_ids["p0"],
            point_ids=list(seed.point_ids.values()),
            now=NOW,
            agenda=[
                AgendaInput(title=f"Nội dung {i}", documents=(f"TL{i}.pdf",)) for i in range(6)
            ],
        )
        await invite_points(s, meeting.id, now=NOW)
        invitations = list(
            await s.scalars(select(Invitation).where(Invitation.meeting_id == meeting.id))
        )
        for n, inv in enumerate(invitations):
            if n % 4 == 1:
                await answer_invitation(s, inv.id, status=AnswerStatus.ACCEPTED, now=NOW)
            elif n % 4 == 2:
                await answer_invitation(
                    s, inv.id, status=AnswerStatus.DECLINED, reason="Bận công tác", now=NOW
                )
            elif n % 8 == 3:
                await answer_invitation(
                    s, inv.id, status=AnswerStatus.DELEGATED, delegate_name="Lò Văn Thay", now=NOW
                )
        units = list(await s.scalars(select(Unit.id)))
        for n in range(tasks):
            task = await create_task(
                s,
                meeting_id=meeting.id,
                unit_id=units[n % len(units)],
                assignee_text="Sở",
                action=f"Nhiệm vụ số {n}: hoàn thiện hồ sơ quy hoạch và báo cáo UBND tỉnh",
                deadline_date=date(2026, 11, 1) + timedelta(days=n % 90),
                now=NOW - timedelta(days=60),
            )
            if n % 3 == 0:
                await complete_task(s, task.id, now=NOW - timedelta(days=n % 50))
        secretary = seed.person_ids["secretary"]
        meeting_id = meeting.id
    await engine.dispose()
    return meeting_id, secretary, units[0]


async def measure(client: TestClient, path: str, requests: int) -> None:  # type: ignore[type-arg]
    for _ in range(2):
        assert (await client.get(path)).status == 200
    times = []
    size = 0
    for _ in range(requests):
        started = time.perf_counter()
        response = await client.get(path)
        size = len(await response.read())
        times.append((time.perf_counter() - started) * 1000)
        assert response.status == 200
    times.sort()
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    print(
        f"{path}: median={statistics.median(times):.1f} ms p95={p95:.1f} ms "
        f"max={times[-1]:.1f} ms size={size // 1024} KiB"
    )


async def main(args: argparse.Namespace, url: str) -> None:
    sync = make_sync_engine(url)
    create_all_sync(sync)
    sync.dispose()
    fill_started = time.perf_counter()
    meeting_id, secretary, unit_id = await fill(
        url, args.points, args.per_point, args.tasks, args.sessions
    )
    print(
        f"filled {args.points} points x {args.per_point} people, {args.tasks} tasks, "
        f"{args.sessions} held sessions in {time.perf_counter() - fill_started:.1f} s "
        f"({url.split(':')[0]})"
    )
    engine = make_async_engine(url)
    async with make_async_sessionmaker(engine).begin() as s:
        token = await create_login_link(s, secretary, now=NOW)
    await engine.dispose()
    server = TestServer(init_app(url, VN, clock=lambda: NOW))
    await server.start_server()
    origin = str(server.make_url("/")).rstrip("/")
    client = TestClient(server, cookie_jar=CookieJar(unsafe=True, treat_as_secure_origin=[origin]))
    await client.start_server()
    try:
        page = await (await client.get(f"/login/{token}")).text()
        nonce = page.split('name="nonce" value="')[1].split('"')[0]
        assert (await client.post(f"/login/{token}", data={"nonce": nonce})).status == 200
        await measure(client, f"/meetings/{meeting_id}", args.requests)
        await measure(client, f"/api/meetings/{meeting_id}/attendance", args.requests)
        await measure(client, "/tasks", args.requests)
        for report in ("tasks", "attendance", f"units/{unit_id}"):
            await measure(client, f"/reports/{report}", args.requests)
            await measure(client, f"/reports/{report}.xlsx", args.requests)
            await measure(client, f"/api/reports/{report}", args.requests)
    finally:
        await client.close()


def run() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=10)
    parser.add_argument("--per-point", type=int, default=12)
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()
    if args.database == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            asyncio.run(main(args, f"sqlite+aiosqlite:///{folder}/bench.db"))
        return
    admin_url = os.environ.get("DIEMCAU_TEST_POSTGRES_URL")
    if not admin_url:
        sys.exit("set DIEMCAU_TEST_POSTGRES_URL for --database postgresql")
    name = f"diemcau_bench_{uuid.uuid4().hex[:8]}"
    admin = make_sync_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        from sqlalchemy.engine import make_url

        asyncio.run(
            main(args, make_url(admin_url).set(database=name).render_as_string(hide_password=False))
        )
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    run()
