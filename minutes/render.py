"""Rendering a draft: Markdown for reading and review, DOCX in the administrative format.

The DOCX follows Nghị định 30/2020/NĐ-CP (công tác văn thư): A4 portrait, Times New Roman,
margins top and bottom 20 mm, left 30 mm, right 15 mm; a header table with the issuing body
and the number on the left, the national motto and the place and date on the right; the
title; the text; "Nơi nhận:" and the signature block. ``kind="thong_bao"`` writes a
conclusion notice (thông báo kết luận); ``kind="bien_ban"`` writes a record of the meeting
(biên bản) with attendance by connection point.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from os import PathLike
from typing import Any, Literal
from zoneinfo import ZoneInfo

from minutes.model import MeetingInfo, MinutesDraft, Task

__all__ = ["deadline_label", "format_date_line", "notice_title", "to_docx", "to_markdown"]

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
FONT = "Times New Roman"

# User-facing words, kept together so they can be read and corrected in one place.
TEXTS = {
    "motto_1": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "motto_2": "Độc lập - Tự do - Hạnh phúc",
    "notice": "THÔNG BÁO",
    "record": "BIÊN BẢN",
    "record_summary": "{title}",
    "conclusions": "Ý kiến kết luận",
    "tasks": "Phân công nhiệm vụ",
    "no_tasks": "Không có nhiệm vụ được giao.",
    "col_no": "TT",
    "col_assignee": "Đơn vị chủ trì",
    "col_coop": "Đơn vị phối hợp",
    "col_action": "Nhiệm vụ",
    "col_deadline": "Thời hạn",
    "no_deadline": "—",
    "review": "(cần xem lại)",
    "recipients": "Nơi nhận:",
    "archive": "Lưu: VT.",
    "evidence": "Căn cứ trong bản ghi",
    "attendance": "Thành phần tham dự theo điểm cầu",
    "col_point": "Điểm cầu",
    "col_present": "Có mặt",
    "col_absent": "Vắng mặt",
    "time_place": "Thời gian, địa điểm",
    "content": "Nội dung kết luận",
    "secretary": "THƯ KÝ",
    "chair": "CHỦ TRÌ",
    "draft_note": "Dự thảo do hệ thống tạo, cần lãnh đạo duyệt trước khi ban hành.",
    "unknown_date": "ngày ... tháng ... năm ...",
}


def _local(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("MeetingInfo.start must be timezone-aware")
    return moment.astimezone(VN_TZ)


def _meeting_day(draft: MinutesDraft, meeting: MeetingInfo | None) -> date | None:
    if meeting is not None and meeting.start is not None:
        return _local(meeting.start).date()
    return draft.meeting_date


def format_date_line(place: str | None, day: date | None) -> str:
    """ "Lai Châu, ngày 04 tháng 6 năm 2021": days below 10 and months 1, 2 take a zero."""
    prefix = f"{place}, " if place else ""
    if day is None:
        return prefix + TEXTS["unknown_date"]
    dd = f"{day.day:02d}" if day.day < 10 else str(day.day)
    mm = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{prefix}ngày {dd} tháng {mm} năm {day.year}"


def deadline_label(task: Task) -> str:
    """The deadline as shown to people: the date, else the words, else a dash."""
    if task.deadline is not None:
        return task.deadline.strftime("%d/%m/%Y")
    if task.deadline_text:
        return f"{task.deadline_text} {TEXTS['review']}"
    return TEXTS["no_deadline"]


def notice_title(draft: MinutesDraft, meeting: MeetingInfo | None = None) -> str:
    """The notice's title line: "Kết luận của {chair} tại {title}", with natural fallbacks.

    Without a chair the title reads "Kết luận tại …"; without a title, "… tại phiên họp ngày
    04/06/2021" (the date left out when it is unknown).
    """
    chair = meeting.chair_title if meeting and meeting.chair_title else None
    title = meeting.title if meeting and meeting.title else None
    if title is None:
        day = _meeting_day(draft, meeting)
        title = f"phiên họp ngày {day:%d/%m/%Y}" if day else "phiên họp"
    return f"Kết luận của {chair} tại {title}" if chair else f"Kết luận tại {title}"


def _opening(draft: MinutesDraft, meeting: MeetingInfo | None) -> str:
    if meeting is None:
        day = draft.meeting_date
        when = f"Ngày {day.strftime('%d/%m/%Y')}" if day else "Tại phiên họp"
        return f"{when}, Ban Chỉ đạo họp trực tuyến; ý kiến kết luận và phân công như sau:"
    parts: list[str] = []
    if meeting.start is not None:
        local = _local(meeting.start)
        parts.append(f"Vào hồi {local:%H} giờ {local:%M}, ngày {local:%d/%m/%Y}")
    if meeting.main_place:
        parts.append(f"tại {meeting.main_place}")
    chair = " ".join(x for x in (meeting.chair_title, meeting.chair_name) if x)
    text = ", ".join(parts) if parts else "Tại phiên họp"
    if chair:
        text += f", đồng chí {chair} chủ trì"
    if meeting.title:
        text += f" {meeting.title[:1].lower()}{meeting.title[1:]}"
    text += "."
    if meeting.points:
        names = ", ".join(p.name for p in meeting.points)
        text += f" Phiên họp được kết nối trực tuyến tới {len(meeting.points)} điểm cầu: {names}."
    text += (
        f" Sau khi nghe báo cáo và ý kiến của các đại biểu, đồng chí {chair or 'chủ trì'} kết luận:"
    )
    return text


# ---------------------------------------------------------------------------------------
# Markdown


def _md_cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def to_markdown(draft: MinutesDraft, meeting: MeetingInfo | None = None) -> str:
    """The draft as Markdown: opening, conclusions, the task table and where each came from."""
    lines: list[str] = []
    lines.append(f"# {TEXTS['notice']}")
    lines.append(f"**{notice_title(draft, meeting)}**")
    lines.append("")
    place = meeting.place_name if meeting else None
    lines.append(f"*{format_date_line(place, _meeting_day(draft, meeting))}*")
    lines.append("")
    lines.append(f"> {TEXTS['draft_note']}")
    lines.append("")
    lines.append(_opening(draft, meeting))
    lines.append("")
    lines.append(f"## {TEXTS['conclusions']}")
    lines.append("")
    if draft.conclusions:
        for i, c in enumerate(draft.conclusions, 1):
            lines.append(f"{i}. {c.text}")
    else:
        lines.append("—")
    lines.append("")
    lines.append(f"## {TEXTS['tasks']}")
    lines.append("")
    if draft.tasks:
        header = [
            TEXTS["col_no"],
            TEXTS["col_assignee"],
            TEXTS["col_coop"],
            TEXTS["col_action"],
            TEXTS["col_deadline"],
        ]
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "---|" * len(header))
        for i, t in enumerate(draft.tasks, 1):
            row = [
                str(i),
                _capital(t.assignee),
                ", ".join(t.cooperating) or "—",
                t.action,
                deadline_label(t),
            ]
            lines.append("| " + " | ".join(_md_cell(c) for c in row) + " |")
        lines.append("")
        lines.append(f"### {TEXTS['evidence']}")
        lines.append("")
        for i, t in enumerate(draft.tasks, 1):
            when = f" [{_clock(t.start)}]" if t.start is not None else ""
            lines.append(f"{i}.{when} “{' '.join(t.evidence.split())}”")
    else:
        lines.append(TEXTS["no_tasks"])
    if meeting and meeting.recipients:
        lines.append("")
        lines.append(f"**{TEXTS['recipients']}**")
        for r in meeting.recipients:
            lines.append(f"- {r};")
        lines.append(f"- {TEXTS['archive']}")
    lines.append("")
    return "\n".join(lines)


def _clock(seconds: float) -> str:
    total = int(seconds)
    return f"{total // 3600:02d}:{total % 3600 // 60:02d}:{total % 60:02d}"


# ---------------------------------------------------------------------------------------
# DOCX


def to_docx(
    draft: MinutesDraft,
    path: str | PathLike[str],
    meeting: MeetingInfo | None = None,
    kind: Literal["thong_bao", "bien_ban"] = "thong_bao",
) -> None:
    """Write the notice (or the record) as a DOCX file at ``path``."""
    try:
        from docx import Document
        from docx.enum.section import WD_ORIENT
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm, Mm, Pt
    except ImportError as e:  # pragma: no cover - python-docx is a declared dependency
        raise RuntimeError("DOCX output needs python-docx: pip install python-docx") from e
    if kind not in ("thong_bao", "bien_ban"):
        raise ValueError(f"unknown kind {kind!r}: use 'thong_bao' or 'bien_ban'")

    meeting = meeting or MeetingInfo()
    doc: Any = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)

    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    _east_asian_font(normal.element, FONT)
    normal.paragraph_format.space_after = Pt(6)

    def para(
        text: str = "",
        *,
        bold: bool = False,
        italic: bool = False,
        size: float = 14,
        align: Any = WD_ALIGN_PARAGRAPH.JUSTIFY,
        indent: bool = False,
        container: Any = None,
        after: float = 6,
    ) -> Any:
        target = container if container is not None else doc
        p = target.add_paragraph()
        p.alignment = align
        p.paragraph_format.space_after = Pt(after)
        p.paragraph_format.space_before = Pt(0)
        if indent:
            p.paragraph_format.first_line_indent = Cm(1)
        if text:
            run = p.add_run(text)
            run.bold, run.italic = bold, italic
            run.font.size = Pt(size)
            run.font.name = FONT
            _east_asian_font(run._element, FONT)
        return p

    center = WD_ALIGN_PARAGRAPH.CENTER
    day = _meeting_day(draft, meeting)
    abbreviation = "TB" if kind == "thong_bao" else "BB"

    # Header: issuing body and number | national motto and place, date
    header = doc.add_table(rows=1, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    header.autofit = False
    widths = (Cm(6.5), Cm(10.0))
    for cell, width in zip(header.rows[0].cells, widths, strict=True):
        cell.width = width
        cell.paragraphs[0].text = ""
    _column_widths(header, widths)
    left, right = header.rows[0].cells
    _cell_paragraph(left, meeting.parent_body or "", bold=False, size=13)
    _cell_paragraph(left, meeting.issuing_body.upper(), bold=True, size=13)
    _cell_paragraph(left, "———", size=13)
    number = meeting.number or "..."
    _cell_paragraph(left, f"Số: {number}/{abbreviation}-{meeting.abbreviation}", size=13)
    _cell_paragraph(right, TEXTS["motto_1"], bold=True, size=12)
    _cell_paragraph(right, TEXTS["motto_2"], bold=True, size=13)
    _cell_paragraph(right, "———————————", size=13)
    _cell_paragraph(right, format_date_line(meeting.place_name, day), italic=True, size=14)
    _drop_empty_first(left)
    _drop_empty_first(right)

    para("", after=0)
    title = meeting.title or "phiên họp trực tuyến của Ban Chỉ đạo"
    if kind == "thong_bao":
        para(TEXTS["notice"], bold=True, align=center, after=0)
        para(notice_title(draft, meeting), bold=True, align=center)
        para("———", align=center, after=6)
        para(_opening(draft, meeting), indent=True)
    else:
        para(TEXTS["record"], bold=True, align=center, after=0)
        para(
            TEXTS["record_summary"].format(title=title[:1].upper() + title[1:]),
            bold=True,
            align=center,
        )
        para("———", align=center, after=6)
        para(f"I. {TEXTS['time_place'].upper()}", bold=True)
        para(_opening(draft, meeting).rsplit(" Sau khi", 1)[0], indent=True)
        para(f"II. {TEXTS['attendance'].upper()}", bold=True)
        _attendance_table(doc, meeting, Pt, Cm)
        para("", after=0)
        para(f"III. {TEXTS['content'].upper()}", bold=True)

    for i, c in enumerate(draft.conclusions, 1):
        para(f"{i}. {c.text}", indent=True)

    para(f"{TEXTS['tasks']}:", bold=True, indent=True)
    if draft.tasks:
        _task_table(doc, draft.tasks, Pt, Cm)
    else:
        para(TEXTS["no_tasks"], indent=True)

    # Recipients | signature
    para("", after=0)
    footer = doc.add_table(rows=1, cols=2)
    footer.autofit = False
    for cell, width in zip(footer.rows[0].cells, (Cm(8.0), Cm(8.5)), strict=True):
        cell.width = width
    _column_widths(footer, (Cm(8.0), Cm(8.5)))
    left, right = footer.rows[0].cells
    if kind == "thong_bao":
        _cell_paragraph(left, TEXTS["recipients"], bold=True, italic=True, size=12, align="left")
        for r in meeting.recipients:
            _cell_paragraph(left, f"- {r};", size=11, align="left")
        _cell_paragraph(left, f"- {TEXTS['archive']}", size=11, align="left")
        _cell_paragraph(right, (meeting.signer_title or "TL. CHỦ TỊCH").upper(), bold=True, size=13)
        for _ in range(3):
            _cell_paragraph(right, "", size=13)
        _cell_paragraph(right, meeting.signer_name or "", bold=True, size=14)
    else:
        _cell_paragraph(left, TEXTS["secretary"], bold=True, size=13)
        _cell_paragraph(right, TEXTS["chair"], bold=True, size=13)
        for _ in range(3):
            _cell_paragraph(left, "", size=13)
            _cell_paragraph(right, "", size=13)
        _cell_paragraph(right, meeting.chair_name or "", bold=True, size=14)
    _drop_empty_first(left)
    _drop_empty_first(right)
    doc.core_properties.title = TEXTS["notice" if kind == "thong_bao" else "record"].capitalize()
    doc.core_properties.author = "Điểm Cầu"
    doc.save(str(path))


def _east_asian_font(element: Any, name: str) -> None:
    from docx.oxml.ns import qn

    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _cell_paragraph(
    cell: Any,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float = 13,
    align: str = "center",
) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = cell.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER if align == "center" else WD_ALIGN_PARAGRAPH.LEFT
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.space_before = Pt(0)
    run = p.add_run(text)
    run.bold, run.italic = bold, italic
    run.font.size = Pt(size)
    run.font.name = FONT
    _east_asian_font(run._element, FONT)
    return p


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _column_widths(table: Any, widths: Sequence[Any]) -> None:
    """Widths on the grid and on every cell: Word reads one, LibreOffice the other."""
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width


def _drop_empty_first(cell: Any) -> None:
    first = cell.paragraphs[0]
    if not first.text and len(cell.paragraphs) > 1:
        first._element.getparent().remove(first._element)


def _task_table(doc: Any, tasks: Sequence[Task], pt: Any, cm: Any) -> None:
    headers = (
        TEXTS["col_no"],
        TEXTS["col_assignee"],
        TEXTS["col_coop"],
        TEXTS["col_action"],
        TEXTS["col_deadline"],
    )
    widths = (cm(1.0), cm(3.6), cm(3.2), cm(5.9), cm(2.8))
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.autofit = False
    for cell, text, width in zip(table.rows[0].cells, headers, widths, strict=True):
        cell.width = width
        cell.paragraphs[0].text = ""
        _cell_paragraph(cell, text, bold=True, size=12)
        _drop_empty_first(cell)
    for i, t in enumerate(tasks, 1):
        row = table.add_row().cells
        values = (
            str(i),
            _capital(t.assignee),
            ", ".join(t.cooperating) or "—",
            t.action,
            deadline_label(t),
        )
        for cell, text, width in zip(row, values, widths, strict=True):
            cell.width = width
            cell.paragraphs[0].text = ""
            _cell_paragraph(cell, text, size=12, align="center" if len(text) < 4 else "left")
            _drop_empty_first(cell)
    _column_widths(table, widths)


def _attendance_table(doc: Any, meeting: MeetingInfo, pt: Any, cm: Any) -> None:
    headers = (TEXTS["col_point"], TEXTS["col_present"], TEXTS["col_absent"])
    widths = (cm(4.5), cm(7.5), cm(4.5))
    table = doc.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    table.autofit = False
    for cell, text, width in zip(table.rows[0].cells, headers, widths, strict=True):
        cell.width = width
        cell.paragraphs[0].text = ""
        _cell_paragraph(cell, text, bold=True, size=12)
        _drop_empty_first(cell)
    for point in meeting.points:
        row = table.add_row().cells
        values = (point.name, "; ".join(point.present) or "—", "; ".join(point.absent) or "—")
        for cell, text, width in zip(row, values, widths, strict=True):
            cell.width = width
            cell.paragraphs[0].text = ""
            _cell_paragraph(cell, text, size=12, align="left")
            _drop_empty_first(cell)
    _column_widths(table, widths)
