"""The office's pages: meetings, one meeting (attendance sheet, agenda), the task board, and
the forms that change them. Each handler parses, asks the services, renders; who may see and
do what is decided by the viewer's roles in the meeting's committee, as in the bot.
"""

from __future__ import annotations

from calendar import Calendar
from collections.abc import Callable
from datetime import date, timedelta, tzinfo
from typing import Any

from aiohttp import web

from storage.errors import ErrorCode, InvalidAnswer
from storage.models import AnswerStatus, Meeting, MeetingStatus, Role, TaskStatus
from storage.services.invitations import answer_invitation
from storage.services.office import (
    attendance_sheet,
    invitation_in_meeting,
    meetings_of_committees,
    own_invitation,
    record_presence,
    report_readiness,
    task_board,
    visible_meeting,
    visible_task,
)
from storage.services.tasks import (
    Category,
    complete_task,
    decide_extension,
    report_progress,
    request_extension,
)
from storage.services.web_sessions import Viewer
from web import recordings
from web.keys import (
    SESSIONS,
    TASK_CHANGED,
    TIMEZONE,
    now,
    render,
    route_id,
    viewer,
)

OVERSEERS = (Role.SECRETARIAT, Role.LEADERSHIP)
BOARD_PAGE = 200  # tasks listed per page of the board; the counts cover them all
NOT_ALLOWED_VI = "Bạn không có quyền thực hiện việc này."


def _int(request: web.Request, name: str) -> int:
    return route_id(request.match_info[name], name)


def _see_other(location: str) -> web.Response:
    return web.Response(status=303, headers={"Location": location})


async def _form(request: web.Request) -> dict[str, str]:
    return {k: v.strip() for k, v in (await request.post()).items() if isinstance(v, str)}


def month_grid(year: int, month: int, meetings: list[Meeting], tz: tzinfo) -> list[list[Any]]:
    """Weeks (Monday first) of (day, its meetings) pairs; None pads the first and last week."""
    by_day: dict[date, list[Meeting]] = {}
    for meeting in meetings:
        by_day.setdefault(meeting.starts_at.astimezone(tz).date(), []).append(meeting)
    return [
        [(day, by_day.get(day, [])) if day.month == month else None for day in week]
        for week in Calendar(firstweekday=0).monthdatescalendar(year, month)
    ]


async def meetings_page(request: web.Request) -> web.StreamResponse:
    """GET /?month=YYYY-MM: the viewer's committees' meetings, coming and past, and a month
    calendar (this month unless asked)."""
    me = viewer(request)
    tz = request.app[TIMEZONE]
    today = now(request).astimezone(tz).date()
    try:
        year, month = map(int, request.query.get("month", "").split("-"))
        shown = date(year, month, 1)
    except ValueError:
        shown = today.replace(day=1)
    async with request.app[SESSIONS]() as session:
        lists = await meetings_of_committees(
            session, committee_ids=me.committee_ids, now=now(request)
        )
    previous = (shown - timedelta(days=1)).replace(day=1)
    following = (shown + timedelta(days=31)).replace(day=1)
    return render(
        request,
        "meetings.html",
        {
            "upcoming": lists.upcoming,
            "past": lists.past,
            "shown": shown,
            "today": today,
            "weeks": month_grid(shown.year, shown.month, lists.upcoming + lists.past, tz),
            "previous": f"{previous.year}-{previous.month:02d}",
            "following": f"{following.year}-{following.month:02d}",
        },
    )


def sheet_points(me: Viewer, committee_id: int, coordinated: list[int]) -> list[int] | None:
    """Which points' rows the viewer sees: all for the secretariat and leadership, their own
    for a coordinator, none for a participant (None means all)."""
    if me.has(committee_id, *OVERSEERS):
        return None
    if me.has(committee_id, Role.COORDINATOR):
        return coordinated
    return []


async def meeting_page(request: web.Request) -> web.StreamResponse:
    """GET /meetings/{id}: the attendance sheet the viewer may see, their own invitation,
    and the agenda with its documents."""
    me = viewer(request)
    meeting_id = _int(request, "meeting_id")
    async with request.app[SESSIONS]() as session:
        meeting = await visible_meeting(
            session, meeting_id, committee_ids=me.committee_ids, now=now(request)
        )
        coordinated = [
            mp.point_id for mp in meeting.points if mp.point.coordinator_id == me.person_id
        ]
        points = sheet_points(me, meeting.committee_id, coordinated)
        sheet = await attendance_sheet(session, meeting, point_ids=points) if points != [] else None
        mine = await own_invitation(session, meeting_id, me.person_id)
        recorded = await recordings.meeting_section(request, session, meeting)
    answers_open = meeting.status == MeetingStatus.PLANNED and now(request) < meeting.starts_at
    secretariat = me.has(meeting.committee_id, Role.SECRETARIAT)
    coordinator = me.has(meeting.committee_id, Role.COORDINATOR)
    open_meeting = meeting.status in (MeetingStatus.PLANNED, MeetingStatus.ONGOING)
    # As in the bot: the point's coordinator (or the secretariat) reports readiness; only the
    # point's coordinator calls the roll.
    own_points = set(coordinated) if coordinator and open_meeting else set()
    all_points = {mp.point_id for mp in meeting.points}
    may_report = own_points | (all_points if secretariat and open_meeting else set())
    may_roll_call = own_points
    return render(
        request,
        "meeting.html",
        {
            "meeting": meeting,
            "sheet": sheet,
            "full_sheet": points is None,
            "mine": mine,
            "answers_open": answers_open,
            "may_answer_for_others": answers_open and secretariat,
            "may_report": may_report,
            "may_roll_call": may_roll_call,
            **recorded,
        },
    )


async def answer(request: web.Request) -> web.StreamResponse:
    """POST /meetings/{id}/answers/{invitation}: one's own answer, or the secretariat's on
    someone's behalf (the same service and rules as the bot's buttons)."""
    me = viewer(request)
    meeting_id = _int(request, "meeting_id")
    form = await _form(request)
    try:
        status = AnswerStatus(form.get("status", ""))
    except ValueError:
        raise InvalidAnswer("unknown answer", ErrorCode.ANSWER_NEEDED) from None
    async with request.app[SESSIONS].begin() as session:
        meeting = await visible_meeting(session, meeting_id, committee_ids=me.committee_ids)
        invitation = await invitation_in_meeting(
            session, meeting_id, _int(request, "invitation_id")
        )
        if invitation.person_id != me.person_id and not me.has(
            meeting.committee_id, Role.SECRETARIAT
        ):
            raise web.HTTPForbidden(text=NOT_ALLOWED_VI)
        await answer_invitation(
            session,
            invitation.id,
            status=status,
            now=now(request),
            reason=form.get("reason"),
            delegate_name=form.get("delegate_name"),
            delegate_title=form.get("delegate_title"),
            answered_by_id=me.person_id,
        )
    return _see_other(f"/meetings/{meeting_id}#inv-{invitation.id}")


async def readiness(request: web.Request) -> web.StreamResponse:
    """POST /meetings/{id}/points/{point}/readiness: ready, or a problem with a note."""
    me = viewer(request)
    meeting_id, point_id = _int(request, "meeting_id"), _int(request, "point_id")
    form = await _form(request)
    async with request.app[SESSIONS].begin() as session:
        meeting = await visible_meeting(session, meeting_id, committee_ids=me.committee_ids)
        point = next((mp.point for mp in meeting.points if mp.point_id == point_id), None)
        if point is None:
            raise web.HTTPNotFound()
        own_point = point.coordinator_id == me.person_id and me.has(
            meeting.committee_id, Role.COORDINATOR
        )
        if not own_point and not me.has(meeting.committee_id, Role.SECRETARIAT):
            raise web.HTTPForbidden(text=NOT_ALLOWED_VI)
        await report_readiness(
            session,
            meeting_id=meeting_id,
            point_id=point_id,
            ready=form.get("state") == "ready",
            note=form.get("note") or None,
            by_id=me.person_id,
            now=now(request),
        )
    return _see_other(f"/meetings/{meeting_id}#point-{point_id}")


async def presence(request: web.Request) -> web.StreamResponse:
    """POST /meetings/{id}/presence/{invitation}: the point's coordinator calls the roll."""
    me = viewer(request)
    meeting_id = _int(request, "meeting_id")
    form = await _form(request)
    async with request.app[SESSIONS].begin() as session:
        meeting = await visible_meeting(session, meeting_id, committee_ids=me.committee_ids)
        invitation = await invitation_in_meeting(
            session, meeting_id, _int(request, "invitation_id")
        )
        if invitation.point.coordinator_id != me.person_id or not me.has(
            meeting.committee_id, Role.COORDINATOR
        ):
            raise web.HTTPForbidden(text=NOT_ALLOWED_VI)
        await record_presence(
            session,
            invitation.id,
            present=form.get("present") == "1",
            by_id=me.person_id,
            now=now(request),
        )
    return _see_other(f"/meetings/{meeting_id}#inv-{invitation.id}")


# --- the task board ---------------------------------------------------------------------------


def _choice(value: str | None, kind: Callable[[str], Any]) -> Any:
    try:
        return kind(value) if value else None
    except ValueError:
        return None


async def tasks_page(request: web.Request) -> web.StreamResponse:
    """GET /tasks?unit=&status=&category=: the board, by unit, with the report categories."""
    me = viewer(request)
    tz = request.app[TIMEZONE]
    today = now(request).astimezone(tz).date()
    unit = _choice(request.query.get("unit"), int)
    status = _choice(request.query.get("status"), TaskStatus)
    category = _choice(request.query.get("category"), Category)
    page = max(1, _choice(request.query.get("page"), int) or 1)
    limited = [c for c in me.committee_ids if not me.has(c, *OVERSEERS)]
    async with request.app[SESSIONS]() as session:
        board = await task_board(
            session,
            committee_ids=me.committee_ids,
            today=today,
            tz=tz,
            unit_id=unit,
            status=status,
            category=category,
            unit_only_in=limited,
            own_unit_id=me.unit_id,
            page=page,
            page_size=BOARD_PAGE,
        )
    return render(
        request,
        "tasks.html",
        {
            "board": board,
            "today": today,
            "chosen": {"unit": unit, "status": status, "category": category},
            "filters": {
                k: v for k, v in request.query.items() if k in ("unit", "status", "category") and v
            },
        },
    )


async def task_action(request: web.Request) -> web.StreamResponse:
    """POST /tasks/{id}/{action}: the unit in charge reports progress, completion or asks for
    more time; the secretariat grants or refuses. Same services as the bot."""
    me = viewer(request)
    task_id = _int(request, "task_id")
    action = request.match_info["action"]
    form = await _form(request)
    moment = now(request)
    async with request.app[SESSIONS].begin() as session:
        task, committee_id = await visible_task(session, task_id, committee_ids=me.committee_ids)
        own_unit = task.unit_id is not None and task.unit_id == me.unit_id
        if action == "decide":
            if not me.has(committee_id, Role.SECRETARIAT):
                raise web.HTTPForbidden(text=NOT_ALLOWED_VI)
            await decide_extension(
                session,
                task_id,
                grant=form.get("grant") == "yes",
                now=moment,
                actor_id=me.person_id,
                note=form.get("note") or None,
            )
        elif not own_unit:
            raise web.HTTPForbidden(text=NOT_ALLOWED_VI)
        elif action == "progress":
            await report_progress(
                session,
                task_id,
                note=form.get("note") or "Đang thực hiện",
                now=moment,
                actor_id=me.person_id,
            )
        elif action == "done":
            await complete_task(
                session, task_id, report=form.get("note") or None, now=moment, actor_id=me.person_id
            )
        elif action == "extend":
            new_deadline = _choice(form.get("deadline"), date.fromisoformat)
            if new_deadline is None:
                raise InvalidAnswer("no new deadline", ErrorCode.EXTENSION_NEEDS_DATE)
            await request_extension(
                session,
                task_id,
                new_deadline=new_deadline,
                reason=form.get("reason", ""),
                now=moment,
                actor_id=me.person_id,
            )
        else:
            raise web.HTTPNotFound()
    changed = request.app.get(TASK_CHANGED)
    if changed is not None:
        await changed(task_id)
    return _see_other(f"/tasks#task-{task_id}")
