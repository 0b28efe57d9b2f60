"""The public entry point: text or transcript in, a draft of the conclusion notice out."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import date
from os import PathLike

from minutes.extract import Step, extract
from minutes.model import MinutesDraft, Transcript
from minutes.segment import split_sentences

__all__ = ["MAX_INPUT_CHARS", "SourceError", "draft_minutes", "explain_minutes", "load_source"]

# About 1.5 MB of Vietnamese: ten times a full day's transcript. Drafting is linear (about
# 1 s per MB, bench/minutes_eval.py), so the limit guards memory and patience, not speed.
MAX_INPUT_CHARS = 1_500_000


class SourceError(ValueError):
    """A source that cannot be drafted from. ``kind`` names why, so that a caller can say it
    in its own words: "empty", "binary", "encoding", "json", "too_large"."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def draft_minutes(
    source: str | Transcript,
    *,
    meeting_date: date | None = None,
    known_units: Sequence[str] = (),
) -> MinutesDraft:
    """Draft the conclusions and tasks of a meeting. Pure and deterministic.

    ``meeting_date`` anchors relative deadlines ("tuần sau", "15 ngày làm việc"); without
    it only deadlines with an explicit year get a date, the others keep their words and are
    flagged for review. ``known_units`` (the meeting's own units) are preferred as names.

    Raises :class:`SourceError` (kind "too_large") above :data:`MAX_INPUT_CHARS`.
    """
    size = (
        sum(len(s.text) for s in source.segments) if isinstance(source, Transcript) else len(source)
    )
    if size > MAX_INPUT_CHARS:
        raise SourceError(
            "too_large", f"the text has {size:,} characters, more than {MAX_INPUT_CHARS:,}"
        )
    sentences = split_sentences(source)
    conclusions, tasks = extract(sentences, meeting_date=meeting_date, known_units=known_units)
    return MinutesDraft(meeting_date=meeting_date, conclusions=conclusions, tasks=tasks)


def explain_minutes(
    source: str | Transcript,
    *,
    meeting_date: date | None = None,
    known_units: Sequence[str] = (),
) -> list[Step]:
    """What :func:`draft_minutes` makes of every sentence: the rule that fired, or why none
    did (``diemcau draft --explain``)."""
    _check_size(source)
    steps: list[Step] = []
    extract(
        split_sentences(source), meeting_date=meeting_date, known_units=known_units, trace=steps
    )
    return steps


def _check_size(source: str | Transcript) -> None:
    size = (
        sum(len(s.text) for s in source.segments) if isinstance(source, Transcript) else len(source)
    )
    if size > MAX_INPUT_CHARS:
        raise SourceError(
            "too_large", f"the text has {size:,} characters, more than {MAX_INPUT_CHARS:,}"
        )


def load_source(path: str | PathLike[str]) -> str | Transcript:
    """Read a plain-text file, or a transcript JSON written by ``diemcau transcribe``.

    Raises OSError when the file cannot be read and :class:`SourceError` when it holds
    nothing to draft from: empty, binary, not UTF-8 (a cp1258 or latin-1 file), broken JSON,
    or larger than the input limit. Text is returned as it is; the drafter normalises it
    to NFC, so NFD-decomposed Vietnamese drafts the same.
    """
    with open(path, "rb") as handle:
        raw = handle.read(MAX_INPUT_CHARS * 4 + 1)  # UTF-8 takes at most 4 bytes a character
    if len(raw) > MAX_INPUT_CHARS * 4:
        raise SourceError("too_large", f"the file is larger than {MAX_INPUT_CHARS * 4:,} bytes")
    if b"\x00" in raw:
        raise SourceError("binary", "the file is not text (it holds NUL bytes)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise SourceError("encoding", f"the file is not UTF-8 text (byte {e.start})") from e
    if _CONTROL.search(text):
        raise SourceError("binary", "the file is not text (it holds control characters)")
    if not text.strip(" \t\r\n\ufeff"):
        raise SourceError("empty", "the file is empty")
    stripped = text.lstrip()
    if stripped.startswith("{"):
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError as e:
            raise SourceError(
                "json", f"the file looks like JSON but cannot be parsed: {e.msg}"
            ) from e
        if not isinstance(data, dict):
            raise SourceError("json", "the JSON is not a transcript object")
        try:
            transcript = Transcript.from_dict(data)
        except ValueError as e:
            raise SourceError("json", str(e)) from e
        if not any(s.text.strip() for s in transcript.segments):
            raise SourceError("empty", "the transcript has no text")
        return transcript
    return text


# Characters no text editor writes: a binary file that happens to decode as UTF-8.
_CONTROL = re.compile(r"[\x01-\x08\x0e-\x1f\x7f]")
