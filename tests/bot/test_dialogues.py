"""The dialogues' rules, through the real bot: /huy leaves from every question, a new question
replaces the open one, a lost form ends clearly, and the stored rows follow the dialogue
(written once per change, removed when it ends)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.persistence import DatabasePersistence
from storage.models import BotConversation, BotUserData, Meeting
from storage.services.meetings import cancel_meeting
from tests.bot.harness import Harness, running_bot
from tests.fakebotapi import FakeUser, SentMessage
from tests.storage.factories import make_meeting

pytestmark = pytest.mark.scenario


async def stored(h: Harness) -> tuple[list[str], list[int]]:
    """The stored conversation states and the users with stored dialogue data."""
    async with h.sessions() as session:
        states = list(await session.scalars(select(BotConversation.state)))
        users = list(await session.scalars(select(BotUserData.user_id)))
    return states, users


async def settled(h: Harness, states: list[str]) -> tuple[list[str], list[int]]:
    """Wait until the stored states are ``states`` (the flush follows the reply)."""
    for _ in range(500):
        now = await stored(h)
        if now[0] == states:
            return now
        await asyncio.sleep(0.02)
    raise AssertionError(f"stored {await stored(h)}, expected states {states}")


async def ask_for_the_time(secretary: FakeUser, title: str) -> None:
    """/taohop up to its second question: the title given, the time asked."""
    await secretary.send("/taohop")
    await secretary.receive("tiêu đề")
    await secretary.send(title)
    await secretary.receive("Thời gian bắt đầu")


def snapshot(user: FakeUser) -> dict[int, int]:
    """The user's chat as it is: each message and how many times it was edited."""
    return {m.message_id: len(m.edits) for m in user.inbox}


async def reply_after(user: FakeUser, seen: dict[int, int], needle: str) -> SentMessage:
    """A message sent or edited since ``seen`` that contains ``needle``."""

    def fresh(m: SentMessage) -> bool:
        return seen.get(m.message_id) != len(m.edits) and needle in (m.text or "")

    found: SentMessage = await user.server.wait_for(
        lambda: next((m for m in reversed(user.inbox) if fresh(m)), None),
        timeout=20,
        what=f"{user.first_name} to receive {needle!r}",
    )
    return found


# Each step of /taohop from the start: what to do, and the question it leads to.
TAOHOP = [
    ("send", "/taohop", "tiêu đề", "NewMeetingStep.TITLE"),
    ("send", "Phiên họp thử", "Thời gian bắt đầu", "NewMeetingStep.TIME"),
    ("send", "8h00 thứ năm tuần sau", "Ai chủ trì", "NewMeetingStep.CHAIR"),
    ("press", "Trần Văn Chủ (Chủ tịch UBND tỉnh)", "Chọn các điểm cầu", "NewMeetingStep.POINTS"),
    ("press", "▫️ Điểm cầu 1", "Chọn các điểm cầu", "NewMeetingStep.POINTS"),
    ("press", "Xong", "Nội dung chương trình", "NewMeetingStep.AGENDA"),
    ("press", "Xong", "XÁC NHẬN PHIÊN HỌP", "NewMeetingStep.CONFIRM"),
]


async def test_huy_leaves_from_every_question(tmp_path: Path, now: datetime) -> None:
    async with running_bot(tmp_path, now) as h:
        secretary = h.user("secretary")
        for depth in range(1, len(TAOHOP) + 1):
            for how, what, question, _ in TAOHOP[:depth]:
                seen = snapshot(secretary)
                if how == "send":
                    await secretary.send(what)
                else:
                    await secretary.press(what)
                await reply_after(secretary, seen, question)
            await settled(h, [TAOHOP[depth - 1][3]])
            seen = snapshot(secretary)
            await secretary.send("/huy")
            await reply_after(secretary, seen, "Đã hủy thao tác.")
            assert await settled(h, []) == ([], [])
        # Nothing is open now: /huy says so, a text is no answer, an old button is refused.
        seen = snapshot(secretary)
        await secretary.send("/huy")
        await reply_after(secretary, seen, "Không có thao tác nào đang chờ.")
        await secretary.send("Phiên họp thử")
        await reply_after(secretary, seen, "Tôi chưa hiểu yêu cầu")
        stale = await secretary.press("Lưu phiên họp")
        refusal = await secretary.answered(stale)
        assert refusal["show_alert"] is True and "đã cũ" in refusal["text"]
        async with h.sessions() as session:
            assert await session.scalar(select(Meeting)) is None


async def test_a_new_question_replaces_the_open_one(tmp_path: Path, now: datetime) -> None:
    async with running_bot(tmp_path, now) as h:
        async with h.sessions.begin() as session:
            meeting = await make_meeting(session, h.seed, now=now)
        secretary = h.user("secretary")
        await secretary.send("/taohop")
        await secretary.receive("tiêu đề")
        await secretary.send("/hop")
        listed = await secretary.receive("Phiên họp lần thứ 3")
        await secretary.press("Sửa tiêu đề", listed)
        await secretary.receive("tiêu đề mới")
        await settled(h, ["MeetingChangeStep.NEW_TITLE"])
        await secretary.send("Phiên họp lần thứ 3 (đổi tên)")
        await secretary.receive("THÔNG BÁO THAY ĐỔI PHIÊN HỌP")
        assert await settled(h, []) == ([], [])
        async with h.sessions() as session:
            renamed = await session.get(Meeting, meeting.id)
            assert renamed is not None and renamed.title == "Phiên họp lần thứ 3 (đổi tên)"
            assert len((await session.scalars(select(Meeting))).all()) == 1


async def test_a_lost_form_ends_the_dialogue_clearly(tmp_path: Path, now: datetime) -> None:
    """The state says the time was asked, but the title collected before is gone (a version
    that stored it differently, say): the person is told to start again, nothing crashes."""
    async with running_bot(tmp_path, now) as h:
        secretary = h.user("secretary")
        await ask_for_the_time(secretary, "Phiên họp thử")
        await settled(h, ["NewMeetingStep.TIME"])
        h.application.drop_user_data(secretary.id)
        seen = snapshot(secretary)
        await secretary.send("8h00 thứ năm tuần sau")
        await reply_after(secretary, seen, "Xin bắt đầu lại")
        assert await settled(h, []) == ([], [])
        assert not any("Ai chủ trì" in t for t in secretary.texts())


async def test_a_question_left_a_day_unanswered_is_over(tmp_path: Path, now: datetime) -> None:
    """An answer the next morning continues the dialogue; a message more than a day after the
    question is not taken as its answer: the person is told, and nothing is created."""
    async with running_bot(tmp_path, now) as h:
        secretary = h.user("secretary")
        await ask_for_the_time(secretary, "Phiên họp thử")
        h.clock.advance(timedelta(hours=23))
        seen = snapshot(secretary)
        await secretary.send("8h00 thứ năm tuần sau")
        await reply_after(secretary, seen, "Ai chủ trì")

        await secretary.send("/huy")
        await secretary.receive("Đã hủy")
        await ask_for_the_time(secretary, "Phiên họp để quên")
        await settled(h, ["NewMeetingStep.TIME"])
        h.clock.advance(timedelta(hours=25))
        seen = snapshot(secretary)
        await secretary.send("8h00 thứ năm tuần sau")
        await reply_after(secretary, seen, "chờ quá 24 giờ")
        assert await settled(h, []) == ([], [])
        assert sum("Ai chủ trì" in t for t in secretary.texts()) == 1
        async with h.sessions() as session:
            assert (await session.scalars(select(Meeting))).all() == []


async def test_only_what_changed_is_written(tmp_path: Path, now: datetime) -> None:
    async with running_bot(tmp_path, now) as h:
        persistence = h.application.persistence
        assert isinstance(persistence, DatabasePersistence)
        secretary = h.user("secretary")

        async def step(how: str, what: str, question: str) -> int:
            """Transactions the step caused."""
            before = persistence.counts.transactions
            seen = snapshot(secretary)
            await (secretary.send(what) if how == "send" else secretary.press(what))
            await reply_after(secretary, seen, question)
            # The flush follows the reply: wait until this update's changes are all handled.
            counts, offered = persistence.counts, persistence.counts.offered
            for _ in range(500):
                if counts.offered > offered and counts.settled == counts.offered:
                    break
                await asyncio.sleep(0.02)
            return persistence.counts.transactions - before

        # A question asked: its state and its form, in one transaction.
        assert await step("send", "/taohop", "tiêu đề") == 1
        assert await stored(h) == (["NewMeetingStep.TITLE"], [secretary.id])
        assert await step("send", "Phiên họp thử", "Thời gian bắt đầu") == 1
        # A refused answer changes nothing, so nothing is written.
        assert await step("send", "họp sớm nhé", "Chưa hiểu thời gian") == 0
        # Neither does a command outside the dialogue.
        assert await step("send", "/lichhop", "phiên họp") == 0
        assert await stored(h) == (["NewMeetingStep.TIME"], [secretary.id])
        # The end deletes both rows, in one transaction.
        assert await step("send", "/huy", "Đã hủy thao tác.") == 1
        assert await stored(h) == ([], [])


async def test_questions_about_a_meeting_gone_meanwhile_end_clearly(
    tmp_path: Path, now: datetime
) -> None:
    """Asked for a reason to be absent, then the meeting is cancelled; asked for a new title,
    then the meeting is deleted: the answer gets the reason in Vietnamese, and that is all."""
    async with running_bot(tmp_path, now) as h:
        async with h.sessions.begin() as session:
            meeting = await make_meeting(session, h.seed, now=now)
        secretary, participant = h.user("secretary"), h.user("u1_1")
        await secretary.send("/hop")
        await secretary.press("Gửi giấy mời")
        await participant.receive("GIẤY MỜI")
        await participant.press("Vắng")
        await participant.receive("lý do vắng mặt")
        await settled(h, ["AnswerStep.DECLINE_REASON"])
        async with h.sessions.begin() as session:
            await cancel_meeting(session, meeting.id, reason="Trùng lịch", now=now)
        seen = snapshot(participant)
        await participant.send("Đi công tác")
        await reply_after(participant, seen, "Phiên họp đã bị hủy, không cần trả lời.")
        assert await settled(h, []) == ([], [])

        async with h.sessions.begin() as session:
            other = await make_meeting(session, h.seed, now=now)
        seen = snapshot(secretary)
        await secretary.send("/hop")
        listed = await reply_after(secretary, seen, "Phiên họp lần thứ 3")
        await secretary.press("Sửa tiêu đề", listed)
        await secretary.receive("tiêu đề mới")
        await settled(h, ["MeetingChangeStep.NEW_TITLE"])
        async with h.sessions.begin() as session:
            await session.delete(await session.get(Meeting, other.id))
        seen = snapshot(secretary)
        await secretary.send("Tên mới")
        await reply_after(secretary, seen, "Không tìm thấy phiên họp.")
        assert await settled(h, []) == ([], [])
