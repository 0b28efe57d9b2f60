"""The public entry point: text or transcript in, a draft of the conclusion notice out."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from os import PathLike

from minutes.extract import extract
from minutes.model import MinutesDraft, Transcript
from minutes.segment import split_sentences

__all__ = ["draft_minutes", "load_source"]


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
    """
    sentences = split_sentences(source)
    conclusions, tasks = extract(sentences, meeting_date=meeting_date, known_units=known_units)
    return MinutesDraft(meeting_date=meeting_date, conclusions=conclusions, tasks=tasks)


def load_source(path: str | PathLike[str]) -> str | Transcript:
    """Read a plain-text file, or a transcript JSON written by ``diemcau transcribe``.

    Raises OSError when the file cannot be read and ValueError when it is neither UTF-8
    text nor a transcript.
    """
    with open(path, "rb") as handle:
        raw = handle.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ValueError("the file is not UTF-8 text") from e
    if "\x00" in text:
        raise ValueError("the file is not text")
    stripped = text.lstrip()
    if stripped.startswith("{"):
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError as e:
            raise ValueError(f"the file looks like JSON but cannot be parsed: {e.msg}") from e
        if not isinstance(data, dict):
            raise ValueError("the JSON is not a transcript object")
        return Transcript.from_dict(data)
    return text
