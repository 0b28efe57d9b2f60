"""Sign-in to the web office without passwords: one-time links from the bot, then sessions.

The bot's ``/web`` asks for a link; its token works once, for ``LOGIN_TTL``. Redeeming it
opens a session whose token lives only in the browser's cookie; both tables store SHA-256
digests, so a copy of the database opens nothing. Every sign-in and sign-out is audited.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.errors import DomainError, ErrorCode
from storage.models import Person, Role, WebLoginToken, WebSession
from storage.services.audit import record
from storage.services.loading import load_one

LOGIN_TTL = timedelta(minutes=10)
SESSION_TTL = timedelta(hours=12)


class InvalidLoginLink(DomainError):
    """The sign-in link is unknown, already used or expired."""


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def create_login_link(
    session: AsyncSession, person_id: int, *, now: datetime, ttl: timedelta = LOGIN_TTL
) -> str:
    """A fresh token for ``/login/<token>``; only its digest is kept."""
    await load_one(session, Person, person_id)
    token = secrets.token_urlsafe(32)
    session.add(
        WebLoginToken(
            token_hash=digest(token), person_id=person_id, created_at=now, expires_at=now + ttl
        )
    )
    await session.flush()
    return token


@dataclass(frozen=True, slots=True)
class OpenedSession:
    """What the browser gets: the cookie's token and the form token."""

    token: str
    csrf_token: str
    person_id: int
    expires_at: datetime


async def redeem_login_link(
    session: AsyncSession,
    token: str,
    *,
    now: datetime,
    replaces: str | None = None,
    remote: str | None = None,
    ttl: timedelta = SESSION_TTL,
) -> OpenedSession:
    """Use a sign-in link once and open a brand-new session (a session id offered before the
    sign-in is revoked, never promoted: no session fixation)."""
    link = await session.get(WebLoginToken, digest(token), with_for_update=True)
    if link is None or link.used_at is not None or link.expires_at <= now:
        state = "unknown" if link is None else "used" if link.used_at else "expired"
        raise InvalidLoginLink(f"sign-in link is {state}", ErrorCode.LOGIN_LINK_INVALID)
    link.used_at = now
    if replaces is not None:
        await end_session(session, replaces, now=now, audit=False)
    opened = OpenedSession(
        token=secrets.token_urlsafe(32),
        csrf_token=secrets.token_urlsafe(32),
        person_id=link.person_id,
        expires_at=now + ttl,
    )
    session.add(
        WebSession(
            token_hash=digest(opened.token),
            person_id=link.person_id,
            csrf_token=opened.csrf_token,
            created_at=now,
            expires_at=opened.expires_at,
        )
    )
    await record(
        session,
        at=now,
        actor_id=link.person_id,
        action="web.sign_in",
        entity="person",
        entity_id=link.person_id,
        details={"remote": remote},
    )
    await session.flush()
    return opened


@dataclass(frozen=True, slots=True)
class Viewer:
    """The signed-in person as every page and API call sees them: roles per committee."""

    person_id: int
    name: str
    unit_id: int | None
    point_id: int | None
    roles: dict[int, frozenset[Role]]
    csrf_token: str

    @property
    def committee_ids(self) -> list[int]:
        return sorted(self.roles)

    def has(self, committee_id: int, *roles: Role) -> bool:
        return bool(self.roles.get(committee_id, frozenset()).intersection(roles))


async def viewer_for(session: AsyncSession, token: str, *, now: datetime) -> Viewer | None:
    """The person behind a live session token, or None (unknown, revoked, expired)."""
    row = await session.scalar(
        select(WebSession).where(
            WebSession.token_hash == digest(token),
            WebSession.revoked_at.is_(None),
            WebSession.expires_at > now,
        )
    )
    if row is None:
        return None
    person = await load_one(session, Person, row.person_id, selectinload(Person.memberships))
    roles: dict[int, set[Role]] = {}
    for membership in person.memberships:
        roles.setdefault(membership.committee_id, set()).add(membership.role)
    return Viewer(
        person_id=person.id,
        name=person.display_name,
        unit_id=person.unit_id,
        point_id=person.point_id,
        roles={committee: frozenset(found) for committee, found in roles.items()},
        csrf_token=row.csrf_token,
    )


async def end_session(
    session: AsyncSession, token: str, *, now: datetime, audit: bool = True
) -> None:
    """Sign out: the session stops working at once. Unknown tokens are ignored."""
    row = await session.get(WebSession, digest(token))
    if row is None or row.revoked_at is not None:
        return
    row.revoked_at = now
    if audit:
        await record(
            session,
            at=now,
            actor_id=row.person_id,
            action="web.sign_out",
            entity="person",
            entity_id=row.person_id,
        )
    await session.flush()
