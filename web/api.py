"""The JSON API behind the same sessions and roles as the pages."""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from aiohttp import web

from storage.models import Meeting
from storage.services.office import AttendanceSheet, attendance_sheet, visible_meeting
from storage.services.recordings import meeting_recordings
from web.keys import SESSIONS, TIMEZONE, viewer
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
    meeting_id = int(request.match_info["meeting_id"])
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


async def meeting_recordings_json(request: web.Request) -> web.Response:
    """GET /api/meetings/{id}/recordings: each recording's stage and progress as its job
    stored them (in-process or on a ``diemcau worker`` elsewhere), for whoever may see the
    meeting."""
    me = viewer(request)
    meeting_id = int(request.match_info["meeting_id"])
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
