"""Transcript outputs: json (the fixed shape), srt, vtt, txt."""

from __future__ import annotations

import json
from collections.abc import Callable

from transcribe.engine import Transcript


def _clock(seconds: float, separator: str) -> str:
    millis = max(0, round(seconds * 1000))
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def _cue_text(text: str) -> str:
    # A blank line ends a cue in both formats; "-->" would read as a timing line in VTT.
    return " ".join(text.split()).replace("-->", "->")


def to_json(transcript: Transcript) -> str:
    return json.dumps(transcript.to_dict(), ensure_ascii=False, indent=2) + "\n"


def to_srt(transcript: Transcript) -> str:
    cues = []
    for index, seg in enumerate(transcript.segments, start=1):
        end = max(seg.end, seg.start + 0.001)
        cues.append(
            f"{index}\n{_clock(seg.start, ',')} --> {_clock(end, ',')}\n{_cue_text(seg.text)}\n"
        )
    return "\n".join(cues)


def to_vtt(transcript: Transcript) -> str:
    cues = ["WEBVTT\n"]
    for seg in transcript.segments:
        end = max(seg.end, seg.start + 0.001)
        text = _cue_text(seg.text).replace("&", "&amp;").replace("<", "&lt;")
        cues.append(f"{_clock(seg.start, '.')} --> {_clock(end, '.')}\n{text}\n")
    return "\n".join(cues)


def to_txt(transcript: Transcript) -> str:
    return "".join(f"{' '.join(seg.text.split())}\n" for seg in transcript.segments)


FORMATS: dict[str, Callable[[Transcript], str]] = {
    "json": to_json,
    "srt": to_srt,
    "vtt": to_vtt,
    "txt": to_txt,
}


def render(transcript: Transcript, fmt: str) -> str:
    """The transcript as text in ``fmt`` (one of :data:`FORMATS`)."""
    try:
        return FORMATS[fmt](transcript)
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}: use {', '.join(FORMATS)}") from None
