"""Domain errors raised by the services and turned into replies only at the edge.

Each error carries an English message (``str(error)``, for logs) and a Vietnamese one
(``error.message_vi``) for the person who caused it.
"""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain refused the request; nothing was changed."""

    def __init__(self, message: str, message_vi: str) -> None:
        super().__init__(message)
        self.message_vi = message_vi


class NotFound(DomainError):
    """The thing asked for does not exist (không tìm thấy)."""


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
