"""Calendar feeds: a page to make or revoke one's secret address, and the address itself,
valid RFC 5545 built with the icalendar library, times in the office's zone.

The feed is the one route a calendar program fetches without a session: its long random
token is the credential, is stored only as a digest, and is revoked from the page.
"""

from __future__ import annotations

from datetime import timedelta, tzinfo

from aiohttp import web
from icalendar import Calendar, Event

from bot.vietnamese import STATUS_VI
from storage.models import MeetingStatus
from storage.services.calendar_feeds import (
    FeedContent,
    feed_content,
    has_feed,
    new_feed,
    revoke_feeds,
)
from storage.services.tasks import due_date
from web.keys import SESSIONS, TIMEZONE, now, render, viewer

FEED_PREFIX = "/feeds/"
MEETING_LENGTH = timedelta(hours=2)  # shown when a meeting has no end time


def build_calendar(content: FeedContent, tz: tzinfo) -> bytes:
    """The person's meetings as timed events and their unit's deadlines as all-day ones."""
    calendar = Calendar()
    calendar.add("prodid", "-//Điểm Cầu//diemcau//VI")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"Điểm Cầu: {content.person.display_name}")
    for meeting, point in content.meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.id}@diemcau")
        event.add("dtstamp", meeting.updated_at)
        event.add("dtstart", meeting.starts_at.astimezone(tz))
        event.add("dtend", (meeting.ends_at or meeting.starts_at + MEETING_LENGTH).astimezone(tz))
        event.add("summary", meeting.title)
        event.add("location", point)
        cancelled = meeting.status == MeetingStatus.CANCELLED
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        calendar.add_component(event)
    for task in content.tasks:
        due = due_date(task, tz)
        if due is None:
            continue
        event = Event()
        event.add("uid", f"task-{task.id}@diemcau")
        event.add("dtstamp", task.updated_at)
        event.add("dtstart", due)
        event.add("dtend", due + timedelta(days=1))
        event.add("summary", f"Hạn nhiệm vụ: {task.action[:120]}")
        event.add("description", f"{task.action}\nTrạng thái: {STATUS_VI[task.status]}")
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    body: bytes = calendar.to_ical()
    return body


async def feed(request: web.Request) -> web.StreamResponse:
    """GET /feeds/{token}.ics: public, but only for a live token; anything else is 404."""
    async with request.app[SESSIONS]() as session:
        content = await feed_content(session, request.match_info["token"])
    if content is None:
        return web.Response(status=404, text="not found")
    return web.Response(
        body=build_calendar(content, request.app[TIMEZONE]),
        content_type="text/calendar",
        charset="utf-8",
        headers={"Cache-Control": "private, max-age=300"},
    )


async def calendar_page(request: web.Request) -> web.StreamResponse:
    """GET /calendar: whether one has an address, and the buttons to make or revoke it."""
    async with request.app[SESSIONS]() as session:
        live = await has_feed(session, viewer(request).person_id)
    return render(request, "calendar.html", {"live": live, "address": None})


async def calendar_change(request: web.Request) -> web.StreamResponse:
    """POST /calendar/new or /calendar/revoke. A new address is shown this once."""
    me = viewer(request)
    address = None
    async with request.app[SESSIONS].begin() as session:
        if request.match_info["what"] == "new":
            token = await new_feed(session, me.person_id, now=now(request))
            address = str(request.url.origin()) + f"{FEED_PREFIX}{token}.ics"
        else:
            await revoke_feeds(session, me.person_id, now=now(request))
    return render(request, "calendar.html", {"live": address is not None, "address": address})
