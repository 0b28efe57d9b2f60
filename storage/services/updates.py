"""Webhook updates seen before: Telegram delivers an update again until it gets a 2xx (and
after a restart it may resend ones already answered), so each ``update_id`` is handled once.

Telegram keeps an undelivered update for at most 24 hours; ids older than ``KEEP`` are pruned
as new ones arrive.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import WebhookUpdate

KEEP = timedelta(days=2)


async def first_delivery(
    sessions: async_sessionmaker[AsyncSession], update_id: int, *, now: datetime
) -> bool:
    """Record ``update_id``; False when it was recorded before (a replay)."""
    try:
        async with sessions.begin() as session:
            session.add(WebhookUpdate(update_id=update_id, received_at=now))
            await session.flush()
            await session.execute(
                delete(WebhookUpdate).where(WebhookUpdate.received_at < now - KEEP)
            )
    except IntegrityError:
        return False
    return True
