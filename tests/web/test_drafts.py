"""The draft editor: saves on the version seen, approval creates and sends the tasks, a return
needs a reason, the history keeps every edit, and the DOCX is the real notice."""

from __future__ import annotations

import io
from datetime import date

import docx
from sqlalchemy import select

from storage.db import make_async_engine, make_async_sessionmaker
from storage.models import Draft, DraftStatus, Task
from tests.web.conftest import Client, Office, sign_in


async def _draft(office: Office) -> tuple[Draft, list[Task]]:
    engine = make_async_engine(office.url)
    try:
        async with make_async_sessionmaker(engine)() as session:
            draft = await session.get(Draft, office.drafts["a"])
            assert draft is not None
            tasks = list(await session.scalars(select(Task).where(Task.draft_id == draft.id)))
            return draft, tasks
    finally:
        await engine.dispose()


async def test_edit_then_a_stale_save_is_refused_and_nothing_is_lost(
    client: Client, office: Office
) -> None:
    csrf = await sign_in(client, office, "secretary")
    url = f"/drafts/{office.drafts['a']}"
    page = await (await client.get(url)).text()
    assert "Hoàn thiện báo cáo đánh giá môi trường chiến lược" in page
    assert 'value="20/12/2026"' in page and "giây thứ 95" in page

    saved = await client.post(
        f"{url}/save",
        data={
            "csrf": csrf,
            "version": "1",
            "action-1": "Tổng hợp ý kiến bằng văn bản của các huyện",
            "deadline-1": "trong tháng 12",
            "cooperating-1": "Sở Tài chính, Sở Xây dựng",
            "assignee-new": "ĐV2",
            "action-new": "Rà soát danh mục dự án ưu tiên",
            "deadline-new": "sau khi có ý kiến của Bộ",
            "note": "Sửa theo ý kiến lãnh đạo",
        },
    )
    assert saved.status == 200
    html = await saved.text()
    assert "phiên bản 2" in html and "sửa nhiệm vụ 2: đơn vị phối hợp, nội dung, thời hạn" in html
    assert "Sửa theo ý kiến lãnh đạo" in html and "Chánh Văn phòng" in html
    draft, _ = await _draft(office)
    tasks = draft.content["tasks"]
    assert draft.version == 2
    assert tasks[1]["deadline"] == "2026-12-31" and tasks[1]["cooperating"] == [
        "Sở Tài chính",
        "Sở Xây dựng",
    ]
    # Words no rule reads are kept as said and flagged, never dropped.
    assert tasks[2]["deadline"] is None and tasks[2]["needs_review"] is True
    assert tasks[2]["deadline_text"] == "sau khi có ý kiến của Bộ"

    # A second secretary still on version 1 saves: refused, the first edit stands.
    stale = await client.post(
        f"{url}/save", data={"csrf": csrf, "version": "1", "action-0": "Bản cũ ghi đè"}
    )
    assert stale.status == 409 and "vừa được người khác lưu" in await stale.text()
    draft, _ = await _draft(office)
    assert draft.version == 2 and "Bản cũ ghi đè" not in str(draft.content)


async def test_approval_creates_the_tasks_of_the_version_seen(
    client: Client, office: Office
) -> None:
    csrf = await sign_in(client, office, "chair")  # leadership approves
    url = f"/drafts/{office.drafts['a']}"
    await client.post(f"{url}/save", data={"csrf": csrf, "version": "1", "drop-1": "1"})
    stale = await client.post(f"{url}/approve", data={"csrf": csrf, "version": "1"})
    assert stale.status == 409 and "xem lại bản mới nhất" in await stale.text()
    approved = await client.post(f"{url}/approve", data={"csrf": csrf, "version": "2"})
    assert approved.status == 200 and "đã duyệt" in await approved.text()
    draft, tasks = await _draft(office)
    assert draft.status == DraftStatus.APPROVED
    assert [t.action for t in tasks] == ["Hoàn thiện báo cáo đánh giá môi trường chiến lược"]
    assert tasks[0].deadline_date == date(2026, 12, 20) and tasks[0].unit_id is not None
    assert office.delivered == [tasks[0].id]  # handed to the bot to send to the unit
    # Decided: the editor is read-only and a late save is refused.
    late = await client.post(f"{url}/save", data={"csrf": csrf, "version": "3", "action-0": "x"})
    assert late.status == 422


async def test_an_approval_whose_messages_cannot_be_written_does_not_commit(
    client: Client, office: Office
) -> None:
    """The tasks' messages are written in the approval's transaction: if that fails, the
    draft stays undecided (to be approved again), never approved with its tasks unsent."""
    csrf = await sign_in(client, office, "chair")
    url = f"/drafts/{office.drafts['a']}"
    office.delivery_fails = True
    failed = await client.post(f"{url}/approve", data={"csrf": csrf, "version": "1"})
    assert failed.status == 500
    draft, tasks = await _draft(office)
    assert draft.status != DraftStatus.APPROVED and tasks == []
    office.delivery_fails = False
    again = await client.post(f"{url}/approve", data={"csrf": csrf, "version": "1"})
    assert again.status == 200
    draft, tasks = await _draft(office)
    assert draft.status == DraftStatus.APPROVED
    assert sorted(office.delivered) == sorted(t.id for t in tasks) and tasks


async def test_returning_needs_a_reason(client: Client, office: Office) -> None:
    csrf = await sign_in(client, office, "secretary")
    url = f"/drafts/{office.drafts['a']}"
    bare = await client.post(f"{url}/return", data={"csrf": csrf, "reason": "  "})
    assert bare.status == 422 and "lý do trả lại" in await bare.text()
    back = await client.post(f"{url}/return", data={"csrf": csrf, "reason": "Thiếu kết luận 3"})
    assert "Lý do trả lại: Thiếu kết luận 3" in await back.text()
    draft, tasks = await _draft(office)
    assert draft.status == DraftStatus.REJECTED and tasks == []


async def test_the_docx_is_the_notice_as_it_stands(client: Client, office: Office) -> None:
    csrf = await sign_in(client, office, "secretary")
    url = f"/drafts/{office.drafts['a']}"
    await client.post(
        f"{url}/save", data={"csrf": csrf, "version": "1", "action-0": "Nộp báo cáo ĐMC bản cuối"}
    )
    response = await client.get(f"{url}/notice.docx")
    assert response.status == 200
    disposition = response.headers["Content-Disposition"]
    assert disposition == f'attachment; filename="thong-bao-ket-luan-{office.drafts["a"]}.docx"'
    document = docx.Document(io.BytesIO(await response.read()))
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n".join(c.text for table in document.tables for row in table.rows for c in row.cells)
    assert "Nộp báo cáo ĐMC bản cuối" in text and "UBND TỈNH THỬ" in text
    # Nothing from the request reaches a file path: traversal gets the same 404 as nonsense.
    for path in (f"{url}/..%2F..%2Fetc%2Fpasswd", "/drafts/..%2F..%2Fetc/notice.docx"):
        assert (await client.get(path)).status == 404
