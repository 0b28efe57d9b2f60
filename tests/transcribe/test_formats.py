"""Outputs: the fixed JSON shape, and SRT and WebVTT that parse as such."""

from __future__ import annotations

import json
import re

import pytest

from transcribe.engine import Segment, Transcript
from transcribe.formats import FORMATS, render

TRANSCRIPT = Transcript(
    language="vi",
    duration=3725.5,
    model="whisper-base",
    segments=(
        Segment(0.176, 5.316, "Kết luận của đồng chí Chủ tịch."),
        Segment(5.316, 13.3, "Giao Sở Tài chính chủ trì --> phối hợp\n\nvới Sở Xây dựng."),
        Segment(3600.0, 3600.0, "Xin cảm ơn <các đồng chí> & mọi người."),
    ),
)
SRT_TIME = r"(\d{2}):(\d{2}):(\d{2}),(\d{3})"
VTT_TIME = r"(\d{2}):(\d{2}):(\d{2})\.(\d{3})"


def _seconds(match: tuple[str, ...]) -> float:
    h, m, s, ms = (int(x) for x in match)
    return h * 3600 + m * 60 + s + ms / 1000


def test_json_has_exactly_the_documented_shape() -> None:
    data = json.loads(render(TRANSCRIPT, "json"))
    assert set(data) == {"language", "duration", "model", "segments"}
    assert data["language"] == "vi" and data["model"] == "whisper-base"
    assert isinstance(data["duration"], float)
    for segment in data["segments"]:
        assert set(segment) == {"start", "end", "text"}
        assert isinstance(segment["start"], float) and isinstance(segment["text"], str)
    assert data["segments"][0]["text"] == "Kết luận của đồng chí Chủ tịch."  # not escaped


def test_srt_is_well_formed() -> None:
    text = render(TRANSCRIPT, "srt")
    blocks = text.strip("\n").split("\n\n")
    assert len(blocks) == len(TRANSCRIPT.segments)
    previous_start = -1.0
    for number, block in enumerate(blocks, start=1):
        lines = block.split("\n")
        assert lines[0] == str(number)
        timing = re.fullmatch(f"{SRT_TIME} --> {SRT_TIME}", lines[1])
        assert timing, lines[1]
        start, end = _seconds(timing.groups()[:4]), _seconds(timing.groups()[4:])
        assert previous_start <= start < end
        previous_start = start
        assert len(lines) == 3 and lines[2].strip() and "-->" not in lines[2]
    assert "01:00:00,000 --> 01:00:00,001" in text


def test_vtt_is_well_formed() -> None:
    text = render(TRANSCRIPT, "vtt")
    assert text.startswith("WEBVTT\n\n")
    cues = text.strip("\n").split("\n\n")[1:]
    assert len(cues) == len(TRANSCRIPT.segments)
    for cue in cues:
        timing, payload = cue.split("\n")
        match = re.fullmatch(f"{VTT_TIME} --> {VTT_TIME}", timing)
        assert match
        assert _seconds(match.groups()[:4]) < _seconds(match.groups()[4:])
        assert "-->" not in payload and "<" not in payload
    assert "&lt;các đồng chí> &amp; mọi người" in text


def test_txt_is_one_segment_a_line() -> None:
    assert render(TRANSCRIPT, "txt").splitlines()[0] == "Kết luận của đồng chí Chủ tịch."
    assert len(render(TRANSCRIPT, "txt").splitlines()) == 3


def test_an_empty_transcript_renders_in_every_format() -> None:
    empty = Transcript(language="vi", duration=30.0, model="m", segments=())
    assert json.loads(render(empty, "json"))["segments"] == []
    assert render(empty, "srt") == ""
    assert render(empty, "vtt") == "WEBVTT\n"
    assert render(empty, "txt") == ""
    assert sorted(FORMATS) == ["json", "srt", "txt", "vtt"]
    with pytest.raises(ValueError):
        render(empty, "docx")
