"""Every multi-step dialogue of the bot, as python-telegram-bot's ``ConversationHandler``.

Each wizard has its named states (an Enum) and a frozen dataclass for what it has collected
(its *form*, kept in ``user_data`` by ``bot.common.remember``), both defined beside its
handlers:

- /taohop — ``NewMeetingStep``, ``NewMeetingForm`` (title, time, chair, points, agenda, confirm);
- a meeting's "Hủy", "Dời lịch", "Sửa tiêu đề", "Thêm nội dung" — ``MeetingChangeStep``;
- an invitation's "Vắng" and "Cử người dự thay" — ``AnswerStep``;
- a point's "Có sự cố" — ``ProblemStep``;
- a task's "Đã hoàn thành" and "Xin gia hạn" — ``TaskReportStep``;
- a draft's field edit, new task and rejection — ``DraftChangeStep``;
- a recording sent to the bot — ``RecordingStep`` (which meeting).

They share one ``ConversationHandler`` on purpose: a person answers one question at a time, so
starting a wizard replaces the question asked before (``allow_reentry``), the next text always
answers the latest question, and /huy leaves whichever is open, from any state. Separate handlers
would each keep their own state for the same chat, and a text would go to whichever was
registered first.

The handler is persistent: ``bot.persistence`` stores its states and the forms, and ``bot.app``
writes them after every update, so a restart mid-dialogue resumes at the same question.

A step that finds the world changed under it (the meeting was cancelled or deleted, the draft
approved by someone else) gets the service's ``DomainError``: the person is told why in
Vietnamese and the dialogue ends. A state whose form is gone (stored by an older version) ends
with ``texts.DIALOGUE_LOST``.
"""

from __future__ import annotations

import functools
import logging
import warnings
from collections.abc import Awaitable, Callable, Iterable
from enum import Enum
from typing import Any

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot import texts
from bot.callbacks import unpack
from bot.common import (
    Context,
    DialogueExpired,
    DialogueLost,
    answer_query,
    deps,
    forget,
    reply,
)
from bot.handlers.attendance import (
    AnswerForm,
    AnswerStep,
    ProblemForm,
    ProblemStep,
    answer_text,
    invitation_button,
    problem_text,
    readiness_button,
)
from bot.handlers.drafts import DraftChangeForm, DraftChangeStep, draft_button, draft_text
from bot.handlers.meetings import (
    QUESTIONS,
    AgendaEntry,
    MeetingChangeForm,
    MeetingChangeStep,
    NewMeetingForm,
    NewMeetingStep,
    ask_meeting_change,
    change_meeting_text,
    new_meeting,
    new_meeting_agenda,
    new_meeting_agenda_done,
    new_meeting_chair,
    new_meeting_discard,
    new_meeting_point,
    new_meeting_points_done,
    new_meeting_save,
    new_meeting_time,
    new_meeting_title,
)
from bot.handlers.recordings import (
    RecordingForm,
    RecordingStep,
    recording_meeting_chosen,
    recording_received,
)
from bot.handlers.tasks import TaskReportForm, TaskReportStep, task_button, task_text
from bot.persistence import Codec
from bot.vietnamese import error_vi
from storage.errors import DomainError

log = logging.getLogger(__name__)

NAME = "dialogues"
END = ConversationHandler.END
STATES: tuple[type[Enum], ...] = (
    NewMeetingStep,
    MeetingChangeStep,
    AnswerStep,
    ProblemStep,
    TaskReportStep,
    DraftChangeStep,
    RecordingStep,
)
FORMS: tuple[type[Any], ...] = (
    NewMeetingForm,
    AgendaEntry,
    MeetingChangeForm,
    AnswerForm,
    ProblemForm,
    TaskReportForm,
    DraftChangeForm,
    RecordingForm,
)
# The wizards' own buttons: pressed outside their state (an old message, a dialogue already
# finished) nothing in the handler takes them, and ``bot.app`` answers that they are stale.
WIZARD_BUTTONS = frozenset(
    {"nm_chair", "nm_pt", "nm_pts_done", "nm_ag_done", "nm_save", "nm_discard", "rec"}
)
MEDIA = filters.AUDIO | filters.VOICE | filters.VIDEO | filters.VIDEO_NOTE | filters.Document.ALL
TYPED = filters.TEXT & ~filters.COMMAND

TextStep = Callable[[Update, Context, str], Awaitable[object]]
ButtonStep = Callable[[Update, Context, list[str]], Awaitable[object]]


def codec() -> Codec:
    """How the persistence stores these states and forms."""
    return Codec(records=FORMS, states=STATES)


async def _guarded(
    update: Update, context: Context, step: Awaitable[object], *, entry: bool = False
) -> object:
    """Run one step; a refusal or a lost form ends the dialogue with a clear message. A
    refused entry (a button on a task that is gone) starts nothing and leaves the question
    already open as it was."""
    try:
        result = await step
    except DialogueExpired as expired:
        log.info("dialogue of %s expired: %s", update.effective_user, expired)
        message = texts.DIALOGUE_EXPIRED
    except DialogueLost as lost:
        log.warning("dialogue of %s lost: %s", update.effective_user, lost)
        message = texts.DIALOGUE_LOST
    except DomainError as error:
        log.info("dialogue step refused: %s", error)
        message = error_vi(error, deps(context).tz)
    else:
        await answer_query(update)  # a button press is answered once, here or below
        return result
    if not entry:
        forget(context)
    if update.callback_query is not None:
        await answer_query(update, message, alert=True)
    else:
        await reply(update, message)
    return None if entry else END


def typed(step: TextStep) -> MessageHandler[Context, object]:
    """A state's typed answer."""

    async def run(update: Update, context: Context) -> object:
        message = update.effective_message
        text = (message.text or "").strip() if message is not None else ""
        return await _guarded(update, context, step(update, context, text))

    return MessageHandler(TYPED, run)


def pressed(
    secret: bytes,
    action: str,
    step: ButtonStep,
    *,
    when: Callable[[list[str]], bool] | None = None,
    entry: bool = False,
) -> CallbackQueryHandler[Context, object]:
    """A signed button of ``action`` (whose arguments pass ``when``); forged data never
    matches, so ``bot.app`` refuses it as before."""

    def matches(data: object) -> bool:
        parsed = unpack(secret, data if isinstance(data, str) else None)
        return parsed is not None and parsed[0] == action and (when is None or when(parsed[1]))

    async def run(update: Update, context: Context) -> object:
        query = update.callback_query
        parsed = unpack(secret, query.data if query is not None else None)
        if parsed is None:  # matched above, so only a changed secret gets here
            await answer_query(update, texts.BAD_BUTTON, alert=True)
            return None
        return await _guarded(update, context, step(update, context, parsed[1]), entry=entry)

    return CallbackQueryHandler(run, pattern=matches)


async def leave(update: Update, context: Context) -> int:
    """/huy inside a dialogue: whatever the state, it ends here."""
    forget(context)
    await reply(update, texts.CANCELLED)
    return END


async def use_the_buttons(update: Update, context: Context) -> None:
    """Text where the question has buttons: say so, and keep the question open."""
    await reply(update, texts.USE_THE_BUTTONS)


async def _start_new_meeting(update: Update, context: Context) -> object:
    return await _guarded(update, context, new_meeting(update, context), entry=True)


async def _recording(update: Update, context: Context) -> object:
    return await _guarded(update, context, recording_received(update, context), entry=True)


def _arg(position: int, *values: str) -> Callable[[list[str]], bool]:
    return lambda args: len(args) > position and args[position] in values


def dialogue_handler(secret: bytes) -> ConversationHandler[Context]:
    """The one persistent ``ConversationHandler`` holding every wizard."""
    entry_points: list[BaseHandler[Update, Context, object]] = [
        CommandHandler("taohop", _start_new_meeting),
        MessageHandler(MEDIA, _recording),
        *(
            pressed(
                secret, action, functools.partial(ask_meeting_change, action=action), entry=True
            )
            for action in QUESTIONS
        ),
        pressed(secret, "inv", invitation_button, when=_arg(1, "dec", "del"), entry=True),
        pressed(secret, "rdy", readiness_button, when=_arg(2, "bad"), entry=True),
        pressed(secret, "tk", task_button, when=_arg(1, "done", "ext"), entry=True),
        pressed(secret, "dr", draft_button, when=_arg(2, "field", "add", "no"), entry=True),
    ]
    states: dict[object, list[BaseHandler[Update, Context, object]]] = {
        NewMeetingStep.TITLE: [typed(new_meeting_title)],
        NewMeetingStep.TIME: [typed(new_meeting_time)],
        NewMeetingStep.CHAIR: [pressed(secret, "nm_chair", new_meeting_chair)],
        NewMeetingStep.POINTS: [
            pressed(secret, "nm_pt", new_meeting_point),
            pressed(secret, "nm_pts_done", new_meeting_points_done),
        ],
        NewMeetingStep.AGENDA: [
            typed(new_meeting_agenda),
            pressed(secret, "nm_ag_done", new_meeting_agenda_done),
        ],
        NewMeetingStep.CONFIRM: [
            pressed(secret, "nm_save", new_meeting_save),
            pressed(secret, "nm_discard", new_meeting_discard),
        ],
        **_one_question(MeetingChangeStep, change_meeting_text),
        **_one_question(AnswerStep, answer_text),
        ProblemStep.DESCRIPTION: [typed(problem_text)],
        **_one_question(TaskReportStep, task_text),
        **_one_question(DraftChangeStep, draft_text),
        RecordingStep.MEETING: [pressed(secret, "rec", recording_meeting_chosen)],
    }
    with warnings.catch_warnings():
        # PTB warns that with per_message=False a button is tracked per chat, not per message:
        # that is the point here (one question at a time per person), and every button is
        # signed and checked against the state it belongs to.
        warnings.filterwarnings("ignore", "If 'per_message=False'", PTBUserWarning)
        return ConversationHandler(
            entry_points=entry_points,
            states=states,
            fallbacks=[CommandHandler("huy", leave), MessageHandler(TYPED, use_the_buttons)],
            allow_reentry=True,
            name=NAME,
            persistent=True,
        )


def _one_question(
    steps: Iterable[Enum], step: Callable[..., Awaitable[object]]
) -> dict[object, list[BaseHandler[Update, Context, object]]]:
    """States that each ask one typed question, answered by ``step(..., step=state)``."""
    return {state: [typed(functools.partial(step, step=state))] for state in steps}


async def save_dialogues(update: object, context: Context) -> None:
    """After every update (a later handler group): write what it changed in the dialogues, so
    a crash before the next update cannot forget the question just asked."""
    application = context.application
    if isinstance(update, Update) and update.effective_user is not None:
        application.mark_data_for_update_persistence(user_ids=update.effective_user.id)
    await application.update_persistence()
