"""Rendering a draft: Markdown for reading and review, DOCX in the administrative format.

The DOCX follows Nghị định 30/2020/NĐ-CP (công tác văn thư): A4 portrait, Times New Roman,
margins top and bottom 20 mm, left 30 mm, right 15 mm; a header table with the issuing body
and the number on the left, the national motto and the place and date on the right; the
title; the text, ending "./."; "Nơi nhận:" and the signature block (authority "TM./KT./TL.",
the signer's title, the name). Page numbers from page 2, at the top centre. Until a person
approves it the document carries "DỰ THẢO" at the top of its first page.

``kind="thong_bao"`` writes a conclusion notice (thông báo kết luận); ``kind="bien_ban"``
writes a record of the meeting (biên bản): start and end, chair and secretary, attendance by
connection point (present, substitutes, absent with the reason).

Nothing is made up: whatever the caller does not know (time, place, body, number, signer) is
printed as a visible blank "…" for the clerk to fill in.

The transcript that a draft comes from is rendered beside it (:func:`transcript_to_text`,
:func:`transcript_to_docx`), one timed line per segment, so a reviewer can check a task
against what was said.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from os import PathLike
from typing import Any, Literal
from zoneinfo import ZoneInfo

from minutes.model import MeetingInfo, MinutesDraft, PointAttendance, Segment, Task, Transcript

__all__ = [
    "BLANK",
    "deadline_label",
    "format_date_line",
    "notice_title",
    "to_docx",
    "to_markdown",
    "transcript_to_docx",
    "transcript_to_text",
]

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
FONT = "Times New Roman"
BLANK = "…"  # what the clerk fills in: never replaced by a guess

# User-facing words, kept together so they can be read and corrected in one place.
TEXTS = {
    "motto_1": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "motto_2": "Độc lập - Tự do - Hạnh phúc",
    "notice": "THÔNG BÁO",
    "record": "BIÊN BẢN",
    "draft_mark": "DỰ THẢO",
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
    "attendance": "Thành phần tham dự",
    "attendance_by_point": "Tham dự theo điểm cầu:",
    "col_point": "Điểm cầu",
    "col_present": "Có mặt",
    "col_substitute": "Dự thay",
    "col_absent": "Vắng mặt (lý do)",
    "substitute": "{name}, dự thay {replaces}",
    "absence": "{name} (lý do: {reason})",
    "unmarked": "{name} (chưa điểm danh)",
    "time_place": "Thời gian, địa điểm",
    "record_start": "Bắt đầu: {when}.",
    "record_place": "Địa điểm: {place}.",
    "record_points": "Hình thức: trực tuyến, kết nối tới {count} điểm cầu.",
    "record_chair": "Chủ trì: {chair}.",
    "record_secretary": "Thư ký: {secretary}.",
    "content": "Nội dung",
    "notice_closing": "Thông báo để các cơ quan, đơn vị biết, thực hiện./.",
    "record_closing": "Phiên họp kết thúc {when}./.",
    "secretary": "THƯ KÝ",
    "chair": "CHỦ TRÌ",
    "draft_note": "Dự thảo do hệ thống tạo, cần lãnh đạo duyệt trước khi ban hành.",
    "unknown_date": f"ngày {BLANK} tháng {BLANK} năm {BLANK}",
    "clock": "{hh} giờ {mm}",
    "transcript": "BẢN GHI LỜI NÓI",
    "transcript_note": "Văn bản do máy chuyển từ ghi âm, chưa được hiệu đính; "
    "mốc thời gian tính từ đầu bản ghi âm.",
}


def _local(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("MeetingInfo.start and .end must be timezone-aware")
    return moment.astimezone(VN_TZ)


def _meeting_day(draft: MinutesDraft, meeting: MeetingInfo | None) -> date | None:
    if meeting is not None and meeting.start is not None:
        return _local(meeting.start).date()
    return draft.meeting_date


def format_date_line(place: str | None, day: date | None) -> str:
    """ "Lai Châu, ngày 04 tháng 6 năm 2021": days below 10 and months 1, 2 take a zero.

    An unknown place or day is left blank ("…, ngày … tháng … năm …")."""
    prefix = f"{place or BLANK}, "
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
    title = _meeting_name(draft, meeting)
    return f"Kết luận của {chair} tại {title}" if chair else f"Kết luận tại {title}"


def _meeting_name(draft: MinutesDraft, meeting: MeetingInfo | None) -> str:
    """The meeting's title, else "phiên họp ngày 04/06/2021", else "phiên họp"."""
    if meeting is not None and meeting.title:
        return meeting.title
    day = _meeting_day(draft, meeting)
    return f"phiên họp ngày {day:%d/%m/%Y}" if day else "phiên họp"


def _clock_words(moment: datetime | None) -> str:
    """ "08 giờ 30, ngày 04/06/2021" in Vietnam's time, or blanks for the clerk."""
    if moment is None:
        return TEXTS["clock"].format(hh=BLANK, mm=BLANK) + f", ngày {BLANK}"
    local = _local(moment)
    return TEXTS["clock"].format(hh=f"{local:%H}", mm=f"{local:%M}") + f", ngày {local:%d/%m/%Y}"


def _in_sentence(text: str) -> str:
    """A title or name placed mid-sentence: its first letter small, unless it is a
    proper name's or an abbreviation's (second letter capital too, as in "UBND")."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _point_in_list(name: str) -> str:
    """ "Điểm cầu huyện Sìn Hồ" after "tới 9 điểm cầu:" reads "huyện Sìn Hồ"."""
    prefix = "điểm cầu "
    return name[len(prefix) :] if name.lower().startswith(prefix) else name


def _chair(meeting: MeetingInfo) -> str | None:
    """ "Trần Tiến Dũng, Chủ tịch UBND tỉnh", or whichever half is known."""
    parts = [x for x in (meeting.chair_name, meeting.chair_title) if x]
    return ", ".join(parts) if parts else None


def _opening(draft: MinutesDraft, meeting: MeetingInfo | None) -> str:
    """The notice's first paragraph: when, where, who chaired, which meeting, the points;
    each unknown left as a blank."""
    meeting = meeting or MeetingInfo()
    if meeting.start is not None:
        when = f"Vào hồi {_clock_words(meeting.start)}"
    else:
        day = draft.meeting_date
        when = f"Ngày {day:%d/%m/%Y}" if day else f"Ngày {BLANK}"
    chair = _chair(meeting)
    title = _in_sentence(meeting.title) if meeting.title else "phiên họp"
    text = f"{when}, tại {meeting.main_place or BLANK}, đồng chí {chair or BLANK} chủ trì {title}."
    if meeting.points:
        names = ", ".join(_point_in_list(p.name) for p in meeting.points)
        text += f" Phiên họp được kết nối trực tuyến tới {len(meeting.points)} điểm cầu: {names}."
    speaker = meeting.chair_name or meeting.chair_title or BLANK
    text += (
        f" Sau khi nghe báo cáo và ý kiến của các đại biểu, đồng chí {speaker} kết luận như sau:"
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
    lines.append(f"*{format_date_line(place, meeting.issued_on if meeting else None)}*")
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


# ---------------------------------------------------------------------------------------
# DOCX

Kind = Literal["thong_bao", "bien_ban"]


def to_docx(
    draft: MinutesDraft,
    path: str | PathLike[str],
    meeting: MeetingInfo | None = None,
    kind: Kind = "thong_bao",
    *,
    mark_draft: bool = True,
) -> None:
    """Write the notice (or the record) as a DOCX file at ``path``.

    ``mark_draft`` puts "DỰ THẢO" on the first page; pass ``False`` only for a draft a
    person has approved.
    """
    if kind not in ("thong_bao", "bien_ban"):
        raise ValueError(f"unknown kind {kind!r}: use 'thong_bao' or 'bien_ban'")
    meeting = meeting or MeetingInfo()
    for moment in (meeting.start, meeting.end):
        if moment is not None:
            _local(moment)  # refuse a naive time before writing anything
    doc = _Document(mark_draft=mark_draft)
    _document_header(doc, meeting, kind)
    if kind == "thong_bao":
        doc.para(TEXTS["notice"], bold=True, align="center", after=0)
        doc.para(notice_title(draft, meeting), bold=True, align="center", after=0)
        doc.para("———", align="center", after=6)
        doc.para(_opening(draft, meeting), indent=True)
    else:
        title = _meeting_name(draft, meeting)
        doc.para(TEXTS["record"], bold=True, align="center", after=0)
        doc.para(_capital(title), bold=True, align="center", after=0)
        doc.para("———", align="center", after=6)
        _record_opening(doc, draft, meeting)
        doc.para(f"III. {TEXTS['content'].upper()}", bold=True)

    for i, c in enumerate(draft.conclusions, 1):
        doc.para(f"{i}. {c.text}", indent=True)
    doc.para(f"{TEXTS['tasks']}:", bold=True, indent=True, keep_with_next=True)
    if draft.tasks:
        last = _task_table(doc, draft.tasks)
    else:
        last = [doc.para(TEXTS["no_tasks"], indent=True)]

    if kind == "thong_bao":
        closing = TEXTS["notice_closing"]
    else:
        when = "lúc " + _clock_words(meeting.end)
        closing = TEXTS["record_closing"].format(when=when)
    # The end of the text, its closing line and the signature block stay on one page, so no
    # page ever holds the signature alone (a signature must sign some text).
    for paragraph in last:
        _keep_with_next(paragraph)
    doc.para("", after=0, keep_with_next=True)
    doc.para(closing, indent=True, keep_with_next=True)
    doc.para("", after=0, keep_with_next=True)
    if kind == "thong_bao":
        _notice_signature(doc, meeting)
    else:
        _record_signature(doc, meeting)
    name = TEXTS["notice" if kind == "thong_bao" else "record"].capitalize()
    doc.save(
        path, title=f"{TEXTS['draft_mark'].capitalize()} {name.lower()}" if mark_draft else name
    )


def _document_header(doc: _Document, meeting: MeetingInfo, kind: Kind) -> None:
    """Issuing body and number on the left; motto, place and date on the right."""
    table = doc.table(1, (6.5, 10.0), grid=False)
    left, right = table.rows[0].cells
    if meeting.parent_body:
        doc.cell_para(left, meeting.parent_body.upper(), size=13)
    doc.cell_para(left, (meeting.issuing_body or BLANK).upper(), bold=True, size=13)
    doc.cell_para(left, "———", size=13)
    doc.cell_para(left, _number_line(meeting, kind), size=13)
    doc.cell_para(right, TEXTS["motto_1"], bold=True, size=12)
    doc.cell_para(right, TEXTS["motto_2"], bold=True, size=13)
    doc.cell_para(right, "———————————", size=13)
    doc.cell_para(right, format_date_line(meeting.place_name, meeting.issued_on), italic=True)
    doc.para("", after=0)


def _number_line(meeting: MeetingInfo, kind: Kind) -> str:
    """ "Số: 125/TB-UBND"; a number given whole ("125/TB-UBND") is printed as it is."""
    number = meeting.number or BLANK
    if "/" in number:
        return f"Số: {number}"
    symbol = "TB" if kind == "thong_bao" else "BB"
    return f"Số: {number}/{symbol}-{meeting.abbreviation or BLANK}"


def _record_opening(doc: _Document, draft: MinutesDraft, meeting: MeetingInfo) -> None:
    """The record's parts I (time, place) and II (who attended, point by point)."""
    doc.para(f"I. {TEXTS['time_place'].upper()}", bold=True)
    if meeting.start is not None:
        start = "lúc " + _clock_words(meeting.start)
    else:
        day = draft.meeting_date
        start = f"lúc {TEXTS['clock'].format(hh=BLANK, mm=BLANK)}, ngày " + (
            f"{day:%d/%m/%Y}" if day else BLANK
        )
    doc.para(TEXTS["record_start"].format(when=start), indent=True)
    doc.para(TEXTS["record_place"].format(place=meeting.main_place or BLANK), indent=True)
    if meeting.points:
        doc.para(TEXTS["record_points"].format(count=len(meeting.points)), indent=True)
    doc.para(f"II. {TEXTS['attendance'].upper()}", bold=True)
    doc.para(TEXTS["record_chair"].format(chair=_chair(meeting) or BLANK), indent=True)
    doc.para(TEXTS["record_secretary"].format(secretary=meeting.secretary or BLANK), indent=True)
    if meeting.points:
        doc.para(TEXTS["attendance_by_point"], indent=True, keep_with_next=True)
        _attendance_table(doc, meeting.points)
        doc.para("", after=0)


def _signer_block(doc: _Document, cell: Any, heading: Sequence[str], name: str | None) -> None:
    for line in heading:
        doc.cell_para(cell, line.upper(), bold=True)
    for _ in range(4):  # room for the signature and the seal
        doc.cell_para(cell, "")
    doc.cell_para(cell, name or BLANK, bold=True, size=14)


def _notice_signature(doc: _Document, meeting: MeetingInfo) -> None:
    table = doc.table(1, (8.0, 8.5), grid=False, keep_together=True)
    left, right = table.rows[0].cells
    doc.cell_para(left, TEXTS["recipients"], bold=True, italic=True, size=12, align="left")
    for r in meeting.recipients or (BLANK,):
        doc.cell_para(left, f"- {r};", size=11, align="left")
    doc.cell_para(left, f"- {TEXTS['archive']}", size=11, align="left")
    heading = [x for x in (meeting.signer_authority, meeting.signer_title or BLANK) if x]
    _signer_block(doc, right, heading, meeting.signer_name)


def _record_signature(doc: _Document, meeting: MeetingInfo) -> None:
    table = doc.table(1, (8.0, 8.5), grid=False, keep_together=True)
    left, right = table.rows[0].cells
    _signer_block(doc, left, [TEXTS["secretary"]], meeting.secretary_name)
    _signer_block(doc, right, [TEXTS["chair"]], meeting.chair_name)


def _task_table(doc: _Document, tasks: Sequence[Task]) -> list[Any]:
    """The task table; returns its last row's paragraphs (to keep with what follows)."""
    headers = (
        TEXTS["col_no"],
        TEXTS["col_assignee"],
        TEXTS["col_coop"],
        TEXTS["col_action"],
        TEXTS["col_deadline"],
    )
    rows = [
        (str(i), _capital(t.assignee), ", ".join(t.cooperating) or "—", t.action, deadline_label(t))
        for i, t in enumerate(tasks, 1)
    ]
    return doc.grid_table(headers, rows, (1.0, 3.6, 3.2, 5.9, 2.8), short_centred=True)


def _attendance_table(doc: _Document, points: Sequence[PointAttendance]) -> None:
    headers = (
        TEXTS["col_point"],
        TEXTS["col_present"],
        TEXTS["col_substitute"],
        TEXTS["col_absent"],
    )
    rows = []
    for point in points:
        substitutes = [
            TEXTS["substitute"].format(name=s.name, replaces=s.replaces) for s in point.substitutes
        ]
        absent = [
            TEXTS["absence"].format(name=a.name, reason=a.reason or BLANK) for a in point.absent
        ]
        absent += [TEXTS["unmarked"].format(name=n) for n in point.unmarked]
        rows.append(
            (
                point.name,
                "; ".join(point.present) or "—",
                "; ".join(substitutes) or "—",
                "; ".join(absent) or "—",
            )
        )
    doc.grid_table(headers, rows, (3.5, 4.6, 4.2, 4.2))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


# ---------------------------------------------------------------------------------------
# Transcript


def _clock(seconds: float) -> str:
    total = int(seconds)
    return f"{total // 3600:02d}:{total % 3600 // 60:02d}:{total % 60:02d}"


def _segments(transcript: Transcript | Iterable[Segment]) -> list[Segment]:
    items = transcript.segments if isinstance(transcript, Transcript) else transcript
    return [s for s in items if s.text.strip()]


def transcript_to_text(transcript: Transcript | Iterable[Segment]) -> str:
    """The transcript as plain text, one line per segment: "[00:01:05] Giao Sở …"."""
    return "".join(
        f"[{_clock(s.start)}] {' '.join(s.text.split())}\n" for s in _segments(transcript)
    )


def transcript_to_docx(
    transcript: Transcript | Iterable[Segment],
    path: str | PathLike[str],
    meeting: MeetingInfo | None = None,
) -> None:
    """The transcript as a DOCX beside the draft: what was said, with where in the recording."""
    meeting = meeting or MeetingInfo()
    doc = _Document(mark_draft=False)
    doc.para(TEXTS["transcript"], bold=True, align="center", after=0)
    if meeting.title:
        doc.para(_capital(meeting.title), bold=True, align="center", after=0)
    if meeting.start is not None:
        doc.para(f"({_clock_words(meeting.start)})", italic=True, align="center", after=0)
    doc.para("———", align="center", after=6)
    doc.para(TEXTS["transcript_note"], italic=True, size=12)
    for segment in _segments(transcript):
        p = doc.para(after=3)
        doc.run(p, f"[{_clock(segment.start)}] ", bold=True, size=13)
        doc.run(p, " ".join(segment.text.split()), size=13)
    doc.save(path, title=TEXTS["transcript"].capitalize())


# ---------------------------------------------------------------------------------------
# python-docx plumbing: the page, its header, paragraphs and tables in the decree's format


class _Document:
    """A python-docx document set up for Nghị định 30/2020: A4, margins, Times New Roman 14,
    page numbers from page 2 at the top centre, "DỰ THẢO" on the first page if asked."""

    def __init__(self, *, mark_draft: bool) -> None:
        try:
            from docx import Document
            from docx.enum.section import WD_ORIENT
            from docx.shared import Mm, Pt
        except ImportError as e:  # pragma: no cover - python-docx is a declared dependency
            raise RuntimeError("DOCX output needs python-docx: pip install python-docx") from e
        self.doc: Any = Document()
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(20), Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
        section.header_distance = Mm(10)
        normal = self.doc.styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(14)
        _east_asian_font(normal.element, FONT)
        normal.paragraph_format.space_after = Pt(6)
        self._page_numbers(section)
        if mark_draft:
            self._draft_mark(section)

    def _page_numbers(self, section: Any) -> None:
        """A PAGE field centred in the header of every page but the first (the decree)."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        section.different_first_page_header_footer = True
        p = section.header.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _field_char(self.run(p, "", size=14), "begin")
        _instruction(self.run(p, "", size=14), " PAGE ")
        _field_char(self.run(p, "", size=14), "separate")
        self.run(p, "2", size=14)  # shown until the reader updates the field
        _field_char(self.run(p, "", size=14), "end")

    def _draft_mark(self, section: Any) -> None:
        """ "DỰ THẢO" in a box at the top right of the first page, above the header table."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm

        p = section.first_page_header.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.left_indent = Cm(13.0)
        self.run(p, TEXTS["draft_mark"], bold=True, size=13)
        _box(p)

    def run(
        self,
        paragraph: Any,
        text: str,
        *,
        bold: bool = False,
        italic: bool = False,
        size: float = 14,
    ) -> Any:
        from docx.shared import Pt

        run = paragraph.add_run(text)
        run.bold, run.italic = bold, italic
        run.font.size = Pt(size)
        run.font.name = FONT
        _east_asian_font(run._element, FONT)
        return run

    def para(
        self,
        text: str = "",
        *,
        bold: bool = False,
        italic: bool = False,
        size: float = 14,
        align: Literal["justify", "center", "left"] = "justify",
        indent: bool = False,
        after: float = 6,
        keep_with_next: bool = False,
    ) -> Any:
        from docx.shared import Cm, Pt

        p = self.doc.add_paragraph()
        p.alignment = _alignment(align)
        p.paragraph_format.space_after = Pt(after)
        p.paragraph_format.space_before = Pt(0)
        if indent:
            p.paragraph_format.first_line_indent = Cm(1)
        if keep_with_next:
            _keep_with_next(p)
        if text:
            self.run(p, text, bold=bold, italic=italic, size=size)
        return p

    def cell_para(
        self,
        cell: Any,
        text: str,
        *,
        bold: bool = False,
        italic: bool = False,
        size: float = 13,
        align: Literal["center", "left"] = "center",
    ) -> Any:
        """A paragraph in a table cell; the cell's own empty first paragraph is reused."""
        from docx.shared import Pt

        paragraphs = cell.paragraphs
        fresh = len(paragraphs) == 1 and not paragraphs[0].runs
        p = paragraphs[0] if fresh else cell.add_paragraph()
        p.alignment = _alignment(align)
        p.paragraph_format.space_after = Pt(0)
        p.paragraph_format.space_before = Pt(0)
        self.run(p, text, bold=bold, italic=italic, size=size)
        return p

    def table(
        self, rows: int, widths_cm: Sequence[float], *, grid: bool, keep_together: bool = False
    ) -> Any:
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.shared import Cm

        table = self.doc.add_table(rows=rows, cols=len(widths_cm))
        if grid:
            table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        widths = [Cm(w) for w in widths_cm]
        # Widths on the grid and on every cell: Word reads one, LibreOffice the other.
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
            for cell in column.cells:
                cell.width = width
        if keep_together:
            for row in table.rows:
                _cant_split(row)
        return table

    def grid_table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths_cm: Sequence[float],
        *,
        short_centred: bool = False,
    ) -> list[Any]:
        """A bordered table with a header row repeated on each page; returns the paragraphs
        of its last row (to keep with what follows)."""
        table = self.table(1 + len(rows), widths_cm, grid=True)
        _repeat_as_header(table.rows[0])
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            self.cell_para(cell, text, bold=True, size=12)
        last: list[Any] = []
        for row, values in zip(table.rows[1:], rows, strict=True):
            _cant_split(row)
            last = []
            for cell, text in zip(row.cells, values, strict=True):
                centred = short_centred and len(text) < 4
                last.append(
                    self.cell_para(cell, text, size=12, align="center" if centred else "left")
                )
        return last

    def save(self, path: str | PathLike[str], *, title: str) -> None:
        self.doc.core_properties.title = title
        self.doc.core_properties.author = "Điểm Cầu"
        self.doc.save(str(path))


def _alignment(align: str) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    return {
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
    }[align]


def _keep_with_next(paragraph: Any) -> None:
    paragraph.paragraph_format.keep_with_next = True
    paragraph.paragraph_format.keep_together = True


def _east_asian_font(element: Any, name: str) -> None:
    from docx.oxml.ns import qn

    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _field_char(run: Any, kind: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run._element.append(char)


def _instruction(run: Any, text: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = text
    run._element.append(instr)


def _box(paragraph: Any) -> None:
    """A single-line border around a paragraph."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        edge = OxmlElement(f"w:{side}")
        for key, value in (("val", "single"), ("sz", "8"), ("space", "1"), ("color", "000000")):
            edge.set(qn(f"w:{key}"), value)
        borders.append(edge)
    paragraph._p.get_or_add_pPr().append(borders)


def _row_property(row: Any, tag: str) -> None:
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement(tag))


def _cant_split(row: Any) -> None:
    """A row never breaks across two pages."""
    _row_property(row, "w:cantSplit")


def _repeat_as_header(row: Any) -> None:
    _row_property(row, "w:tblHeader")
