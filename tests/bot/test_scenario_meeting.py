"""The secretariat schedules a session by chat; participants and coordinators answer."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from storage.models import AnswerStatus, Invitation, Meeting, MeetingPoint, Person, Readiness
from storage.services.invitations import invite_points
from tests.bot.harness import running_bot
from tests.storage.factories import make_meeting

pytestmark = pytest.mark.scenario


async def test_schedule_invite_answer_remind_and_readiness(tmp_path: Path, now: datetime) -> None:
    async with running_bot(tmp_path, now) as h:
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
        await h.user("u1_0").receive("đồng chí tham dự")

        await h.user("u1_1").press("Vắng")
        await h.user("u1_1").receive("lý do vắng mặt")
        await h.user("u1_1").send("Đi công tác Hà Nội")
        await h.user("u1_1").receive("Lý do: Đi công tác Hà Nội")

        await h.user("u1_2").press("Cử người dự thay")
        await h.user("u1_2").receive("người dự thay")
        await h.user("u1_2").send("Lò Văn Minh, Phó phòng Tổng hợp")
        await h.user("u1_2").receive("Lò Văn Minh (Phó phòng Tổng hợp)")

        await h.user("u2_0").press("Tham dự")
        await h.user("u2_0").receive("đồng chí tham dự")
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

        # --- answers close at the start ---
        h.clock.advance(timedelta(days=8))
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
        await secretary.receive("Đã báo 11 người")
        notice = await h.user("u2_0").receive("THÔNG BÁO HỦY PHIÊN HỌP")
        assert "Lý do: Trùng lịch làm việc" in (notice.text or "")
        await secretary.send("/hop")
        await secretary.receive("Chưa có phiên họp nào sắp tới")
