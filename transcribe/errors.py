"""Errors the edges turn into one clear line (CLI) or a failed job with its reason.

Each carries a Vietnamese message for people (``str(error)``) and an English one for logs
(``error.log_message``).
"""

from __future__ import annotations


class TranscribeError(Exception):
    """Base of every error this package raises on purpose."""

    def __init__(self, message: str, log_message: str | None = None) -> None:
        super().__init__(message)
        self.log_message = log_message or message


class AudioError(TranscribeError):
    """The input is missing, empty, not audio, truncated, or has no audio stream."""


class ModelUnavailable(TranscribeError):
    """No Whisper model could be loaded; the message says what to set."""


class UnsupportedLanguage(TranscribeError):
    """The language asked for is not one the model knows."""
