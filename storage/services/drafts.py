"""Draft minutes: kept with every edit, approved or rejected; tasks exist only after approval.

``content`` is the drafter's JSON (``{"meeting_date", "conclusions", "tasks"}``). Saves are
optimistic: each names the version it edited, and the update only applies if the row still
has that version, so of two secretaries editing one draft the later save is refused with a
clear message instead of silently dropping the earlier one.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.errors import ErrorCode, IllegalTransition, StaleVersion
from storage.models import Draft, DraftEdit, DraftStatus, Meeting, Person, Role, Task, Unit
from storage.services.audit import record
from storage.services.loading import load_one
from storage.services.people import people_with_role
from storage.services.tasks import create_task


async def get_draft(session: AsyncSession, draft_id: int) -> Draft:
    return await load_one(session, Draft, draft_id, selectinload(Draft.edits))


async def create_draft(
    session: AsyncSession,
    *,
    content: dict[str, Any],
    now: datetime,
    meeting_id: int | None = None,
    recording_id: int | None = None,
    created_by_id: int | None = None,
) -> Draft:
    draft = Draft(
        meeting_id=meeting_id,
        recording_id=recording_id,
        content=content,
        version=1,
        status=DraftStatus.PENDING,
        created_by_id=created_by_id,
        created_at=now,
        updated_at=now,
    )
    session.add(draft)
    await session.flush()
    return draft


def _require_pending(draft: Draft) -> None:
    if draft.status != DraftStatus.PENDING:
        raise IllegalTransition(
            f"draft {draft.id} is {draft.status.value}", ErrorCode.DRAFT_DECIDED
        )


async def save_draft(
    session: AsyncSession,
    draft_id: int,
    *,
    content: dict[str, Any],
    base_version: int,
    now: datetime,
    editor_id: int | None = None,
    change: dict[str, Any] | None = None,
    note: str | None = None,
) -> Draft:
    """Save an edit made on ``base_version``; refuse it if someone saved in between."""
    draft = await get_draft(session, draft_id)
    _require_pending(draft)
    result = await session.execute(
        update(Draft)
        .where(Draft.id == draft_id, Draft.version == base_version)
        .values(content=content, version=base_version + 1, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise StaleVersion(
            f"draft {draft_id} is no longer at version {base_version}",
            ErrorCode.DRAFT_SAVED_BY_OTHER,
        )
    session.add(
        DraftEdit(
            draft_id=draft_id,
            editor_id=editor_id,
            at=now,
            from_version=base_version,
            to_version=base_version + 1,
            change=change or {"content": content},
            note=note,
        )
    )
    await session.flush()
    return await get_draft(session, draft_id)


def _key(label: str) -> str:
    return " ".join(unicodedata.normalize("NFC", label).casefold().split())


async def match_unit(session: AsyncSession, assignee: str) -> Unit | None:
    """The unit whose name, short name or alias is the assignee's wording, if one is."""
    wanted = _key(assignee)
    for unit in await session.scalars(select(Unit)):
        labels = [unit.name, unit.short_name or "", *unit.aliases]
        if any(_key(label) == wanted for label in labels if label):
            return unit
    return None


async def approve_draft(
    session: AsyncSession,
    draft_id: int,
    *,
    base_version: int,
    approver_id: int | None,
    now: datetime,
) -> list[Task]:
    """Approve the version the approver saw and create its tasks, each mapped to a unit where
    the wording names one. A deadline the drafter could not resolve is kept as words and
    flagged for review."""
    draft = await get_draft(session, draft_id)
    _require_pending(draft)
    if draft.version != base_version:
        raise StaleVersion(
            f"draft {draft_id} changed since version {base_version}",
            ErrorCode.DRAFT_CHANGED_SINCE_VIEWED,
        )
    tasks = []
    for item in draft.content.get("tasks", []):
        unit = await match_unit(session, item["assignee"])
        deadline = item.get("deadline")
        tasks.append(
            await create_task(
                session,
                meeting_id=draft.meeting_id,
                draft_id=draft.id,
                unit_id=unit.id if unit else None,
                assignee_text=item["assignee"],
                cooperating=item.get("cooperating", []),
                action=item["action"],
                deadline_date=date.fromisoformat(deadline) if deadline else None,
                deadline_text=item.get("deadline_text"),
                deadline_needs_review=bool(item.get("deadline_text")) and not deadline,
                evidence=item.get("evidence"),
                evidence_start=item.get("start"),
                now=now,
                actor_id=approver_id,
            )
        )
    await _decide(
        session,
        draft,
        DraftStatus.APPROVED,
        approver_id=approver_id,
        now=now,
        details={"version": base_version, "tasks": [t.id for t in tasks]},
    )
    return tasks


async def reject_draft(
    session: AsyncSession, draft_id: int, *, reason: str, approver_id: int | None, now: datetime
) -> Draft:
    draft = await get_draft(session, draft_id)
    _require_pending(draft)
    draft.rejection_reason = reason.strip() or None
    await _decide(
        session,
        draft,
        DraftStatus.REJECTED,
        approver_id=approver_id,
        now=now,
        details={"reason": reason},
    )
    return draft


async def _decide(
    session: AsyncSession,
    draft: Draft,
    status: DraftStatus,
    *,
    approver_id: int | None,
    now: datetime,
    details: dict[str, Any],
) -> None:
    """Record the decision on a draft and who took it, in the audit log too."""
    draft.status = status
    draft.decided_by_id = approver_id
    draft.decided_at = now
    draft.updated_at = now
    action = "draft.approve" if status == DraftStatus.APPROVED else "draft.reject"
    await record(
        session,
        at=now,
        actor_id=approver_id,
        action=action,
        entity="draft",
        entity_id=draft.id,
        details=details,
    )
    await session.flush()


async def pending_draft_ids(session: AsyncSession) -> list[int]:
    """Drafts waiting for a decision, oldest first."""
    return list(
        await session.scalars(
            select(Draft.id).where(Draft.status == DraftStatus.PENDING).order_by(Draft.id)
        )
    )


async def reviewers_of(session: AsyncSession, draft: Draft) -> list[Person]:
    """Who decides on a draft: the secretariat of the meeting's committee and its chair."""
    if draft.meeting_id is None:
        return []
    meeting = await session.get(Meeting, draft.meeting_id)
    if meeting is None:
        return []
    people = await people_with_role(session, meeting.committee_id, Role.SECRETARIAT)
    chair = await session.get(Person, meeting.chair_id)
    return [*people, *([chair] if chair and chair.id not in {p.id for p in people} else [])]
