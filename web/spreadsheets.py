"""The reports as XLSX workbooks (openpyxl): the figures of the page, as numbers a secretary
can sum and chart again, under a title row and the moment they were made.

Each sheet: the title in A1, "Lập lúc …" in A2, the column headings in row 4, data from row
5. Rates are stored as fractions with a percent format, never as text.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from io import BytesIO

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from storage.services.reports import AttendanceReport, TaskReport, UnitRecord
from storage.services.tasks import CATEGORY_VI, Category
from storage.texts import format_date

HEADER_ROW = 4
HEADING = Font(bold=True)
HEADING_FILL = PatternFill("solid", fgColor="EEF1F4")
PERCENT = "0%"


def _month(day: date) -> str:
    return f"{day.month:02d}/{day.year}"


def _sheet(
    sheet: Worksheet, title: str, made: datetime, headings: Sequence[str], widths: Sequence[int]
) -> None:
    sheet.cell(row=1, column=1, value=title).font = Font(bold=True, size=13)
    sheet["A2"] = f"Lập lúc {made:%H:%M} ngày {format_date(made.date())}"
    for column, (heading, width) in enumerate(zip(headings, widths, strict=True), start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column, value=heading)
        cell.font = HEADING
        cell.fill = HEADING_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = f"B{HEADER_ROW + 1}"


def _bytes(book: Workbook) -> bytes:
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def attendance(report: AttendanceReport, *, labels: Sequence[str], made: datetime) -> bytes:
    """Sheet "Tỷ lệ có mặt": points down, sessions across; sheet "Chi tiết": one row per
    point and session with the counts behind each rate."""
    book = Workbook()
    rates = book.worksheets[0]  # a new workbook's one sheet
    rates.title = "Tỷ lệ có mặt"
    _sheet(
        rates,
        f"Tỷ lệ có mặt theo điểm cầu — {report.committee_name}",
        made,
        ["Điểm cầu", *labels],
        [32, *(12 for _ in labels)],
    )
    for row in report.rows:
        rates.append([row.name, *(c.rate if c else None for c in row.cells)])
        for cell in rates[rates.max_row][1:]:
            cell.number_format = PERCENT
    detail = book.create_sheet("Chi tiết")
    _sheet(
        detail,
        f"Điểm danh theo điểm cầu — {report.committee_name}",
        made,
        [
            "Phiên họp",
            "Ngày",
            "Điểm cầu",
            "Số được mời",
            "Xác nhận tham dự",
            "Có mặt",
            "Tỷ lệ có mặt",
        ],
        [40, 12, 32, 12, 14, 10, 12],
    )
    for index, column in enumerate(report.sessions):
        for row in report.rows:
            counts = row.cells[index]
            if counts is None:
                continue
            detail.append(
                [
                    column.title,
                    labels[index],
                    row.name,
                    counts.invited,
                    counts.confirmed,
                    counts.present if counts.called else None,
                    counts.rate,
                ]
            )
            detail.cell(row=detail.max_row, column=7).number_format = PERCENT
    return _bytes(book)


def _category_headings() -> list[str]:
    return [CATEGORY_VI[c] for c in Category]


def tasks(report: TaskReport, *, made: datetime) -> bytes:
    """One row per unit in charge: the four categories and the total; a bar chart beside."""
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = "Nhiệm vụ theo đơn vị"
    _sheet(
        sheet,
        "Tình hình thực hiện nhiệm vụ theo đơn vị chủ trì",
        made,
        ["Đơn vị chủ trì", *_category_headings(), "Tổng số"],
        [36, 16, 16, 18, 18, 10],
    )
    for unit in report.units:
        sheet.append([unit.name, *(unit.counts[c] for c in Category), unit.total])
    last = sheet.max_row
    sheet.append(["Tổng cộng", *(report.totals[c] for c in Category), sum(report.totals.values())])
    for cell in sheet[sheet.max_row]:
        cell.font = HEADING
    if report.units:
        chart = BarChart()
        chart.type = "bar"
        chart.grouping = "stacked"
        chart.overlap = 100
        chart.title = "Nhiệm vụ theo đơn vị chủ trì"
        chart.y_axis.title = "Số nhiệm vụ"
        data = Reference(sheet, min_col=2, max_col=5, min_row=HEADER_ROW, max_row=last)
        names = Reference(sheet, min_col=1, min_row=HEADER_ROW + 1, max_row=last)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(names)
        chart.height = max(7.5, 0.6 * len(report.units) + 3)
        sheet.add_chart(chart, "H4")
    return _bytes(book)


def unit(record: UnitRecord, *, made: datetime) -> bytes:
    """One row per month the unit's tasks were due, then those with no set date."""
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = "Theo tháng"
    _sheet(
        sheet,
        f"Kết quả thực hiện nhiệm vụ của {record.name} theo tháng đến hạn",
        made,
        ["Tháng đến hạn", *_category_headings(), "Tổng số", "Tỷ lệ đúng hạn"],
        [16, 16, 16, 18, 18, 10, 14],
    )
    for month in record.months:
        sheet.append(
            [
                _month(month.month),
                *(month.counts[c] for c in Category),
                month.total,
                month.on_time_rate,
            ]
        )
        sheet.cell(row=sheet.max_row, column=7).number_format = PERCENT
    if any(record.undated.values()):
        sheet.append(
            [
                "Không có hạn cụ thể",
                *(record.undated[c] for c in Category),
                sum(record.undated.values()),
                None,
            ]
        )
    sheet.append(["Tổng cộng", *(record.totals[c] for c in Category), sum(record.totals.values())])
    for cell in sheet[sheet.max_row]:
        cell.font = HEADING
    return _bytes(book)
