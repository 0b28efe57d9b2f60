"""A draft with no task explains itself: why it is empty, the transcript it came from (a TXT
with [hh:mm:ss] times), "Thêm nhiệm vụ" offered first; approving it asks once more. The
transcript goes with every draft, empty or not."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import docx
import pytest
from sqlalchemy import func, select
from telegram.ext import CallbackContext

from bot.common import DraftFiles
from bot.handlers.drafts import review_notes, send_for_review
from storage.models import (
    Draft,
    DraftStatus,
    NotificationState,
    Recording,
    RecordingStatus,
    Task,
    TranscriptSegment,
)
from storage.services.drafts import create_draft
from storage.services.notifications import log_for
from tests.bot.harness import Harness, running_bot
from tests.fakebotapi import FakeUser, SentMessage
from tests.storage.factories import make_meeting

pytestmark = pytest.mark.scenario

SPOKEN = [
    (5.0, 9.5, "Kính thưa các đồng chí, hôm nay chúng ta họp về quy hoạch tỉnh."),
    (65.2, 70.0, "Đơn vị tư vấn đã trình bày báo cáo."),
    (3725.0, 3731.0, "Xin cảm ơn các đồng chí."),
]


def transcript_in(user: FakeUser) -> SentMessage | None:
    return next((m for m in user.inbox if (m.document_name or "").startswith("ban-ghi-")), None)


def paragraphs(message: SentMessage) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(message.document_bytes or b"")).paragraphs]


async def _draft(
    h: Harness,
    now: datetime,
    *,
    duration: float,
    content: dict[str, Any],
    spoken: list[tuple[float, float, str]] = SPOKEN,
) -> int:
    """A transcribed recording of a meeting and its stored draft's id."""
    async with h.sessions.begin() as session:
        meeting = await make_meeting(session, h.seed, now=now, starts_in=timedelta(hours=1))
        recording = Recording(
            meeting_id=meeting.id,
            path="/nonexistent",
            sha256="0" * 64,
            size_bytes=1,
            duration_s=duration,
            status=RecordingStatus.DRAFTED,
            progress=1.0,
            created_at=now,
            updated_at=now,
        )
        session.add(recording)
        await session.flush()
        for seq, (start, end, text) in enumerate(spoken):
            session.add(
                TranscriptSegment(
                    recording_id=recording.id, seq=seq, start=start, end=end, text=text
                )
            )
        draft = await create_draft(
            session, content=content, now=now, meeting_id=meeting.id, recording_id=recording.id
        )
        return draft.id


async def test_an_empty_draft_says_why_attaches_the_transcript_and_asks_before_approval(
    tmp_path: Path, now: datetime
) -> None:
    async with running_bot(tmp_path, now) as h:
        empty = {"meeting_date": "2026-11-26", "conclusions": [], "tasks": []}
        # two hours of recording with a few sentences in it: empty and thin
        draft_id = await _draft(h, now, duration=7200.0, content=empty)
        chair = h.user("chair")
        await chair.send("/duthao")
        review = await chair.receive("DỰ THẢO THÔNG BÁO KẾT LUẬN")
        text = review.text or ""
        words = sum(len(spoken.split()) for _, _, spoken in SPOKEN)
        assert "không tìm thấy câu giao nhiệm vụ nào" in text and "Bản ghi lời nói gửi kèm" in text
        assert f"Bản ghi chỉ nghe được {words} từ trong 2 giờ 00 phút" in text
        assert text.index("Vì sao chưa có nhiệm vụ") < text.index("Kết luận:")
        assert [b["text"] for b in review.buttons] == ["Thêm nhiệm vụ", "Duyệt", "Trả lại"]

        attachment = await h.server.wait_for(
            lambda: transcript_in(chair), what="the transcript file"
        )
        assert attachment.document_name == f"ban-ghi-{draft_id}.docx"
        assert "[giờ:phút:giây]" in (attachment.text or "")  # the caption
        # the notice and the record come too, each once
        names = sorted(m.document_name or "" for m in chair.inbox if m.document_name)
        assert names == sorted(
            [
                f"ban-ghi-{draft_id}.docx",
                f"bien-ban-{draft_id}.docx",
                f"thong-bao-ket-luan-{draft_id}.docx",
            ]
        )
        assert paragraphs(attachment)[-3:] == [
            "[00:00:05] Kính thưa các đồng chí, hôm nay chúng ta họp về quy hoạch tỉnh.",
            "[00:01:05] Đơn vị tư vấn đã trình bày báo cáo.",
            "[01:02:05] Xin cảm ơn các đồng chí.",
        ]

        # "Duyệt" on a notice with no task: a question, not an approval.
        await chair.press("Duyệt", review)
        confirm = await chair.receive("Đồng chí vẫn duyệt?")
        assert [b["text"] for b in confirm.buttons] == [
            "Thêm nhiệm vụ",
            "Vẫn duyệt, không có nhiệm vụ",
        ]
        async with h.sessions() as session:
            draft = await session.get(Draft, draft_id)
            assert draft is not None and draft.status == DraftStatus.PENDING
        await chair.press("Vẫn duyệt, không có nhiệm vụ", confirm)
        await chair.receive(f"Đã duyệt dự thảo số {draft_id}; 0 nhiệm vụ")
        async with h.sessions() as session:
            draft = await session.get(Draft, draft_id, populate_existing=True)
            assert draft is not None and draft.status == DraftStatus.APPROVED
            assert await session.scalar(select(func.count()).select_from(Task)) == 0


async def test_a_draft_with_tasks_is_approved_at_once_and_still_carries_its_transcript(
    tmp_path: Path, now: datetime
) -> None:
    async with running_bot(tmp_path, now) as h:
        task = {
            "assignee": "Sở Tài chính",
            "cooperating": [],
            "action": "Báo cáo phương án bố trí vốn",
            "deadline": "2026-12-20",
            "deadline_text": "trước ngày 20/12",
            "evidence": "Giao Sở Tài chính báo cáo phương án bố trí vốn trước ngày 20/12.",
        }
        content = {"meeting_date": "2026-11-26", "conclusions": [], "tasks": [task]}
        said = "Giao Sở Tài chính báo cáo phương án bố trí vốn trước ngày 20/12."
        # a short recording: neither empty nor thin
        draft_id = await _draft(h, now, duration=20.0, content=content, spoken=[(5.0, 12.0, said)])
        chair = h.user("chair")
        await chair.send("/duthao")
        review = await chair.receive("DỰ THẢO THÔNG BÁO KẾT LUẬN")
        text = review.text or ""
        assert "Vì sao chưa có nhiệm vụ" not in text and "chỉ nghe được" not in text
        assert review.buttons[0]["text"] == "Sửa NV 1"
        transcript = await h.server.wait_for(
            lambda: transcript_in(chair), what="the transcript file"
        )
        assert paragraphs(transcript)[-1] == f"[00:00:05] {said}"
        await chair.press("Duyệt", review)
        await chair.receive(f"Đã duyệt dự thảo số {draft_id}; 1 nhiệm vụ")


def test_the_notes_say_only_what_holds() -> None:
    """A draft from written notes has no transcript to point to; a silent recording says so
    even when a reviewer has added tasks; a short clip is never called thin."""
    from_notes = review_notes({"tasks": []}, DraftFiles((("notice", "tb.docx", b"x"),)))
    assert len(from_notes) == 1 and "Bản ghi lời nói" not in from_notes[0]
    silent = review_notes({"tasks": [{"assignee": "Sở"}]}, DraftFiles((), 0, 1800.0))
    assert silent == [
        "Không nghe được lời nói nào trong bản ghi (30 phút): xin nghe lại tệp ghi âm."
    ]
    assert review_notes({"tasks": [{"assignee": "Sở"}]}, DraftFiles((), 3, 20.0)) == []


async def test_a_reviewer_whose_chat_fails_does_not_keep_the_draft_from_the_chair(
    tmp_path: Path, now: datetime
) -> None:
    """The secretary's account is gone ("Chat not found"): the chair still gets the draft and
    its documents, and the failure is in the notification log."""
    async with running_bot(tmp_path, now) as h:
        content = {"meeting_date": "2026-11-26", "conclusions": [], "tasks": []}
        draft_id = await _draft(h, now, duration=600.0, content=content)
        secretary, chair = h.user("secretary"), h.user("chair")
        h.server.missing_chats.add(secretary.id)
        await send_for_review(CallbackContext(h.application), draft_id)
        await chair.receive("DỰ THẢO THÔNG BÁO KẾT LUẬN")
        await h.server.wait_for(
            lambda: len([m for m in chair.inbox if m.document_name]) == 3, what="documents"
        )
        assert secretary.inbox == []
        await h.outbox_settled()
        async with h.sessions() as session:
            logged = await log_for(session, subject=f"draft:{draft_id}")
        ids = h.seed.person_ids
        states = {(n.recipient, n.state) for n in logged}
        assert states == {
            (f"person:{ids['secretary']}", NotificationState.FAILED),
            (f"person:{ids['chair']}", NotificationState.SENT),
        }
        assert len(logged) == 8  # the text and three documents, to each of the two
        assert all(
            "chat not found" in (n.error or "").lower()
            for n in logged
            if n.state == NotificationState.FAILED
        )


async def test_a_draft_sent_again_after_a_crash_reaches_each_reviewer_once(
    tmp_path: Path, now: datetime
) -> None:
    """The pipeline sends a new draft to its reviewers, then marks the recording sent; a crash
    between the two makes it send again on resume. The second call finds the draft's messages
    in the outbox already (keyed by the draft, not the moment) and adds nothing."""
    async with running_bot(tmp_path, now) as h:
        content = {"meeting_date": "2026-11-26", "conclusions": [], "tasks": []}
        draft_id = await _draft(h, now, duration=600.0, content=content)
        context = CallbackContext(h.application)
        await send_for_review(context, draft_id)
        await h.outbox_settled()
        h.clock.advance(timedelta(minutes=3))  # the resumed pipeline comes later
        await send_for_review(context, draft_id)
        await h.outbox_settled()
        chair = h.user("chair")
        assert sum("DỰ THẢO THÔNG BÁO KẾT LUẬN" in t for t in chair.texts()) == 1
        assert len([m for m in chair.inbox if m.document_name]) == 3
        # Asked for on purpose (/duthao), it comes again: that is a request, not a repeat.
        await chair.send("/duthao")
        await chair.receive("DỰ THẢO THÔNG BÁO KẾT LUẬN")
        await h.server.wait_for(
            lambda: sum("DỰ THẢO THÔNG BÁO KẾT LUẬN" in t for t in chair.texts()) == 2,
            what="the draft asked for again",
        )
