"""Keyword-only factories for the storage tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Meeting
from storage.seed import SeedResult, load_seed
from storage.services.meetings import AgendaInput, create_meeting


def committee_data(
    *, name: str = "BCĐ thử nghiệm", points: int = 3, per_point: int = 4
) -> dict[str, Any]:
    """A committee with a main hall, a studio and districts; at each point a coordinator and
    participants. The chair sits at the main hall; one secretary too."""
    kinds = ["main_hall", "telecom_studio"] + ["district"] * max(0, points - 2)
    units = [{"name": "Ủy ban nhân dân tỉnh", "short_name": "UBND tỉnh"}]
    units += [{"name": f"Đơn vị {i}", "short_name": f"ĐV{i}"} for i in range(points)]
    point_specs = [
        {"code": f"p{i}", "name": f"Điểm cầu {i}", "kind": kinds[i], "coordinator": f"coord{i}"}
        for i in range(points)
    ]
    people: list[dict[str, Any]] = [
        {
            "key": "chair",
            "full_name": "Trần Văn Chủ",
            "title": "Chủ tịch UBND tỉnh",
            "unit": "UBND tỉnh",
            "point": "p0",
            "roles": ["leadership", "participant"],
        },
        {
            "key": "secretary",
            "title": "Chánh Văn phòng",
            "unit": "UBND tỉnh",
            "point": "p0",
            "roles": ["secretariat"],
        },
    ]
    for i in range(points):
        people.append(
            {
                "key": f"coord{i}",
                "title": f"Đầu mối điểm cầu {i}",
                "unit": f"ĐV{i}",
                "point": f"p{i}",
                "roles": ["coordinator"],
            }
        )
        people += [
            {
                "key": f"u{i}_{j}",
                "full_name": f"Người {i}.{j}",
                "title": f"Chuyên viên {i}.{j}",
                "unit": f"ĐV{i}",
                "point": f"p{i}",
                "roles": ["participant"],
            }
            for j in range(per_point - 1)
        ]
    return {
        "committee": {"name": name, "province": "Thử", "issuing_body": "UBND TỈNH THỬ"},
        "units": units,
        "points": point_specs,
        "people": people,
    }


async def make_committee(
    db: AsyncSession, *, points: int = 3, per_point: int = 4, name: str = "BCĐ thử nghiệm"
) -> SeedResult:
    return await load_seed(db, committee_data(name=name, points=points, per_point=per_point))


async def make_meeting(
    db: AsyncSession,
    seed: SeedResult,
    *,
    now: datetime,
    starts_in: timedelta = timedelta(days=7),
    agenda: int = 2,
) -> Meeting:
    return await create_meeting(
        db,
        committee_id=seed.committee.id,
        title="Phiên họp lần thứ 3",
        starts_at=now + starts_in,
        chair_id=seed.person_ids["chair"],
        main_point_id=seed.point_ids["p0"],
        point_ids=list(seed.point_ids.values()),
        now=now,
        number=3,
        agenda=[
            AgendaInput(
                title=f"Nội dung {i}",
                presenter_text="Đơn vị tư vấn",
                documents=(f"Tài liệu {i}.pdf",),
            )
            for i in range(1, agenda + 1)
        ],
    )
