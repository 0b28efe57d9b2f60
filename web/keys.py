"""The typed keys under which the web application keeps its shared objects."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, tzinfo
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import Application

from storage.errors import NotFound
from storage.services.web_sessions import Viewer

SESSIONS = web.AppKey("sessions", async_sessionmaker[AsyncSession])
TIMEZONE = web.AppKey("timezone", tzinfo)
Clock = Callable[[], datetime]
TaskChanged = Callable[[int], Awaitable[None]]
CLOCK: web.AppKey[Clock] = web.AppKey("clock")
COOKIE_SECURE = web.AppKey("cookie_secure", bool)
TASK_CHANGED: web.AppKey[TaskChanged] = web.AppKey("task_changed")
# Writes the approved tasks' messages to their units into the outbox, in the approval's own
# transaction (the session given), so an approval never commits without them; set by the wiring.
DraftApproved = Callable[[AsyncSession, list[int]], Awaitable[None]]
DRAFT_APPROVED: web.AppKey[DraftApproved] = web.AppKey("draft_approved")
# Tells the outbox sender that rows were committed, so they go now, not at its next poll.
OUTBOX_WRITTEN: web.AppKey[Callable[[], None]] = web.AppKey("outbox_written")
# Renders a draft's content (and its meeting) as the DOCX notice, set by the wiring.
RenderNotice = Callable[[dict[str, Any], int | None], Awaitable[bytes]]
RENDER_NOTICE: web.AppKey[RenderNotice] = web.AppKey("render_notice")
TELEGRAM = web.AppKey("telegram", Application)
WEBHOOK_SECRET = web.AppKey("webhook_secret", str)
VIEWER = web.RequestKey("viewer", Viewer)


def now(request: web.Request) -> datetime:
    clock: Clock = request.app[CLOCK]
    return clock()


def viewer(request: web.Request) -> Viewer:
    """The signed-in person; the session middleware put them there before any handler ran."""
    return request[VIEWER]


def render(
    request: web.Request, template: str, context: dict[str, Any], *, status: int = 200
) -> web.Response:
    """A page, with the signed-in person (if any) for the header and the forms' token."""
    return aiohttp_jinja2.render_template(
        template, request, {"viewer": request.get(VIEWER), **context}, status=status
    )


LARGEST_ID = 2**31 - 1  # ids beyond any row: not found, never sent to the database


def route_id(value: str, what: str) -> int:
    """An id matched as digits; one larger than any row (or than the database's integers) is
    simply not found, like any other id that does not exist."""
    number = int(value)
    if number > LARGEST_ID:
        raise NotFound(f"{what} {value} is out of range", what)
    return number
