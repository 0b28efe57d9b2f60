"""The JSON API behind the same sessions and roles as the pages (or an integration's bearer
token, read-only): the same loaders as the pages, the figures as JSON. Its description is
``web.openapi``; a test keeps the two in step."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import tzinfo
from enum import StrEnum
from typing import Any

from aiohttp import web

from storage.errors import ErrorCode
from storage.models import Meeting, TaskStatus
from storage.services.office import (
    AttendanceSheet,
    attendance_sheet,
    meetings_of_committees,
    task_board,
    visible_meeting,
)
from storage.services.recordings import meeting_recordings
from storage.services.tasks import Category
from web import reports
from web.keys import SESSIONS, TIMEZONE, now, route_id, viewer
from web.pages import NOT_ALLOWED_VI, sheet_points


def sheet_json(meeting: Meeting, sheet: AttendanceSheet, tz: tzinfo) -> dict[str, Any]:
    return {
        "meeting_id": meeting.id,
        "title": meeting.title,
        "starts_at": meeting.starts_at.astimezone(tz).isoformat(),
        "totals": sheet.totals,
        "points": [
            {
                "point_id": row.point_id,
                "name": row.point_name,
                "main": row.is_main,
                "readiness": row.readiness.value,
                "readiness_note": row.readiness_note,
                "people": [
                    {
                        "name": e.name,
                        "title": e.title,
                        "status": e.status.value,
                        "reason": e.reason,
                        "delegate": e.delegate,
                        "present": e.present,
                        "never_received": e.never_received,
                    }
                    for e in row.entries
                ],
            }
            for row in sheet.rows
        ],
    }


async def meeting_attendance(request: web.Request) -> web.Response:
    """GET /api/meetings/{id}/attendance: the sheet as the viewer may see it on the page."""
    me = viewer(request)
    meeting_id = route_id(request.match_info["meeting_id"], "meeting")
    async with request.app[SESSIONS]() as session:
        meeting = await visible_meeting(session, meeting_id, committee_ids=me.committee_ids)
        coordinated = [
            mp.point_id for mp in meeting.points if mp.point.coordinator_id == me.person_id
        ]
        points = sheet_points(me, meeting.committee_id, coordinated)
        if points == []:
            raise web.HTTPForbidden(text=NOT_ALLOWED_VI)
        sheet = await attendance_sheet(session, meeting, point_ids=points)
    return web.json_response(sheet_json(meeting, sheet, request.app[TIMEZONE]))


# --- reports, lists and the viewer, for scripts -----------------------------------------------


def _counts(counts: Mapping[Category, int]) -> dict[str, int]:
    return {category.value: counts[category] for category in Category}


def _rate(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


async def whoami(request: web.Request) -> web.Response:
    """GET /api/me: who the session or token acts as, and their roles by committee."""
    found = viewer(request)
    return web.json_response(
        {
            "name": found.name,
            "unit_id": found.unit_id,
            "committees": [
                {"committee_id": c, "roles": sorted(r.value for r in found.roles[c])}
                for c in found.committee_ids
            ],
        }
    )


def _meeting(meeting: Meeting, tz: tzinfo) -> dict[str, Any]:
    return {
        "meeting_id": meeting.id,
        "committee_id": meeting.committee_id,
        "title": meeting.title,
        "starts_at": meeting.starts_at.astimezone(tz).isoformat(),
        "status": meeting.status.value,
    }


async def meetings(request: web.Request) -> web.Response:
    """GET /api/meetings: the viewer's committees' meetings, coming and past."""
    found = viewer(request)
    tz = request.app[TIMEZONE]
    async with request.app[SESSIONS]() as session:
        lists = await meetings_of_committees(
            session, committee_ids=found.committee_ids, now=now(request)
        )
    return web.json_response(
        {
            "upcoming": [_meeting(m, tz) for m in lists.upcoming],
            "past": [_meeting(m, tz) for m in lists.past],
        }
    )


async def attendance_report(request: web.Request) -> web.Response:
    """GET /api/reports/attendance?committee=: the attendance report's figures."""
    report, _ = await reports.load_attendance(request)
    tz = request.app[TIMEZONE]
    return web.json_response(
        {
            "committee_id": report.committee_id,
            "committee_name": report.committee_name,
            "sessions": [
                {
                    "meeting_id": s.meeting_id,
                    "title": s.title,
                    "starts_at": s.starts_at.astimezone(tz).isoformat(),
                }
                for s in report.sessions
            ],
            "points": [
                {
                    "point_id": row.point_id,
                    "name": row.name,
                    "sessions": [
                        None
                        if c is None
                        else {
                            "invited": c.invited,
                            "confirmed": c.confirmed,
                            "present": c.present,
                            "called": c.called,
                            "rate": _rate(c.rate),
                        }
                        for c in row.cells
                    ],
                }
                for row in report.rows
            ],
        }
    )


async def task_report(request: web.Request) -> web.Response:
    """GET /api/reports/tasks: tasks per unit in charge by the government's categories."""
    report = await reports.load_tasks(request)
    return web.json_response(
        {
            "totals": _counts(report.totals),
            "cancelled": report.cancelled,
            "units": [
                {
                    "unit_id": u.unit_id,
                    "name": u.name,
                    "counts": _counts(u.counts),
                    "total": u.total,
                }
                for u in report.units
            ],
        }
    )


async def unit_report(request: web.Request) -> web.Response:
    """GET /api/reports/units/{id}: one unit's record by the month its tasks were due."""
    record = await reports.load_unit(request)
    return web.json_response(
        {
            "unit_id": record.unit_id,
            "name": record.name,
            "totals": _counts(record.totals),
            "undated": _counts(record.undated),
            "months": [
                {
                    "month": f"{m.month.year}-{m.month.month:02d}",
                    "counts": _counts(m.counts),
                    "total": m.total,
                    "on_time_rate": _rate(m.on_time_rate),
                }
                for m in record.months
            ],
        }
    )


TASKS_PER_PAGE = 200


def _choice(request: web.Request, name: str, kind: type[StrEnum]) -> Any:
    if name not in request.query:
        return None
    value = request.query[name]  # present but empty is refused, as the description says
    try:
        return kind(value)
    except ValueError:
        raise reports.BadQuery(f"{name}={value!r}", ErrorCode.BAD_QUERY) from None


async def tasks(request: web.Request) -> web.Response:
    """GET /api/tasks?unit=&status=&category=&page=: the task board's tasks the viewer may
    see, in deadline order, 200 a page, with the category counts of all of them."""
    s = reports.TaskScope.of(request)
    unit = reports.query_id(request, "unit")
    status = _choice(request, "status", TaskStatus)
    category = _choice(request, "category", Category)
    page = reports.query_id(request, "page") or 1
    async with request.app[SESSIONS]() as session:
        board = await task_board(
            session,
            committee_ids=s.committee_ids,
            today=s.today,
            tz=s.tz,
            unit_id=unit,
            status=status,
            category=category,
            unit_only_in=s.unit_only_in,
            own_unit_id=s.own_unit_id,
            page=page,
            page_size=TASKS_PER_PAGE,
        )
    # A page past the last lists nothing (the board would show the last one instead).
    shown = board.tasks if page == board.page else []
    return web.json_response(
        {
            "totals": _counts(board.totals),
            "count": board.count,
            "page": page,
            "pages": board.pages,
            "tasks": [
                {
                    "task_id": item.task.id,
                    "meeting_id": item.task.meeting_id,
                    "meeting_title": item.meeting_title,
                    "unit_id": item.task.unit_id,
                    "unit": item.unit,
                    "cooperating": [str(c) for c in item.task.cooperating],
                    "action": item.task.action,
                    "due": item.due.isoformat() if item.due else None,
                    "deadline_text": item.task.deadline_text,
                    "status": item.task.status.value,
                    "category": item.category.value if item.category else None,
                }
                for item in shown
            ],
        }
    )


async def meeting_recordings_json(request: web.Request) -> web.Response:
    """GET /api/meetings/{id}/recordings: each recording's stage and progress as its job
    stored them (in-process or on a ``diemcau worker`` elsewhere), for whoever may see the
    meeting."""
    me = viewer(request)
    meeting_id = route_id(request.match_info["meeting_id"], "meeting")
    async with request.app[SESSIONS]() as session:
        await visible_meeting(session, meeting_id, committee_ids=me.committee_ids)
        recordings = await meeting_recordings(session, meeting_id)
    return web.json_response(
        [
            {
                "recording_id": r.id,
                "name": r.original_name,
                "stage": r.status.value,
                "progress": round(r.progress, 4),
                "duration_s": r.duration_s,
                "error": r.error,
            }
            for r in recordings
        ]
    )
