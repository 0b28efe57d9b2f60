"""Markdown and DOCX renderings, read back with python-docx."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from minutes import (
    Absence,
    MeetingInfo,
    MinutesDraft,
    PointAttendance,
    Segment,
    Substitute,
    Transcript,
    draft_minutes,
)
from minutes.render import (
    deadline_label,
    format_date_line,
    notice_title,
    to_docx,
    to_markdown,
    transcript_to_docx,
    transcript_to_text,
)

TEXT = (
    "Phát biểu kết luận, Chủ tịch UBND tỉnh nhấn mạnh: quy hoạch là vấn đề lớn, quan trọng. "
    "Giao Sở Kế hoạch và Đầu tư chủ trì, phối hợp với Sở Tài chính tổng hợp ý kiến trước "
    "ngày 20/6. Các huyện, thành phố báo cáo kết quả rà soát trước khi họp phiên tiếp theo."
)

MEETING = MeetingInfo(
    issuing_body="UBND tỉnh Lai Châu",
    number="125",
    abbreviation="UBND",
    place_name="Lai Châu",
    issued_on=date(2021, 6, 7),
    title="Phiên họp trực tuyến về Quy hoạch tỉnh",
    start=datetime(2021, 6, 4, 1, 30, tzinfo=ZoneInfo("UTC")),
    end=datetime(2021, 6, 4, 4, 15, tzinfo=ZoneInfo("UTC")),
    main_place="Hội trường UBND tỉnh",
    chair_name="Trần Tiến Dũng",
    chair_title="Chủ tịch UBND tỉnh",
    secretary="Lê Thị Hoa (Chuyên viên Văn phòng UBND tỉnh)",
    secretary_name="Lê Thị Hoa",
    points=(
        PointAttendance("Điểm cầu UBND tỉnh", ("Trần Tiến Dũng", "Giàng A Tính")),
        PointAttendance(
            "Điểm cầu VNPT",
            ("Sở KH&ĐT",),
            (Absence("Đơn vị tư vấn", "ốm"), Absence("Sở Xây dựng")),
            (Substitute("Lò Văn Minh (Phó Giám đốc)", "Giám đốc Sở Tài chính"),),
            ("Sở Tư pháp",),
        ),
    ),
    recipients=("Thường trực Tỉnh ủy", "Các sở, ban, ngành"),
    signer_authority="TL. CHỦ TỊCH",
    signer_title="Chánh Văn phòng",
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
    assert format_date_line(None, None) == "…, ngày … tháng … năm …"


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
    assert "Lai Châu, ngày 07 tháng 6 năm 2021" in right  # the date of issue, not of the meeting

    body = "\n".join(p.text for p in doc.paragraphs)
    assert "THÔNG BÁO" in body
    assert "08 giờ 30, ngày 04/06/2021" in body  # 01:30 UTC shown in Asia/Ho_Chi_Minh
    assert "tại Hội trường UBND tỉnh, đồng chí Trần Tiến Dũng, Chủ tịch UBND tỉnh chủ trì" in body
    # Point names lose their "Điểm cầu" in the sentence that counts them: no capital mid-way.
    assert "tới 2 điểm cầu: UBND tỉnh, VNPT." in body and "Điểm cầu" not in body
    assert "1. Quy hoạch là vấn đề lớn, quan trọng." in body
    assert body.rstrip().endswith("biết, thực hiện./.")

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
    lines = signature.splitlines()
    assert lines[:2] == ["TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"] and lines[-1] == "Nguyễn Văn A"


def _header_xml(part: object) -> str:
    return part._element.xml  # type: ignore[attr-defined,no-any-return]


def test_docx_draft_mark_and_page_numbers(tmp_path: Path, draft: MinutesDraft) -> None:
    marked, approved = tmp_path / "marked.docx", tmp_path / "approved.docx"
    to_docx(draft, marked, MEETING)
    to_docx(draft, approved, MEETING, mark_draft=False)
    for path, mark in ((marked, "DỰ THẢO"), (approved, "")):
        section = Document(str(path)).sections[0]
        # The decree: no number on page 1, the number at the top centre from page 2.
        assert section.different_first_page_header_footer
        assert "PAGE" not in _header_xml(section.first_page_header)
        page = section.header.paragraphs[0]
        assert page.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert 'w:fldCharType="begin"' in _header_xml(section.header)
        assert "<w:instrText" in _header_xml(section.header) and " PAGE " in page._p.xml
        assert section.first_page_header.paragraphs[0].text == mark
    assert Document(str(approved)).core_properties.title == "Thông báo"
    assert Document(str(marked)).core_properties.title == "Dự thảo thông báo"


def test_docx_keeps_the_end_of_the_text_with_the_signature(
    tmp_path: Path, draft: MinutesDraft
) -> None:
    path = tmp_path / "tb.docx"
    to_docx(draft, path, MEETING)
    doc = Document(str(path))
    last_row = doc.tables[1].rows[-1]
    assert all(p.paragraph_format.keep_with_next for c in last_row.cells for p in c.paragraphs)
    closing = [p for p in doc.paragraphs if p.text.endswith("./.")]
    assert len(closing) == 1 and closing[0].paragraph_format.keep_with_next
    signature_row = doc.tables[2].rows[0]
    assert signature_row._tr.trPr is not None
    assert "cantSplit" in signature_row._tr.trPr.xml


def test_docx_record_has_attendance_by_point(tmp_path: Path, draft: MinutesDraft) -> None:
    path = tmp_path / "bb.docx"
    to_docx(draft, path, MEETING, kind="bien_ban")
    doc = Document(str(path))
    text = _all_text(doc)
    assert "BIÊN BẢN" in text and "Số: 125/BB-UBND" in text
    assert "Bắt đầu: lúc 08 giờ 30, ngày 04/06/2021." in text
    assert "Phiên họp kết thúc lúc 11 giờ 15, ngày 04/06/2021./." in text
    assert "Thư ký: Lê Thị Hoa (Chuyên viên Văn phòng UBND tỉnh)." in text
    attendance = doc.tables[1]
    rows = [[c.text for c in r.cells] for r in attendance.rows]
    assert rows[0] == ["Điểm cầu", "Có mặt", "Dự thay", "Vắng mặt (lý do)"]
    assert rows[1] == ["Điểm cầu UBND tỉnh", "Trần Tiến Dũng; Giàng A Tính", "—", "—"]
    assert rows[2] == [
        "Điểm cầu VNPT",
        "Sở KH&ĐT",
        "Lò Văn Minh (Phó Giám đốc), dự thay Giám đốc Sở Tài chính",
        "Đơn vị tư vấn (lý do: ốm); Sở Xây dựng (lý do: …); Sở Tư pháp (chưa điểm danh)",
    ]
    secretary, chair = (c.text.splitlines() for c in doc.tables[-1].rows[0].cells)
    assert secretary[0] == "THƯ KÝ" and secretary[-1] == "Lê Thị Hoa"
    assert chair[0] == "CHỦ TRÌ" and chair[-1] == "Trần Tiến Dũng"


def test_docx_invents_nothing_the_caller_did_not_give(tmp_path: Path, draft: MinutesDraft) -> None:
    for kind in ("thong_bao", "bien_ban"):
        path = tmp_path / f"{kind}.docx"
        to_docx(draft, path, kind=kind)  # type: ignore[arg-type]
        doc = Document(str(path))
        text = _all_text(doc)
        for invented in ("08 giờ 00", "Ban Chỉ đạo", "ỦY BAN NHÂN DÂN", "UBND", "trực tuyến"):
            assert invented not in text, invented
        left = doc.tables[0].rows[0].cells[0].text.splitlines()
        assert left[0] == "…"
        assert "…, ngày … tháng … năm …" in text
    notice = _all_text(Document(str(tmp_path / "thong_bao.docx")))
    assert "Số: …/TB-…" in notice
    assert "Kết luận tại phiên họp ngày 04/06/2021" in notice
    assert "Ngày 04/06/2021, tại …, đồng chí … chủ trì phiên họp." in notice
    assert "Tại phiên họp. Sau khi" not in notice
    signature = Document(str(tmp_path / "thong_bao.docx")).tables[-1].rows[0].cells[1].text
    assert signature.split() == ["…", "…"]  # title and name left for the clerk
    record = _all_text(Document(str(tmp_path / "bien_ban.docx")))
    assert "Bắt đầu: lúc … giờ …, ngày 04/06/2021." in record
    assert "Địa điểm: …." in record and "Thư ký: …." in record
    assert "Phiên họp kết thúc lúc … giờ …, ngày …./." in record


def test_transcript_as_text_and_docx(tmp_path: Path) -> None:
    transcript = Transcript(
        segments=(
            Segment(0.0, 4.2, "Kính thưa các đồng chí."),
            Segment(65.5, 70.0, "  "),
            Segment(3725.9, 3731.0, "Giao Sở Kế hoạch và Đầu tư\n chủ trì."),
        )
    )
    assert transcript_to_text(transcript) == (
        "[00:00:00] Kính thưa các đồng chí.\n[01:02:05] Giao Sở Kế hoạch và Đầu tư chủ trì.\n"
    )
    path = tmp_path / "ban-ghi.docx"
    transcript_to_docx(transcript.segments, path, MEETING)
    doc = Document(str(path))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "BẢN GHI LỜI NÓI" and texts[1] == MEETING.title
    assert texts[-2:] == [
        "[00:00:00] Kính thưa các đồng chí.",
        "[01:02:05] Giao Sở Kế hoạch và Đầu tư chủ trì.",
    ]
    assert doc.paragraphs[-1].runs[0].bold
    assert doc.sections[0].first_page_header.paragraphs[0].text == ""  # not a draft


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
    assert "tại phiên họp tại" not in md
    assert "đồng chí … chủ trì phiên họp. Sau khi" in md and "đồng chí … kết luận như sau:" in md


def test_docx_refuses_naive_start_and_unknown_kind(tmp_path: Path, draft: MinutesDraft) -> None:
    for naive in (
        MeetingInfo(start=datetime(2021, 6, 4, 8, 0)),
        MeetingInfo(end=datetime(2021, 6, 4, 11, 0)),
    ):
        with pytest.raises(ValueError, match="timezone"):
            to_docx(draft, tmp_path / "x.docx", naive)
    assert not (tmp_path / "x.docx").exists()
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
