"""Re-decoding what the batched pipeline lost, with the model's answers scripted.

The batched pipeline decodes each clip once: greedy decoding may stop early, starve a whole
clip to a few words, or loop. These tests script what "the model" returns per decode call,
so they hold on any machine, and check what is decoded again and what is kept.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from transcribe.engine import MAX_TAIL_ROUNDS, Transcriber
from transcribe.options import SAMPLE_RATE, TranscribeOptions

SENTENCE = "Giao Sở Tài chính chủ trì, phối hợp với Sở Xây dựng báo cáo Ủy ban nhân dân tỉnh."

Span = tuple[int, int]
Script = Callable[[Span, int], list[Any]]


def seconds(value: float) -> int:
    return round(value * SAMPLE_RATE)


def segment(start: float, end: float, text: str) -> Any:
    return SimpleNamespace(
        start=start, end=end, text=" " + text, seek=0, words=None,
        no_speech_prob=0.01, avg_logprob=-0.3,
    )  # fmt: skip


class Scripted(Transcriber):
    """A transcriber whose every decode is answered by ``script(span, beam)``."""

    def __init__(self, script: Script) -> None:
        self.name = "scripted"
        self._language = None
        self.script = script
        self.calls: list[tuple[list[Span], int]] = []

    def _decode(
        self,
        packed: Any,
        spans: list[Span],
        opts: TranscribeOptions,
        hotwords: str | None,
        beam_size: int,
        done: Callable[[int], None] | None = None,
    ) -> list[list[Any]]:
        self.calls.append((list(spans), beam_size))
        return [self.script(span, beam_size) for span in spans]


def run(transcriber: Scripted, clips: list[Span], **options: Any) -> list[Any]:
    packed = np.zeros(clips[-1][1], dtype=np.float32)
    opts = TranscribeOptions(**options)
    pairs = transcriber._decode_until_whole(packed, clips, opts, None, lambda _: None)
    return [seg for seg, _ in pairs]


def test_a_clip_whose_text_stops_early_has_its_rest_decoded() -> None:
    clip = (0, seconds(20))

    def script(span: Span, beam: int) -> list[Any]:
        if span == clip:
            return [segment(0.0, 8.0, SENTENCE)]  # then nothing for 12 s of speech
        return [segment(span[0] / SAMPLE_RATE, 19.6, "Đề nghị các đồng chí khẩn trương.")]

    transcriber = Scripted(script)
    texts = [s.text.strip() for s in run(transcriber, [clip])]
    assert texts == [SENTENCE, "Đề nghị các đồng chí khẩn trương."]
    # Only the unwritten end is decoded again (with beam search).
    assert transcriber.calls[1] == ([(seconds(8), seconds(20))], 5)
    assert len(transcriber.calls) == 2


def test_a_starved_clip_is_decoded_again_with_a_beam_and_the_fuller_text_kept() -> None:
    clip = (0, seconds(30))

    def script(span: Span, beam: int) -> list[Any]:
        if beam == 1:
            return [segment(0.0, 30.0, "ờ, văn")]  # a whole clip as two words
        return [segment(0.0, 14.0, SENTENCE), segment(14.0, 29.5, SENTENCE)]

    transcriber = Scripted(script)
    texts = [s.text.strip() for s in run(transcriber, [clip])]
    assert texts == [SENTENCE, SENTENCE]
    assert [beam for _, beam in transcriber.calls] == [1, 5]


def test_a_loop_counts_as_too_little_text() -> None:
    clip = (0, seconds(30))
    loop = " ".join(["văn, tư,"] * 40)

    def script(span: Span, beam: int) -> list[Any]:
        return [segment(0.0, 30.0, loop if beam == 1 else SENTENCE + " " + SENTENCE)]

    transcriber = Scripted(script)
    texts = [s.text.strip() for s in run(transcriber, [clip])]
    assert texts == [SENTENCE + " " + SENTENCE]


def test_what_stays_unwritten_is_logged_with_its_time_and_the_rounds_are_bounded(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clips = [(0, seconds(25)), (seconds(25), seconds(50))]

    def script(span: Span, beam: int) -> list[Any]:
        if span == clips[0]:
            return [segment(0.0, 24.5, SENTENCE + " " + SENTENCE)]
        return []  # the second clip never gives a word

    transcriber = Scripted(script)
    with caplog.at_level(logging.WARNING, logger="transcribe.engine"):
        texts = [s.text.strip() for s in run(transcriber, clips)]
    assert texts == [SENTENCE + " " + SENTENCE]
    assert len(transcriber.calls) <= 3 + MAX_TAIL_ROUNDS
    assert all(clips[0] not in spans for spans, _ in transcriber.calls[1:])
    assert any("25.0" in r.getMessage() for r in caplog.records), caplog.text


def test_without_retries_each_clip_is_decoded_once() -> None:
    transcriber = Scripted(lambda span, beam: [])
    run(transcriber, [(0, seconds(30))], retry_failed_clips=False)
    assert len(transcriber.calls) == 1
