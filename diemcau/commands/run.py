"""``diemcau run``: the long-running process (web server now; bot and scheduler join it)."""

from __future__ import annotations

import logging

import click
from aiohttp import web

from diemcau.settings import get_settings
from storage import migrate
from web.app import init_app


@click.command()
def run() -> None:
    """Chạy máy chủ (web, API; bot và lịch nhắc việc khi được cấu hình)."""
    settings = get_settings()
    logging.getLogger().setLevel(logging.INFO)
    migrate.upgrade(settings.effective_database_url)
    app = init_app(settings.effective_database_url, settings.tz)
    web.run_app(app, host=settings.web_host, port=settings.web_port)
