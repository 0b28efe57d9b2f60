"""The JSON API behind the same sessions and roles as the pages (or an integration's bearer
token, read-only): the same loaders as the pages, the figures as JSON. Its description is
``web.openapi``; a test keeps the two in step."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import tzinfo
from typing import Any

from aiohttp import web

from storage.models import Meeting
from storage.services.office import (
    AttendanceSheet,
    attendance_sheet,
    meetings_of_committees,
    visible_meeting,
)
from storage.services.tasks import Category
from web import reports
from web.keys import SESSIONS, TIMEZONE, now, viewer
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
    meeting_id = reports.route_id(request.match_info["meeting_id"], "meeting")
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
