"""A committee's people after the first seed: list them, add one, find them by their key."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.errors import DomainError, ErrorCode
from storage.models import Committee, Membership, Person, Point, Role, SeedKey, Unit


class RosterError(DomainError):
    """The committee, person, point or unit named does not exist (or already does)."""


@dataclass(frozen=True, slots=True)
class RosterEntry:
    key: str | None
    person: Person
    point: str | None
    roles: tuple[Role, ...]
    retired: bool


async def find_committee(session: AsyncSession, name: str | None) -> Committee:
    """By name or short name; the only committee when ``name`` is None."""
    query = select(Committee)
    if name is not None:
        query = query.where(or_(Committee.name == name, Committee.short_name == name))
    found = (await session.scalars(query.limit(2))).all()
    if len(found) == 1:
        return found[0]
    if not found:
        if name:
            raise RosterError(f"no committee {name!r}", ErrorCode.NO_COMMITTEE_NAMED, name=name)
        raise RosterError("no committee", ErrorCode.NO_COMMITTEE_YET)
    raise RosterError("several committees", ErrorCode.SEVERAL_COMMITTEES)


async def roster(session: AsyncSession, committee: Committee) -> list[RosterEntry]:
    """Everyone the committee's file keyed, or who holds a role in it, retired ones last."""
    keys = {
        k.person_id: k
        for k in await session.scalars(select(SeedKey).where(SeedKey.committee_id == committee.id))
    }
    roles: dict[int, list[Role]] = {}
    for membership in await session.scalars(
        select(Membership).where(Membership.committee_id == committee.id)
    ):
        roles.setdefault(membership.person_id, []).append(membership.role)
    ids = set(keys) | set(roles)
    people = (await session.scalars(select(Person).where(Person.id.in_(ids)))).all()
    points = {
        p.id: p.name
        for p in await session.scalars(select(Point).where(Point.committee_id == committee.id))
    }
    entries = [
        RosterEntry(
            key=keys[p.id].key if p.id in keys else None,
            person=p,
            point=points.get(p.point_id) if p.point_id else None,
            roles=tuple(sorted(roles.get(p.id, []))),
            retired=p.id in keys and keys[p.id].retired_at is not None,
        )
        for p in people
    ]
    return sorted(entries, key=lambda e: (e.retired, e.point or "", e.person.id))


async def person_by_key(session: AsyncSession, committee: Committee, key: str) -> Person:
    seed_key = await session.get(SeedKey, (committee.id, key))
    person = await session.get(Person, seed_key.person_id) if seed_key else None
    if person is None:
        raise RosterError(f"no person {key!r}", ErrorCode.NO_PERSON_KEY, key=key)
    return person


async def add_person(
    session: AsyncSession,
    committee: Committee,
    *,
    key: str,
    title: str,
    full_name: str | None = None,
    point_code: str | None = None,
    unit_name: str | None = None,
    roles: tuple[Role, ...] = (Role.PARTICIPANT,),
) -> Person:
    """Add someone to the committee under ``key`` (the key the YAML file should use too)."""
    if await session.get(SeedKey, (committee.id, key)) is not None:
        raise RosterError(f"key {key!r} taken", ErrorCode.PERSON_KEY_TAKEN, key=key)
    point = None
    if point_code is not None:
        point = await session.scalar(
            select(Point).where(Point.committee_id == committee.id, Point.code == point_code)
        )
        if point is None:
            raise RosterError(f"no point {point_code!r}", ErrorCode.NO_POINT_CODE, point=point_code)
    unit = None
    if unit_name is not None:
        unit = await session.scalar(
            select(Unit).where(or_(Unit.name == unit_name, Unit.short_name == unit_name))
        )
        if unit is None:
            raise RosterError(f"no unit {unit_name!r}", ErrorCode.NO_UNIT_NAME, name=unit_name)
    person = Person(
        full_name=full_name,
        title=title,
        unit_id=unit.id if unit else None,
        point_id=point.id if point else None,
    )
    session.add(person)
    await session.flush()
    session.add(SeedKey(committee_id=committee.id, key=key, person_id=person.id))
    session.add_all(
        Membership(committee_id=committee.id, person_id=person.id, role=role)
        for role in dict.fromkeys(roles)
    )
    await session.flush()
    return person
