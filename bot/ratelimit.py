"""Outgoing requests within Telegram's flood limits: 30 messages per second overall, one per
second in a private chat, 20 per minute in a group.

PTB's ``AIORateLimiter`` throttles overall and per group with leaky buckets (a full bucket lets
a second burst through within the same second) and does not limit a private chat at all.
``FloodLimiter`` extends it with sliding windows that count a request from the moment it is
granted until a moment *after* its answer came back, so the server, which counts from the
moment it received the request, never sees more than the limit in any window, whatever the
network latency. A 429 that slips through anyway is waited out (``retry_after``) and the same
request sent once more, as PTB does.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter

log = logging.getLogger(__name__)

JSON = bool | dict[str, Any] | list[dict[str, Any]]
Callback = Callable[..., Coroutine[Any, Any, JSON]]


class SlidingWindow:
    """At most ``limit`` requests in any ``period`` seconds, granted first come first served.

    A request occupies its place from its grant until it finishes, then counts for ``period``
    from that finish.
    """

    def __init__(self, limit: int, period: float) -> None:
        self.limit, self.period = limit, period
        self._finished: deque[float] = deque()
        self._in_flight = 0
        self._queue = asyncio.Lock()
        self._released = asyncio.Event()

    @property
    def idle(self) -> bool:
        now = asyncio.get_running_loop().time()
        return self._in_flight == 0 and all(now - t >= self.period for t in self._finished)

    async def _acquire(self) -> None:
        loop = asyncio.get_running_loop()
        async with self._queue:
            while True:
                now = loop.time()
                while self._finished and now - self._finished[0] >= self.period:
                    self._finished.popleft()
                if len(self._finished) + self._in_flight < self.limit:
                    self._in_flight += 1
                    return
                if self._finished:
                    await asyncio.sleep(self.period - (now - self._finished[0]))
                else:  # every place is taken by a request still in flight
                    self._released.clear()
                    await self._released.wait()

    def _release(self) -> None:
        self._in_flight -= 1
        self._finished.append(asyncio.get_running_loop().time())
        self._released.set()

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        await self._acquire()
        try:
            yield
        finally:
            self._release()


class FloodLimiter(AIORateLimiter):
    """``AIORateLimiter`` with Telegram's three limits as sliding windows.

    Every request about a chat counts towards the overall limit and, in a group or channel,
    towards that group's (as in PTB). Requests that send a new message (``send*`` except
    ``sendChatAction``) to a private chat also wait for that chat's one-per-second turn; edits
    and button answers do not, so the bot's replies stay quick.
    """

    __slots__ = (
        "_chat_windows",
        "_group_limit",
        "_group_windows",
        "_margin",
        "_overall",
        "_per_chat_period",
        "flood_errors",
        "messages_sent",
    )

    def __init__(
        self,
        *,
        overall_max_rate: int = 30,
        overall_time_period: float = 1.0,
        per_chat_period: float = 1.0,
        group_max_rate: int = 20,
        group_time_period: float = 60.0,
        margin: float = 0.02,
        max_retries: int = 3,
    ) -> None:
        # PTB's own buckets are switched off: the windows below replace them.
        super().__init__(overall_max_rate=0, group_max_rate=0, max_retries=max_retries)
        self._margin = margin
        self._overall = SlidingWindow(overall_max_rate, overall_time_period + margin)
        self._per_chat_period = per_chat_period + margin
        self._chat_windows: dict[int, SlidingWindow] = {}
        self._group_windows: dict[int | str, SlidingWindow] = {}
        self._group_limit = (group_max_rate, group_time_period + margin)
        # For /metrics: messages Telegram accepted, and the 429s it answered.
        self.messages_sent = 0
        self.flood_errors = 0

    def _window(
        self, table: dict[Any, SlidingWindow], key: Any, limit: int, period: float
    ) -> SlidingWindow:
        if len(table) > 1024:  # forget chats that have been quiet for a whole period
            for old in [k for k, w in table.items() if k != key and w.idle]:
                del table[old]
        window = table.get(key)
        if window is None:
            window = table[key] = SlidingWindow(limit, period)
        return window

    async def process_request(
        self,
        callback: Callback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> JSON:
        max_retries = rate_limit_args or self._max_retries
        chat_id: Any = data.get("chat_id")
        with contextlib.suppress(ValueError, TypeError):
            chat_id = int(chat_id)
        sends = endpoint.lower().startswith("send") and endpoint.lower() != "sendchataction"
        for attempt in range(max_retries + 1):
            try:
                result = await self._limited(callback, args, kwargs, chat_id, sends)
                self.messages_sent += sends
                return result
            except RetryAfter as error:
                self.flood_errors += 1
                if attempt == max_retries:
                    log.error("flood limit still hit after %d retries", max_retries)
                    raise
                pause = error.retry_after
                seconds = pause if isinstance(pause, int | float) else pause.total_seconds()
                log.warning("flood limit hit on %s; waiting %.1f s", endpoint, seconds)
                self._retry_after_event.clear()
                await asyncio.sleep(seconds + 0.1)
            finally:
                self._retry_after_event.set()
        raise AssertionError("unreachable")  # pragma: no cover

    async def _limited(
        self, callback: Callback, args: Any, kwargs: dict[str, Any], chat_id: Any, sends: bool
    ) -> JSON:
        async with contextlib.AsyncExitStack() as stack:
            if isinstance(chat_id, int) and chat_id > 0 and sends:
                window = self._window(self._chat_windows, chat_id, 1, self._per_chat_period)
                await stack.enter_async_context(window.slot())
            elif (isinstance(chat_id, int) and chat_id < 0) or isinstance(chat_id, str):
                limit, period = self._group_limit
                window = self._window(self._group_windows, chat_id, limit, period)
                await stack.enter_async_context(window.slot())
            if chat_id is not None:
                await stack.enter_async_context(self._overall.slot())
            await self._retry_after_event.wait()
            return await callback(*args, **kwargs)
        raise AssertionError("unreachable")  # pragma: no cover
