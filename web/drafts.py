"""The draft minutes editor: conclusions and the task table, saved with the bot's optimistic
version rule (a save names the version it edited; a later save on an old version is refused),
approved or returned with a reason, its history, and the DOCX notice.

Only the secretariat and the leadership of the meeting's committee review drafts, as in the
bot. A deadline is typed in Vietnamese ("20/12/2026", "trong tháng 12") and read by the
bot's own rule; words no rule reads are kept as written and flagged for review.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from bot.timeparse import deadline_from_words
from bot.vietnamese import format_date
from storage.errors import ErrorCode, InvalidAnswer
from storage.models import Role
from storage.services.drafts import approve_draft, reject_draft, save_draft
from storage.services.office import (
    DraftSummary,
    drafts_of_committees,
    names_of,
    visible_draft,
)
from web import recordings
from web.keys import (
    DRAFT_APPROVED,
    OUTBOX_WRITTEN,
    RENDER_NOTICE,
    SESSIONS,
    TASK_CHANGED,
    TIMEZONE,
    now,
    render,
    route_id,
    viewer,
)

REVIEWERS = (Role.SECRETARIAT, Role.LEADERSHIP)
NOT_A_REVIEWER_VI = "Chỉ tổ giúp việc và lãnh đạo Ban Chỉ đạo được xem và duyệt dự thảo."
FIELDS = {
    "assignee": "đơn vị chủ trì",
    "cooperating": "đơn vị phối hợp",
    "action": "nội dung",
    "deadline": "thời hạn",
}


def deadline_shown(task: dict[str, Any]) -> str:
    """What the deadline box shows: the resolved day, else the words as said."""
    if task.get("deadline"):
        return format_date(date.fromisoformat(task["deadline"]))
    return str(task.get("deadline_text") or "")


def apply_form(
    content: dict[str, Any], form: dict[str, str], *, today: date
) -> tuple[dict[str, Any], list[str]]:
    """The content as the editor's form leaves it, and a list of what changed (for the
    history). Fields are named ``conclusion-<i>``, ``<field>-<i>``, ``drop-<i>`` and
    ``<field>-new`` for an added task; a conclusion emptied is removed."""
    result = copy.deepcopy(content)
    changes: list[str] = []
    conclusions = []
    for i, item in enumerate(content.get("conclusions", [])):
        text = form.get(f"conclusion-{i}", item["text"]).strip()
        if not text:
            changes.append(f"bỏ kết luận {i + 1}")
            continue
        if text != item["text"]:
            changes.append(f"sửa kết luận {i + 1}")
        conclusions.append({**item, "text": text})
    if form.get("conclusion-new", "").strip():
        conclusions.append({"text": form["conclusion-new"].strip(), "evidence": "", "start": None})
        changes.append("thêm kết luận")
    result["conclusions"] = conclusions

    tasks = []
    for i, task in enumerate(content.get("tasks", [])):
        if form.get(f"drop-{i}"):
            changes.append(f"bỏ nhiệm vụ {i + 1}")
            continue
        edited = _task_from_form(task, form, str(i), today=today)
        changed = [label for f, label in FIELDS.items() if _field(edited, f) != _field(task, f)]
        if changed:
            changes.append(f"sửa nhiệm vụ {i + 1}: " + ", ".join(changed))
        tasks.append(edited)
    if form.get("assignee-new", "").strip() and form.get("action-new", "").strip():
        blank: dict[str, Any] = {
            "cooperating": [],
            "deadline": None,
            "deadline_text": None,
            "evidence": "",
        }
        tasks.append(_task_from_form({**blank, "start": None}, form, "new", today=today))
        changes.append("thêm nhiệm vụ")
    result["tasks"] = tasks
    return result, changes


def _field(task: dict[str, Any], name: str) -> Any:
    return deadline_shown(task) if name == "deadline" else task.get(name)


def _task_from_form(
    task: dict[str, Any], form: dict[str, str], key: str, *, today: date
) -> dict[str, Any]:
    edited = dict(task)
    assignee = form.get(f"assignee-{key}", task.get("assignee", "")).strip()
    action = form.get(f"action-{key}", task.get("action", "")).strip()
    if not assignee or not action:
        raise InvalidAnswer(
            "a task needs its unit and action", ErrorCode.TASK_NEEDS_UNIT_AND_ACTION
        )
    edited["assignee"], edited["action"] = assignee, action
    cooperating = form.get(f"cooperating-{key}")
    if cooperating is not None:
        edited["cooperating"] = [c.strip() for c in cooperating.split(",") if c.strip()]
    words = form.get(f"deadline-{key}")
    if words is not None and words.strip() != deadline_shown(task):
        words = words.strip()
        day = deadline_from_words(words, today) if words else None
        edited["deadline"] = day.isoformat() if day else None
        edited["deadline_text"] = words or None
        edited["needs_review"] = bool(words) and day is None
    return edited


async def _form(request: web.Request) -> dict[str, str]:
    return {k: v for k, v in (await request.post()).items() if isinstance(v, str)}


def _version(form: dict[str, str]) -> int:
    try:
        return int(form.get("version", ""))
    except ValueError:
        raise InvalidAnswer("no version", ErrorCode.DRAFT_FORM_STALE) from None


async def drafts_page(request: web.Request) -> web.StreamResponse:
    """GET /drafts: drafts of the committees where the viewer reviews."""
    me = viewer(request)
    committees = [c for c in me.committee_ids if me.has(c, *REVIEWERS)]
    async with request.app[SESSIONS]() as session:
        drafts = await drafts_of_committees(session, committee_ids=committees)
    return render(request, "drafts.html", {"drafts": drafts, "reviewer": bool(committees)})


async def _reviewable(request: web.Request, session: AsyncSession) -> DraftSummary:
    me = viewer(request)
    found = await visible_draft(
        session, route_id(request.match_info["draft_id"], "draft"), committee_ids=me.committee_ids
    )
    if not me.has(found.committee_id, *REVIEWERS):
        raise web.HTTPForbidden(text=NOT_A_REVIEWER_VI)
    return found


async def draft_page(request: web.Request) -> web.StreamResponse:
    """GET /drafts/{id}: the editor, the decision forms and the history of edits."""
    async with request.app[SESSIONS]() as session:
        found = await _reviewable(request, session)
        draft = found.draft
        names = await names_of(session, [e.editor_id for e in draft.edits] + [draft.decided_by_id])
        heard = await recordings.draft_clips(session, draft)
    return render(
        request,
        "draft.html",
        {
            "found": found,
            "draft": draft,
            "names": names,
            "deadline_shown": deadline_shown,
            "docx": RENDER_NOTICE in request.app,
            **heard,
        },
    )


async def save(request: web.Request) -> web.StreamResponse:
    """POST /drafts/{id}/save: the whole form on the version it was opened at."""
    form = await _form(request)
    base = _version(form)
    moment = now(request)
    today = moment.astimezone(request.app[TIMEZONE]).date()
    async with request.app[SESSIONS].begin() as session:
        found = await _reviewable(request, session)
        content, changes = apply_form(found.draft.content, form, today=today)
        if changes or form.get("note"):
            await save_draft(
                session,
                found.draft.id,
                content=content,
                base_version=base,
                now=moment,
                editor_id=viewer(request).person_id,
                change={"web": changes, "content": content},
                note=form.get("note") or None,
            )
    return web.Response(status=303, headers={"Location": f"/drafts/{found.draft.id}"})


async def decide(request: web.Request) -> web.StreamResponse:
    """POST /drafts/{id}/approve or /return: approve the version seen (tasks are created and
    sent), or return it with a reason."""
    form = await _form(request)
    moment = now(request)
    approving = request.match_info["decision"] == "approve"
    me = viewer(request)
    task_ids: list[int] = []
    async with request.app[SESSIONS].begin() as session:
        found = await _reviewable(request, session)
        if approving:
            tasks = await approve_draft(
                session,
                found.draft.id,
                base_version=_version(form),
                approver_id=me.person_id,
                now=moment,
            )
            task_ids = [task.id for task in tasks]
            if task_ids and DRAFT_APPROVED in request.app:
                await request.app[DRAFT_APPROVED](session, task_ids)
        else:
            reason = form.get("reason", "").strip()
            if not reason:
                raise InvalidAnswer("returning needs a reason", ErrorCode.REJECTION_NEEDS_REASON)
            await reject_draft(
                session, found.draft.id, reason=reason, approver_id=me.person_id, now=moment
            )
    if task_ids and OUTBOX_WRITTEN in request.app:
        request.app[OUTBOX_WRITTEN]()
    if TASK_CHANGED in request.app:
        for task_id in task_ids:
            await request.app[TASK_CHANGED](task_id)
    return web.Response(status=303, headers={"Location": f"/drafts/{found.draft.id}"})


async def notice_docx(request: web.Request) -> web.StreamResponse:
    """GET /drafts/{id}/notice.docx: the conclusion notice as it stands. The file name is
    built here from the id; nothing from the request reaches a path."""
    async with request.app[SESSIONS]() as session:
        found = await _reviewable(request, session)
    if RENDER_NOTICE not in request.app:
        raise web.HTTPNotFound()
    body = await request.app[RENDER_NOTICE](found.draft.content, found.draft.meeting_id)
    return web.Response(
        body=body,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        headers={
            "Content-Disposition": (
                f'attachment; filename="thong-bao-ket-luan-{found.draft.id}.docx"'
            )
        },
    )
