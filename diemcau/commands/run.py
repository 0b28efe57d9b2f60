"""``diemcau run``: the one long-running process: web server, Telegram bot (webhook in
production, long polling when no public URL is set), the reminder scheduler, and the
transcription worker pool."""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from collections.abc import AsyncIterator
from datetime import datetime

import click
from aiohttp import web
from telegram.ext import Application, CallbackContext

from bot.app import build_application
from bot.common import DEPS_KEY, BotDeps
from bot.handlers.drafts import send_for_review
from bot.ratelimit import FloodLimiter
from bot.reminders import build_scheduler, hooks, running
from diemcau.pipeline import RecordingPipeline
from diemcau.settings import Settings
from diemcau.startup import prepare_server
from storage.db import make_async_engine, make_async_sessionmaker
from storage.services.reminders import ReminderPolicy
from web.app import WEBHOOK_PATH, init_app

log = logging.getLogger(__name__)


def callback_secret(token: str) -> bytes:
    """Derived from the token, so buttons sent before a restart stay valid after it."""
    return hashlib.sha256(b"diemcau-callback-data:" + token.encode()).digest()


def build_web_app(settings: Settings) -> web.Application:
    url = settings.effective_database_url
    if not settings.telegram_token:
        log.warning("DIEMCAU_TELEGRAM_TOKEN is not set: running the web server without the bot")
        return init_app(url, settings.tz)
    engine = make_async_engine(url)
    sessions = make_async_sessionmaker(engine)

    def clock() -> datetime:
        return datetime.now(settings.tz)

    pipeline = RecordingPipeline(
        database_url=url,
        sessions=sessions,
        model=settings.whisper_model,
        data_dir=settings.data_dir,
        tz=settings.tz,
    )
    secret = callback_secret(settings.telegram_token)
    polling = not settings.telegram_webhook_url
    deps = BotDeps(
        sessions=sessions,
        tz=settings.tz,
        secret=secret,
        data_dir=settings.data_dir,
        clock=clock,
        max_download_bytes=20 * 1024 * 1024 if settings.uses_cloud_bot_api else None,
        process_recording=pipeline.process,
        render_notice=pipeline.render_notice,
    )
    telegram = build_application(
        deps,
        token=settings.telegram_token,
        base_url=settings.telegram_base_url,
        base_file_url=settings.telegram_file_url,
        rate_limiter=FloodLimiter(),
        polling=polling,
    )
    scheduler = build_scheduler(
        url,
        bot=telegram.bot,
        sessions=sessions,
        secret=secret,
        clock=clock,
        policy=ReminderPolicy(tz=settings.tz),
    )
    on_meeting_changed, on_task_changed = hooks(scheduler)
    telegram.bot_data[DEPS_KEY] = dataclasses.replace(
        deps, on_meeting_changed=on_meeting_changed, on_task_changed=on_task_changed
    )
    app = init_app(
        url,
        settings.tz,
        telegram=telegram,
        webhook_secret=settings.telegram_webhook_secret,
        polling=polling,
    )

    async def reminders_and_workers(app: web.Application) -> AsyncIterator[None]:
        async with running(scheduler):
            # Recordings a dead process left half done: the job resumes at its checkpoint.
            context = CallbackContext(telegram)
            for recording_id in await pipeline.resume_unfinished():
                telegram.create_task(_resume(context, pipeline, recording_id))
            yield
        pipeline.close()
        await engine.dispose()

    publish_commands = telegram.post_init

    async def after_telegram_answers(application: Application) -> None:  # type: ignore[type-arg]
        # Runs once Telegram is reachable (the bot starts in the background and is retried):
        # an unreachable Telegram at start-up must not stop the web server.
        if publish_commands is not None:
            await publish_commands(application)
        if polling:
            return
        hook = settings.telegram_webhook_url.rstrip("/")
        if not hook.endswith(WEBHOOK_PATH):
            hook += WEBHOOK_PATH
        await telegram.bot.set_webhook(hook, secret_token=settings.telegram_webhook_secret)

    telegram.post_init = after_telegram_answers
    app.cleanup_ctx.append(reminders_and_workers)
    return app


async def _resume(context: CallbackContext, pipeline: RecordingPipeline, recording_id: int) -> None:  # type: ignore[type-arg]
    try:
        outcome = await pipeline.process(recording_id)
    except Exception:
        log.exception("recording %s could not be resumed", recording_id)
        return
    await send_for_review(context, outcome.draft_id)


@click.command()
def run() -> None:
    """Chạy máy chủ: web, API, bot Telegram, lịch nhắc việc, chuyển giọng nói."""
    settings, listening = prepare_server()
    logging.getLogger().setLevel(logging.INFO)
    web.run_app(build_web_app(settings), sock=listening)
