from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.models import (
    AnswerStatus,
    Invitation,
    Membership,
    Person,
    Point,
    PointKind,
    Role,
    TaskEvent,
    Unit,
)
from storage.seed import SeedError, load_seed
from storage.services.invitations import answer_invitation, invite_points
from storage.services.tasks import create_task, report_progress
from tests.conftest import VN
from tests.storage.factories import committee_data, make_meeting

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


async def test_loading_the_same_file_again_changes_nothing(db: AsyncSession) -> None:
    first = await load_seed(db, committee_data())
    again = await load_seed(db, committee_data())
    assert first.created and not again.created
    assert again.changes == ()
    assert again.person_ids == first.person_ids and again.point_ids == first.point_ids
    assert again.new_person_ids == {}
    assert await db.scalar(select(func.count()).select_from(Person)) == len(first.person_ids)


async def test_reseeding_moves_a_person_and_keeps_their_answers_and_tasks(
    db: AsyncSession,
) -> None:
    now = datetime(2026, 3, 2, 8, 0, tzinfo=VN)
    seed = await load_seed(db, committee_data())
    meeting = await make_meeting(db, seed, now=now)
    await invite_points(db, meeting.id, now=now)
    mover = seed.person_ids["u1_0"]
    invitation = await db.scalar(
        select(Invitation).where(Invitation.meeting_id == meeting.id, Invitation.person_id == mover)
    )
    assert invitation is not None
    await answer_invitation(db, invitation.id, status=AnswerStatus.ACCEPTED, now=now)
    person = await db.get(Person, mover)
    assert person is not None
    task = await create_task(
        db, assignee_text="Đơn vị 1", action="Báo cáo tiến độ", now=now, unit_id=person.unit_id
    )
    await report_progress(db, task.id, note="Đã làm một nửa", now=now, actor_id=mover)

    data = committee_data()
    moved = next(p for p in data["people"] if p["key"] == "u1_0")
    moved.update(point="p2", full_name="Người Một Chấm Không", title="Phó phòng")
    data["people"] = [p for p in data["people"] if p["key"] != "u2_1"]  # retires
    data["people"].append(
        {"key": "new", "full_name": "Người Mới", "title": "Chuyên viên", "point": "p0"}
    )
    data["units"][0]["name"] = "Ủy ban nhân dân tỉnh Thử"  # renamed, same short name
    result = await load_seed(db, data, now=now)

    assert not result.created
    assert result.person_ids["u1_0"] == mover  # the same person, updated in place
    person = await db.get(Person, mover, populate_existing=True)
    assert person is not None
    assert person.point_id == seed.point_ids["p2"]
    assert (person.full_name, person.title) == ("Người Một Chấm Không", "Phó phòng")
    answer = await db.get(Invitation, invitation.id, populate_existing=True)
    assert answer is not None and answer.status == AnswerStatus.ACCEPTED
    assert answer.person_id == mover
    events = (await db.scalars(select(TaskEvent).where(TaskEvent.task_id == task.id))).all()
    assert any(e.actor_id == mover and e.note == "Đã làm một nửa" for e in events)

    retired = await db.get(Person, seed.person_ids["u2_1"], populate_existing=True)
    assert retired is not None and retired.point_id is None  # the row and its history stay
    assert (
        await db.scalar(
            select(func.count()).select_from(Membership).where(Membership.person_id == retired.id)
        )
        == 0
    )
    assert set(result.new_person_ids) == {"new"}
    assert await db.scalar(select(Unit).where(Unit.name == "Ủy ban nhân dân tỉnh Thử"))
    assert await db.scalar(select(Unit).where(Unit.name == "Ủy ban nhân dân tỉnh")) is None
    lines = "\n".join(result.changes)
    assert "chuyển điểm cầu “Điểm cầu 1” → “Điểm cầu 2”" in lines
    assert "- Người 2.1 (Chuyên viên 2.1): thôi tham gia" in lines
    assert "+ người mới: Người Mới (Chuyên viên)" in lines
    assert "đổi tên “Ủy ban nhân dân tỉnh” → “Ủy ban nhân dân tỉnh Thử”" in lines

    # The retired person listed again comes back as themselves.
    back = await load_seed(db, committee_data(), now=now)
    assert back.person_ids["u2_1"] == seed.person_ids["u2_1"]
    assert any("tham gia trở lại" in line for line in back.changes)


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


async def test_reseeding_updates_the_committees_document_settings(db: AsyncSession) -> None:
    data = committee_data()
    first = await load_seed(db, data)
    data["committee"].update(signer_name="Trần Văn Ký", secretary="secretary")
    result = await load_seed(db, data)
    assert result.committee.id == first.committee.id
    assert result.committee.signer_name == "Trần Văn Ký"
    assert result.committee.secretary_id == first.person_ids["secretary"]
    assert "~ Ban Chỉ đạo: người ký “—” → “Trần Văn Ký”" in result.changes
    assert "~ Ban Chỉ đạo: thư ký → “Chánh Văn phòng”" in result.changes
