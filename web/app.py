"""The aiohttp application: the web office (pages and JSON API, all behind a session), the
sign-in from the bot's links, the health check and the Telegram webhook.

Shared objects live under typed ``web.AppKey``s (``web.keys``) created in ``cleanup_ctx``.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import web
from telegram import Update
from telegram.ext import Application

from bot.vietnamese import (
    ANSWER_VI,
    CATEGORY_VI,
    MEETING_STATUS_VI,
    READINESS_VI,
    STATUS_VI,
    error_vi,
    format_date,
    format_moment,
)
from storage.db import make_async_engine, make_async_sessionmaker
from storage.errors import DomainError, NotFound, StaleVersion
from storage.models import AnswerStatus
from storage.services.updates import first_delivery
from web import (
    api,
    auth,
    calendar,
    drafts,
    health,
    openapi,
    pages,
    recordings,
    reports,
    uploads,
)
from web.bot_lifecycle import telegram_lifecycle
from web.keys import (
    CLOCK,
    COOKIE_SECURE,
    DRAFT_APPROVED,
    OUTBOX_WRITTEN,
    RENDER_NOTICE,
    SESSIONS,
    TASK_CHANGED,
    TELEGRAM,
    TIMEZONE,
    WEBHOOK_SECRET,
    DraftApproved,
    RenderNotice,
    TaskChanged,
    now,
)

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
TEMPLATES = Path(__file__).parent / "templates"
NOT_FOUND_VI = "Không tìm thấy, hoặc bạn không có quyền xem nội dung này."


async def telegram_webhook(request: web.Request) -> web.Response:
    """Telegram's calls: the secret token is checked in constant time, then the update is
    queued for the one PTB Application, once per ``update_id``. A body that is not an update
    gets 400 (a 5xx would make Telegram retry it for ever); a replay gets 200 and is dropped."""
    secret = request.app[WEBHOOK_SECRET]
    given = request.headers.get(SECRET_HEADER, "")
    if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
        log.warning("refused webhook call from %s: bad secret token", request.remote)
        raise web.HTTPForbidden(text="bad secret token")
    application = request.app[TELEGRAM]
    body = await request.read()
    try:
        data = json.loads(body)
        update_id = data["update_id"] if isinstance(data, dict) else None
        if not isinstance(update_id, int) or isinstance(update_id, bool):
            raise ValueError("no integer update_id")
        update = Update.de_json(data, application.bot)
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as error:
        log.warning("refused webhook body of %d bytes: %s", len(body), type(error).__name__)
        raise web.HTTPBadRequest(text="not a Telegram update") from None
    if not await first_delivery(request.app[SESSIONS], update_id, now=now(request)):
        log.info("update %s delivered again; handled once already", update_id)
        return web.Response(text="ok")
    await application.update_queue.put(update)
    return web.Response(text="ok")


@web.middleware
async def errors(request: web.Request, handler: Any) -> web.StreamResponse:
    """Domain errors and refusals become statuses here, at the edge: one page (or JSON body)
    per status, so a missing meeting and another committee's meeting look the same."""
    try:
        response: web.StreamResponse = await handler(request)
        return response
    except NotFound:
        return auth.refusal(request, 404, NOT_FOUND_VI)
    except StaleVersion as error:  # someone saved first: nothing lost, redo on the new version
        return auth.refusal(request, 409, error_vi(error))
    except DomainError as error:
        log.info("refused %s %s: %s", request.method, request.path, error)
        return auth.refusal(request, 422, error_vi(error))
    except web.HTTPNotFound:
        if request.path == WEBHOOK_PATH:
            raise
        return auth.refusal(request, 404, NOT_FOUND_VI)
    except web.HTTPForbidden as refused:
        if request.path == WEBHOOK_PATH:
            raise
        return auth.refusal(request, 403, refused.text or pages.NOT_ALLOWED_VI)
    except web.HTTPMethodNotAllowed:
        return auth.refusal(request, 405, NOT_FOUND_VI)


SECURITY_HEADERS = {
    # Forms that change things must not be framed by another site (clickjacking).
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


async def _security_headers(request: web.Request, response: web.StreamResponse) -> None:
    """Every answer: no framing, no sniffing; personal pages are not kept in shared caches."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    response.headers.setdefault("Cache-Control", "no-store")


def _setup_templates(app: web.Application, tz: tzinfo) -> None:
    env = aiohttp_jinja2.setup(
        app,
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["moment"] = lambda moment: format_moment(moment, tz)
    env.filters["day"] = format_date
    env.filters["hour"] = lambda moment: moment.astimezone(tz).strftime("%H:%M")
    env.globals.update(
        ANSWER_VI={s.value: label for s, label in ANSWER_VI.items()},
        MEETING_STATUS_VI={s.value: label for s, label in MEETING_STATUS_VI.items()},
        READINESS_VI={r.value: label for r, label in READINESS_VI.items()},
        STATUS_VI={s.value: label for s, label in STATUS_VI.items()},
        CATEGORY_VI={c.value: label for c, label in CATEGORY_VI.items()},
        DRAFT_STATUS_VI={"pending": "chờ duyệt", "approved": "đã duyệt", "rejected": "đã trả lại"},
        AnswerStatus=AnswerStatus,
        csrf_field=auth.CSRF_FIELD,
    )


def init_app(
    database_url: str,
    tz: tzinfo,
    *,
    telegram: Application | None = None,  # type: ignore[type-arg]
    webhook_secret: str = "",
    polling: bool = False,
    cookie_secure: bool = True,
    clock: Callable[[], datetime] | None = None,
    on_task_changed: TaskChanged | None = None,
    on_draft_approved: DraftApproved | None = None,
    on_outbox_written: Callable[[], None] | None = None,
    render_notice: RenderNotice | None = None,
    metrics_token: str = "",
    readiness: Mapping[str, health.Check] | None = None,
    metric_sources: Iterable[health.Families] = (),
    intake: uploads.Intake | None = None,
) -> web.Application:
    """The web application; with ``telegram`` the bot's lifecycle runs inside the server's
    start-up and clean-up, and its updates arrive by webhook (or long polling in development)."""
    public = health.PATHS | ({WEBHOOK_PATH} if telegram is not None else set())
    app = web.Application(middlewares=[errors, auth.session_middleware(public)])
    app[TIMEZONE] = tz
    app[CLOCK] = clock or (lambda: datetime.now(tz))
    app[COOKIE_SECURE] = cookie_secure
    if on_task_changed is not None:
        app[TASK_CHANGED] = on_task_changed
    if on_draft_approved is not None:
        app[DRAFT_APPROVED] = on_draft_approved
    if on_outbox_written is not None:
        app[OUTBOX_WRITTEN] = on_outbox_written
    if render_notice is not None:
        app[RENDER_NOTICE] = render_notice
    _setup_templates(app, tz)
    app.on_response_prepare.append(_security_headers)

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
    health.setup(
        app, metrics_token=metrics_token, readiness=readiness, metric_sources=metric_sources
    )
    add_routes(app)
    uploads.setup(app, intake)  # browser upload (tus) of recordings
    recordings.setup(app)  # the recording page, its audio, the drafts' clips
    return app


def add_routes(app: web.Application) -> None:
    """Every route of the office; each needs a session unless listed public in ``init_app``."""
    r = app.router
    r.add_get("/login/{token}", auth.login_page)
    r.add_post("/login/{token}", auth.login)
    r.add_post("/logout", auth.logout)
    r.add_get("/", pages.meetings_page)
    r.add_get(r"/meetings/{meeting_id:\d+}", pages.meeting_page)
    r.add_post(r"/meetings/{meeting_id:\d+}/answers/{invitation_id:\d+}", pages.answer)
    r.add_post(r"/meetings/{meeting_id:\d+}/points/{point_id:\d+}/readiness", pages.readiness)
    r.add_post(r"/meetings/{meeting_id:\d+}/presence/{invitation_id:\d+}", pages.presence)
    r.add_get("/tasks", pages.tasks_page)
    r.add_post(r"/tasks/{task_id:\d+}/{action:progress|done|extend|decide}", pages.task_action)
    r.add_get("/drafts", drafts.drafts_page)
    r.add_get(r"/drafts/{draft_id:\d+}", drafts.draft_page)
    r.add_post(r"/drafts/{draft_id:\d+}/save", drafts.save)
    r.add_post(r"/drafts/{draft_id:\d+}/{decision:approve|return}", drafts.decide)
    r.add_get(r"/drafts/{draft_id:\d+}/notice.docx", drafts.notice_docx)
    r.add_get("/calendar", calendar.calendar_page)
    r.add_post("/calendar/{what:new|revoke}", calendar.calendar_change)
    r.add_get(calendar.FEED_PREFIX + "{token}.ics", calendar.feed)
    r.add_get(r"/api/meetings/{meeting_id:\d+}/attendance", api.meeting_attendance)
    # Reports: a page, its spreadsheet and its JSON for each; the API's own description.
    r.add_get("/reports", reports.index)
    r.add_get("/reports/attendance", reports.attendance_page)
    r.add_get("/reports/attendance.xlsx", reports.attendance_xlsx)
    r.add_get("/reports/tasks", reports.tasks_page)
    r.add_get("/reports/tasks.xlsx", reports.tasks_xlsx)
    r.add_get(r"/reports/units/{unit_id:\d+}", reports.unit_page)
    r.add_get(r"/reports/units/{unit_id:\d+}.xlsx", reports.unit_xlsx)
    r.add_get("/api/openapi.json", openapi.document)
    r.add_get("/api/me", api.whoami)
    r.add_get("/api/meetings", api.meetings)
    r.add_get("/api/tasks", api.tasks)
    r.add_get("/api/reports/attendance", api.attendance_report)
    r.add_get("/api/reports/tasks", api.task_report)
    r.add_get(r"/api/reports/units/{unit_id:\d+}", api.unit_report)
    r.add_get(r"/api/meetings/{meeting_id:\d+}/recordings", api.meeting_recordings_json)
