"""A dialogue survives the server's death: a real ``diemcau run`` process is killed with
SIGKILL in the middle of /taohop and in the middle of a meeting's edit; the next answer, sent
to the restarted server, continues the same dialogue. A question left open about a meeting
that was cancelled meanwhile ends with a clear message after the restart. On SQLite and on
the real PostgreSQL."""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from storage import migrate
from storage.db import make_async_engine, make_async_sessionmaker
from storage.models import BotConversation, BotUserData, Meeting, MeetingStatus
from storage.seed import load_seed
from storage.services.meetings import cancel_meeting
from tests.bot.harness import twelve_people
from tests.conftest import BACKENDS, VN, empty_database_url
from tests.fakebotapi import FakeBotAPI, FakeUser, SentMessage
from tests.ops.processes import clean_env, free_port, spawn, wait_healthy
from transcribe.model import BUNDLED_DIR

pytestmark = pytest.mark.scenario


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from empty_database_url(request.param, tmp_path, "convo")


class Server:
    """``diemcau run`` against the fake Bot API, started and killed as the test says."""

    def __init__(self, env: dict[str, str], cwd: Path) -> None:
        self.env, self.cwd = env, cwd
        self.process: subprocess.Popen[str] | None = None
        self.outputs: list[str] = []

    async def start(self) -> None:
        port = free_port()
        self.process = spawn("run", cwd=self.cwd, env={**self.env, "DIEMCAU_WEB_PORT": str(port)})
        await asyncio.to_thread(wait_healthy, port, self.process, 120)

    def kill(self) -> None:
        """SIGKILL: no clean-up, no last flush, nothing the process could do about it."""
        assert self.process is not None
        self.process.kill()
        self.outputs.append(self.process.communicate(timeout=30)[0])
        assert self.process.returncode == -9

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.outputs.append(self.process.communicate(timeout=30)[0])


@asynccontextmanager
async def fake_telegram() -> AsyncIterator[FakeBotAPI]:
    server = FakeBotAPI()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


async def reply_after(user: FakeUser, seen: int, needle: str, timeout: float = 30) -> SentMessage:
    """The first message after the ``seen`` ones in the user's chat that contains ``needle``
    (earlier messages may contain it too)."""
    found: SentMessage = await user.server.wait_for(
        lambda: next((m for m in user.inbox[seen:] if needle in (m.text or "")), None),
        timeout=timeout,
        what=f"{user.first_name} to receive {needle!r}",
    )
    return found


async def test_a_killed_server_resumes_the_dialogue_at_the_same_question(
    database: str, tmp_path: Path, model_data_dir: Path
) -> None:
    migrate.upgrade(database)
    engine = make_async_engine(database)
    sessions = make_async_sessionmaker(engine)
    data = twelve_people()
    async with sessions.begin() as session:
        await load_seed(session, data)

    async def stored_state() -> str | None:
        async with sessions() as session:
            return await session.scalar(select(BotConversation.state))

    async def wait_stored(state: str | None) -> None:
        """The question is in the database (or none is): from here a crash cannot forget it."""
        for _ in range(200):
            if await stored_state() == state:
                return
            await asyncio.sleep(0.05)
        raise AssertionError(f"the state stayed {await stored_state()!r}, never {state!r}")

    async with fake_telegram() as telegram:
        env = clean_env(
            DIEMCAU_DATABASE_URL=database,
            DIEMCAU_DATA_DIR=str(tmp_path / "data"),
            DIEMCAU_TELEGRAM_TOKEN=telegram.token,
            DIEMCAU_TELEGRAM_BASE_URL=telegram.base_url,
            DIEMCAU_WHISPER_MODEL=str(model_data_dir / BUNDLED_DIR),
        )
        server = Server(env, tmp_path)
        secretary_data = next(p for p in data["people"] if p["key"] == "secretary")
        secretary = telegram.user(secretary_data["telegram_user_id"], "Thư ký")
        try:
            await server.start()
            # --- /taohop: the title is answered, the time is asked; then the server dies ---
            await secretary.send("/taohop")
            await secretary.receive("tiêu đề")
            await secretary.send("Phiên họp sau sự cố")
            await secretary.receive("Thời gian bắt đầu")
            await wait_stored("NewMeetingStep.TIME")
            server.kill()

            await server.start()
            seen = len(secretary.inbox)
            await secretary.send("8h00 thứ năm tuần sau")
            await reply_after(secretary, seen, "Ai chủ trì")  # the time question, answered
            await secretary.press("Trần Văn Chủ (Chủ tịch UBND tỉnh)")
            await secretary.receive("Chọn các điểm cầu")
            await secretary.press("▫️ Điểm cầu 0")
            await telegram.wait_for(
                lambda: any(b["text"] == "✅ Điểm cầu 0" for b in secretary.inbox[-1].buttons)
            )
            await secretary.press("Xong")
            await secretary.receive("Nội dung chương trình")
            await secretary.send("Khắc phục sự cố — Văn phòng")
            await secretary.receive("Đã thêm nội dung 1")
            await secretary.press("Xong")
            confirm = await secretary.receive("XÁC NHẬN PHIÊN HỌP")
            assert "Phiên họp sau sự cố" in (confirm.text or "")  # typed before the crash
            await secretary.press("Lưu phiên họp")
            saved = await secretary.receive("Đã lưu phiên họp")
            await wait_stored(None)  # done: nothing of the dialogue is left behind
            async with sessions() as session:
                meeting = await session.scalar(select(Meeting))
                assert meeting is not None and meeting.title == "Phiên họp sau sự cố"
                assert meeting.starts_at.astimezone(VN).hour == 8
                assert (await session.scalars(select(BotUserData))).all() == []

            # --- an edit: the new title is asked; then the server dies ---
            await secretary.press("Sửa tiêu đề", saved)
            await secretary.receive("tiêu đề mới")
            await wait_stored("MeetingChangeStep.NEW_TITLE")
            server.kill()

            await server.start()
            seen = len(secretary.inbox)
            await secretary.send("Phiên họp sau sự cố (mở rộng)")
            await reply_after(secretary, seen, "THÔNG BÁO THAY ĐỔI PHIÊN HỌP")
            async with sessions() as session:
                renamed = await session.get(Meeting, meeting.id)
                assert renamed is not None and renamed.title == "Phiên họp sau sự cố (mở rộng)"

            # --- a question about a meeting cancelled meanwhile (on the web, say) ---
            await secretary.press("Dời lịch", saved)
            await secretary.receive("Thời gian mới")
            await wait_stored("MeetingChangeStep.NEW_TIME")
            async with sessions.begin() as session:
                await cancel_meeting(
                    session, meeting.id, reason="Trùng lịch", now=datetime.now(VN), actor_id=None
                )
            server.kill()

            await server.start()
            seen = len(secretary.inbox)
            await secretary.send("9h00 thứ sáu tuần sau")
            await reply_after(secretary, seen, "không còn ở trạng thái dự kiến")
            await wait_stored(None)
            async with sessions() as session:
                cancelled = await session.get(Meeting, meeting.id)
                assert cancelled is not None and cancelled.status == MeetingStatus.CANCELLED
            # The dialogue is over: the next text is not taken as an answer.
            seen = len(secretary.inbox)
            await secretary.send("9h00 thứ sáu tuần sau")
            await reply_after(secretary, seen, "Tôi chưa hiểu yêu cầu")
            server.kill()
        finally:
            server.stop()
            await engine.dispose()
    # No step failed on the way (the error handler logs a traceback for any that does).
    for output in server.outputs:
        assert "Traceback" not in output, output
