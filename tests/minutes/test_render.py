"""Markdown and DOCX renderings, read back with python-docx."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from docx import Document

from minutes import MeetingInfo, MinutesDraft, PointAttendance, draft_minutes
from minutes.render import (
    deadline_label,
    format_date_line,
    notice_title,
    to_docx,
    to_markdown,
)

TEXT = (
    "Phát biểu kết luận, Chủ tịch UBND tỉnh nhấn mạnh: quy hoạch là vấn đề lớn, quan trọng. "
    "Giao Sở Kế hoạch và Đầu tư chủ trì, phối hợp với Sở Tài chính tổng hợp ý kiến trước "
    "ngày 20/6. Các huyện, thành phố báo cáo kết quả rà soát trước khi họp phiên tiếp theo."
)

MEETING = MeetingInfo(
    issuing_body="UBND tỉnh Lai Châu",
    number="125",
    place_name="Lai Châu",
    title="Phiên họp trực tuyến về Quy hoạch tỉnh",
    start=datetime(2021, 6, 4, 1, 30, tzinfo=ZoneInfo("UTC")),
    main_place="Hội trường UBND tỉnh",
    chair_name="Trần Tiến Dũng",
    chair_title="Chủ tịch UBND tỉnh",
    points=(
        PointAttendance("Hội trường UBND tỉnh", ("Trần Tiến Dũng", "Giàng A Tính"), ()),
        PointAttendance("Điểm cầu VNPT", ("Sở KH&ĐT",), ("Đơn vị tư vấn",)),
    ),
    recipients=("Thường trực Tỉnh ủy", "Các sở, ban, ngành"),
    signer_title="TL. CHỦ TỊCH",
    signer_name="Nguyễn Văn A",
)


@pytest.fixture(scope="module")
def draft() -> MinutesDraft:
    result = draft_minutes(TEXT, meeting_date=date(2021, 6, 4))
    assert len(result.tasks) == 2
    return result


def _all_text(doc: object) -> str:
    parts = [p.text for p in doc.paragraphs]  # type: ignore[attr-defined]
    for table in doc.tables:  # type: ignore[attr-defined]
        for row in table.rows:
            for cell in row.cells:
                parts.append(cell.text)
    return "\n".join(parts)


def test_date_line_follows_the_decree() -> None:
    assert format_date_line("Lai Châu", date(2021, 6, 4)) == "Lai Châu, ngày 04 tháng 6 năm 2021"
    assert format_date_line("Hà Nội", date(2024, 2, 15)) == "Hà Nội, ngày 15 tháng 02 năm 2024"
    assert format_date_line(None, None) == "ngày ... tháng ... năm ..."


def test_docx_notice_layout(tmp_path: Path, draft: MinutesDraft) -> None:
    path = tmp_path / "tb.docx"
    to_docx(draft, path, MEETING)
    doc = Document(str(path))
    section = doc.sections[0]
    assert abs(section.page_width.mm - 210) < 0.1 and abs(section.page_height.mm - 297) < 0.1
    margins = [round(m.mm, 1) for m in (section.top_margin, section.bottom_margin)]
    assert all(20 <= m <= 25 for m in margins)
    assert 30 <= round(section.left_margin.mm, 1) <= 35
    assert 15 <= round(section.right_margin.mm, 1) <= 20
    assert doc.styles["Normal"].font.name == "Times New Roman"
    runs = [r for p in doc.paragraphs for r in p.runs if r.text.strip()]
    assert runs and all(r.font.name == "Times New Roman" for r in runs)

    header = doc.tables[0]
    left, right = (c.text for c in header.rows[0].cells)
    assert "UBND TỈNH LAI CHÂU" in left and "Số: 125/TB-UBND" in left
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right
    assert "Độc lập - Tự do - Hạnh phúc" in right
    assert "Lai Châu, ngày 04 tháng 6 năm 2021" in right

    body = "\n".join(p.text for p in doc.paragraphs)
    assert "THÔNG BÁO" in body
    assert "08 giờ 30" in body  # 01:30 UTC shown in Asia/Ho_Chi_Minh
    assert "1. Quy hoạch là vấn đề lớn, quan trọng." in body

    tasks = doc.tables[1]
    assert [c.text for c in tasks.rows[0].cells] == [
        "TT",
        "Đơn vị chủ trì",
        "Đơn vị phối hợp",
        "Nhiệm vụ",
        "Thời hạn",
    ]
    first = [c.text for c in tasks.rows[1].cells]
    assert first[1] == "Sở Kế hoạch và Đầu tư" and first[2] == "Sở Tài chính"
    assert first[4] == "20/06/2021"
    second = [c.text for c in tasks.rows[2].cells]
    assert second[4].startswith("trước khi họp phiên tiếp theo")
    assert len(tasks.rows) == 1 + len(draft.tasks)

    footer = doc.tables[2]
    recipients, signature = (c.text for c in footer.rows[0].cells)
    assert recipients.startswith("Nơi nhận:") and "- Thường trực Tỉnh ủy;" in recipients
    assert "TL. CHỦ TỊCH" in signature and "Nguyễn Văn A" in signature


def test_docx_record_has_attendance_by_point(tmp_path: Path, draft: MinutesDraft) -> None:
    path = tmp_path / "bb.docx"
    to_docx(draft, path, MEETING, kind="bien_ban")
    doc = Document(str(path))
    text = _all_text(doc)
    assert "BIÊN BẢN" in text and "Số: 125/BB-UBND" in text
    attendance = doc.tables[1]
    rows = [[c.text for c in r.cells] for r in attendance.rows]
    assert rows[0] == ["Điểm cầu", "Có mặt", "Vắng mặt"]
    assert rows[2] == ["Điểm cầu VNPT", "Sở KH&ĐT", "Đơn vị tư vấn"]
    assert "THƯ KÝ" in text and "CHỦ TRÌ" in text


def test_docx_without_meeting_info(tmp_path: Path, draft: MinutesDraft) -> None:
    path = tmp_path / "plain.docx"
    to_docx(draft, path)
    text = _all_text(Document(str(path)))
    assert "Số: .../TB-UBND" in text and "ngày 04 tháng 6 năm 2021" in text
    assert "Kết luận tại phiên họp ngày 04/06/2021" in text
    assert "chủ trì phiên họp" not in text and "chủ trì tại" not in text


def test_notice_title_reads_naturally_without_meeting_info(draft: MinutesDraft) -> None:
    assert notice_title(draft, MEETING) == (
        "Kết luận của Chủ tịch UBND tỉnh tại Phiên họp trực tuyến về Quy hoạch tỉnh"
    )
    assert notice_title(draft) == "Kết luận tại phiên họp ngày 04/06/2021"
    undated = draft_minutes(TEXT)
    assert notice_title(undated) == "Kết luận tại phiên họp"
    chair_only = MeetingInfo(chair_title="Phó Chủ tịch UBND tỉnh")
    assert notice_title(draft, chair_only) == (
        "Kết luận của Phó Chủ tịch UBND tỉnh tại phiên họp ngày 04/06/2021"
    )
    md = to_markdown(draft)
    assert "**Kết luận tại phiên họp ngày 04/06/2021**" in md
    assert "tại phiên họp tại" not in md and "chủ trì phiên họp" not in md


def test_docx_refuses_naive_start_and_unknown_kind(tmp_path: Path, draft: MinutesDraft) -> None:
    naive = MeetingInfo(start=datetime(2021, 6, 4, 8, 0))
    with pytest.raises(ValueError, match="timezone"):
        to_docx(draft, tmp_path / "x.docx", naive)
    with pytest.raises(ValueError, match="kind"):
        to_docx(draft, tmp_path / "x.docx", kind="bao_cao")  # type: ignore[arg-type]


def test_markdown(draft: MinutesDraft) -> None:
    md = to_markdown(draft, MEETING)
    assert md.startswith("# THÔNG BÁO")
    assert "| TT | Đơn vị chủ trì | Đơn vị phối hợp | Nhiệm vụ | Thời hạn |" in md
    assert "| 1 | Sở Kế hoạch và Đầu tư | Sở Tài chính |" in md
    assert "20/06/2021" in md
    assert "(cần xem lại)" in md
    for task in draft.tasks:
        assert task.evidence in md
    assert "**Nơi nhận:**" in md
    assert to_markdown(draft).startswith("# THÔNG BÁO")


def test_deadline_label(draft: MinutesDraft) -> None:
    assert deadline_label(draft.tasks[0]) == "20/06/2021"
    assert deadline_label(draft.tasks[1]).endswith("(cần xem lại)")
