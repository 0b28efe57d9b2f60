"""Server processes, one after the other, on one PostgreSQL database, each killed (a real
SIGKILL) while Telegram has one of its messages but never answered, with another message
committed to the outbox and not sent yet: the reminders a server writes at start, the
invitations a secretary sends ("Gửi giấy mời"), the notices of a cancelled meeting, the tasks
of an approved draft.

What must hold: the message whose reply never came is in doubt and is not sent again (it
arrived once); the committed one is sent once, by the next server; everyone else got theirs
exactly once."""

from __future__ import annotations

import asyncio
import signal
import subprocess
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from storage import migrate
from storage.db import make_async_engine, make_async_sessionmaker
from storage.models import (
    AnswerStatus,
    Invitation,
    Meeting,
    Notification,
    NotificationState,
    Person,
)
from storage.services.drafts import create_draft
from storage.services.invitations import answer_invitation, invite_points
from tests.conftest import VN, fresh_postgres_database
from tests.fakebotapi import FakeBotAPI
from tests.ops.processes import clean_env, free_port, spawn
from tests.storage.factories import make_committee, make_meeting

pytestmark = [pytest.mark.postgres, pytest.mark.scenario]

CHAT_BASE = 700_000
STARTS = "PHIÊN HỌP BẮT ĐẦU SAU 1 GIỜ"
INVITATION = "GIẤY MỜI HỌP TRỰC TUYẾN"
READINESS = "KIỂM TRA ĐƯỜNG TRUYỀN"
CANCELLED = "THÔNG BÁO HỦY PHIÊN HỌP"
TASK = "Đồng chí nhận được nhiệm vụ"


@pytest.fixture
def database() -> Iterator[str]:
    yield from fresh_postgres_database("outbox")


async def _meetings(url: str) -> tuple[dict[str, int], list[int]]:
    """Two meetings starting within the hour (their hour-before reminders are due when a
    server starts); everyone is invited to the first, only ``u1_1`` is still coming to the
    second; a third next week, nobody invited yet. Returns the people's ids by key and the
    meetings' ids."""
    await asyncio.to_thread(migrate.upgrade, url)
    engine = make_async_engine(url)
    earlier = datetime.now(VN) - timedelta(hours=2)  # scheduled two hours ago
    async with make_async_sessionmaker(engine).begin() as session:
        seed = await make_committee(session, points=2, per_point=3)
        for person in await session.scalars(select(Person)):
            person.telegram_user_id = CHAT_BASE + person.id
        ids = []
        invited = (timedelta(hours=2, minutes=59), timedelta(hours=2, minutes=58))
        for starts_in in invited:
            meeting = await make_meeting(session, seed, now=earlier, starts_in=starts_in)
            await invite_points(session, meeting.id, now=earlier)
            ids.append(meeting.id)
        second = await session.scalars(select(Invitation).where(Invitation.meeting_id == ids[1]))
        for invitation in second:
            if invitation.person_id != seed.person_ids["u1_1"]:
                await answer_invitation(
                    session,
                    invitation.id,
                    status=AnswerStatus.DECLINED,
                    now=earlier,
                    reason="Trùng lịch",
                )
        await session.execute(
            update(Meeting).where(Meeting.id.in_(ids)).values(updated_at=earlier.astimezone(UTC))
        )
        later = await make_meeting(session, seed, now=earlier, starts_in=timedelta(days=8))
        ids.append(later.id)  # not invited yet: the secretary will
        # A draft of the first meeting's conclusions with two tasks for unit ĐV1.
        tasks = [
            {"assignee": "ĐV1", "action": action, "deadline": "2027-06-30", "cooperating": []}
            for action in ("Hoàn thiện báo cáo quy hoạch", "Tổng hợp ý kiến các huyện")
        ]
        await create_draft(
            session,
            content={"meeting_date": None, "conclusions": [], "tasks": tasks},
            now=earlier,
            meeting_id=ids[0],
        )
    await engine.dispose()
    return dict(seed.person_ids), ids


def _server(url: str, tmp_path: Path, fake: FakeBotAPI) -> subprocess.Popen[str]:
    env = clean_env(
        DIEMCAU_DATABASE_URL=url,
        DIEMCAU_DATA_DIR=str(tmp_path),
        DIEMCAU_TELEGRAM_TOKEN=fake.token,
        DIEMCAU_TELEGRAM_BASE_URL=fake.base_url,
        DIEMCAU_WEB_PORT=str(free_port()),
    )
    return spawn("run", cwd=tmp_path, env=env)


def _texts(fake: FakeBotAPI, chat: int, start: str) -> list[str]:
    return [m.text or "" for m in fake.messages(chat) if (m.text or "").startswith(start)]


def _starts(fake: FakeBotAPI, chat: int) -> list[str]:
    return _texts(fake, chat, STARTS)


async def _settled(
    url: str, kind: str, until: Callable[[list[Notification]], bool] = lambda _: True
) -> list[Notification]:
    """The rows of ``kind`` once none of them waits to be sent (and ``until`` holds)."""
    engine = make_async_engine(url)
    try:
        for _ in range(300):
            async with make_async_sessionmaker(engine)() as session:
                rows = list(
                    await session.scalars(select(Notification).where(Notification.kind == kind))
                )
            busy = (NotificationState.PENDING, NotificationState.SENDING)
            if rows and all(r.state not in busy for r in rows) and until(rows):
                return rows
            await asyncio.sleep(0.1)
    finally:
        await engine.dispose()
    raise AssertionError(f"{kind} never settled")


async def test_a_crash_between_commit_and_send_and_a_reply_that_never_came(
    database: str, tmp_path: Path
) -> None:
    people, meetings = await _meetings(database)
    fake = FakeBotAPI()
    await fake.start()
    x = CHAT_BASE + people["u1_1"]
    others = [CHAT_BASE + pid for key, pid in people.items() if key != "u1_1"]
    fake.withhold_replies.add(x)  # Telegram gets x's first message; its answer never comes
    first = _server(database, tmp_path, fake)
    second: subprocess.Popen[str] | None = None
    third: subprocess.Popen[str] | None = None
    fourth: subprocess.Popen[str] | None = None
    fifth: subprocess.Popen[str] | None = None
    try:
        # The first server catches up at start: the hour-before reminder of each meeting.
        await fake.wait_for(
            lambda: fake.withheld == 1 and all(len(_starts(fake, c)) == 1 for c in others),
            timeout=90,
            what="the first server's reminders, x's first one unanswered",
        )
        first.send_signal(signal.SIGKILL)  # x's second reminder is committed, not sent
        first.communicate(timeout=30)
        assert len(_starts(fake, x)) == 1
        fake.withhold_replies.clear()

        second = _server(database, tmp_path, fake)
        await fake.wait_for(lambda: len(_starts(fake, x)) == 2, timeout=90, what="x's second")
        rows = await _settled(database, "meeting.hour_before")

        # The secretary invites the third meeting's points; the second server is killed
        # while coordinator 1's invitation has no answer and its readiness request waits.
        y = CHAT_BASE + people["coord1"]
        fake.withhold_replies.add(y)
        secretary = fake.user(CHAT_BASE + people["secretary"], "Thư ký")
        await secretary.send("/hop")
        listed = await fake.wait_for(
            lambda: [m for m in secretary.inbox if m.buttons][2:3], what="the meetings"
        )
        await secretary.press("Gửi giấy mời", listed[0])
        invitees = [CHAT_BASE + pid for pid in people.values()]
        await fake.wait_for(
            lambda: (
                fake.withheld == 2 and all(len(_texts(fake, c, INVITATION)) == 1 for c in invitees)
            ),
            timeout=60,
            what="the invitations, coordinator 1's unanswered",
        )
        second.send_signal(signal.SIGKILL)
        second.communicate(timeout=30)
        fake.withhold_replies.clear()
        assert _texts(fake, y, READINESS) == []  # committed, not sent
        third = _server(database, tmp_path, fake)
        await fake.wait_for(lambda: _texts(fake, y, READINESS), timeout=90, what="y's request")
        invited = await _settled(database, "meeting.invitation")
        await _settled(database, "meeting.readiness_request")

        # The secretary cancels that meeting; the third server is killed while coordinator
        # 0's notice has no answer. The fourth finds it in doubt and sends nothing again.
        z = CHAT_BASE + people["coord0"]
        fake.withhold_replies.add(z)
        await secretary.press("Hủy phiên họp", listed[0])
        await secretary.receive("lý do hủy")
        await secretary.send("Lùi sang tuần sau")
        await fake.wait_for(
            lambda: (
                fake.withheld == 3 and all(len(_texts(fake, c, CANCELLED)) == 1 for c in invitees)
            ),
            timeout=60,
            what="the cancellation notices, coordinator 0's unanswered",
        )
        third.send_signal(signal.SIGKILL)
        third.communicate(timeout=30)
        fake.withhold_replies.clear()
        fourth = _server(database, tmp_path, fake)
        cancelled = await _settled(
            database,
            "meeting.cancelled",
            until=lambda rows: any(r.state == NotificationState.IN_DOUBT for r in rows),
        )

        # The chair approves the draft: two tasks for each of ĐV1's people. The fourth server
        # is killed with u1_0's first task unanswered and the second committed, not sent.
        unit = [CHAT_BASE + people[k] for k in ("coord1", "u1_0", "u1_1")]
        w = CHAT_BASE + people["u1_0"]
        fake.withhold_replies.add(w)
        chair = fake.user(CHAT_BASE + people["chair"], "Chủ tịch")
        await chair.send("/duthao")
        await chair.press("Duyệt")
        await fake.wait_for(
            lambda: (
                fake.withheld == 4 and all(len(_texts(fake, c, TASK)) == 2 for c in unit if c != w)
            ),
            timeout=60,
            what="the tasks, u1_0's first unanswered",
        )
        fourth.send_signal(signal.SIGKILL)
        fourth.communicate(timeout=30)
        fake.withhold_replies.clear()
        assert len(_texts(fake, w, TASK)) == 1
        fifth = _server(database, tmp_path, fake)
        await fake.wait_for(lambda: len(_texts(fake, w, TASK)) == 2, timeout=90, what="w's second")
        given = await _settled(database, "task.assigned")
    finally:
        for server in (first, second, third, fourth, fifth):
            if server is not None and server.poll() is None:
                server.terminate()
                server.communicate(timeout=30)
        await fake.stop()

    # x: once per meeting; the one whose answer never came was not sent again.
    assert len(_starts(fake, x)) == 2
    assert all(len(_starts(fake, c)) == 1 for c in others)  # everyone else exactly once
    by_meeting = {(r.subject, r.recipient): r.state for r in rows}
    recipient = f"person:{people['u1_1']}"
    assert by_meeting.pop((f"meeting:{meetings[0]}", recipient)) == NotificationState.IN_DOUBT
    assert by_meeting.pop((f"meeting:{meetings[1]}", recipient)) == NotificationState.SENT
    # The others were all delivered by the first server; one killed before it recorded the
    # answer is in doubt too, and (as asserted above) was not sent again either.
    assert set(by_meeting.values()) <= {NotificationState.SENT, NotificationState.IN_DOUBT}
    assert len(by_meeting) == len(others)

    # Every invitation arrived exactly once, each coordinator's readiness request too; the
    # unanswered invitation is in doubt, the request behind it was sent by the third server.
    assert all(len(_texts(fake, c, INVITATION)) == 1 for c in invitees)
    coordinators = [CHAT_BASE + people[k] for k in ("coord0", "coord1")]
    assert all(len(_texts(fake, c, READINESS)) == 1 for c in coordinators)
    states = {r.recipient: r.state for r in invited}
    assert states.pop(f"person:{people['coord1']}") == NotificationState.IN_DOUBT
    assert set(states.values()) <= {NotificationState.SENT, NotificationState.IN_DOUBT}
    assert len(states) == len(invitees) - 1

    # Every cancellation notice arrived exactly once; the unanswered one stayed in doubt.
    assert all(len(_texts(fake, c, CANCELLED)) == 1 for c in invitees)
    notices = {r.recipient: r.state for r in cancelled}
    assert notices.pop(f"person:{people['coord0']}") == NotificationState.IN_DOUBT
    assert set(notices.values()) <= {NotificationState.SENT, NotificationState.IN_DOUBT}

    # Each of ĐV1's people got each task exactly once; u1_0's unanswered one is in doubt,
    # the one committed behind it was sent by the fifth server.
    assert all(len(_texts(fake, c, TASK)) == 2 for c in unit)
    mine = sorted((r.subject, r.state) for r in given if r.recipient == f"person:{people['u1_0']}")
    assert [state for _, state in mine] == [NotificationState.IN_DOUBT, NotificationState.SENT]
    assert len(given) == 2 * len(unit)
