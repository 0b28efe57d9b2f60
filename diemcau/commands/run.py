"""``diemcau run``: the one long-running process: web server, Telegram bot (webhook in
production, long polling when no public URL is set), the reminder scheduler, and the
transcription worker pool.

At start-up the Whisper model is checked (one line naming the setting when it is missing),
and every recording a dead process left at a stage with work to do is resumed; the same
sweep runs again every lease period, so recordings of another server that died are taken
over once its leases expire. On PostgreSQL the server transcribes nothing itself: the stages
are queued jobs that ``diemcau worker`` processes run, the server follows their progress and
sends the drafts for review (docs/pipeline.md)."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import hashlib
import logging
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import click
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession
from telegram.ext import Application, CallbackContext

from bot.app import build_application
from bot.common import DEPS_KEY, BotDeps
from bot.handlers.drafts import send_for_review
from bot.handlers.tasks import deliver_tasks
from bot.handlers.web import WEB_URL_KEY
from bot.ratelimit import FloodLimiter
from bot.reminders import ReminderScheduler, build_scheduler, hooks, running
from diemcau.draft_files import draft_files
from diemcau.media import check_recording
from diemcau.metrics import telegram_families
from diemcau.pipeline import RecordingBusy, RecordingPipeline
from diemcau.settings import Settings
from diemcau.startup import prepare_server
from diemcau.workers import review_worker, uses_queue
from storage.db import make_async_engine, make_async_sessionmaker
from storage.services.reminders import ReminderPolicy
from transcribe.errors import TranscribeError
from transcribe.model import resolve_model
from web.app import WEBHOOK_PATH, init_app
from web.uploads import Intake

log = logging.getLogger(__name__)

# A server's claim on a recording lasts this long unrenewed: another server takes over the
# recordings of one that died after it (and looks for them this often).
LEASE_SECONDS = 60.0
# The process's one reminder loop (and outbox sender), for whoever needs to look at it.
REMINDERS = web.AppKey("reminders", ReminderScheduler)


def callback_secret(token: str) -> bytes:
    """Derived from the token, so buttons sent before a restart stay valid after it."""
    return hashlib.sha256(b"diemcau-callback-data:" + token.encode()).digest()


def public_url(settings: Settings) -> str:
    """Where the bot's sign-in links point: the configured address, else this server."""
    return settings.web_public_url or f"http://{settings.web_host}:{settings.web_port}"


def build_web_app(settings: Settings) -> web.Application:
    url = settings.effective_database_url
    intake = Intake(
        data_dir=settings.data_dir,
        max_bytes=settings.web_upload_max_bytes,
        check_media=check_recording,
    )
    if not settings.telegram_token:
        log.warning("DIEMCAU_TELEGRAM_TOKEN is not set: running the web server without the bot")
        return init_app(
            url,
            settings.tz,
            cookie_secure=not public_url(settings).startswith("http://"),
            metrics_token=settings.metrics_token,
            intake=intake,
        )
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
        lease_seconds=LEASE_SECONDS,
        queued=uses_queue(url),  # PostgreSQL: `diemcau worker` processes transcribe
    )
    secret = callback_secret(settings.telegram_token)
    polling = not settings.telegram_webhook_url
    deps = BotDeps(
        sessions=sessions,
        tz=settings.tz,
        secret=secret,
        data_dir=settings.data_dir,
        clock=clock,
        max_download_bytes=settings.max_download_bytes,
        process_recording=pipeline.process,
        check_recording=check_recording,
        draft_files=functools.partial(draft_files, sessions, settings.tz),
    )
    limiter = FloodLimiter()
    telegram = build_application(
        deps,
        token=settings.telegram_token,
        base_url=settings.telegram_base_url,
        base_file_url=settings.telegram_file_url,
        rate_limiter=limiter,
        polling=polling,
        local_mode=settings.telegram_local_mode,
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
    sweeping: list[asyncio.Task[None]] = []  # the task that takes queued recordings, once up
    telegram.bot_data[WEB_URL_KEY] = public_url(settings)

    async def deliver_approved(session: AsyncSession, task_ids: list[int]) -> None:
        """Tasks approved on the web go to their units by the bot, as approved in chat: their
        messages are written in the approval's transaction."""
        await deliver_tasks(CallbackContext(telegram), task_ids, session=session)

    async def uploaded(recording_id: int) -> None:
        """A recording uploaded on the web goes down the chat upload's pipeline at once."""
        telegram.create_task(_resume(pipeline, recording_id), name=f"recording-{recording_id}")

    telegram.bot_data[DEPS_KEY] = dataclasses.replace(
        deps,
        on_meeting_changed=on_meeting_changed,
        on_task_changed=on_task_changed,
        wake_outbox=scheduler.sender.wake,
    )
    app = init_app(
        url,
        settings.tz,
        telegram=telegram,
        webhook_secret=settings.telegram_webhook_secret,
        polling=polling,
        cookie_secure=not public_url(settings).startswith("http://"),
        on_task_changed=on_task_changed,
        on_draft_approved=deliver_approved,
        on_outbox_written=scheduler.sender.wake,
        render_notice=pipeline.render_notice,
        metrics_token=settings.metrics_token,
        readiness={"queue": functools.partial(_sweeping_state, sweeping)},
        metric_sources=[functools.partial(telegram_families, limiter)],
        intake=dataclasses.replace(intake, on_added=uploaded),
    )

    async def reminders_and_workers(app: web.Application) -> AsyncIterator[None]:
        async with running(scheduler):
            pipeline.review = functools.partial(send_for_review, CallbackContext(telegram))
            if pipeline.queued:  # this server sends the drafts the workers made
                sweeping.append(asyncio.create_task(review_worker(url, pipeline), name="reviews"))
            else:
                sweeping.append(
                    asyncio.create_task(_sweep(telegram, pipeline), name="recordings-sweep")
                )
            yield
            sweeping[0].cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sweeping[0]
        pipeline.close(wait=False)  # a running job resumes at the next start
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
    app[REMINDERS] = scheduler
    app.cleanup_ctx.append(reminders_and_workers)
    return app


async def _sweep(telegram: Any, pipeline: RecordingPipeline) -> None:
    """Resume what a dead process left (at start-up), then look again every lease period."""
    while True:
        for recording_id in await pipeline.resume_unfinished():
            log.info("recording %s: resuming at its stored stage", recording_id)
            telegram.create_task(_resume(pipeline, recording_id), name=f"resume-{recording_id}")
        await asyncio.sleep(LEASE_SECONDS)


async def _sweeping_state(sweeping: list[asyncio.Task[None]]) -> str:
    """The queue is served while the sweep that takes its recordings runs."""
    return "ok" if sweeping and not sweeping[0].done() else "unavailable"


async def _resume(pipeline: RecordingPipeline, recording_id: int) -> None:
    try:
        await pipeline.process(recording_id)  # its review goes out through pipeline.review
    except RecordingBusy:
        log.info("recording %s: another server holds it", recording_id)
    except Exception:
        log.exception("recording %s could not be resumed", recording_id)


def check_model(settings: Settings) -> str:
    """The configured Whisper model is there (or, by name, fetched now rather than at the
    first upload); one line naming DIEMCAU_WHISPER_MODEL when it is not."""
    try:
        source = resolve_model(settings.whisper_model, data_dir=settings.data_dir)
        if not source.local:
            from faster_whisper.utils import download_model

            download_model(source.location)
    except TranscribeError as error:
        raise click.ClickException(f"DIEMCAU_WHISPER_MODEL: {error}") from None
    except Exception as error:  # the hub's own errors: no network, unknown name
        # The hub's message runs over several lines of English: kept for -v, not the line.
        log.debug("fetching %r failed", settings.whisper_model, exc_info=True)
        raise click.ClickException(
            f"Không tải được mô hình Whisper {settings.whisper_model!r} (không tới được kho "
            f"mô hình, hoặc sai tên; {type(error).__name__}): đặt DIEMCAU_WHISPER_MODEL là "
            "thư mục mô hình CTranslate2 (docs/deploy.md, mục 7) hoặc 'base'."
        ) from None
    return f"{source.label} ({source.location})"


@click.command()
def run() -> None:
    """Chạy máy chủ: web, API, bot Telegram, lịch nhắc việc, chuyển giọng nói."""
    logging.getLogger().setLevel(logging.INFO)

    def model_is_there(settings: Settings) -> None:
        # Recordings arrive only through the bot; on PostgreSQL the workers transcribe them.
        if settings.telegram_token and not uses_queue(settings.effective_database_url):
            log.info("Whisper model: %s", check_model(settings))

    settings, listening = prepare_server(check=model_is_there)
    host, port = listening.getsockname()[:2]
    log.info("serving on http://%s:%s", host, port)  # a log record, not aiohttp's banner
    web.run_app(build_web_app(settings), sock=listening, print=None)
