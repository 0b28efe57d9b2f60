"""An office with two committees for the web tests: people of every role, meetings coming and
past, invitations with every kind of answer, and tasks in every report category."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp import CookieJar
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import create_all_sync, make_async_engine, make_async_sessionmaker, make_sync_engine
from storage.models import AnswerStatus, Invitation, Person, Readiness, Task
from storage.services.drafts import create_draft
from storage.services.invitations import answer_invitation, invite_points, mark_presence
from storage.services.meetings import set_point_readiness
from storage.services.tasks import complete_task, create_task, request_extension
from storage.services.web_sessions import create_login_link
from tests.conftest import VN
from tests.storage.factories import make_committee, make_meeting
from web.app import init_app

ROLES = ("secretary", "chair", "coord0", "coord1", "u1_0", "outsider")


@dataclass
class Office:
    """What the tests refer to, by name."""

    url: str
    now: datetime
    people: dict[str, int] = field(default_factory=dict)
    meeting: int = 0  # committee A, in a week: invitations and answers
    past_meeting: int = 0  # committee A, held last month, with tasks
    other_meeting: int = 0  # committee B
    invitations: dict[str, int] = field(default_factory=dict)
    tasks: dict[str, int] = field(default_factory=dict)
    other_task: int = 0
    drafts: dict[str, int] = field(default_factory=dict)
    delivered: list[int] = field(default_factory=list)  # task ids handed to the bot to send
    delivery_fails: bool = False  # the bot's outbox write raises (a full disk, say)
    points: dict[str, int] = field(default_factory=dict)
    units: dict[str, int] = field(default_factory=dict)  # the units of u0_0 and u1_0, by key
    committees: dict[str, int] = field(default_factory=dict)  # "a" and "b"

    async def link(self, who: str, *, at: datetime | None = None) -> str:
        engine = make_async_engine(self.url)
        try:
            async with make_async_sessionmaker(engine).begin() as session:
                return await create_login_link(session, self.people[who], now=at or self.now)
        finally:
            await engine.dispose()


def draft_content() -> dict[str, Any]:
    """What the drafter wrote from a recording: two conclusions, two tasks."""
    return {
        "meeting_date": "2026-10-27",
        "conclusions": [
            {"text": "Cơ bản thống nhất dự thảo quy hoạch tỉnh", "evidence": "…", "start": 12.0},
            {"text": "Giao các đơn vị hoàn thiện hồ sơ", "evidence": "…", "start": 30.5},
        ],
        "tasks": [
            {
                "assignee": "ĐV1",
                "cooperating": ["ĐV0"],
                "action": "Hoàn thiện báo cáo đánh giá môi trường chiến lược",
                "deadline": "2026-12-20",
                "deadline_text": "trước ngày 20/12/2026",
                "evidence": "ĐV1 hoàn thiện báo cáo trước ngày 20/12/2026.",
                "start": 95.0,
                "needs_review": False,
            },
            {
                "assignee": "ĐV0",
                "cooperating": [],
                "action": "Tổng hợp ý kiến các huyện gửi Sở Kế hoạch và Đầu tư",
                "deadline": None,
                "deadline_text": None,
                "evidence": "ĐV0 tổng hợp ý kiến.",
                "start": 120.0,
                "needs_review": False,
            },
        ],
    }


async def render_notice(url: str, content: dict[str, Any], meeting_id: int | None) -> bytes:
    """The DOCX notice exactly as ``diemcau run`` renders it (minutes.render)."""
    from diemcau.pipeline import draft_from_content, meeting_info
    from minutes.render import to_docx

    engine = make_async_engine(url)
    try:
        async with make_async_sessionmaker(engine)() as session:
            info = await meeting_info(session, meeting_id, VN) if meeting_id else None
    finally:
        await engine.dispose()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "notice.docx"
        to_docx(draft_from_content(content), path, info)
        return path.read_bytes()


async def build_office(path: Path, now: datetime) -> Office:
    url = f"sqlite+aiosqlite:///{path}"
    engine = make_sync_engine(url)
    create_all_sync(engine)
    engine.dispose()
    office = Office(url=url, now=now)
    async_engine = make_async_engine(url)
    past = now - timedelta(days=30)
    async with make_async_sessionmaker(async_engine).begin() as s:
        a = await make_committee(s, points=3)
        b = await make_committee(s, points=2, name="BCĐ khác")
        office.people = {key: a.person_ids[key] for key in ROLES if key != "outsider"}
        office.people["outsider"] = b.person_ids["secretary"]
        office.points = dict(a.point_ids)
        office.committees = {"a": a.committee.id, "b": b.committee.id}
        # Everyone in committee A has linked Telegram but u2_1: their invitation never arrives.
        for key, person_id in a.person_ids.items():
            if key != "u2_1":
                person = await s.get(Person, person_id)
                assert person is not None
                person.telegram_user_id = 1000 + person_id

        held = await make_meeting(s, a, now=past)
        await invite_points(s, held.id, now=past)
        office.past_meeting = held.id
        meeting = await make_meeting(s, a, now=now)
        await invite_points(s, meeting.id, now=now)
        office.meeting = meeting.id
        invs = {
            inv.person_id: inv.id
            for inv in await s.scalars(
                select(Invitation).where(Invitation.meeting_id == meeting.id)
            )
        }
        office.invitations = {
            key: invs[a.person_ids[key]]
            for key in ("u0_0", "u1_0", "u1_1", "u2_0", "u2_1", "chair")
        }
        await answer_invitation(
            s, office.invitations["u0_0"], status=AnswerStatus.ACCEPTED, now=now
        )
        await answer_invitation(
            s,
            office.invitations["u1_1"],
            status=AnswerStatus.DECLINED,
            reason="Đi công tác huyện Mường Tè",
            now=now,
        )
        await answer_invitation(
            s,
            office.invitations["u2_0"],
            status=AnswerStatus.DELEGATED,
            delegate_name="Lò Thị Mai",
            delegate_title="Phó Trưởng phòng",
            now=now,
        )
        await set_point_readiness(
            s,
            meeting_id=meeting.id,
            point_id=a.point_ids["p1"],
            readiness=Readiness.PROBLEM,
            note="Mất tín hiệu đường truyền",
            by_id=a.person_ids["coord1"],
            now=now,
        )
        await mark_presence(
            s, office.invitations["u0_0"], present=True, by_id=a.person_ids["coord0"], now=now
        )

        other = await make_meeting(s, b, now=now)
        await invite_points(s, other.id, now=now)
        office.other_meeting = other.id

        units = {key: (await s.get(Person, a.person_ids[key])).unit_id for key in ("u0_0", "u1_0")}  # type: ignore[union-attr]
        office.units = {key: unit_id for key, unit_id in units.items() if unit_id is not None}
        today = now.astimezone(VN).date()
        for name, unit_key, due in (
            ("overdue", "u1_0", today - timedelta(days=3)),
            ("open", "u1_0", today + timedelta(days=10)),
            ("late", "u0_0", today - timedelta(days=10)),
            ("ontime", "u0_0", today + timedelta(days=5)),
            ("asks", "u0_0", today + timedelta(days=2)),
        ):
            task = await create_task(
                s,
                meeting_id=held.id,
                unit_id=units[unit_key],
                assignee_text=f"Đơn vị {unit_key}",
                action=f"Nhiệm vụ {name}: hoàn thiện báo cáo quy hoạch",
                deadline_date=due,
                now=past,
            )
            office.tasks[name] = task.id
        await complete_task(s, office.tasks["late"], now=now, report="Đã xong")
        await complete_task(s, office.tasks["ontime"], now=now, report="Đã xong")
        await request_extension(
            s,
            office.tasks["asks"],
            new_deadline=today + timedelta(days=20),
            reason="Chờ số liệu của tỉnh",
            now=now,
        )
        other_task = await create_task(
            s,
            meeting_id=other.id,
            unit_id=units["u1_0"],
            assignee_text="Đơn vị khác",
            action="Nhiệm vụ của Ban Chỉ đạo khác",
            deadline_date=date(2026, 12, 31),
            now=now,
        )
        office.other_task = other_task.id
        for key, meeting_id in (("a", held.id), ("b", other.id)):
            draft = await create_draft(s, content=draft_content(), now=now, meeting_id=meeting_id)
            office.drafts[key] = draft.id
    await async_engine.dispose()
    return office


@pytest.fixture(scope="session")
def office_template(tmp_path_factory: pytest.TempPathFactory) -> Office:
    """Built once; each test gets its own copy of the file to change as it likes."""
    path = tmp_path_factory.mktemp("office") / "office.db"
    return asyncio.run(build_office(path, datetime(2026, 11, 26, 9, 0, tzinfo=VN)))


@pytest.fixture
def office(office_template: Office, tmp_path: Path, now: datetime) -> Office:
    assert now == office_template.now
    source = Path(make_url(office_template.url).database or "")
    copy = tmp_path / "office.db"
    shutil.copyfile(source, copy)
    return replace(office_template, url=f"sqlite+aiosqlite:///{copy}", delivered=[])


Client = TestClient  # type: ignore[type-arg]


@pytest.fixture
async def client(office: Office) -> AsyncIterator[Client]:
    """The web app on a test server with the office's clock. The cookie jar sends Secure
    cookies to this http://127.0.0.1 origin, as browsers do for a local origin."""

    async def notice(content: dict[str, Any], meeting_id: int | None) -> bytes:
        return await render_notice(office.url, content, meeting_id)

    async def approved(session: AsyncSession, task_ids: list[int]) -> None:
        # Inside the approval's transaction: the tasks it created are visible here.
        found = await session.scalars(select(Task.id).where(Task.id.in_(task_ids)))
        assert sorted(found) == sorted(task_ids), "called outside the approval's transaction"
        if office.delivery_fails:
            raise OSError("the outbox could not be written")
        office.delivered.extend(task_ids)

    app = init_app(
        office.url,
        VN,
        clock=lambda: office.now,
        render_notice=notice,
        on_draft_approved=approved,
    )
    server = TestServer(app)
    await server.start_server()
    origin = str(server.make_url("/")).rstrip("/")
    jar = CookieJar(unsafe=True, treat_as_secure_origin=[origin])
    test_client = TestClient(server, cookie_jar=jar)
    await test_client.start_server()
    try:
        yield test_client
    finally:
        await test_client.close()


async def sign_in(client: Client, office: Office, who: str) -> str:
    """Follow a bot link the way a browser does; returns the session's form token."""
    token = await office.link(who)
    page = await client.get(f"/login/{token}")
    assert page.status == 200
    body = await page.text()
    nonce = body.split('name="nonce" value="')[1].split('"')[0]
    done = await client.post(f"/login/{token}", data={"nonce": nonce}, allow_redirects=False)
    assert done.status == 303, await done.text()
    home = await client.get("/")
    assert home.status == 200
    text = await home.text()
    return text.split('name="csrf" value="')[1].split('"')[0]
