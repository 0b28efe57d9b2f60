"""Linking accounts, reviewing a draft, and chasing its tasks, by chat."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from storage.models import DraftEdit, Task, TaskStatus
from storage.services.drafts import create_draft
from storage.services.people import create_invite_code
from tests.bot.harness import running_bot
from tests.storage.factories import make_meeting

pytestmark = pytest.mark.scenario


async def test_invite_codes_link_once_and_expire(tmp_path: Path, now: datetime) -> None:
    async with running_bot(tmp_path, now) as h:
        secretary = h.user("secretary")
        await secretary.send("/moi")
        await secretary.receive("Chọn người cần tạo đường dẫn mời")
        await secretary.press("Người 2.2 (Chuyên viên 2.2)")
        link = await secretary.receive("https://t.me/diemcau_test_bot?start=")
        code = re.search(r"start=([\w-]+)", link.text or "")
        assert code is not None

        newcomer = h.server.user(7777, "Người 2.2", "nguoi22")
        await newcomer.send(f"/start {code[1]}")
        await newcomer.receive("Xin chào đồng chí Người 2.2")
        menu = {c["command"] for c in h.server.commands["chat:7777"]}
        assert {"lichhop", "nhiemvu"} <= menu and "taohop" not in menu

        impostor = h.server.user(8888, "Kẻ giả")
        await impostor.send(f"/start {code[1]}")
        await impostor.receive("Mã mời không hợp lệ")
        await impostor.send("/nhiemvu")
        await impostor.receive("chưa được đăng ký")

        # Everyone has an account now; a code not used within its week expires.
        await secretary.send("/moi")
        await secretary.receive("Mọi thành viên đã có tài khoản Telegram")
        async with h.sessions.begin() as session:
            late = await create_invite_code(session, h.seed.person_ids["u1_0"], now=h.clock())
        h.clock.advance(timedelta(days=8))
        latecomer = h.server.user(9191, "Đến muộn")
        await latecomer.send(f"/start {late.code}")
        await latecomer.receive("đã hết hạn")


def draft_content() -> dict[str, Any]:
    return {
        "meeting_date": "2026-12-03",
        "conclusions": [{"text": "Cơ bản thống nhất dự thảo quy hoạch", "evidence": "…"}],
        "tasks": [
            {
                "assignee": "ĐV1",
                "cooperating": ["ĐV2"],
                "action": "Tổng hợp ý kiến các huyện",
                "deadline": None,
                "deadline_text": "trước khi họp phiên tiếp theo",
                "evidence": "…",
            },
            {
                "assignee": "ĐV2",
                "cooperating": [],
                "action": "Hoàn thiện báo cáo đánh giá",
                "deadline": "2026-12-31",
                "deadline_text": "trong tháng 12",
                "evidence": "…",
            },
        ],
    }


async def test_review_approve_deliver_complete_and_extend(tmp_path: Path, now: datetime) -> None:
    async with running_bot(tmp_path, now) as h:
        async with h.sessions.begin() as session:
            meeting = await make_meeting(session, h.seed, now=now)
            await create_draft(session, content=draft_content(), now=now, meeting_id=meeting.id)
        secretary, chair = h.user("secretary"), h.user("chair")
        worker1, worker2 = h.user("u1_0"), h.user("u2_0")

        # Nothing reaches assignees before approval.
        await secretary.send("/duthao")
        review = await secretary.receive("DỰ THẢO THÔNG BÁO KẾT LUẬN")
        assert "1. ĐV1; phối hợp: ĐV2: Tổng hợp ý kiến các huyện — hạn: trước khi họp" in (
            review.text or ""
        )
        assert "hạn: 31/12/2026" in (review.text or "")
        assert not worker1.inbox and not worker2.inbox

        # An edit of task 1's deadline, stored with who made it.
        await secretary.press("Sửa NV 1", review)
        await secretary.receive("Sửa gì ở nhiệm vụ 1")
        await secretary.press("Thời hạn")
        await secretary.receive("thời hạn mới")
        await secretary.send("20/12/2026")
        await secretary.receive("Đã lưu sửa đổi (bản 2)")

        # A press on the old message (version 1) cannot overwrite the newer edit.
        stale = await secretary.press("Bỏ NV 2", review)
        answer = await secretary.answered(stale)
        assert "người khác lưu" in answer["text"]

        # The chair approves the latest version; each task goes to its unit's people.
        await chair.send("/duthao")
        latest = await chair.receive("(số 1, bản 2)")
        await chair.press("Duyệt", latest)
        await chair.receive("Đã duyệt dự thảo số 1; 2 nhiệm vụ")
        card1 = await worker1.receive("NHIỆM VỤ SỐ 1")
        assert "Thời hạn: 20/12/2026" in (card1.text or "")
        # The task says which meeting's conclusion notice gave it.
        assert (
            "Theo thông báo kết luận (dự thảo số 1) phiên họp: Phiên họp lần thứ 3 — "
            "09:00 thứ Năm 03/12/2026" in (card1.text or "")
        )
        await worker2.receive("NHIỆM VỤ SỐ 2")
        assert not any("NHIỆM VỤ SỐ 2" in t for t in worker1.texts())

        # One completed with a short report...
        await worker1.press("Hoàn thành", card1)
        await worker1.receive("báo cáo ngắn")
        await worker1.send("Đã gửi văn bản tổng hợp số 12/BC-ĐV1")
        done = await worker1.receive(
            "Đã ghi nhận hoàn thành nhiệm vụ 1 “Tổng hợp ý kiến các huyện”"
        )
        assert "Phiên họp: Phiên họp lần thứ 3 — 09:00 thứ Năm 03/12/2026" in (done.text or "")

        # ...one extension requested and granted.
        await worker2.press("Xin gia hạn")
        await worker2.receive("hạn mới và lý do")
        await worker2.send("tháng sau")
        await worker2.receive("Chưa hiểu")
        await worker2.press("Xin gia hạn")
        await worker2.send("15/01/2027, chờ số liệu của Bộ")
        await worker2.receive("Đã gửi tổ giúp việc đề nghị gia hạn nhiệm vụ 2")
        request = await secretary.receive("ĐỀ NGHỊ GIA HẠN")
        assert "Lý do: chờ số liệu của Bộ" in (request.text or "")
        await secretary.press("Đồng ý gia hạn", request)
        granted = await worker2.receive("Được gia hạn đến 15/01/2027: nhiệm vụ 2")
        assert "Phiên họp: Phiên họp lần thứ 3" in (granted.text or "")

        # Someone of another unit cannot report on a task that is not theirs.
        card2 = next(m for m in worker2.inbox if "NHIỆM VỤ SỐ 2" in (m.text or ""))
        foreign = await worker1.press_data(card2.button("Hoàn thành")["callback_data"], card2)
        refused = await worker1.answered(foreign)
        assert "không có quyền" in refused["text"]

        async with h.sessions() as session:
            tasks = {t.id: t for t in await session.scalars(select(Task))}
            edits = (await session.scalars(select(DraftEdit))).all()
        assert tasks[1].status == TaskStatus.DONE
        assert tasks[2].status == TaskStatus.ASSIGNED and tasks[2].deadline_date == date(
            2027, 1, 15
        )
        assert tasks[1].deadline_date == date(2026, 12, 20)
        assert [e.editor_id for e in edits] == [h.seed.person_ids["secretary"]]
