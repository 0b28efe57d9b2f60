"""Loading one row with its relationships, even when the session already holds it."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.interfaces import ORMOption

from storage.errors import NotFound

T = TypeVar("T")


async def load_one(session: AsyncSession, model: type[T], key: Any, *options: ORMOption) -> T:
    """``session.get`` ignores loader options for objects already in the identity map, and the
    models forbid lazy loading; ``populate_existing`` makes the options apply every time."""
    mapper_pk = model.__mapper__.primary_key  # type: ignore[attr-defined]
    keys = key if isinstance(key, tuple) else (key,)
    query = select(model).options(*options).execution_options(populate_existing=True)
    for column, value in zip(mapper_pk, keys, strict=True):
        query = query.where(column == value)
    found = await session.scalar(query)
    if found is None:
        raise NotFound(f"{model.__name__} {key!r} not found", model.__name__)
    return found
