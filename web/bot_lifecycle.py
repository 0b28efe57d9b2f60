"""The Telegram bot's lifecycle inside the web server, surviving an unreachable Telegram.

Telegram (or the network proxy in front of it) being down at start-up must not take the web
server and its health checks down with it: the bot is started in the background and retried
with a growing pause until Telegram answers; the web keeps serving meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable

from telegram.error import InvalidToken, TelegramError
from telegram.ext import Application

log = logging.getLogger(__name__)

FIRST_RETRY_S = 1.0
MAX_RETRY_S = 60.0


async def _start(
    telegram: Application,  # type: ignore[type-arg]
    *,
    polling: bool,
    first_retry_s: float,
    max_retry_s: float,
) -> None:
    delay = first_retry_s
    while True:
        try:
            await telegram.initialize()  # a no-op once it has succeeded
            if telegram.post_init is not None:  # as Application.run_polling would
                await telegram.post_init(telegram)  # commands menu, webhook: may fail too
            break
        except TelegramError as error:
            setting = (
                "DIEMCAU_TELEGRAM_TOKEN"
                if isinstance(error, InvalidToken)
                else "DIEMCAU_TELEGRAM_BASE_URL hoặc mạng/proxy tới Telegram"
            )
            log.warning(
                "Không kết nối được Telegram (%s): kiểm tra %s; thử lại sau %.0f giây.",
                error,
                setting,
                delay,
            )
            await asyncio.sleep(delay)
            delay = min(delay * 2, max_retry_s)
    await telegram.start()
    if polling and telegram.updater is not None:
        await telegram.updater.start_polling()
    log.info("Telegram bot started")


def telegram_lifecycle(
    telegram: Application,  # type: ignore[type-arg]
    *,
    polling: bool,
    first_retry_s: float = FIRST_RETRY_S,
    max_retry_s: float = MAX_RETRY_S,
) -> Callable[[object], AsyncIterator[None]]:
    """A ``cleanup_ctx`` that starts the bot in the background and stops it at clean-up."""

    async def lifecycle(_app: object) -> AsyncIterator[None]:
        starting = asyncio.create_task(
            _start(telegram, polling=polling, first_retry_s=first_retry_s, max_retry_s=max_retry_s)
        )
        yield
        if not starting.done():
            starting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await starting
        elif starting.exception() is not None:
            log.error("the Telegram bot failed to start", exc_info=starting.exception())
        if telegram.updater is not None and telegram.updater.running:
            await telegram.updater.stop()
        if telegram.running:
            await telegram.stop()
        await telegram.shutdown()

    return lifecycle
