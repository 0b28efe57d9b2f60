"""Load a committee, its units, points and people from a plain mapping (read from YAML).

The file names things by keys (``point: ubnd-tinh``, ``coordinator: cv-vp``, ``unit: Sở KH&ĐT``)
so that a secretary can write it by hand; every reference is checked before anything is
written. Loading the file of a committee that is already there updates it in place: people
are matched by their key (kept in ``seed_keys``), points by code, units by name or by one of
their other names (a rename); someone the file no longer lists is retired (their memberships
go, their answers and tasks stay). Every change is described in Vietnamese, so that
``diemcau seed --dry-run`` can print them and roll back.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.errors import DomainError, ErrorCode
from storage.models import (
    Committee,
    Membership,
    Person,
    Point,
    PointKind,
    Role,
    SeedKey,
    Unit,
)
from vnadmin.signing import SIGNING_AUTHORITIES


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
    created: bool = True  # False: the committee was there and has been updated in place
    new_person_ids: dict[str, int] = field(default_factory=dict)
    changes: tuple[str, ...] = ()  # one Vietnamese line per change


def _nfc(value: Any) -> str:
    return unicodedata.normalize("NFC", str(value)).strip()


def _fail(message: str) -> SeedError:
    return SeedError(message, ErrorCode.SEED_INVALID, detail=message)


def _optional(mapping: dict[str, Any], key: str) -> str | None:
    value = mapping.get(key)
    return _nfc(value) or None if value is not None else None


def _require(mapping: dict[str, Any], key: str, where: str) -> str:
    value = mapping.get(key)
    if value is None or not _nfc(value):
        raise _fail(f"{where}: missing '{key}'")
    return _nfc(value)


@dataclass(frozen=True, slots=True)
class _PersonSpec:
    key: str
    full_name: str | None
    title: str
    unit: str | None
    point: str | None
    roles: tuple[Role, ...]
    telegram_user_id: int | None
    telegram_username: str | None


def _person_specs(
    people_specs: list[Any], keys: list[str], units: set[str], points: set[str]
) -> list[_PersonSpec]:
    specs = []
    for key, p in zip(keys, people_specs, strict=True):
        unit_label = _optional(p, "unit")
        if unit_label is not None and unit_label not in units:
            raise _fail(f"person {key}: unknown unit {unit_label!r}")
        point_code = _optional(p, "point")
        if point_code is not None and point_code not in points:
            raise _fail(f"person {key}: unknown point {point_code!r}")
        try:
            roles = tuple(dict.fromkeys(Role(r) for r in p.get("roles") or ["participant"]))
        except ValueError:
            raise _fail(
                f"person {key}: roles must be among {', '.join(r.value for r in Role)}"
            ) from None
        specs.append(
            _PersonSpec(
                key=key,
                full_name=_optional(p, "full_name"),
                title=_require(p, "title", f"person {key}"),
                unit=unit_label,
                point=point_code,
                roles=roles,
                telegram_user_id=int(p["telegram_user_id"]) if p.get("telegram_user_id") else None,
                telegram_username=p.get("telegram_username") or None,
            )
        )
    return specs


class _Changes:
    """Vietnamese lines that say what the seed changed."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def set(self, owner: str, what: str, obj: Any, attr: str, new: Any, shown: Any = None) -> None:
        old = getattr(obj, attr)
        if old == new:
            return
        setattr(obj, attr, new)
        if shown is None:
            shown = (old, new)
        self.lines.append(f"~ {owner}: {what} “{shown[0] or '—'}” → “{shown[1] or '—'}”")


async def load_seed(
    session: AsyncSession, data: dict[str, Any], *, now: datetime | None = None
) -> SeedResult:
    """Validate ``data`` whole, then add or update everything in the caller's transaction.
    ``now`` stamps the retirement of people the file no longer lists."""
    if not isinstance(data, dict) or not isinstance(data.get("committee"), dict):
        raise _fail("the file must have a 'committee' mapping")
    c = data["committee"]
    name = _require(c, "name", "committee")
    unit_specs = data.get("units") or []
    point_specs = data.get("points") or []
    people_specs = data.get("people") or []
    unit_names = [_require(u, "name", f"units[{i}]") for i, u in enumerate(unit_specs)]
    point_codes = [_require(p, "code", f"points[{i}]") for i, p in enumerate(point_specs)]
    person_keys = [_require(p, "key", f"people[{i}]") for i, p in enumerate(people_specs)]
    for label, keys in (("point code", point_codes), ("person key", person_keys)):
        dupes = sorted({k for k in keys if keys.count(k) > 1})
        if dupes:
            raise _fail(f"duplicate {label}: {', '.join(dupes)}")
    unit_labels = {
        label
        for u, unit_name in zip(unit_specs, unit_names, strict=True)
        for label in (unit_name, _optional(u, "short_name"), *map(_nfc, u.get("aliases") or []))
        if label
    }
    kinds: list[PointKind] = []
    for code, p in zip(point_codes, point_specs, strict=True):
        try:
            kinds.append(PointKind(p.get("kind", "other")))
        except ValueError:
            raise _fail(
                f"point {code}: kind must be one of {', '.join(k.value for k in PointKind)}"
            ) from None
        coordinator = p.get("coordinator")
        if coordinator and coordinator not in person_keys:
            raise _fail(f"point {code}: unknown coordinator {coordinator!r}")
    specs = _person_specs(people_specs, person_keys, unit_labels, set(point_codes))
    authority = _optional(c, "signer_authority")
    if authority is not None and not authority.upper().startswith(SIGNING_AUTHORITIES):
        raise _fail(f"committee: signer_authority must begin with {', '.join(SIGNING_AUTHORITIES)}")
    if c.get("secretary") and c["secretary"] not in person_keys:
        raise _fail(f"committee: unknown secretary {c['secretary']!r}")
    changes = _Changes()

    # The committee.
    committee = await session.scalar(select(Committee).where(Committee.name == name))
    created = committee is None
    if committee is None:
        committee = Committee(
            name=name,
            short_name=_optional(c, "short_name"),
            province=_require(c, "province", "committee"),
            issuing_body=_require(c, "issuing_body", "committee"),
            notice_abbreviation=_nfc(c.get("notice_abbreviation") or "UBND"),
            parent_body=_optional(c, "parent_body"),
            signer_authority=authority,
            signer_title=_optional(c, "signer_title"),
            signer_name=_optional(c, "signer_name"),
        )
        session.add(committee)
        await session.flush()
    else:
        for attr, what, value in (
            ("short_name", "tên ngắn", _optional(c, "short_name")),
            ("province", "tỉnh", _require(c, "province", "committee")),
            ("issuing_body", "cơ quan ban hành", _require(c, "issuing_body", "committee")),
            ("notice_abbreviation", "viết tắt", _nfc(c.get("notice_abbreviation") or "UBND")),
            ("parent_body", "cơ quan cấp trên", _optional(c, "parent_body")),
            ("signer_authority", "thẩm quyền ký", authority),
            ("signer_title", "chức vụ người ký", _optional(c, "signer_title")),
            ("signer_name", "người ký", _optional(c, "signer_name")),
        ):
            changes.set("Ban Chỉ đạo", what, committee, attr, value)

    # Units: shared by committees; one whose other names match an existing unit is a rename.
    units: dict[str, Unit] = {}
    for u, unit_name in zip(unit_specs, unit_names, strict=True):
        short_name = _optional(u, "short_name")
        aliases = [_nfc(a) for a in u.get("aliases") or []]
        unit = await session.scalar(select(Unit).where(Unit.name == unit_name))
        if unit is None:
            others = [label for label in (short_name, *aliases) if label]
            unit = await session.scalar(
                select(Unit).where(Unit.name.in_(others) | Unit.short_name.in_(others)).limit(1)
            )
            if unit is not None:
                changes.set("Đơn vị", "đổi tên", unit, "name", unit_name)
        if unit is None:
            unit = Unit(name=unit_name, short_name=short_name, aliases=aliases)
            session.add(unit)
            if not created:
                changes.lines.append(f"+ đơn vị mới: {unit_name}")
        else:
            changes.set(unit.name, "tên ngắn", unit, "short_name", short_name)
            if list(unit.aliases) != aliases:
                unit.aliases = aliases
                changes.lines.append(f"~ {unit.name}: tên khác {', '.join(aliases) or '—'}")
        for label in (unit.name, unit.short_name, *unit.aliases):
            if label:
                units[label] = unit

    # Points, by code.
    existing_points = {
        p.code: p
        for p in await session.scalars(select(Point).where(Point.committee_id == committee.id))
    }
    points: dict[str, Point] = {}
    for position, (code, kind, p) in enumerate(zip(point_codes, kinds, point_specs, strict=True)):
        point_name = _require(p, "name", f"point {code}")
        point = existing_points.get(code)
        if point is None:
            point = Point(
                committee=committee,
                code=code,
                name=point_name,
                kind=kind,
                location=_optional(p, "location"),
                position=position,
            )
            session.add(point)
            if not created:
                changes.lines.append(f"+ điểm cầu mới: {point_name}")
        else:
            changes.set(point.name, "tên", point, "name", point_name)
            changes.set(point.name, "loại", point, "kind", kind)
            changes.set(point.name, "địa điểm", point, "location", _optional(p, "location"))
            point.position = position
        points[code] = point
    for code, point in existing_points.items():
        if code not in points:
            changes.lines.append(
                f"! điểm cầu {point.name} ({code}) không còn trong tệp: giữ lại cho các phiên cũ"
            )
    await session.flush()

    # People: by their key in this committee's file; a committee seeded before keys were
    # kept is matched by name and title once, and keyed from then on.
    keyed = {
        k.key: k
        for k in await session.scalars(select(SeedKey).where(SeedKey.committee_id == committee.id))
    }
    known = {
        p.id: p
        for p in await session.scalars(
            select(Person).where(
                Person.id.in_([k.person_id for k in keyed.values()])
                | Person.id.in_(
                    select(Membership.person_id).where(Membership.committee_id == committee.id)
                )
            )
        )
    }
    keyed_ids = {k.person_id for k in keyed.values()}
    unkeyed = {(p.full_name, p.title): p for p in known.values() if p.id not in keyed_ids}
    point_names = {p.id: p.name for p in points.values()}
    point_names.update({p.id: p.name for p in existing_points.values()})
    people: dict[str, Person] = {}
    new_people: dict[str, Person] = {}
    for spec in specs:
        seed_key = keyed.get(spec.key)
        person = known.get(seed_key.person_id) if seed_key else None
        if person is None:
            person = unkeyed.pop((spec.full_name, spec.title), None)
        unit = units[spec.unit] if spec.unit else None
        point = points[spec.point] if spec.point else None
        if person is None:
            person = Person(
                full_name=spec.full_name,
                title=spec.title,
                unit=unit,
                point=point,
                telegram_user_id=spec.telegram_user_id,
                telegram_username=spec.telegram_username,
            )
            session.add(person)
            await session.flush()
            new_people[spec.key] = person
            if not created:
                changes.lines.append(f"+ người mới: {person.display_name}")
        else:
            who = person.display_name
            changes.set(who, "họ tên", person, "full_name", spec.full_name)
            changes.set(who, "chức vụ", person, "title", spec.title)
            if person.unit_id != (unit.id if unit else None):
                person.unit_id = unit.id if unit else None
                changes.lines.append(f"~ {who}: đơn vị → “{unit.name if unit else '—'}”")
            if person.point_id != (point.id if point else None):
                changes.lines.append(
                    f"~ {who}: chuyển điểm cầu “{point_names.get(person.point_id or 0, '—')}”"
                    f" → “{point.name if point else '—'}”"
                )
                person.point_id = point.id if point else None
            if spec.telegram_user_id is not None:
                changes.set(who, "Telegram", person, "telegram_user_id", spec.telegram_user_id)
            if spec.telegram_username is not None:
                person.telegram_username = spec.telegram_username
        if seed_key is None:
            seed_key = SeedKey(committee_id=committee.id, key=spec.key, person_id=person.id)
            session.add(seed_key)
        elif seed_key.retired_at is not None:
            seed_key.retired_at = None
            changes.lines.append(f"+ {person.display_name}: tham gia trở lại")
        seed_key.person_id = person.id
        roles = set(
            await session.scalars(
                select(Membership.role).where(
                    Membership.committee_id == committee.id, Membership.person_id == person.id
                )
            )
        )
        if roles != set(spec.roles):
            await session.execute(
                delete(Membership).where(
                    Membership.committee_id == committee.id,
                    Membership.person_id == person.id,
                    Membership.role.not_in(spec.roles),
                )
            )
            session.add_all(
                Membership(committee_id=committee.id, person_id=person.id, role=role)
                for role in spec.roles
                if role not in roles
            )
            if roles and person.id not in {p.id for p in new_people.values()}:
                changes.lines.append(
                    f"~ {person.display_name}: vai trò {', '.join(sorted(r.value for r in roles))}"
                    f" → {', '.join(sorted(r.value for r in spec.roles))}"
                )
        people[spec.key] = person

    # Whoever the file no longer lists retires: out of the committee, history kept.
    for key, seed_key in keyed.items():
        if key in people or seed_key.retired_at is not None:
            continue
        person = known[seed_key.person_id]
        await session.execute(
            delete(Membership).where(
                Membership.committee_id == committee.id, Membership.person_id == person.id
            )
        )
        person.point_id = None
        seed_key.retired_at = now or datetime.now(UTC)
        changes.lines.append(f"- {person.display_name}: thôi tham gia (giữ lịch sử)")

    for code, p in zip(point_codes, point_specs, strict=True):
        coordinator = p.get("coordinator")
        coordinator_id = people[coordinator].id if coordinator else None
        if not created and points[code].coordinator_id != coordinator_id:
            who = people[coordinator].display_name if coordinator else "—"
            changes.lines.append(f"~ {points[code].name}: đầu mối → “{who}”")
        points[code].coordinator_id = coordinator_id
    secretary = c.get("secretary")
    secretary_id = people[secretary].id if secretary else None
    if not created and committee.secretary_id != secretary_id:
        who = people[secretary].display_name if secretary else "—"
        changes.lines.append(f"~ Ban Chỉ đạo: thư ký → “{who}”")
    committee.secretary_id = secretary_id
    await session.flush()
    return SeedResult(
        committee=committee,
        units=len({id(u) for u in units.values()}),
        points=len(points),
        people=len(people),
        person_ids={k: p.id for k, p in people.items()},
        point_ids={k: p.id for k, p in points.items()},
        created=created,
        new_person_ids={k: p.id for k, p in new_people.items()},
        changes=tuple(changes.lines),
    )
