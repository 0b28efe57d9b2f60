"""The report pages (báo cáo) and their spreadsheets: attendance per point over sessions,
tasks per unit by the government's categories, and one unit's record over time.

Who sees what follows the meeting page and the task board: attendance is for the
secretariat and leadership (every point) and coordinators (their own points); task counts
are of the tasks the board would show (a participant's own unit). The loaders here decide the
scope and ask ``storage.services.reports``; the JSON API uses the same loaders.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, tzinfo

from aiohttp import web

from bot.vietnamese import CATEGORY_VI, format_date
from storage.errors import DomainError, ErrorCode
from storage.models import Role
from storage.services.reports import (
    AttendanceReport,
    MonthCounts,
    TaskReport,
    UnitRecord,
    attendance_report,
    committee_names,
    coordinated_points,
    task_report,
    unit_record,
)
from storage.services.tasks import Category
from web import spreadsheets
from web.charts import Part, line_chart, stacked_bars, stacked_columns
from web.keys import SESSIONS, TIMEZONE, now, render, route_id, viewer
from web.pages import OVERSEERS

ATTENDANCE_VIEWERS = (*OVERSEERS, Role.COORDINATOR)
NO_ATTENDANCE_VI = (
    "Báo cáo tham dự dành cho tổ giúp việc, lãnh đạo và đầu mối điểm cầu của Ban Chỉ đạo."
)

CATEGORY_COLOURS = {
    Category.DONE_ON_TIME: "#1b7f3b",
    Category.DONE_LATE: "#c77700",
    Category.OPEN_IN_TIME: "#7a8896",
    Category.OVERDUE: "#b3261e",
}
PARTS = [Part(CATEGORY_VI[c], CATEGORY_COLOURS[c]) for c in Category]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class BadQuery(DomainError):
    """A report's query parameter is not what it should be."""


def query_id(request: web.Request, name: str) -> int | None:
    """An optional id in the query string: absent is None; present, it must be an id. An
    empty value is refused like any other non-id, as the API's description says (no form
    of ours sends one)."""
    if name not in request.query:
        return None
    value = request.query[name]
    if not value.isdigit() or not value.strip("0"):  # ids and pages count from 1
        raise BadQuery(f"{name}={value!r} is not an id", ErrorCode.BAD_QUERY)
    return route_id(value, name)


def month_label(month: date) -> str:
    return f"{month.month:02d}/{month.year}"


# --- loaders: scope decided here, figures from the services -----------------------------------


async def load_attendance(request: web.Request) -> tuple[AttendanceReport, list[tuple[int, str]]]:
    """The attendance report of ``?committee=`` (else the viewer's first committee where they
    may see it), and the committees they could choose instead."""
    me = viewer(request)
    allowed = [c for c in me.committee_ids if me.has(c, *ATTENDANCE_VIEWERS)]
    committee_id = query_id(request, "committee")
    if committee_id is None:
        if not allowed:
            raise web.HTTPForbidden(text=NO_ATTENDANCE_VI)
        committee_id = allowed[0]
    elif committee_id in me.committee_ids and committee_id not in allowed:
        raise web.HTTPForbidden(text=NO_ATTENDANCE_VI)
    async with request.app[SESSIONS]() as session:
        points = None
        if committee_id in allowed and not me.has(committee_id, *OVERSEERS):
            points = await coordinated_points(
                session, committee_id=committee_id, person_id=me.person_id
            )
        report = await attendance_report(
            session,
            committee_id=committee_id,
            visible_committees=allowed,
            now=now(request),
            point_ids=points,
        )
        choices = await committee_names(session, allowed)
    return report, choices


@dataclass(frozen=True, slots=True)
class TaskScope:
    """The tasks the board would show this viewer: all of their committees' tasks where they
    oversee, only their unit's elsewhere."""

    committee_ids: list[int]
    today: date
    tz: tzinfo
    unit_only_in: list[int]
    own_unit_id: int | None

    @classmethod
    def of(cls, request: web.Request) -> TaskScope:
        me = viewer(request)
        tz = request.app[TIMEZONE]
        return cls(
            committee_ids=me.committee_ids,
            today=now(request).astimezone(tz).date(),
            tz=tz,
            unit_only_in=[c for c in me.committee_ids if not me.has(c, *OVERSEERS)],
            own_unit_id=me.unit_id,
        )


async def load_tasks(request: web.Request) -> TaskReport:
    s = TaskScope.of(request)
    async with request.app[SESSIONS]() as session:
        return await task_report(
            session,
            committee_ids=s.committee_ids,
            today=s.today,
            tz=s.tz,
            unit_only_in=s.unit_only_in,
            own_unit_id=s.own_unit_id,
        )


async def load_unit(request: web.Request) -> UnitRecord:
    unit_id = route_id(request.match_info["unit_id"], "unit")
    s = TaskScope.of(request)
    async with request.app[SESSIONS]() as session:
        return await unit_record(
            session,
            unit_id,
            committee_ids=s.committee_ids,
            today=s.today,
            tz=s.tz,
            unit_only_in=s.unit_only_in,
            own_unit_id=s.own_unit_id,
        )


# --- charts -----------------------------------------------------------------------------------


def session_labels(report: AttendanceReport, tz: tzinfo) -> list[str]:
    """Each session by its day in the office's zone."""
    return [format_date(s.starts_at.astimezone(tz).date()) for s in report.sessions]


def attendance_chart(report: AttendanceReport, labels: list[str]) -> object:
    series = [(row.name, [c.rate if c else None for c in row.cells]) for row in report.rows]
    described = "; ".join(
        f"{row.name}: "
        + ", ".join(
            f"{label} {c.rate * 100:.0f}%"
            if c and c.rate is not None
            else f"{label} chưa điểm danh"
            for label, c in zip(labels, row.cells, strict=True)
        )
        for row in report.rows
    )
    return line_chart(
        "attendance",
        title=f"Tỷ lệ có mặt theo điểm cầu qua các phiên họp — {report.committee_name}",
        desc=f"Tỷ lệ người có mặt trên số được mời, theo từng điểm cầu. {described}",
        x_labels=labels,
        series=series,
        y_label="Tỷ lệ có mặt",
        empty="Chưa có phiên họp nào đã diễn ra.",
    )


def tasks_chart(report: TaskReport) -> object:
    rows = [(u.name, [u.counts[c] for c in Category]) for u in report.units]
    described = "; ".join(
        f"{u.name}: " + ", ".join(f"{CATEGORY_VI[c].lower()} {u.counts[c]}" for c in Category)
        for u in report.units
    )
    return stacked_bars(
        "tasks",
        title="Nhiệm vụ theo đơn vị chủ trì và tình trạng thực hiện",
        desc=f"Số nhiệm vụ của mỗi đơn vị theo bốn nhóm. {described}",
        parts_of=PARTS,
        rows=rows,
        axis_label="Số nhiệm vụ",
        empty="Chưa có nhiệm vụ nào.",
    )


def unit_chart(record: UnitRecord) -> object:
    columns = [(month_label(m.month), [m.counts[c] for c in Category]) for m in record.months]
    described = "; ".join(
        f"tháng {month_label(m.month)}: "
        + ", ".join(f"{CATEGORY_VI[c].lower()} {m.counts[c]}" for c in Category)
        for m in record.months
        if m.total
    )
    return stacked_columns(
        "unit",
        title=f"Kết quả thực hiện nhiệm vụ của {record.name} theo tháng đến hạn",
        desc=f"Số nhiệm vụ đến hạn trong mỗi tháng, theo bốn nhóm. {described}",
        parts_of=PARTS,
        columns=columns,
        axis_label="Số nhiệm vụ",
        empty="Đơn vị chưa có nhiệm vụ nào có thời hạn.",
    )


# --- pages ------------------------------------------------------------------------------------


async def attendance_page(request: web.Request) -> web.StreamResponse:
    """GET /reports/attendance?committee=: the chart and its table."""
    report, choices = await load_attendance(request)
    labels = session_labels(report, request.app[TIMEZONE])
    return render(
        request,
        "report_attendance.html",
        {
            "report": report,
            "chart": attendance_chart(report, labels),
            "labels": labels,
            "choices": choices,
        },
    )


async def tasks_page(request: web.Request) -> web.StreamResponse:
    """GET /reports/tasks: tasks per unit in the four categories."""
    report = await load_tasks(request)
    return render(request, "report_tasks.html", {"report": report, "chart": tasks_chart(report)})


def on_time(month: MonthCounts) -> str:
    rate = month.on_time_rate
    return "—" if rate is None else f"{rate * 100:.0f}%"


async def unit_page(request: web.Request) -> web.StreamResponse:
    """GET /reports/units/{id}: one unit's record, month by month."""
    record = await load_unit(request)
    return render(
        request,
        "report_unit.html",
        {
            "record": record,
            "chart": unit_chart(record),
            "month_label": month_label,
            "on_time": on_time,
        },
    )


# --- spreadsheets -----------------------------------------------------------------------------


def _xlsx(body: bytes, name: str) -> web.Response:
    """The file name is built here; nothing from the request reaches it."""
    return web.Response(
        body=body,
        content_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
    )


async def attendance_xlsx(request: web.Request) -> web.StreamResponse:
    report, _ = await load_attendance(request)
    tz = request.app[TIMEZONE]
    body = spreadsheets.attendance(
        report, labels=session_labels(report, tz), made=now(request).astimezone(tz)
    )
    return _xlsx(body, f"bao-cao-tham-du-{report.committee_id}")


async def tasks_xlsx(request: web.Request) -> web.StreamResponse:
    report = await load_tasks(request)
    made = now(request).astimezone(request.app[TIMEZONE])
    return _xlsx(spreadsheets.tasks(report, made=made), "bao-cao-nhiem-vu")


async def unit_xlsx(request: web.Request) -> web.StreamResponse:
    record = await load_unit(request)
    made = now(request).astimezone(request.app[TIMEZONE])
    return _xlsx(spreadsheets.unit(record, made=made), f"bao-cao-don-vi-{record.unit_id}")


async def index(request: web.Request) -> web.StreamResponse:
    """GET /reports: the task report, which every signed-in person may see."""
    raise web.HTTPSeeOther("/reports/tasks")
