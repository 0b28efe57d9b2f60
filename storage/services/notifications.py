"""The notification log: nothing is sent twice, a blocked recipient is not chased forever.

Every notification has a key (kind, subject, recipient, moment) that the table holds unique.
``deliver_once`` inserts the key and performs the send inside one transaction: the row is
committed only together with a send that happened (or with its final failure), so a second
scheduler, a retry or a restart finds the key and sends nothing. While the first transaction
is open, a second claimant waits on the row (PostgreSQL) or the write lock (SQLite) and then
sees the key.

A recipient who blocked the bot (Telegram's 403 Forbidden) is recorded as ``blocked``; that
notification is final, and for ``BLOCK_BACKOFF`` other notifications to them are recorded as
blocked without calling Telegram at all.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import Notification, NotificationState

log = logging.getLogger(__name__)

BLOCK_BACKOFF = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class NotificationKey:
    """What makes a notification unique. ``moment`` is the scheduled moment, not the send."""

    kind: str
    subject: str
    recipient: str
    moment: datetime


class Outcome(StrEnum):
    SENT = "sent"
    DUPLICATE = "duplicate"  # already in the log: someone sent it (or gave up on it) before
    BLOCKED = "blocked"
    FAILED = "failed"  # a final error (bad chat, bad request): recorded, not retried
    RETRY = "retry"  # a passing error (network): nothing recorded, a later run may send it


class Blocked(Exception):
    """Raised by a send function when the recipient blocked the bot (403)."""


class PermanentFailure(Exception):
    """Raised by a send function for an error that repeating cannot fix."""


def person_recipient(person_id: int) -> str:
    return f"person:{person_id}"


async def already_logged(session: AsyncSession, key: NotificationKey) -> bool:
    found = await session.scalar(
        select(Notification.id).where(
            Notification.kind == key.kind,
            Notification.subject == key.subject,
            Notification.recipient == key.recipient,
            Notification.moment == key.moment,
        )
    )
    return found is not None


async def recently_blocked(
    session: AsyncSession,
    recipient: str,
    *,
    now: datetime,
    within: timedelta = BLOCK_BACKOFF,
    other_than: int | None = None,
) -> bool:
    """True when the newest log entry for ``recipient`` in ``within`` says they blocked us."""
    query = select(Notification.state).where(
        Notification.recipient == recipient, Notification.sent_at >= now - within
    )
    if other_than is not None:
        query = query.where(Notification.id != other_than)
    latest = await session.scalar(
        query.order_by(Notification.sent_at.desc(), Notification.id.desc()).limit(1)
    )
    return latest == NotificationState.BLOCKED


async def deliver_once(
    sessions: async_sessionmaker[AsyncSession],
    key: NotificationKey,
    send: Callable[[], Awaitable[object]],
    *,
    now: datetime,
) -> Outcome:
    """Send at most once: claim ``key`` and record the send in one transaction.

    ``send`` raises ``Blocked`` or ``PermanentFailure`` for final errors; anything else it
    raises rolls the claim back (nothing recorded, ``RETRY``) and is logged.
    """
    async with sessions() as session:
        # A cheap read first, so duplicates never queue for the write lock.
        if await already_logged(session, key):
            return Outcome.DUPLICATE
    async with sessions() as session:
        await session.begin()
        row = Notification(
            kind=key.kind,
            subject=key.subject,
            recipient=key.recipient,
            moment=key.moment,
            state=NotificationState.SENT,
            sent_at=now,
        )
        session.add(row)
        try:
            await session.flush()
        except IntegrityError:
            await session.rollback()
            return Outcome.DUPLICATE
        except OperationalError:  # SQLite's lock held too long by someone: try later
            log.warning("could not claim %s now; it may be tried again", key, exc_info=True)
            await session.rollback()
            return Outcome.RETRY
        if await recently_blocked(session, key.recipient, now=now, other_than=row.id):
            row.state, row.error = NotificationState.BLOCKED, "not sent: recipient blocked the bot"
            await session.commit()
            return Outcome.BLOCKED
        try:
            await send()
        except Blocked as error:
            log.warning("%s blocked the bot; %s for %s not sent", key.recipient, key.kind, key)
            row.state, row.error = NotificationState.BLOCKED, str(error)[:1000]
            await session.commit()
            return Outcome.BLOCKED
        except PermanentFailure as error:
            log.error("giving up on %s: %s", key, error)
            row.state, row.error = NotificationState.FAILED, str(error)[:1000]
            await session.commit()
            return Outcome.FAILED
        except Exception:
            log.exception("sending %s failed; it may be tried again", key)
            await session.rollback()
            return Outcome.RETRY
        await session.commit()
        return Outcome.SENT


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
                kind=key.kind,
                subject=key.subject,
                recipient=key.recipient,
                moment=key.moment,
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
