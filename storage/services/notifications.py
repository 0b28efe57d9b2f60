"""The outbox: every message to a person, written with the change that causes it, and its log.

A change (an invitation sent, a meeting moved, a task given, a reminder's moment come) adds
its messages with ``enqueue`` inside its own transaction: committed together, or not at all.
The one sender (``bot.outbox``) then delivers each row in three steps, none of which holds a
transaction open while Telegram is called:

1. ``claim``: pending → sending, naming the sender (``claimed_by``) and counting the attempt;
   a row another sender claimed first is left alone, so no row is sent twice at once;
2. the network call, outside any transaction;
3. ``finish``: sending → sent, blocked, failed, in doubt, or back to pending with a later
   ``next_attempt_at`` (a passing error), written only by the sender that claimed it.

Every notification has a key (kind, subject, recipient, moment) that the table holds unique:
a second scheduler, a retry or a restart that would write the same notification again finds
the key and adds nothing.

A recipient who blocked the bot (Telegram's 403 Forbidden) is recorded as ``blocked``; for
``BLOCK_BACKOFF`` other notifications to them are recorded as blocked without calling
Telegram at all.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import or_, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import Notification, NotificationState

log = logging.getLogger(__name__)

BLOCK_BACKOFF = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class NotificationKey:
    """What makes a notification unique. ``moment`` is the scheduled moment (a reminder's) or
    the moment of the change that caused it, not the sending time."""

    kind: str
    subject: str
    recipient: str
    moment: datetime


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    """One message for the outbox: a text (with its buttons as Bot API JSON), or a document
    with ``text`` as its caption."""

    key: NotificationKey
    chat_id: int
    text: str
    markup: dict[str, Any] | None = None
    document: bytes | None = None
    document_name: str | None = None


class Outcome(StrEnum):
    SENT = "sent"
    DUPLICATE = "duplicate"  # already in the log: someone wrote (or sent) it before
    BLOCKED = "blocked"
    FAILED = "failed"  # a final error (bad chat, bad request): recorded, not retried
    RETRY = "retry"  # a passing error (network, 5xx, 429): tried again later
    IN_DOUBT = "in_doubt"  # the request may have arrived; no answer came


def person_recipient(person_id: int) -> str:
    return f"person:{person_id}"


def _key_columns(key: NotificationKey) -> dict[str, Any]:
    """The row's columns that hold its key."""
    return {
        "kind": key.kind,
        "subject": key.subject,
        "recipient": key.recipient,
        "moment": key.moment,
    }


def _key_filter(key: NotificationKey) -> Any:
    return (
        (Notification.kind == key.kind)
        & (Notification.subject == key.subject)
        & (Notification.recipient == key.recipient)
        & (Notification.moment == key.moment)
    )


async def already_logged(session: AsyncSession, key: NotificationKey) -> bool:
    found = await session.scalar(select(Notification.id).where(_key_filter(key)))
    return found is not None


async def enqueue(
    session: AsyncSession,
    messages: Iterable[OutgoingMessage],
    *,
    now: datetime,
    distinct_texts: bool = False,
) -> int:
    """Add ``messages`` to the outbox in the caller's transaction; a key already there is
    skipped. Returns how many were added. The caller commits (with its change).

    ``distinct_texts``: for messages caused by a person's action, keyed by the moment of the
    change, a different text under a key already used is a second change at the same instant
    (an injected clock that stands still), not a repeat: it gets the next free microsecond."""
    batch = list(messages)
    if not batch:
        return 0
    # What is already there for these kinds and subjects, in one query (a burst of reminders
    # is hundreds of rows: one round trip each would cost more than sending them).
    found = await session.execute(
        select(
            Notification.kind,
            Notification.subject,
            Notification.recipient,
            Notification.moment,
            Notification.text,
        ).where(
            Notification.kind.in_({m.key.kind for m in batch}),
            Notification.subject.in_({m.key.subject for m in batch}),
        )
    )
    taken: dict[tuple[str, str, str, datetime], str | None] = {
        (kind, subject, recipient, moment): text for kind, subject, recipient, moment, text in found
    }
    added = 0
    for message in batch:
        key = message.key
        spot = (key.kind, key.subject, key.recipient, key.moment)
        repeat = False
        while spot in taken:
            if not distinct_texts or taken[spot] == message.text:
                repeat = True
                break
            key = replace(key, moment=key.moment + timedelta(microseconds=1))
            spot = (key.kind, key.subject, key.recipient, key.moment)
        if repeat:
            continue
        taken[spot] = message.text
        session.add(
            Notification(
                **_key_columns(key),
                state=NotificationState.PENDING,
                sent_at=now,
                chat_id=message.chat_id,
                text=message.text,
                markup=message.markup,
                document=message.document,
                document_name=message.document_name,
                next_attempt_at=now,
            )
        )
        added += 1
    await session.flush()
    return added


async def enqueue_once(
    sessions: async_sessionmaker[AsyncSession],
    messages: list[OutgoingMessage],
    *,
    now: datetime,
) -> int:
    """``enqueue`` in a transaction of its own, for writers with no change of their own to
    commit (a reminder whose moment came). Two writers racing on one key: the loser's
    transaction is refused by the unique key and tried once more, skipping what is there."""
    for attempt in (1, 2):
        try:
            async with sessions.begin() as session:
                return await enqueue(session, messages, now=now)
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


async def recently_blocked(
    session: AsyncSession,
    recipient: str,
    *,
    now: datetime,
    within: timedelta = BLOCK_BACKOFF,
    other_than: int | None = None,
) -> bool:
    """True when the newest final entry for ``recipient`` in ``within`` says they blocked us."""
    query = select(Notification.state).where(
        Notification.recipient == recipient,
        Notification.sent_at >= now - within,
        Notification.state.in_(
            (NotificationState.SENT, NotificationState.BLOCKED, NotificationState.FAILED)
        ),
    )
    if other_than is not None:
        query = query.where(Notification.id != other_than)
    latest = await session.scalar(
        query.order_by(Notification.sent_at.desc(), Notification.id.desc()).limit(1)
    )
    return latest == NotificationState.BLOCKED


async def due_rows(
    session: AsyncSession, *, now: datetime, limit: int = 500
) -> list[tuple[int, int | None]]:
    """(id, chat) of the pending rows whose (next) attempt is due, oldest first."""
    rows = await session.execute(
        select(Notification.id, Notification.chat_id)
        .where(
            Notification.state == NotificationState.PENDING,
            or_(Notification.next_attempt_at.is_(None), Notification.next_attempt_at <= now),
        )
        .order_by(Notification.id)
        .limit(limit)
    )
    return [(row_id, chat_id) for row_id, chat_id in rows]


async def next_attempt(session: AsyncSession) -> datetime | None:
    """When the earliest pending row is due (None when the outbox is empty)."""
    return await session.scalar(
        select(Notification.next_attempt_at)
        .where(Notification.state == NotificationState.PENDING)
        .order_by(Notification.next_attempt_at)
        .limit(1)
    )


async def claim(
    sessions: async_sessionmaker[AsyncSession], row_ids: Sequence[int], *, owner: str, now: datetime
) -> list[Notification]:
    """Take pending rows for sending, in one short transaction (a commit waits for the disk:
    one per row would bound the rate of sending). Rows another sender took first are left
    out. A row to someone who recently blocked the bot is finished here: it comes back with
    ``state`` blocked, not to be sent."""
    if not row_ids:
        return []
    async with sessions.begin() as session:
        taken = await session.scalars(
            update(Notification)
            .where(Notification.id.in_(row_ids), Notification.state == NotificationState.PENDING)
            .values(
                state=NotificationState.SENDING,
                claimed_by=owner,
                claimed_at=now,
                attempts=Notification.attempts + 1,
            )
            .returning(Notification.id)
            .execution_options(synchronize_session=False)
        )
        ids = list(taken)
        rows = list(
            await session.scalars(
                select(Notification)
                .where(Notification.id.in_(ids))
                .order_by(Notification.id)
                .execution_options(populate_existing=True)
            )
        )
        for row in rows:
            if await recently_blocked(session, row.recipient, now=now, other_than=row.id):
                row.state, row.error = (
                    NotificationState.BLOCKED,
                    "not sent: recipient blocked the bot",
                )
                row.sent_at = now
        return rows


async def finish(
    sessions: async_sessionmaker[AsyncSession],
    row_id: int,
    *,
    owner: str,
    state: NotificationState,
    now: datetime,
    error: str | None = None,
    retry_at: datetime | None = None,
    message_id: int | None = None,
) -> bool:
    """Record what became of a claimed row; only its claimant may (False otherwise).
    ``state`` pending with ``retry_at`` puts it back for a later attempt."""
    values: dict[str, Any] = {"state": state, "sent_at": now, "error": error}
    if retry_at is not None:
        values["next_attempt_at"] = retry_at
    if message_id is not None:
        values["telegram_message_id"] = message_id
    async with sessions.begin() as session:
        if session.get_bind().dialect.name == "postgresql":
            # Not waiting for the disk here is safe: were this commit lost with the database
            # server, the row would stay "sending" and become in doubt, never sent twice.
            await session.execute(text("SET LOCAL synchronous_commit TO OFF"))
        done = await session.execute(
            update(Notification)
            .where(
                Notification.id == row_id,
                Notification.claimed_by == owner,
                Notification.state.in_((NotificationState.SENDING, NotificationState.IN_DOUBT)),
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return getattr(done, "rowcount", 0) == 1


async def mark_in_doubt(
    sessions: async_sessionmaker[AsyncSession],
    *,
    other_than: str,
    now: datetime,
    claimed_before: datetime | None = None,
) -> list[int]:
    """Rows left "sending" by another sender (one that died mid-call, since one server runs
    per database): whether Telegram got them cannot be known, so they become in doubt and
    are not sent again. ``claimed_before`` limits it to claims older than a lease."""
    async with sessions.begin() as session:
        query = select(Notification.id).where(
            Notification.state == NotificationState.SENDING,
            or_(Notification.claimed_by.is_(None), Notification.claimed_by != other_than),
        )
        if claimed_before is not None:
            query = query.where(Notification.claimed_at < claimed_before)
        ids = list(await session.scalars(query))
        if ids:
            await session.execute(
                update(Notification)
                .where(Notification.id.in_(ids), Notification.state == NotificationState.SENDING)
                .values(
                    state=NotificationState.IN_DOUBT,
                    sent_at=now,
                    error="the sender stopped during the call: delivery unknown",
                )
                .execution_options(synchronize_session=False)
            )
    for row_id in ids:
        log.warning("notification %s is in doubt: its sender stopped during the call", row_id)
    return ids


async def record_dropped(
    sessions: async_sessionmaker[AsyncSession], key: NotificationKey, *, now: datetime, reason: str
) -> bool:
    """Log a notification given up on without sending (its moment passed while down and it no
    longer makes sense). False when the key was already in the log."""
    async with sessions() as session:
        if await already_logged(session, key):
            return False
        session.add(
            Notification(
                **_key_columns(key),
                state=NotificationState.DROPPED,
                sent_at=now,
                error=reason[:1000],
            )
        )
        try:
            await session.commit()
        except IntegrityError:
            await session.rollback()
            return False
    log.info("dropped %s: %s", key, reason)
    return True


async def log_for(
    session: AsyncSession, *, subject: str | None = None, kind: str | None = None
) -> list[Notification]:
    """The log's rows, oldest first, optionally for one subject or kind."""
    query = select(Notification).order_by(Notification.id)
    if subject is not None:
        query = query.where(Notification.subject == subject)
    if kind is not None:
        query = query.where(Notification.kind == kind)
    return list(await session.scalars(query))


async def delivery_states(
    session: AsyncSession, *, kind: str, subjects: Sequence[str]
) -> list[NotificationState]:
    """The state of each outbox row of ``kind`` about one of ``subjects`` (in no order): what
    tells the one who caused a fan-out how it went once nothing is pending or sending."""
    if not subjects:
        return []
    found = await session.scalars(
        select(Notification.state).where(
            Notification.kind == kind, Notification.subject.in_(list(subjects))
        )
    )
    return list(found)


UNSETTLED = (NotificationState.PENDING, NotificationState.SENDING)
