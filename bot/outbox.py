"""The one sender: delivers the outbox (``storage.services.notifications``) to Telegram.

Each pending row is claimed (a short transaction), sent with no transaction open, and its
outcome recorded (another short one). Rows go out concurrently through the bot's
``FloodLimiter``, so Telegram's limits hold, and one failing recipient never holds up the
others. What an error means:

- 403 Forbidden: the recipient blocked the bot; recorded ``blocked``, and for a week other
  messages to them are recorded blocked without calling Telegram.
- 400 Bad Request ("chat not found", a bad button): repeating cannot help; ``failed``.
- 429, a 5xx answer, or a request that certainly never left (connection refused, connect or
  pool timeout): back to pending with a growing pause (``backoff``), up to ``MAX_ATTEMPTS``,
  then ``failed``.
- **No answer** (a read or write timeout, a connection cut after the request went out), or
  the process died between claim and answer: the message may or may not have arrived.

The rule for a message in doubt: **it is not sent again**. Telegram's Bot API has no
idempotency key and no way to ask whether a message arrived, so a second send cannot be made
safe; a duplicate invitation or task (with live buttons) confuses more than a late one is
missed, and every chase has a next reminder anyway. The row stays ``in_doubt`` in the log
with its text and the reason, where the secretariat or an operator can see it and decide.
Rows a dead sender left "sending" are marked in doubt when the next sender starts
(``recover``): one server runs per database, so they cannot belong to a live one.

Known limit: a row is claimed before PTB's flood limiter lets its request go, so a process
killed while a claimed row waits for its turn (at most about a second per chat) leaves a
message in doubt that never left; it is not sent, like any other in doubt.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot, InlineKeyboardMarkup, Message
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from storage.models import Notification, NotificationState, Person
from storage.services.notifications import (
    NotificationKey,
    Outcome,
    OutgoingMessage,
    claim,
    due_rows,
    finish,
    mark_in_doubt,
    next_attempt,
    person_recipient,
)

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
FIRST_PAUSE = timedelta(minutes=1)
MAX_PAUSE = timedelta(hours=1)
POLL = timedelta(seconds=2)  # rows written by another process are found this late at most
Clock = Callable[[], datetime]

# httpx errors raised before a request could reach Telegram: repeating it is safe.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def backoff(attempts: int) -> timedelta:
    """The pause after the ``attempts``-th failed attempt: 1, 2, 4 … minutes, at most an hour."""
    pause: timedelta = FIRST_PAUSE * 2 ** max(0, attempts - 1)
    return min(pause, MAX_PAUSE)


def never_sent(error: BaseException) -> bool:
    """True when Telegram certainly did not get the request (so it may be sent again)."""
    cause = error.__cause__ or error.__context__
    return isinstance(cause, NOT_SENT)


def to_person(
    person: Person,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
    *,
    kind: str,
    subject: str,
    moment: datetime,
    document: tuple[str, bytes] | None = None,
) -> list[OutgoingMessage]:
    """The outbox row for a message to ``person`` (none when they have no Telegram account),
    keyed by what it is about and the moment of the change that caused it; ``document`` is
    (file name, bytes) with ``text`` as its caption."""
    if person.telegram_user_id is None:
        return []
    key = NotificationKey(kind, subject, person_recipient(person.id), moment)
    name, data = document if document is not None else (None, None)
    return [
        OutgoingMessage(
            key,
            person.telegram_user_id,
            text,
            None if markup is None else markup.to_dict(),
            document=data,
            document_name=name,
        )
    ]


def default_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{id(object()):x}"


@dataclass(slots=True)
class Report:
    """What a pass did, by outcome."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, outcome: str, n: int = 1) -> None:
        self.counts[outcome] = self.counts.get(outcome, 0) + n

    def merge(self, other: Report) -> None:
        for outcome, n in other.counts.items():
            self.add(outcome, n)

    @property
    def sent(self) -> int:
        return self.counts.get(Outcome.SENT, 0)


@dataclass(slots=True)
class OutboxSender:
    """Delivers the outbox; ``run`` in the server process, ``drain`` for one pass."""

    bot: Bot
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock = field(default=lambda: datetime.now(UTC))
    concurrency: int = 32  # chats at a time; the flood limiter keeps the rate
    owner: str = field(default_factory=default_owner)
    _wake: asyncio.Event = field(default_factory=asyncio.Event)
    _stopping: bool = False

    def now(self) -> datetime:
        return self.clock().astimezone(UTC)

    def stop(self) -> None:
        """Let the call in flight finish and its outcome be recorded, claim nothing more, and
        leave ``run``. A stop is not a cancel: a task cancelled inside a database call left
        SQLAlchemy's clean-up waiting on a connection the shutdown had closed, for ever."""
        self._stopping = True
        self._wake.set()

    def wake(self) -> None:
        """Something was committed to the outbox: look now rather than at the next poll."""
        self._wake.set()

    async def recover(self) -> list[int]:
        """At start: rows a dead sender left mid-call are in doubt (see the module's rule)."""
        return await mark_in_doubt(self.sessions, other_than=self.owner, now=self.now())

    async def drain(self) -> Report:
        """Send every row that is due now; returns when none is left due.

        One chat's messages go one after the other, in the order they were written (a draft,
        then its documents), each claimed just before its call; different chats go
        concurrently, so a chat whose reply is slow holds up nobody else."""
        report = Report()
        gate = asyncio.Semaphore(self.concurrency)

        async def chat(row_ids: list[int]) -> None:
            async with gate:
                for row_id in row_ids:
                    if self._stopping:  # the rest stays pending for the next start
                        return
                    try:
                        rows = await claim(
                            self.sessions, [row_id], owner=self.owner, now=self.now()
                        )
                        if not rows:  # another sender has it
                            report.add("taken")
                            continue
                        report.add(await self.deliver(rows[0]))
                    except Exception:  # a database hiccup: the row is looked at again later
                        log.exception("delivering notification %s failed", row_id)
                        report.add(Outcome.RETRY)

        while True:
            async with self.sessions() as session:
                due = await due_rows(session, now=self.now(), limit=500)
            if not due or self._stopping:
                return report
            by_chat: dict[int | None, list[int]] = {}
            for row_id, chat_id in due:
                by_chat.setdefault(chat_id, []).append(row_id)
            await asyncio.gather(*(chat(ids) for ids in by_chat.values()))

    async def deliver(self, row: Notification) -> str:
        """Send one claimed row and record the outcome."""
        if row.state == NotificationState.BLOCKED:
            return Outcome.BLOCKED
        state, error, retry_at, message_id = NotificationState.SENT, None, None, None
        try:
            message = await self._send(row)
            message_id = message.message_id
        except asyncio.CancelledError:  # stopped mid-call: the next start finds it in doubt
            raise
        except Forbidden as e:
            log.warning("%s blocked the bot; %s %s not sent", row.recipient, row.kind, row.id)
            state, error = NotificationState.BLOCKED, str(e)
        except BadRequest as e:
            log.error("giving up on notification %s to %s: %s", row.id, row.recipient, e)
            state, error = NotificationState.FAILED, str(e)
        except RetryAfter as e:
            pause = e.retry_after
            seconds = pause.total_seconds() if isinstance(pause, timedelta) else float(pause)
            state, error = NotificationState.PENDING, str(e)
            retry_at = self.now() + timedelta(seconds=seconds + 1)
        except (TimedOut, NetworkError) as e:
            answered = not isinstance(e, TimedOut) and not isinstance(
                e.__cause__ or e.__context__, httpx.HTTPError
            )
            if never_sent(e) or answered:  # refused before sending, or a 5xx answer came
                state, error = NotificationState.PENDING, str(e) or type(e).__name__
                retry_at = self.now() + backoff(row.attempts)
            else:
                log.warning("no answer for notification %s to %s: in doubt", row.id, row.recipient)
                state, error = NotificationState.IN_DOUBT, f"no answer: {type(e).__name__} {e}"
        except Exception as e:  # our own fault before the call (a bad row): not repeated for ever
            log.exception("notification %s could not be sent", row.id)
            state, error = NotificationState.PENDING, f"{type(e).__name__}: {e}"
            retry_at = self.now() + backoff(row.attempts)
        if state == NotificationState.PENDING and row.attempts >= MAX_ATTEMPTS:
            log.error("gave up on notification %s after %d attempts", row.id, row.attempts)
            state, retry_at = NotificationState.FAILED, None
        await finish(
            self.sessions,
            row.id,
            owner=self.owner,
            state=state,
            now=self.now(),
            error=None if error is None else error[:1000],
            retry_at=retry_at,
            message_id=message_id,
        )
        return Outcome.RETRY if state == NotificationState.PENDING else Outcome(state.value)

    async def _send(self, row: Notification) -> Message:
        if row.chat_id is None or row.text is None:
            raise BadRequest("nothing to send: the row has no chat or text")
        markup = (
            InlineKeyboardMarkup.de_json(row.markup, self.bot) if row.markup is not None else None
        )
        if row.document is not None:
            return await self.bot.send_document(
                row.chat_id,
                io.BytesIO(row.document),
                filename=row.document_name,
                caption=row.text or None,
                reply_markup=markup,
            )
        return await self.bot.send_message(row.chat_id, row.text, reply_markup=markup)

    async def run(self) -> None:
        """Deliver until ``stop``: after each pass, sleep until the next row is due, something
        is written (``wake``), or the poll comes round (rows from other processes)."""
        try:
            await self._deliver_until_stopped()
        finally:
            self._stopping = False  # stopped: a later run starts afresh

    async def _deliver_until_stopped(self) -> None:
        await self.recover()
        while not self._stopping:
            self._wake.clear()
            try:
                await self.drain()
            except Exception:  # the database is away: try again at the next poll
                log.exception("the outbox pass failed")
            async with self.sessions() as session:
                due = await next_attempt(session)
            pause = POLL.total_seconds()
            if due is not None:
                pause = min(pause, max(0.0, (due - self.now()).total_seconds()))
            # asyncio.timeout, not wait_for: on Python 3.11 wait_for can swallow a cancel
            # that arrives as the event is set (CPython gh-86296), leaving this loop running
            # and the shutdown waiting for it for ever.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(pause):
                    await self._wake.wait()
