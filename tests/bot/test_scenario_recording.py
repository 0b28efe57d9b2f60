"""The recording of a session, sent to the bot, becomes a draft that is edited, approved and
chased: real transcription (synthesised Vietnamese speech) in a worker process, the real
drafter, the real DOCX."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import docx
import pytest
from sqlalchemy import select

from storage.models import (
    Draft,
    DraftStatus,
    Recording,
    RecordingStatus,
    Task,
    TaskStatus,
    TranscriptSegment,
)
from storage.services.invitations import invite_points
from tests.bot.harness import running_bot, twelve_people
from tests.storage.factories import make_meeting

pytestmark = [pytest.mark.scenario, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "examples" / "sample-ket-luan.ogg"


def with_real_units() -> dict[str, Any]:
    """The twelve people, with the units the sample recording names: the people at point 1
    work for the Department of Finance, those at point 2 for the planning consultants."""
    data = twelve_people()
    for unit in data["units"]:
        if unit["short_name"] == "ĐV1":
            unit.update(name="Sở Tài chính", short_name="Sở Tài chính", aliases=["ĐV1"])
        if unit["short_name"] == "ĐV2":
            unit.update(
                name="Đơn vị tư vấn lập quy hoạch tỉnh", short_name="đơn vị tư vấn", aliases=["ĐV2"]
            )
    for person in data["people"]:
        person["unit"] = {"ĐV1": "Sở Tài chính", "ĐV2": "đơn vị tư vấn"}.get(
            person["unit"], person["unit"]
        )
    return data


async def test_recording_to_approved_tasks(
    tmp_path: Path, now: datetime, whisper_data_dir: Path
) -> None:
    async with running_bot(
        tmp_path, now, data=with_real_units(), whisper_data_dir=whisper_data_dir
    ) as h:
        async with h.sessions.begin() as session:
            meeting = await make_meeting(session, h.seed, now=now, starts_in=timedelta(hours=1))
            await invite_points(session, meeting.id, now=now)
        h.clock.advance(timedelta(hours=3))  # the session has been held
        secretary, chair = h.user("secretary"), h.user("chair")

        await secretary.send_file(
            SAMPLE.read_bytes(), "ket-luan.ogg", kind="voice", mime_type="audio/ogg", duration=40
        )
        await secretary.receive("Bản ghi này thuộc phiên họp nào?")
        await secretary.press("Phiên họp lần thứ 3")
        progress = await secretary.receive("Đang chuyển giọng nói thành văn bản")
        done = await secretary.receive("Đã chuyển xong giọng nói thành văn bản", timeout=240)
        assert done.message_id == progress.message_id  # ONE progress message, edited
        review = await secretary.receive("DỰ THẢO THÔNG BÁO KẾT LUẬN", timeout=60)
        await chair.receive("DỰ THẢO THÔNG BÁO KẾT LUẬN")

        # The DOCX notice came with it, and reads back.
        document = next(m for m in secretary.inbox if m.document_name)
        assert document.document_name and document.document_name.endswith(".docx")
        assert document.document_bytes is not None
        notice = docx.Document(io.BytesIO(document.document_bytes))
        body = "\n".join(p.text for p in notice.paragraphs)
        assert "THÔNG BÁO" in body and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in "\n".join(
            cell.text for table in notice.tables for row in table.rows for cell in row.cells
        )

        async with h.sessions() as session:
            recording = await session.scalar(select(Recording))
            draft = await session.scalar(select(Draft))
            spoken = " ".join(
                seg.text.lower()
                for seg in await session.scalars(
                    select(TranscriptSegment).order_by(TranscriptSegment.seq)
                )
            )
        assert recording is not None and recording.status == RecordingStatus.DONE
        assert recording.progress == pytest.approx(1.0)
        assert recording.duration_s is not None and recording.duration_s > 20
        # Whisper base on synthetic speech is rough: check the robust words only.
        assert "tài chính" in spoken and "cảm ơn" in spoken
        assert draft is not None and draft.recording_id == recording.id
        found = len(draft.content["tasks"])

        # What the recogniser garbled, the secretary adds by hand; then edits its action.
        await secretary.press("Thêm nhiệm vụ", review)
        await secretary.receive("nhiệm vụ cần thêm")
        await secretary.send("Sở Tài chính; Báo cáo phương án bố trí vốn; trước ngày 30/6/2027")
        await secretary.receive("Đã lưu sửa đổi (bản 2)")
        added = await secretary.receive(f"{found + 1}. Sở Tài chính: Báo cáo phương án bố trí vốn")
        assert "hạn: 30/06/2027" in (added.text or "")
        await secretary.press(f"Sửa NV {found + 1}", added)
        await secretary.press("Nội dung")
        await secretary.receive("nội dung mới")
        await secretary.send("Báo cáo UBND tỉnh phương án bố trí vốn, phối hợp Sở Xây dựng")
        await secretary.receive("Đã lưu sửa đổi (bản 3)")
        await chair.send("/duthao")
        latest = await chair.receive("bản 3)")
        await chair.press("Duyệt", latest)
        await chair.receive("Đã duyệt dự thảo số 1")

        # The Department of Finance's people get their task and complete it.
        card = await h.user("u1_0").receive("Nội dung: Báo cáo UBND tỉnh phương án bố trí vốn")
        assert "Đơn vị chủ trì: Sở Tài chính" in (card.text or "")
        assert "Thời hạn: 30/06/2027" in (card.text or "")
        await h.user("u1_0").press("Hoàn thành", card)
        await h.user("u1_0").send("Đã báo cáo UBND tỉnh bằng văn bản")
        await h.user("u1_0").receive("Đã ghi nhận hoàn thành")
        async with h.sessions() as session:
            stored = (await session.scalars(select(Task))).all()
            approved = await session.scalar(select(Draft))
        assert approved is not None and approved.status == DraftStatus.APPROVED
        assert any(t.status == TaskStatus.DONE for t in stored)


async def test_a_file_that_is_not_audio_fails_clearly_and_is_kept(
    tmp_path: Path, now: datetime, whisper_data_dir: Path
) -> None:
    async with running_bot(tmp_path, now, whisper_data_dir=whisper_data_dir) as h:
        async with h.sessions.begin() as session:
            await make_meeting(session, h.seed, now=now, starts_in=timedelta(hours=1))
        h.clock.advance(timedelta(hours=3))
        secretary = h.user("secretary")
        await secretary.send_file(
            "Ghi chép cuộc họp, không phải ghi âm".encode(), "ghi-chep.txt", mime_type="text/plain"
        )
        await secretary.press("Phiên họp lần thứ 3")
        failed = await secretary.receive("Không chuyển được bản ghi thành văn bản", timeout=120)
        assert "Traceback" not in (failed.text or "")
        async with h.sessions() as session:
            recording = await session.scalar(select(Recording))
        assert recording is not None and recording.status == RecordingStatus.FAILED
        assert recording.error
        assert Path(recording.path).stat().st_size > 0  # nothing lost  # noqa: ASYNC240
        assert not any("DỰ THẢO" in t for t in secretary.texts())
