"""``diemcau run``: the one long-running process: web server, Telegram bot (webhook in
production, long polling when no public URL is set) and, later, the scheduler."""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime

import click
from aiohttp import web

from bot.app import build_application
from bot.common import BotDeps
from diemcau.settings import Settings, get_settings
from storage import migrate
from storage.db import make_async_engine, make_async_sessionmaker
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
    sessions = make_async_sessionmaker(make_async_engine(url))
    deps = BotDeps(
        sessions=sessions,
        tz=settings.tz,
        secret=callback_secret(settings.telegram_token),
        data_dir=settings.data_dir,
        clock=lambda: datetime.now(settings.tz),
        max_download_bytes=20 * 1024 * 1024 if settings.uses_cloud_bot_api else None,
    )
    polling = not settings.telegram_webhook_url
    telegram = build_application(
        deps,
        token=settings.telegram_token,
        base_url=settings.telegram_base_url,
        base_file_url=settings.telegram_file_url,
        polling=polling,
    )
    app = init_app(
        url,
        settings.tz,
        telegram=telegram,
        webhook_secret=settings.telegram_webhook_secret,
        polling=polling,
    )

    async def register_webhook(app: web.Application) -> None:
        if not polling:
            if not settings.telegram_webhook_secret:
                raise click.ClickException("Đặt DIEMCAU_TELEGRAM_WEBHOOK_SECRET khi dùng webhook.")
            await telegram.bot.set_webhook(
                settings.telegram_webhook_url.rstrip("/") + WEBHOOK_PATH
                if not settings.telegram_webhook_url.endswith(WEBHOOK_PATH)
                else settings.telegram_webhook_url,
                secret_token=settings.telegram_webhook_secret,
            )

    app.on_startup.append(register_webhook)
    return app


@click.command()
def run() -> None:
    """Chạy máy chủ: web, API, bot Telegram."""
    settings = get_settings()
    logging.getLogger().setLevel(logging.INFO)
    migrate.upgrade(settings.effective_database_url)
    app = build_web_app(settings)
    web.run_app(app, host=settings.web_host, port=settings.web_port)
