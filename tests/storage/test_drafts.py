from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from bot.vietnamese import error_vi
from storage.errors import ErrorCode, IllegalTransition, StaleVersion
from storage.models import DraftStatus, TaskStatus
from storage.services.drafts import (
    approve_draft,
    create_draft,
    get_draft,
    reject_draft,
    save_draft,
)
from tests.storage.factories import make_committee


def content() -> dict[str, Any]:
    return {
        "meeting_date": "2026-11-26",
        "conclusions": [{"text": "Quy hoạch là vấn đề lớn", "evidence": "…"}],
        "tasks": [
            {
                "assignee": "ĐV1",
                "cooperating": ["ĐV2"],
                "action": "Tổng hợp ý kiến",
                "deadline": "2026-12-20",
                "deadline_text": "trước ngày 20/12",
                "evidence": "…",
            },
            {
                "assignee": "đơn vị tư vấn",
                "cooperating": [],
                "action": "Hoàn thiện quy hoạch",
                "deadline": None,
                "deadline_text": "trước khi họp phiên tiếp theo",
                "evidence": "…",
            },
        ],
    }


async def test_two_editors_on_one_version_the_later_is_refused(
    db: AsyncSession, now: datetime
) -> None:
    draft = await create_draft(db, content=content(), now=now)
    first = content()
    first["tasks"][0]["action"] = "Tổng hợp ý kiến bằng văn bản"
    second = content()
    second["tasks"][1]["action"] = "Hoàn thiện dự thảo quy hoạch"

    saved = await save_draft(
        db,
        draft.id,
        content=first,
        base_version=1,
        now=now,
        editor_id=None,
        note="sửa nội dung nhiệm vụ 1",
    )
    assert saved.version == 2
    with pytest.raises(StaleVersion) as error:
        await save_draft(db, draft.id, content=second, base_version=1, now=now)
    assert error.value.code == ErrorCode.DRAFT_SAVED_BY_OTHER
    assert "người khác lưu" in error_vi(error.value)
    kept = await get_draft(db, draft.id)
    assert kept.content["tasks"][0]["action"] == "Tổng hợp ý kiến bằng văn bản"
    assert [(e.from_version, e.to_version, e.note) for e in kept.edits] == [
        (1, 2, "sửa nội dung nhiệm vụ 1")
    ]


async def test_approval_creates_tasks_mapped_to_units(db: AsyncSession, now: datetime) -> None:
    seed = await make_committee(db)
    draft = await create_draft(db, content=content(), now=now)
    with pytest.raises(StaleVersion):
        await approve_draft(db, draft.id, base_version=0, approver_id=None, now=now)
    tasks = await approve_draft(
        db, draft.id, base_version=1, approver_id=seed.person_ids["chair"], now=now
    )
    assert [t.status for t in tasks] == [TaskStatus.ASSIGNED, TaskStatus.ASSIGNED]
    assert tasks[0].unit_id is not None and tasks[0].deadline_date == date(2026, 12, 20)
    assert tasks[0].cooperating == ["ĐV2"]
    assert tasks[1].unit_id is None  # no such unit: kept as words for the secretariat
    assert (
        tasks[1].deadline_needs_review and tasks[1].deadline_text == "trước khi họp phiên tiếp theo"
    )
    assert (await get_draft(db, draft.id)).status == DraftStatus.APPROVED
    with pytest.raises(IllegalTransition):
        await save_draft(db, draft.id, content=content(), base_version=1, now=now)


async def test_a_rejected_draft_cannot_be_approved(db: AsyncSession, now: datetime) -> None:
    draft = await create_draft(db, content=content(), now=now)
    rejected = await reject_draft(
        db, draft.id, reason="Thiếu kết luận về vốn", approver_id=None, now=now + timedelta(hours=1)
    )
    assert rejected.status == DraftStatus.REJECTED
    with pytest.raises(IllegalTransition):
        await approve_draft(db, draft.id, base_version=1, approver_id=None, now=now)
