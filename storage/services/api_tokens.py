"""Tokens for scripts that read the JSON API (``diemcau token create|list|revoke``).

A token acts with one role in one committee and belongs to no person; the web grants it
reading only. It is shown once when made; the table keeps its SHA-256, so a copy of the
database opens nothing. Making and revoking one are audited.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.errors import DomainError, NotFound
from storage.models import ApiToken, Committee, Role
from storage.services.audit import record
from storage.services.web_sessions import Viewer, digest

PREFIX = "dct_"  # recognisable in a script's configuration or a leaked log


class InvalidTokenName(DomainError):
    """A token needs a name that says which script holds it."""


async def create_token(
    session: AsyncSession, *, name: str, committee: Committee, role: Role, now: datetime
) -> tuple[ApiToken, str]:
    """A new token and its secret, which is never stored nor shown again."""
    name = name.strip()
    if not name or len(name) > 100:
        raise InvalidTokenName(
            f"token name {name!r} is empty or too long",
            "Tên mã truy cập phải có từ 1 đến 100 ký tự.",
        )
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        name=name,
        token_hash=digest(secret),
        committee_id=committee.id,
        role=role,
        created_at=now,
    )
    session.add(token)
    await session.flush()
    await record(
        session,
        at=now,
        actor_id=None,
        action="api_token.create",
        entity="api_token",
        entity_id=token.id,
        details={"name": name, "committee": committee.id, "role": role.value},
    )
    return token, secret


async def tokens_of(session: AsyncSession, committee: Committee) -> list[ApiToken]:
    """The committee's tokens, live and revoked, oldest first."""
    return list(
        await session.scalars(
            select(ApiToken).where(ApiToken.committee_id == committee.id).order_by(ApiToken.id)
        )
    )


async def revoke_token(
    session: AsyncSession, token_id: int, *, committee: Committee, now: datetime
) -> ApiToken:
    """The token stops working at once; revoking it again changes nothing."""
    token = await session.get(ApiToken, token_id)
    if token is None or token.committee_id != committee.id:
        raise NotFound(
            f"no token {token_id} in committee {committee.id}",
            f"Không có mã truy cập số {token_id}.",
        )
    if token.revoked_at is None:
        token.revoked_at = now
        await record(
            session,
            at=now,
            actor_id=None,
            action="api_token.revoke",
            entity="api_token",
            entity_id=token.id,
            details={"name": token.name},
        )
        await session.flush()
    return token


async def viewer_for_token(session: AsyncSession, secret: str) -> Viewer | None:
    """What a live token may see, as a ``Viewer`` of no person, or None.

    Its ``person_id`` is the token's id negated: no person row has a negative id, so no
    check of ownership (own invitation, own point, own unit) ever matches it."""
    if not secret.startswith(PREFIX):
        return None
    token = await session.scalar(
        select(ApiToken).where(ApiToken.token_hash == digest(secret), ApiToken.revoked_at.is_(None))
    )
    if token is None:
        return None
    return Viewer(
        person_id=-token.id,
        name=f"Tích hợp “{token.name}”",
        unit_id=None,
        point_id=None,
        roles={token.committee_id: frozenset({token.role})},
        csrf_token="",
    )
