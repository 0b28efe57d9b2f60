"""Load a committee, its units, points and people from a plain mapping (read from YAML).

The file names things by keys (``point: ubnd-tinh``, ``coordinator: cv-vp``, ``unit: Sở KH&ĐT``)
so that a secretary can write it by hand; every reference is checked before anything is
written, and a committee that is already there is refused rather than duplicated.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from minutes.model import SIGNING_AUTHORITIES
from storage.errors import DomainError
from storage.models import Committee, Membership, Person, Point, PointKind, Role, Unit


class SeedError(DomainError):
    """The seed file is inconsistent; nothing was loaded."""


@dataclass(frozen=True, slots=True)
class SeedResult:
    committee: Committee
    units: int
    points: int
    people: int
    person_ids: dict[str, int]  # key in the file -> database id
    point_ids: dict[str, int]


def _nfc(value: Any) -> str:
    return unicodedata.normalize("NFC", str(value)).strip()


def _fail(message: str) -> SeedError:
    return SeedError(message, f"Tệp dữ liệu mẫu không hợp lệ: {message}")


def _optional(mapping: dict[str, Any], key: str) -> str | None:
    value = mapping.get(key)
    return _nfc(value) or None if value is not None else None


def _require(mapping: dict[str, Any], key: str, where: str) -> str:
    value = mapping.get(key)
    if value is None or not _nfc(value):
        raise _fail(f"{where}: missing '{key}'")
    return _nfc(value)


async def load_seed(session: AsyncSession, data: dict[str, Any]) -> SeedResult:
    """Validate ``data`` whole, then add everything in the caller's transaction."""
    if not isinstance(data, dict) or not isinstance(data.get("committee"), dict):
        raise _fail("the file must have a 'committee' mapping")
    c = data["committee"]
    name = _require(c, "name", "committee")
    if await session.scalar(select(Committee.id).where(Committee.name == name)) is not None:
        raise SeedError(
            f"committee {name!r} is already loaded",
            f"Ban Chỉ đạo “{name}” đã có trong cơ sở dữ liệu; không nạp lại.",
        )

    # Units: reuse those already in the database (several committees share departments).
    units: dict[str, Unit] = {}
    for i, u in enumerate(data.get("units") or []):
        unit_name = _require(u, "name", f"units[{i}]")
        unit = await session.scalar(select(Unit).where(Unit.name == unit_name))
        if unit is None:
            unit = Unit(
                name=unit_name,
                short_name=_nfc(u["short_name"]) if u.get("short_name") else None,
                aliases=[_nfc(a) for a in u.get("aliases") or []],
            )
            session.add(unit)
        for label in (unit.name, unit.short_name, *unit.aliases):
            if label:
                units[label] = unit

    point_specs = data.get("points") or []
    people_specs = data.get("people") or []
    point_codes = [_require(p, "code", f"points[{i}]") for i, p in enumerate(point_specs)]
    person_keys = [_require(p, "key", f"people[{i}]") for i, p in enumerate(people_specs)]
    for label, keys in (("point code", point_codes), ("person key", person_keys)):
        dupes = sorted({k for k in keys if keys.count(k) > 1})
        if dupes:
            raise _fail(f"duplicate {label}: {', '.join(dupes)}")

    committee = Committee(
        name=name,
        short_name=_nfc(c["short_name"]) if c.get("short_name") else None,
        province=_require(c, "province", "committee"),
        issuing_body=_require(c, "issuing_body", "committee"),
        notice_abbreviation=_nfc(c.get("notice_abbreviation") or "UBND"),
        parent_body=_optional(c, "parent_body"),
        signer_authority=_optional(c, "signer_authority"),
        signer_title=_optional(c, "signer_title"),
        signer_name=_optional(c, "signer_name"),
    )
    authority = committee.signer_authority
    if authority is not None and not authority.upper().startswith(SIGNING_AUTHORITIES):
        raise _fail(f"committee: signer_authority must begin with {', '.join(SIGNING_AUTHORITIES)}")
    session.add(committee)

    points: dict[str, Point] = {}
    for position, (code, p) in enumerate(zip(point_codes, point_specs, strict=True)):
        try:
            kind = PointKind(p.get("kind", "other"))
        except ValueError:
            raise _fail(
                f"point {code}: kind must be one of {', '.join(k.value for k in PointKind)}"
            ) from None
        points[code] = Point(
            committee=committee,
            code=code,
            name=_require(p, "name", f"point {code}"),
            kind=kind,
            location=_nfc(p["location"]) if p.get("location") else None,
            position=position,
        )
        session.add(points[code])

    people: dict[str, Person] = {}
    for key, p in zip(person_keys, people_specs, strict=True):
        unit_label = _nfc(p["unit"]) if p.get("unit") else None
        if unit_label is not None and unit_label not in units:
            raise _fail(f"person {key}: unknown unit {unit_label!r}")
        point_code = _nfc(p["point"]) if p.get("point") else None
        if point_code is not None and point_code not in points:
            raise _fail(f"person {key}: unknown point {point_code!r}")
        try:
            roles = [Role(r) for r in p.get("roles") or ["participant"]]
        except ValueError:
            raise _fail(
                f"person {key}: roles must be among {', '.join(r.value for r in Role)}"
            ) from None
        person = Person(
            full_name=_nfc(p["full_name"]) if p.get("full_name") else None,
            title=_require(p, "title", f"person {key}"),
            unit=units[unit_label] if unit_label else None,
            point=points[point_code] if point_code else None,
            telegram_user_id=int(p["telegram_user_id"]) if p.get("telegram_user_id") else None,
            telegram_username=p.get("telegram_username"),
        )
        person.memberships = [Membership(committee=committee, role=r) for r in roles]
        people[key] = person
        session.add(person)

    await session.flush()
    for code, p in zip(point_codes, point_specs, strict=True):
        coordinator = p.get("coordinator")
        if coordinator:
            if coordinator not in people:
                raise _fail(f"point {code}: unknown coordinator {coordinator!r}")
            points[code].coordinator_id = people[coordinator].id
    secretary = c.get("secretary")
    if secretary:
        if secretary not in people:
            raise _fail(f"committee: unknown secretary {secretary!r}")
        committee.secretary_id = people[secretary].id
    await session.flush()
    return SeedResult(
        committee=committee,
        units=len({id(u) for u in units.values()}),
        points=len(points),
        people=len(people),
        person_ids={k: p.id for k, p in people.items()},
        point_ids={k: p.id for k, p in points.items()},
    )
