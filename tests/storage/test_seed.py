from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.models import Membership, Person, Point, PointKind, Role, Unit
from storage.seed import SeedError, load_seed
from tests.storage.factories import committee_data

LAICHAU = Path(__file__).parents[2] / "examples" / "laichau.yaml"


def laichau() -> dict[str, Any]:
    data = yaml.safe_load(LAICHAU.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


async def test_laichau_seed_has_the_points_and_people_of_the_article(db: AsyncSession) -> None:
    result = await load_seed(db, laichau())
    points = (
        await db.scalars(
            select(Point)
            .where(Point.committee_id == result.committee.id)
            .options(selectinload(Point.coordinator))
            .order_by(Point.position)
        )
    ).all()
    kinds = [p.kind for p in points]
    assert kinds[:2] == [PointKind.MAIN_HALL, PointKind.TELECOM_STUDIO]
    assert kinds[2:] == [PointKind.DISTRICT] * 8  # seven districts and the city, as in 2021
    assert "Điểm cầu huyện Sìn Hồ" in [p.name for p in points]
    assert all(p.coordinator is not None for p in points)

    leaders = (
        await db.scalars(
            select(Person.full_name)
            .join(Membership)
            .where(Membership.role == Role.LEADERSHIP, Person.full_name.is_not(None))
        )
    ).all()
    assert set(leaders) == {"Trần Tiến Dũng", "Tống Thanh Hải", "Giàng A Tính", "Hà Trọng Hải"}
    chair = await db.scalar(select(Person).where(Person.full_name == "Trần Tiến Dũng"))
    assert chair is not None and chair.title.startswith("Chủ tịch UBND tỉnh")
    khdt = await db.scalar(select(Unit).where(Unit.short_name == "Sở KH&ĐT"))
    assert khdt is not None and "Sở KHĐT" in khdt.aliases


async def test_a_committee_is_not_loaded_twice(db: AsyncSession) -> None:
    await load_seed(db, committee_data())
    with pytest.raises(SeedError) as error:
        await load_seed(db, committee_data())
    assert "đã có" in error.value.message_vi


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        (lambda d: d["people"][2].update(unit="Sở Không Có"), "unknown unit"),
        (lambda d: d["people"][2].update(point="p99"), "unknown point"),
        (lambda d: d["points"][1].update(kind="hall"), "kind must be one of"),
        (lambda d: d["points"][1].update(coordinator="nobody"), "unknown coordinator"),
        (lambda d: d["people"][3].update(key="chair"), "duplicate person key"),
        (lambda d: d["people"][3].update(roles=["boss"]), "roles must be among"),
        (lambda d: d["committee"].pop("province"), "missing 'province'"),
    ],
)
async def test_inconsistent_seed_files_are_refused_and_load_nothing(
    db: AsyncSession, breakage: Any, message: str
) -> None:
    data = committee_data()
    breakage(data)
    with pytest.raises(SeedError, match=message):
        async with db.begin_nested():
            await load_seed(db, data)
    assert await db.scalar(select(func.count()).select_from(Person)) == 0
