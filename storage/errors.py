"""Domain errors raised by the services and turned into replies only at the edge.

Each error carries an English message (``str(error)``, for logs), a ``code`` that says which
rule refused, and the ``params`` that the words for people need. Storage holds no
presentation text: the bot, the web and the command line render the code in Vietnamese
(``bot.vietnamese.error_vi``).
"""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """Which rule refused a request. Params named in the comment go with it."""

    NOT_FOUND = "not_found"  # entity (a model's name)
    NO_SUCH_MEETING_NUMBER = "no_such_meeting_number"  # number
    # meetings
    MEETING_NEEDS_TITLE = "meeting_needs_title"
    MEETING_NEEDS_POINT = "meeting_needs_point"
    TIME_NEEDS_ZONE = "time_needs_zone"
    START_IN_PAST = "start_in_past"
    END_NOT_AFTER_START = "end_not_after_start"
    POINTS_NOT_OF_COMMITTEE = "points_not_of_committee"  # points
    CHAIR_NOT_MEMBER = "chair_not_member"
    MEETING_NOT_PLANNED = "meeting_not_planned"
    MEETING_NOT_ONGOING = "meeting_not_ongoing"
    POINT_NOT_IN_MEETING = "point_not_in_meeting"
    PROBLEM_NEEDS_NOTE = "problem_needs_note"
    # invitations and answers
    INVITATIONS_CLOSED = "invitations_closed"
    MEETING_CANCELLED = "meeting_cancelled"
    ANSWERS_CLOSED = "answers_closed"
    ANSWER_NEEDED = "answer_needed"
    DECLINE_NEEDS_REASON = "decline_needs_reason"
    DELEGATE_NEEDS_NAME = "delegate_needs_name"
    # tasks
    TASK_TRANSITION = "task_transition"  # current, target (task statuses)
    TASK_NEEDS_UNIT_AND_ACTION = "task_needs_unit_and_action"
    EXTENSION_NEEDS_REASON = "extension_needs_reason"
    EXTENSION_NOT_LATER = "extension_not_later"
    EXTENSION_NEEDS_DATE = "extension_needs_date"
    NO_EXTENSION_PENDING = "no_extension_pending"
    # drafts
    DRAFT_DECIDED = "draft_decided"
    DRAFT_SAVED_BY_OTHER = "draft_saved_by_other"
    DRAFT_CHANGED_SINCE_VIEWED = "draft_changed_since_viewed"
    DRAFT_FORM_STALE = "draft_form_stale"
    REJECTION_NEEDS_REASON = "rejection_needs_reason"
    # people and sign-in
    INVITE_CODE_INVALID = "invite_code_invalid"
    TELEGRAM_TAKEN = "telegram_taken"
    LOGIN_LINK_INVALID = "login_link_invalid"
    # recordings
    RECORDING_DUPLICATE = "recording_duplicate"  # id, meeting_title, meeting_id, added_at
    NOT_A_RECORDING = "not_a_recording"  # reason (already in Vietnamese, from the decoder)
    RECORDING_NOT_SAVED = "recording_not_saved"  # the database refused the row
    # browser uploads (tus)
    UPLOAD_EMPTY = "upload_empty"
    UPLOAD_TOO_LARGE = "upload_too_large"  # length, limit (bytes)
    UPLOAD_COMPLETE = "upload_complete"
    UPLOAD_OFFSET_MISMATCH = "upload_offset_mismatch"  # offset, stored
    UPLOAD_BUSY = "upload_busy"
    UPLOAD_OVER_LENGTH = "upload_over_length"  # length
    UPLOAD_CHECKSUM_MISMATCH = "upload_checksum_mismatch"
    UPLOAD_ALREADY_COMPLETE = "upload_already_complete"  # a repeated last piece asks for more
    UPLOAD_BAD_METADATA = "upload_bad_metadata"  # key
    UPLOAD_HEADER_MISSING = "upload_header_missing"  # header
    UPLOAD_CHECKSUM_ALGORITHM = "upload_checksum_algorithm"  # algorithm
    UPLOAD_CHECKSUM_INVALID = "upload_checksum_invalid"
    UPLOAD_LENGTH_NEEDED = "upload_length_needed"
    UPLOAD_NEEDS_MEETING = "upload_needs_meeting"
    # seed files and the roster
    SEED_INVALID = "seed_invalid"  # detail (English, names the key)
    NO_COMMITTEE_NAMED = "no_committee_named"  # name
    NO_COMMITTEE_YET = "no_committee_yet"
    SEVERAL_COMMITTEES = "several_committees"
    NO_PERSON_KEY = "no_person_key"  # key
    PERSON_KEY_TAKEN = "person_key_taken"  # key
    NO_POINT_CODE = "no_point_code"  # point
    NO_UNIT_NAME = "no_unit_name"  # name
    # integration tokens and report queries
    TOKEN_NAME_LENGTH = "token_name_length"
    BAD_QUERY = "bad_query"
    # backups
    BACKUP_TOOL_MISSING = "backup_tool_missing"  # tool
    BACKUP_TOOL_FAILED = "backup_tool_failed"  # tool, detail
    BACKUP_TARGET_NOT_EMPTY = "backup_target_not_empty"  # target
    BACKUP_NO_DATABASE = "backup_no_database"  # database
    BACKUP_NOT_A_BACKUP = "backup_not_a_backup"  # source
    BACKUP_UNKNOWN_FORMAT = "backup_unknown_format"  # source, format
    BACKUP_WRONG_BACKEND = "backup_wrong_backend"  # backup, current
    BACKUP_FILE_DAMAGED = "backup_file_damaged"  # file


class DomainError(Exception):
    """A rule of the domain refused the request; nothing was changed."""

    def __init__(self, message: str, code: ErrorCode, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


class NotFound(DomainError):
    """The thing asked for does not exist (không tìm thấy)."""

    def __init__(self, message: str, entity: str, **params: object) -> None:
        super().__init__(message, ErrorCode.NOT_FOUND, entity=entity, **params)


class InvalidMeeting(DomainError):
    """A meeting's time, chair or points break a rule."""


class MeetingInPast(InvalidMeeting):
    """A meeting cannot be scheduled or moved to a moment that has passed."""


class UnknownPoint(InvalidMeeting):
    """A connection point that is not one of the committee's."""


class NotAMember(InvalidMeeting):
    """The chair (or another role) is not a member of the committee."""


class AnswersClosed(DomainError):
    """Invitations cannot be answered once the meeting has started."""


class InvalidAnswer(DomainError):
    """An answer lacks what its kind needs (a reason, a substitute's name)."""


class IllegalTransition(DomainError):
    """A task cannot move from its status to the one asked for."""


class StaleVersion(DomainError):
    """Someone else saved first; the later save must be redone on the new version."""
