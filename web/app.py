"""The aiohttp application: health check and the JSON API over the storage services.

The Telegram webhook endpoint, the dashboard and calendar feeds are added here by the bot and
report issues; shared objects live under typed ``web.AppKey``s created in ``cleanup_ctx``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import tzinfo
from typing import Any

from aiohttp import web
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.db import make_async_engine, make_async_sessionmaker
from storage.errors import DomainError, NotFound
from storage.services.invitations import AttendanceMatrix, attendance_matrix

SESSIONS = web.AppKey("sessions", async_sessionmaker[AsyncSession])
TIMEZONE = web.AppKey("timezone", tzinfo)


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


def init_app(database_url: str, tz: tzinfo) -> web.Application:
    app = web.Application(middlewares=[domain_errors])
    app[TIMEZONE] = tz

    async def database(app: web.Application) -> AsyncIterator[None]:
        engine = make_async_engine(database_url)
        app[SESSIONS] = make_async_sessionmaker(engine)
        yield
        await engine.dispose()

    app.cleanup_ctx.append(database)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/api/meetings/{meeting_id}/attendance", meeting_attendance)
    return app
