"""People and their Telegram accounts: one-time invitation codes, look-up by account, roles."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.errors import DomainError, ErrorCode
from storage.models import InviteCode, Membership, Person, Role
from storage.services.audit import record
from storage.services.loading import load_one

INVITE_TTL = timedelta(days=7)


class InvalidInviteCode(DomainError):
    """The code is unknown, used or expired."""


async def create_invite_code(
    session: AsyncSession,
    person_id: int,
    *,
    now: datetime,
    created_by_id: int | None = None,
    ttl: timedelta = INVITE_TTL,
) -> InviteCode:
    """A fresh single-use code for ``t.me/<bot>?start=<code>`` (deep links allow 64 chars of
    A-Z, a-z, 0-9, _ and -, which token_urlsafe uses)."""
    await load_one(session, Person, person_id)
    invite = InviteCode(
        code=secrets.token_urlsafe(18),
        person_id=person_id,
        created_by_id=created_by_id,
        created_at=now,
        expires_at=now + ttl,
    )
    session.add(invite)
    await session.flush()
    return invite


async def redeem_invite_code(
    session: AsyncSession,
    code: str,
    *,
    telegram_user_id: int,
    telegram_username: str | None,
    now: datetime,
) -> Person:
    """Link the Telegram account to the code's person. Works once, before it expires."""
    invite = await session.get(InviteCode, code.strip())
    if invite is None or invite.used_at is not None or invite.expires_at <= now:
        state = "unknown" if invite is None else "used" if invite.used_at else "expired"
        raise InvalidInviteCode(f"invite code is {state}", ErrorCode.INVITE_CODE_INVALID)
    holder = await session.scalar(select(Person).where(Person.telegram_user_id == telegram_user_id))
    if holder is not None and holder.id != invite.person_id:
        raise InvalidInviteCode(
            f"telegram account {telegram_user_id} already belongs to person {holder.id}",
            ErrorCode.TELEGRAM_TAKEN,
        )
    person = await load_one(session, Person, invite.person_id)
    person.telegram_user_id = telegram_user_id
    person.telegram_username = telegram_username
    invite.used_at = now
    invite.used_by_telegram_id = telegram_user_id
    await record(
        session,
        at=now,
        actor_id=person.id,
        action="person.link_telegram",
        entity="person",
        entity_id=person.id,
        details={"telegram_user_id": telegram_user_id},
    )
    await session.flush()
    return person


async def person_by_telegram(session: AsyncSession, telegram_user_id: int) -> Person | None:
    """The person behind a Telegram account, with memberships, unit and point loaded."""
    return await session.scalar(
        select(Person)
        .where(Person.telegram_user_id == telegram_user_id)
        .options(
            selectinload(Person.memberships), selectinload(Person.unit), selectinload(Person.point)
        )
        .execution_options(populate_existing=True)
    )


def roles_of(person: Person, committee_id: int | None = None) -> set[Role]:
    return {m.role for m in person.memberships if committee_id in (None, m.committee_id)}


async def people_with_role(session: AsyncSession, committee_id: int, role: Role) -> list[Person]:
    return list(
        await session.scalars(
            select(Person)
            .join(Membership)
            .where(Membership.committee_id == committee_id, Membership.role == role)
            .order_by(Person.id)
        )
    )


async def get_person(session: AsyncSession, person_id: int) -> Person:
    return await load_one(session, Person, person_id, selectinload(Person.memberships))


async def people_without_account(
    session: AsyncSession, committee_ids: Sequence[int], *, limit: int = 40
) -> list[Person]:
    """The committees' people who have not linked a Telegram account yet."""
    return list(
        await session.scalars(
            select(Person)
            .join(Membership)
            .where(Membership.committee_id.in_(committee_ids), Person.telegram_user_id.is_(None))
            .distinct()
            .order_by(Person.id)
            .limit(limit)
        )
    )


async def unit_people(session: AsyncSession, unit_id: int | None) -> list[Person]:
    """The people of a unit: a task given to the unit reaches them, and they report on it."""
    if unit_id is None:
        return []
    return list(
        await session.scalars(select(Person).where(Person.unit_id == unit_id).order_by(Person.id))
    )


def secretariat_committees(person: Person) -> list[int]:
    """The committees a person serves as secretariat (memberships loaded)."""
    return [m.committee_id for m in person.memberships if m.role == Role.SECRETARIAT]


def committees_of(person: Person) -> list[int]:
    """Every committee a person belongs to (memberships loaded)."""
    return list(dict.fromkeys(m.committee_id for m in person.memberships))
