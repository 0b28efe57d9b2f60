"""The aiohttp application: health check and the JSON API over the storage services.

The Telegram webhook endpoint, the dashboard and calendar feeds are added here by the bot and
report issues; shared objects live under typed ``web.AppKey``s created in ``cleanup_ctx``.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import AsyncIterator
from datetime import tzinfo
from typing import Any

from aiohttp import web
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Update
from telegram.ext import Application

from storage.db import make_async_engine, make_async_sessionmaker
from storage.errors import DomainError, NotFound
from storage.services.invitations import AttendanceMatrix, attendance_matrix
from web.bot_lifecycle import telegram_lifecycle

log = logging.getLogger(__name__)

SESSIONS = web.AppKey("sessions", async_sessionmaker[AsyncSession])
TIMEZONE = web.AppKey("timezone", tzinfo)
TELEGRAM = web.AppKey("telegram", Application)
WEBHOOK_SECRET = web.AppKey("webhook_secret", str)
WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def matrix_json(matrix: AttendanceMatrix, tz: tzinfo) -> dict[str, Any]:
    return {
        "meeting_id": matrix.meeting_id,
        "title": matrix.title,
        "starts_at": matrix.starts_at.astimezone(tz).isoformat(),
        "totals": {status.value: n for status, n in matrix.totals.items()},
        "points": [
            {
                "point_id": row.point_id,
                "name": row.point_name,
                "main": row.is_main,
                "readiness": row.readiness.value,
                "readiness_note": row.readiness_note,
                "people": [
                    {
                        "name": a.name,
                        "title": a.title,
                        "status": a.status.value,
                        "reason": a.reason,
                        "delegate": a.delegate,
                        "present": a.present,
                    }
                    for a in row.attendees
                ],
            }
            for row in matrix.rows
        ],
    }


async def healthz(request: web.Request) -> web.Response:
    """Liveness and database reachability, for the container's health check."""
    try:
        async with request.app[SESSIONS]() as session:
            await session.execute(text("SELECT 1"))
    except Exception as error:  # any database failure means "not healthy", with the reason
        return web.json_response({"status": "error", "database": str(error)}, status=503)
    return web.json_response({"status": "ok", "database": "ok"})


async def meeting_attendance(request: web.Request) -> web.Response:
    try:
        meeting_id = int(request.match_info["meeting_id"])
    except ValueError:
        raise web.HTTPBadRequest(text="meeting id must be a number") from None
    async with request.app[SESSIONS]() as session:
        matrix = await attendance_matrix(session, meeting_id)
    return web.json_response(matrix_json(matrix, request.app[TIMEZONE]))


async def telegram_webhook(request: web.Request) -> web.Response:
    """Telegram's calls: the secret token is checked in constant time, then the update is
    queued for the one PTB Application. Anything else is refused and logged."""
    secret = request.app[WEBHOOK_SECRET]
    given = request.headers.get(SECRET_HEADER, "")
    if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
        log.warning("refused webhook call from %s: bad secret token", request.remote)
        raise web.HTTPForbidden(text="bad secret token")
    try:
        data = await request.json()
    except ValueError:
        raise web.HTTPBadRequest(text="body is not JSON") from None
    application = request.app[TELEGRAM]
    update = Update.de_json(data, application.bot)
    await application.update_queue.put(update)
    return web.Response(text="ok")


@web.middleware
async def domain_errors(request: web.Request, handler: Any) -> web.StreamResponse:
    """Domain errors become HTTP statuses here, at the edge, with both messages."""
    try:
        response: web.StreamResponse = await handler(request)
        return response
    except DomainError as error:
        status = 404 if isinstance(error, NotFound) else 422
        body = {"error": str(error), "message": error.message_vi}
        return web.json_response(body, status=status)


def init_app(
    database_url: str,
    tz: tzinfo,
    *,
    telegram: Application | None = None,  # type: ignore[type-arg]
    webhook_secret: str = "",
    polling: bool = False,
) -> web.Application:
    """The web application; with ``telegram`` the bot's lifecycle runs inside the server's
    start-up and clean-up, and its updates arrive by webhook (or long polling in development)."""
    app = web.Application(middlewares=[domain_errors])
    app[TIMEZONE] = tz

    async def database(app: web.Application) -> AsyncIterator[None]:
        engine = make_async_engine(database_url)
        app[SESSIONS] = make_async_sessionmaker(engine)
        yield
        await engine.dispose()

    app.cleanup_ctx.append(database)
    if telegram is not None:
        app[TELEGRAM] = telegram
        app[WEBHOOK_SECRET] = webhook_secret

        app.cleanup_ctx.append(telegram_lifecycle(telegram, polling=polling))
        app.router.add_post(WEBHOOK_PATH, telegram_webhook)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/api/meetings/{meeting_id}/attendance", meeting_attendance)
    return app
