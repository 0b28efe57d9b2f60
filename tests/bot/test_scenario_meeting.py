"""The main scenario, by chat from start to finish: a meeting with three points and twelve
people is scheduled; every kind of answer; readiness with one problem; the roll call; the
recording (synthesised Vietnamese speech) transcribed, drafted, edited and approved; tasks
delivered, one completed, one extended."""

from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import docx
import pytest
from sqlalchemy import select

from storage.models import (
    AnswerStatus,
    Draft,
    DraftEdit,
    Invitation,
    Meeting,
    MeetingPoint,
    Person,
    Readiness,
    Recording,
    RecordingStatus,
    Task,
    TaskStatus,
    TranscriptSegment,
)
from storage.services.invitations import invite_points
from tests.bot.harness import running_bot, with_real_units
from tests.storage.factories import make_meeting
from tests.transcribe.conftest import cer

pytestmark = pytest.mark.scenario
SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sample-ket-luan.ogg"


@pytest.mark.slow
async def test_main_scenario(tmp_path: Path, now: datetime, model_data_dir: Path) -> None:
    async with running_bot(
        tmp_path, now, data=with_real_units(), whisper_data_dir=model_data_dir
    ) as h:
        secretary, chair = h.user("secretary"), h.user("chair")

        # An account nobody linked gets a polite refusal and nothing else.
        stranger = h.server.user(555, "Người lạ")
        await stranger.send("/lichhop")
        refusal = await stranger.receive("chưa được đăng ký")
        assert len(stranger.inbox) == 1 and not refusal.buttons

        # A participant cannot create a meeting.
        await h.user("u1_0").send("/taohop")
        await h.user("u1_0").receive("không có quyền")

        # --- the secretary creates the meeting in a guided conversation ---
        await secretary.send("/taohop")
        await secretary.receive("tiêu đề")
        await secretary.send("Phiên họp lần thứ 3 Ban Chỉ đạo")
        await secretary.receive("Thời gian bắt đầu")
        await secretary.send("họp sớm nhé")
        await secretary.receive("Chưa hiểu thời gian")
        await secretary.send("8h00 ngày 1/1/2020")
        await secretary.receive("đã qua")
        await secretary.send("8h00 thứ năm tuần sau")
        await secretary.receive("Ai chủ trì")
        await secretary.press("Trần Văn Chủ (Chủ tịch UBND tỉnh)")
        await secretary.receive("Chọn các điểm cầu")
        for label in ("▫️ Điểm cầu 0", "▫️ Điểm cầu 1", "▫️ Điểm cầu 2"):
            await secretary.press(label)
            await h.server.wait_for(
                lambda label=label: any(
                    b["text"] == "✅ " + label[3:] for b in secretary.inbox[-1].buttons
                ),
                what=f"{label} to be ticked",
            )
        await secretary.press("Xong")
        await secretary.receive("Nội dung chương trình")
        await secretary.send("Báo cáo tiến độ lập quy hoạch — Đơn vị tư vấn")
        await secretary.receive("Đã thêm nội dung 1")
        await secretary.press("Xong")
        confirm = await secretary.receive("XÁC NHẬN PHIÊN HỌP")
        assert "08 giờ 00, thứ Năm, ngày 03/12/2026" in (confirm.text or "")
        assert "Điểm cầu: Điểm cầu 0, Điểm cầu 1, Điểm cầu 2" in (confirm.text or "")
        await secretary.press("Lưu phiên họp")
        await secretary.receive("Đã lưu phiên họp")

        async with h.sessions() as session:
            meeting = await session.scalar(select(Meeting))
            assert meeting is not None and meeting.number is None
            assert meeting.starts_at == datetime(2026, 12, 3, 1, 0, tzinfo=meeting.starts_at.tzinfo)

        # --- invitations point by point ---
        await secretary.press("Gửi giấy mời")
        await secretary.receive("Đã gửi giấy mời tới 11 người tại 3 điểm cầu")
        invitation = await h.user("u1_0").receive("GIẤY MỜI HỌP TRỰC TUYẾN")
        assert "Điểm cầu của đồng chí: Điểm cầu 1" in (invitation.text or "")
        assert "1. Báo cáo tiến độ lập quy hoạch — trình bày: Đơn vị tư vấn" in (
            invitation.text or ""
        )
        assert [b["text"] for b in invitation.buttons] == ["Tham dự", "Vắng", "Cử người dự thay"]
        await h.user("coord2").receive("KIỂM TRA ĐƯỜNG TRUYỀN — Điểm cầu 2")

        # --- every kind of answer ---
        query = await h.user("u1_0").press("Tham dự", invitation)
        await h.user("u1_0").answered(query)
        await h.user("u1_0").receive("✅ Trả lời: Tham dự")

        await h.user("u1_1").press("Vắng")
        await h.user("u1_1").receive("lý do vắng mặt")
        await h.user("u1_1").send("Đi công tác Hà Nội")
        await h.user("u1_1").receive("Lý do: Đi công tác Hà Nội")

        await h.user("u1_2").press("Cử người dự thay")
        await h.user("u1_2").receive("người dự thay")
        await h.user("u1_2").send("Lò Văn Minh, Phó phòng Tổng hợp")
        await h.user("u1_2").receive("Lò Văn Minh (Phó phòng Tổng hợp)")

        await h.user("u2_0").press("Tham dự")
        await h.user("u2_0").receive("✅ Trả lời: Tham dự")
        await h.user("u2_0").press("Vắng")  # a change of mind
        await h.user("u2_0").send("Ốm")
        await h.user("u2_0").receive("Lý do: Ốm")

        # --- no answer, then a reminder ---
        await secretary.press("Nhắc người chưa trả lời")
        await secretary.receive("Đã nhắc")
        await h.user("u2_1").receive("NHẮC XÁC NHẬN THAM DỰ")
        assert not any("NHẮC" in t for t in h.user("u1_0").texts())

        # --- the secretariat answers on someone's behalf ---
        await secretary.press("Trả lời thay")
        behalf = await secretary.receive("Trả lời thay cho Người 0.0")
        await secretary.press("Vắng", behalf)
        await secretary.receive("lý do vắng mặt")
        await secretary.send("Nghỉ phép năm")
        await secretary.receive("Lý do: Nghỉ phép năm")

        # --- readiness: one ready, one problem reported to the secretariat ---
        await h.user("coord1").press("Điểm cầu sẵn sàng")
        await h.user("coord1").receive("Điểm cầu 1 sẵn sàng")
        await h.user("coord2").press("Có sự cố")
        await h.user("coord2").receive("mô tả sự cố")
        await h.user("coord2").send("Mất tiếng micro phòng họp")
        await secretary.receive("⚠️ Sự cố tại Điểm cầu 2")

        # --- the matrix the secretariat sees ---
        await secretary.press("Tình hình xác nhận")
        matrix = await secretary.receive("TÌNH HÌNH XÁC NHẬN THAM DỰ")
        assert "Điểm cầu 2 — điểm cầu có sự cố (Mất tiếng micro phòng họp)" in (matrix.text or "")
        assert "Lò Văn Minh (Phó phòng Tổng hợp)" in (matrix.text or "")

        # --- editing and moving the meeting tells everyone invited ---
        await secretary.press("Sửa tiêu đề")
        await secretary.receive("tiêu đề mới")
        await secretary.send("Phiên họp lần thứ 3 Ban Chỉ đạo (mở rộng)")
        await h.user("u1_1").receive(
            "THÔNG BÁO THAY ĐỔI PHIÊN HỌP\nPhiên họp lần thứ 3 Ban Chỉ đạo (mở rộng)"
        )
        await secretary.press("Thêm nội dung")
        await secretary.send("Ý kiến của các huyện – UBND các huyện")
        change = await h.user("u2_1").receive("2. Ý kiến của các huyện — trình bày: UBND các huyện")
        assert "THÔNG BÁO THAY ĐỔI" in (change.text or "")
        await secretary.press("Dời lịch")
        await secretary.receive("Thời gian mới")
        await secretary.send("8h00 thứ sáu tuần sau")
        moved = await h.user("u1_0").receive("THÔNG BÁO DỜI LỊCH HỌP")
        assert "08 giờ 00, thứ Sáu, ngày 04/12/2026" in (moved.text or "")

        # --- a forged button does nothing and says so ---
        forged = await h.user("u1_0").press_data("inv:1:acc:AAAAAAAAAA", invitation)
        answer = await h.user("u1_0").answered(forged)
        assert answer.get("show_alert") is True and "không hợp lệ" in answer["text"]

        # --- answers close at the start; on the day, the roll call at each point ---
        await h.outbox_settled()  # the notices above reach everyone before the roll call
        h.clock.advance(timedelta(days=8))
        coordinator = h.user("coord1")
        await coordinator.send("/diemdanh")
        roll = await coordinator.receive("ĐIỂM DANH — Điểm cầu 1")
        await coordinator.press("▫️ Người 1.0", roll)
        await coordinator.press("▫️ Lò Văn Minh")  # the substitute, under their own name
        await h.server.wait_for(
            lambda: [b["text"][:1] for b in coordinator.inbox[-1].buttons].count("✅") == 2,
            what="two ticks on the roll call",
        )
        late = await h.user("u2_1").press("Tham dự")
        closed = await h.user("u2_1").answered(late)
        assert "đã bắt đầu" in closed["text"]

        async with h.sessions() as session:
            answers = {
                person.full_name or person.title: inv
                for inv, person in (
                    await session.execute(
                        select(Invitation, Person).join(Person, Invitation.person_id == Person.id)
                    )
                ).all()
            }
            readiness = {
                mp.point_id: mp.readiness for mp in await session.scalars(select(MeetingPoint))
            }
        assert answers["Người 1.0"].status == AnswerStatus.ACCEPTED
        assert (answers["Người 1.1"].status, answers["Người 1.1"].decline_reason) == (
            AnswerStatus.DECLINED,
            "Đi công tác Hà Nội",
        )
        assert answers["Người 1.2"].delegate_name == "Lò Văn Minh"
        assert answers["Người 2.0"].status == AnswerStatus.DECLINED
        assert answers["Người 2.1"].status == AnswerStatus.NEEDS_ACTION
        on_behalf = answers["Người 0.0"]
        assert (on_behalf.status, on_behalf.decline_reason) == (
            AnswerStatus.DECLINED,
            "Nghỉ phép năm",
        )
        assert on_behalf.answered_by_id == h.seed.person_ids["secretary"]
        assert readiness[h.seed.point_ids["p1"]] == Readiness.READY
        assert readiness[h.seed.point_ids["p2"]] == Readiness.PROBLEM
        # The chair got the invitation and the notices, not the coordinators' or the
        # secretariat's traffic.
        assert any("GIẤY MỜI" in t for t in chair.texts())
        assert not any("KIỂM TRA ĐƯỜNG TRUYỀN" in t or "Sự cố" in t for t in chair.texts())
        # Everyone sees the participants' commands in Telegram's menu from the start.
        assert {c["command"] for c in h.server.commands["default"]} >= {"lichhop", "nhiemvu"}
        assert answers["Người 1.0"].present is True and answers["Người 1.2"].present is True

        # --- the recording: ONE progress message, then the draft and its DOCX for review ---
        await secretary.send_file(
            SAMPLE.read_bytes(), "ket-luan.ogg", kind="voice", mime_type="audio/ogg", duration=40
        )
        await secretary.receive("Bản ghi này thuộc phiên họp nào?")
        await secretary.press("04/12 08:00 — Phiên họp lần thứ 3 Ban Chỉ đạo (mở rộng)")
        progress = await secretary.receive("Đang chuyển giọng nói thành văn bản")
        done = await secretary.receive("Đã chuyển xong giọng nói thành văn bản", timeout=240)
        assert done.message_id == progress.message_id
        review = await secretary.receive("DỰ THẢO THÔNG BÁO KẾT LUẬN", timeout=60)
        await chair.receive("DỰ THẢO THÔNG BÁO KẾT LUẬN")
        await h.outbox_settled()  # the documents go after the text, as rows of their own
        document = next(m for m in secretary.inbox if m.document_name)
        assert document.document_bytes is not None
        notice = docx.Document(io.BytesIO(document.document_bytes))
        header = "\n".join(c.text for t in notice.tables for r in t.rows for c in r.cells)
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header
        assert "THÔNG BÁO" in "\n".join(p.text for p in notice.paragraphs)
        # ...and the transcript it was drafted from, one [hh:mm:ss] line per segment.
        transcript = await h.server.wait_for(
            lambda: next(
                (m for m in secretary.inbox if (m.document_name or "").startswith("ban-ghi-")),
                None,
            ),
            what="the transcript beside the draft",
        )
        said = docx.Document(io.BytesIO(transcript.document_bytes or b"")).paragraphs
        timed = [p.text for p in said if p.text.startswith("[")]
        assert timed and all(re.match(r"\[00:00:\d\d\] \S", line) for line in timed), timed
        # Nothing reaches assignees before approval.
        assert not any("NHIỆM VỤ SỐ" in t for t in h.user("u1_0").texts())

        async with h.sessions() as session:
            recording = await session.scalar(select(Recording))
            draft = await session.scalar(select(Draft))
            spoken = " ".join(
                seg.text.lower()
                for seg in await session.scalars(
                    select(TranscriptSegment).order_by(TranscriptSegment.seq)
                )
            )
        assert recording is not None and recording.status == RecordingStatus.SENT
        assert recording.duration_s is not None and recording.duration_s > 20
        # Whisper base on synthetic speech is rough, and other CPUs give other words: a
        # bounded error rate against what the sample says, never the words of one machine.
        assert cer(SAMPLE.with_suffix(".txt").read_text(encoding="utf-8"), spoken) < 0.6
        assert draft is not None and draft.recording_id == recording.id
        found = len(draft.content["tasks"])

        # --- what the recogniser garbled, the secretary adds; then edits; the chair approves ---
        await secretary.press("Thêm nhiệm vụ", review)
        await secretary.receive("nhiệm vụ cần thêm")
        await secretary.send("Sở Tài chính; Báo cáo phương án bố trí vốn; trước ngày 30/6/2027")
        await secretary.receive("Đã lưu sửa đổi (bản 2)")
        second = await secretary.receive("(số 1, bản 2)")
        await secretary.press("Thêm nhiệm vụ", second)
        await secretary.receive("nhiệm vụ cần thêm")
        await secretary.send("đơn vị tư vấn; Hoàn thiện dự thảo quy hoạch tỉnh; trong tháng 12")
        await secretary.receive("Đã lưu sửa đổi (bản 3)")
        listing = await secretary.receive(f"{found + 2}. đơn vị tư vấn: Hoàn thiện dự thảo")
        assert "hạn: 31/12/2026" in (listing.text or "")
        await secretary.press(f"Sửa NV {found + 1}", listing)
        await secretary.press("Nội dung")
        await secretary.receive("nội dung mới")
        await secretary.send("Báo cáo UBND tỉnh phương án bố trí vốn")
        await secretary.receive("Đã lưu sửa đổi (bản 4)")
        await chair.send("/duthao")
        latest = await chair.receive("bản 4)")
        await chair.press("Duyệt", latest)
        await chair.receive("Đã duyệt dự thảo số 1")

        # --- tasks delivered to their units: one completed, one extended ---
        finance = await h.user("u1_0").receive("Nội dung: Báo cáo UBND tỉnh phương án bố trí vốn")
        assert "Đơn vị chủ trì: Sở Tài chính" in (finance.text or "")
        assert "Thời hạn: 30/06/2027" in (finance.text or "")
        await h.user("u1_0").press("Hoàn thành", finance)
        await h.user("u1_0").receive("báo cáo ngắn")
        await h.user("u1_0").send("Đã báo cáo UBND tỉnh bằng văn bản")
        await h.user("u1_0").receive("Đã ghi nhận hoàn thành")

        consultants = await h.user("u2_0").receive("Nội dung: Hoàn thiện dự thảo quy hoạch tỉnh")
        await h.user("u2_0").press("Xin gia hạn", consultants)
        await h.user("u2_0").receive("hạn mới và lý do")
        await h.user("u2_0").send("15/01/2027, chờ ý kiến thẩm định của Bộ")
        request = await secretary.receive("ĐỀ NGHỊ GIA HẠN")
        await secretary.press("Đồng ý gia hạn", request)
        await h.user("u2_0").receive("Được gia hạn đến 15/01/2027")

        async with h.sessions() as session:
            tasks = {t.assignee_text: t for t in await session.scalars(select(Task))}
            edits = (await session.scalars(select(DraftEdit))).all()
        assert tasks["Sở Tài chính"].status == TaskStatus.DONE
        assert tasks["đơn vị tư vấn"].deadline_date == date(2027, 1, 15)
        assert len(edits) == 3 and {e.editor_id for e in edits} == {h.seed.person_ids["secretary"]}


async def test_cancelling_tells_everyone_invited(tmp_path: Path, now: datetime) -> None:
    async with running_bot(tmp_path, now) as h:
        async with h.sessions.begin() as session:
            meeting = await make_meeting(session, h.seed, now=now)
            await invite_points(session, meeting.id, now=now)
        secretary = h.user("secretary")
        await secretary.send("/hop")
        await secretary.receive("Phiên họp lần thứ 3")
        await secretary.press("Hủy phiên họp")
        await secretary.receive("lý do hủy")
        await secretary.send("Trùng lịch làm việc với đoàn công tác của Trung ương")
        await secretary.receive("Đã báo 10 người")  # the secretary reads it in the reply
        notice = await h.user("u2_0").receive("THÔNG BÁO HỦY PHIÊN HỌP")
        assert "Lý do: Trùng lịch làm việc" in (notice.text or "")
        await secretary.send("/hop")
        await secretary.receive("Chưa có phiên họp nào sắp tới")
