"""Messages that say what they are about, driven through the real bot: the secretariat learns
whom the invitations did not reach and why, answers show below the invitation they answer,
every confirmation and roll call names its meeting and point, and a meeting moves from
planned to under way to finished."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from storage.models import AuditEntry, Meeting, MeetingStatus
from storage.services.people import create_invite_code
from tests.bot.harness import running_bot, twelve_people
from tests.storage.factories import make_meeting

pytestmark = pytest.mark.scenario

MEETING = "Phiên họp: Phiên họp lần thứ 3 — 09:00 thứ Năm 03/12/2026"


async def test_not_reached_answers_below_the_invitation_and_the_life_cycle(
    tmp_path: Path, now: datetime
) -> None:
    data = twelve_people()
    for person in data["people"]:
        if person["key"] == "u1_1":  # never linked Telegram, no link issued either
            person.pop("telegram_user_id")
    async with running_bot(tmp_path, now, data=data) as h:
        async with h.sessions.begin() as session:
            meeting = await make_meeting(session, h.seed, now=now)  # 03/12/2026 09:00
            # u2_2's link was issued eight days ago and never used: it has expired.
            await create_invite_code(
                session, h.seed.person_ids["u2_2"], now=now - timedelta(days=8)
            )
        h.server.blocked.add(h.user("u2_1").id)
        secretary = h.user("secretary")

        # --- invitations: how many arrived, and whom they did not reach, by point, and why ---
        await secretary.send("/hop")
        listed = await secretary.receive("Phiên họp lần thứ 3")
        assert "Trạng thái: dự kiến" in (listed.text or "")
        await secretary.press("Gửi giấy mời", listed)
        sent = await secretary.receive("Đã gửi giấy mời tới 9 người tại 3 điểm cầu")
        assert MEETING in (sent.text or "")
        missed = await secretary.receive("CHƯA NHẬN ĐƯỢC GIẤY MỜI (3 người)")
        assert (
            "Điểm cầu 1:\n  - Người 1.1 (Chuyên viên 1.1): chưa gắn tài khoản Telegram\n"
            "Điểm cầu 2:\n  - Người 2.1 (Chuyên viên 2.1): đã chặn bot\n"
            "  - Người 2.2 (Chuyên viên 2.2): đường dẫn mời đã hết hạn"
        ) in (missed.text or "")
        # Links for those a link can help; the one who blocked the bot needs a call.
        await secretary.press("Tạo đường dẫn mời cho họ", missed)
        links = await secretary.receive("Đường dẫn mời (mỗi đường dẫn dùng một lần")
        text = links.text or ""
        assert "- Người 1.1 (Chuyên viên 1.1): https://t.me/diemcau_test_bot?start=" in text
        assert "- Người 2.2 (Chuyên viên 2.2): https://t.me/diemcau_test_bot?start=" in text
        assert "Người 2.1" not in text

        # A second press sends nothing twice: every reachable invitation arrived already.
        await secretary.press("Gửi giấy mời", listed)
        await secretary.receive("Đã gửi giấy mời tới 0 người")
        participant = h.user("u1_0")
        assert sum("GIẤY MỜI HỌP" in t for t in participant.texts()) == 1
        assert sum("KIỂM TRA ĐƯỜNG TRUYỀN" in t for t in h.user("coord1").texts()) == 1

        # --- the matrix tells "never received" from "not answered" ---
        await secretary.press("Tình hình xác nhận", listed)
        matrix = await secretary.receive("TÌNH HÌNH XÁC NHẬN THAM DỰ")
        assert "Chưa trả lời 9; Chưa nhận được giấy mời 3" in (matrix.text or "")
        assert (  # the link was made a moment ago: now it waits to be used
            "Người 1.1, Chuyên viên 1.1: Chưa nhận được giấy mời (đã có đường dẫn mời nhưng "
            "chưa dùng)" in (matrix.text or "")
        )
        assert "Người 2.1, Chuyên viên 2.1: Chưa nhận được giấy mời (đã chặn bot)" in (
            matrix.text or ""
        )
        assert "Người 1.0, Chuyên viên 1.0: Chưa trả lời" in (matrix.text or "")

        # --- an answer shows below the invitation; a change of mind edits the same message ---
        invitation = await participant.receive("GIẤY MỜI HỌP TRỰC TUYẾN")
        seen = len(participant.inbox)
        await participant.press("Tham dự", invitation)
        await h.server.wait_for(
            lambda: "✅ Trả lời: Tham dự" in (invitation.text or ""), what="the answer shown"
        )
        assert (invitation.text or "").startswith("GIẤY MỜI HỌP TRỰC TUYẾN\nPhiên họp lần thứ 3")
        assert "Điểm cầu của đồng chí: Điểm cầu 1" in (invitation.text or "")
        assert len(participant.inbox) == seen  # nothing new in the chat
        await participant.press("Vắng", invitation)
        await participant.receive("lý do vắng mặt")
        await participant.send("Đi công tác Hà Nội")
        confirmed = await participant.receive("Đã ghi nhận: đồng chí vắng. Lý do: Đi công tác")
        assert MEETING in (confirmed.text or "")
        assert "Điểm cầu: Điểm cầu 1" in (confirmed.text or "")
        await h.server.wait_for(
            lambda: "✅ Trả lời: Vắng — lý do: Đi công tác Hà Nội" in (invitation.text or ""),
            what="the changed answer in the same message",
        )
        assert "Trả lời: Tham dự" not in (invitation.text or "")
        assert (invitation.text or "").count("✅ Trả lời") == 1

        # --- a reschedule: everyone invited is told; the secretary once, in the reply ---
        await secretary.send("/hop")
        again = await secretary.receive("Trạng thái: dự kiến")
        await secretary.press("Dời lịch", again)
        await secretary.receive("Thời gian mới")
        await secretary.send("8h00 ngày 4/12")
        await secretary.receive("Đã báo")
        await participant.receive("THÔNG BÁO DỜI LỊCH HỌP")
        assert sum("THÔNG BÁO DỜI LỊCH HỌP" in t for t in secretary.texts()) == 1

        # --- at the start the meeting is under way: the roll call names meeting and point ---
        h.clock.now = datetime(2026, 12, 4, 8, 30, tzinfo=now.tzinfo)
        coordinator = h.user("coord1")
        await coordinator.send("/diemdanh")
        roll = await coordinator.receive("ĐIỂM DANH — Điểm cầu 1")
        assert "Phiên họp: Phiên họp lần thứ 3 — 08:00 thứ Sáu 04/12/2026" in (roll.text or "")
        assert [b["text"] for b in roll.buttons] == [
            "▫️ Đầu mối điểm cầu 1",
            "▫️ Người 1.0",
            "▫️ Người 1.1",
            "▫️ Người 1.2",
        ]

        # Recordings are taken in from the start; the picker tells meetings apart by date.
        await secretary.send_file(b"RIFF", "phien-hop.wav", kind="audio", mime_type="audio/wav")
        picker = await secretary.receive("Bản ghi này thuộc phiên họp nào?")
        assert [b["text"] for b in picker.buttons] == ["04/12 08:00 — Phiên họp lần thứ 3"]

        # --- the secretariat closes it; it leaves the coming meetings ---
        await secretary.send("/hop")
        ongoing = await secretary.receive("Trạng thái: đang họp")
        await secretary.press("Kết thúc phiên họp", ongoing)
        finished = await secretary.receive("Đã kết thúc phiên họp.")
        assert "Phiên họp: Phiên họp lần thứ 3 — 08:00 thứ Sáu 04/12/2026" in (finished.text or "")
        await secretary.send("/hop")
        await secretary.receive("Chưa có phiên họp nào sắp tới")

        async with h.sessions() as session:
            stored = await session.get(Meeting, meeting.id)
            moves = [
                (e.action, e.details.get("to"))
                for e in await session.scalars(
                    select(AuditEntry)
                    .where(AuditEntry.entity == "meeting", AuditEntry.entity_id == meeting.id)
                    .order_by(AuditEntry.id)
                )
            ]
        assert stored is not None and stored.status == MeetingStatus.FINISHED
        assert stored.ends_at == h.clock.now
        assert ("meeting.status", "ongoing") in moves and ("meeting.finish", None) in moves
