"""Reviewing a draft conclusion notice: approve, edit a task, drop a task, or reject.

Nothing reaches assignees before approval. Every button carries the draft's version, so a
press on an old message cannot overwrite a newer edit; each save is stored with its author.
"""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass
from enum import Enum, auto
from typing import Any

from telegram import InlineKeyboardMarkup, Update

from bot import texts
from bot.common import (
    Context,
    DialogueLost,
    DraftFiles,
    authorize,
    button,
    deps,
    edit_or_send,
    forget,
    keyboard,
    recall,
    remember,
    reply,
)
from bot.handlers.meetings import END
from bot.handlers.tasks import deliver_tasks
from bot.outbox import to_person
from bot.timeparse import deadline_from_words
from storage.models import Draft, Person, Role
from storage.services.drafts import (
    approve_draft,
    get_draft,
    pending_draft_ids,
    reject_draft,
    reviewers_of,
    save_draft,
)
from storage.services.notifications import enqueue

log = logging.getLogger(__name__)


REVIEWERS = (Role.SECRETARIAT, Role.LEADERSHIP)
# Meetings speak at 100 words a minute and more; far below that the recording is mostly
# silence, music or noise, and the reviewer should hear it before trusting an empty draft.
MIN_WORDS_PER_MINUTE = 30


class DraftChangeStep(Enum):
    """What a reviewer is asked to type: a task's new value, a new task, or why to reject."""

    FIELD_VALUE = auto()
    NEW_TASK = auto()
    REJECT_REASON = auto()


@dataclass(frozen=True, slots=True)
class DraftChangeForm:
    """The draft and the version the reviewer saw (a save on an older one is refused), and
    for a field's new value which task and field."""

    draft_id: int
    version: int
    task_index: int | None = None
    field: str | None = None


def review_buttons(context: Context, draft: Draft) -> InlineKeyboardMarkup:
    rows = []
    for i, _ in enumerate(draft.content.get("tasks", [])):
        rows.append(
            [
                button(
                    context,
                    texts.EDIT_TASK.format(n=i + 1),
                    "dr",
                    draft.id,
                    draft.version,
                    "edit",
                    i,
                ),
                button(
                    context,
                    texts.DROP_TASK.format(n=i + 1),
                    "dr",
                    draft.id,
                    draft.version,
                    "drop",
                    i,
                ),
            ]
        )
    rows.append([button(context, texts.ADD_TASK, "dr", draft.id, draft.version, "add", 0)])
    rows.append(
        [
            button(context, texts.APPROVE, "dr", draft.id, draft.version, "ok", 0),
            button(context, texts.REJECT, "dr", draft.id, draft.version, "no", 0),
        ]
    )
    return keyboard(rows)


def review_notes(content: dict[str, Any], files: DraftFiles | None) -> list[str]:
    """Why a draft is empty or thin, in words a reviewer can act on; nothing when it is not."""
    notes = []
    if files is not None and files.spoken_words is not None and files.recording_s is not None:
        length = texts.recording_length(files.recording_s)
        minutes = files.recording_s / 60
        if files.spoken_words == 0:
            notes.append(texts.NO_SPEECH.format(length=length))
        elif minutes >= 0.5 and files.spoken_words / minutes < MIN_WORDS_PER_MINUTE:
            notes.append(texts.THIN_TRANSCRIPT.format(words=files.spoken_words, length=length))
    if not content.get("tasks"):
        attached = files is not None and any(k == "transcript" for k, _, _ in files.documents)
        notes.append(texts.NO_TASK_FOUND.format(transcript=texts.TRANSCRIPT_BELOW * attached))
    return notes


async def send_for_review(
    context: Context, draft_id: int, *, to: list[Person] | None = None
) -> None:
    """Write to the outbox the draft's text with its buttons, then its documents (the DOCX
    notice and record, and the transcript it was drafted from), for each reviewer; an empty or
    thin draft says why. Each reviewer's messages go on their own: one whose chat fails
    ("Chat not found") keeps the draft from nobody else, and the failure is in the log.

    Sent to the draft's reviewers (``to`` None, what the pipeline does once a draft is
    made), the messages are keyed by the draft's creation: the pipeline calling again after a
    crash between this and its own commit adds nothing, so each reviewer gets it once. Sent
    on request (``to``, /duthao), they are keyed by the moment asked: asked again, sent again.
    """
    d = deps(context)
    async with d.sessions() as session:
        draft = await get_draft(session, draft_id)
        people = to if to is not None else await reviewers_of(session, draft)
    now = d.now()
    moment = now if to is not None else draft.created_at
    files = await d.draft_files(draft.id) if d.draft_files else None
    text = texts.draft_review(
        draft.id, draft.version, draft.content, review_notes(draft.content, files)
    )
    subject = f"draft:{draft.id}"
    messages = []
    for person in people:
        messages += to_person(
            person,
            text,
            review_buttons(context, draft),
            kind="draft.review",
            subject=subject,
            moment=moment,
        )
        for kind, name, data in files.documents if files is not None else ():
            messages += to_person(
                person,
                texts.DOCUMENT_CAPTIONS[kind],
                kind=f"draft.review.{kind}",
                subject=subject,
                moment=moment,
                document=(name, data),
            )
    async with d.sessions.begin() as session:
        # Asked for again (/duthao) at the same instant of a clock that stands still, a newer
        # version's text is a second message, not a repeat of the first.
        await enqueue(session, messages, now=now, distinct_texts=to is not None)
    d.outbox_written()


async def pending_drafts(update: Update, context: Context) -> None:
    """/duthao: drafts waiting for a decision."""
    d = deps(context)
    async with d.sessions() as session:
        found = await authorize(session, update, *REVIEWERS)
        if found is None:
            return
        ids = await pending_draft_ids(session)
    if not ids:
        await reply(update, texts.NO_DRAFTS)
        return
    for draft_id in ids:
        await send_for_review(context, draft_id, to=[found[0]])


async def draft_button(update: Update, context: Context, args: list[str]) -> DraftChangeStep | None:
    d = deps(context)
    draft_id, version, what, index = int(args[0]), int(args[1]), args[2], int(args[3])
    if what == "field":
        return await _ask_value(update, context, draft_id, version, index, args[4])
    async with d.sessions.begin() as session:
        found = await authorize(session, update, *REVIEWERS)
        if found is None:
            return None
        person = found[0]
        draft = await get_draft(session, draft_id)
        if what == "ok" and not draft.content.get("tasks"):
            # A notice that assigns nothing is rarely meant: ask once more.
            what = "confirm"
        elif what in ("ok", "okc"):
            what = "ok"
            tasks = await approve_draft(
                session, draft_id, base_version=version, approver_id=person.id, now=d.now()
            )
            task_ids = [t.id for t in tasks]
            # The tasks go to their units with the approval, or not at all.
            delivered = await deliver_tasks(context, task_ids, session=session)
        elif what == "drop":
            content = copy.deepcopy(draft.content)
            dropped = content["tasks"].pop(index)
            draft = await save_draft(
                session,
                draft_id,
                content=content,
                base_version=version,
                now=d.now(),
                editor_id=person.id,
                change={"drop_task": index, "task": dropped},
            )
    if what == "ok":
        d.outbox_written()
        log.info("draft %s approved: %s tasks, %s messages", draft_id, len(task_ids), delivered)
        if d.on_task_changed:
            for task_id in task_ids:
                await d.on_task_changed(task_id)
        await edit_or_send(update, texts.DRAFT_APPROVED.format(draft_id=draft_id, n=len(task_ids)))
    elif what == "confirm":
        rows = [
            [button(context, texts.ADD_TASK, "dr", draft_id, version, "add", 0)],
            [button(context, texts.APPROVE_WITHOUT_TASKS, "dr", draft_id, version, "okc", 0)],
        ]
        await reply(update, texts.CONFIRM_EMPTY_APPROVAL.format(draft_id=draft_id), keyboard(rows))
    elif what == "drop":
        await edit_or_send(
            update,
            texts.draft_review(draft.id, draft.version, draft.content),
            review_buttons(context, draft),
        )
    elif what == "edit":
        rows = [
            [button(context, label, "dr", draft_id, version, "field", index, key)]
            for key, label in texts.EDIT_FIELDS.items()
        ]
        await reply(update, texts.ASK_EDIT_FIELD.format(n=index + 1), keyboard(rows))
    elif what == "add":
        remember(context, DraftChangeForm(draft_id=draft_id, version=version))
        await reply(update, texts.ASK_NEW_TASK)
        return DraftChangeStep.NEW_TASK
    elif what == "no":
        remember(context, DraftChangeForm(draft_id=draft_id, version=version))
        await reply(update, texts.ASK_REJECT_REASON)
        return DraftChangeStep.REJECT_REASON
    return None


async def _ask_value(
    update: Update, context: Context, draft_id: int, version: int, index: int, field: str
) -> DraftChangeStep | None:
    async with deps(context).sessions() as session:
        if await authorize(session, update, *REVIEWERS) is None:
            return None
    remember(
        context, DraftChangeForm(draft_id=draft_id, version=version, task_index=index, field=field)
    )
    await reply(
        update, texts.ASK_EDIT_VALUE.format(field=texts.EDIT_FIELDS[field].lower(), n=index + 1)
    )
    return DraftChangeStep.FIELD_VALUE


async def draft_text(
    update: Update, context: Context, text: str, *, step: DraftChangeStep
) -> int | None:
    """A new value for a task's field, or the reason for rejecting the draft."""
    d = deps(context)
    form = recall(context, DraftChangeForm)
    draft_id = form.draft_id
    async with d.sessions.begin() as session:
        found = await authorize(session, update, *REVIEWERS)
        if found is None:
            return None
        if step == DraftChangeStep.REJECT_REASON:
            await reject_draft(session, draft_id, reason=text, approver_id=found[0].id, now=d.now())
            forget(context)
            await reply(update, texts.DRAFT_REJECTED.format(draft_id=draft_id, reason=text))
            return END
        draft = await get_draft(session, draft_id)
        content = copy.deepcopy(draft.content)
        today = d.now().astimezone(d.tz).date()
        if step == DraftChangeStep.NEW_TASK:
            parts = [part.strip() for part in text.split(";")]
            if len(parts) < 2 or not parts[0] or not parts[1]:
                await reply(update, texts.BAD_NEW_TASK)
                return None  # the question stays
            deadline = deadline_from_words(parts[2], today) if len(parts) > 2 else None
            content["tasks"].append(
                {
                    "assignee": parts[0],
                    "cooperating": [],
                    "action": parts[1],
                    "deadline": deadline.isoformat() if deadline else None,
                    "deadline_text": parts[2] if len(parts) > 2 and parts[2] else None,
                    "evidence": "",
                    "start": None,
                    "needs_review": len(parts) > 2 and bool(parts[2]) and deadline is None,
                }
            )
            change: dict[str, object] = {"add_task": content["tasks"][-1]}
        else:
            index, field = form.task_index, form.field
            if index is None or field is None or index >= len(content["tasks"]):
                raise DialogueLost(f"no task {index} field {field} in draft {draft_id}")
            task = content["tasks"][index]
            if field == "unit":
                task["assignee"] = text
            elif field == "action":
                task["action"] = text
            else:
                day = deadline_from_words(text, today)
                if day is None:
                    await reply(update, texts.BAD_DEADLINE.format(text=text))
                    return None  # the question stays
                task["deadline"], task["deadline_text"] = day.isoformat(), text
            change = {"task": index, "field": field, "value": text}
        draft = await save_draft(
            session,
            draft_id,
            content=content,
            base_version=form.version,
            now=d.now(),
            editor_id=found[0].id,
            change=change,
        )
    forget(context)
    await reply(update, texts.DRAFT_SAVED.format(version=draft.version))
    await reply(
        update,
        texts.draft_review(draft.id, draft.version, draft.content),
        review_buttons(context, draft),
    )
    return END
