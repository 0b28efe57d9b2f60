"""The settings of one transcription, packed once and echoed in every result."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

SAMPLE_RATE = 16_000
# Whisper sees 30 s at a time; a clip handed to the model never spans more.
CLIP_S = 30.0


@dataclass(frozen=True, slots=True)
class TranscribeOptions:
    """How to transcribe. Change with :func:`dataclasses.replace`, never in place.

    The defaults are the fast path measured in ``bench/transcribe_speed.py``: greedy decoding
    of VAD-cut clips in batches, Vietnamese fixed (detection on Vietnamese meetings inserts
    English).
    """

    language: str | None = "vi"
    beam_size: int = 1
    batch_size: int = 8
    word_timestamps: bool = False
    # Meeting vocabulary (people, units, points, agenda titles), most important first. Fed to
    # the model as hotwords, cut to ``max_prompt_tokens`` so a 30 s Vietnamese clip (which
    # tokenises to 150-250 tokens) still fits in Whisper's 448-token window.
    vocabulary: tuple[str, ...] = ()
    max_prompt_tokens: int = 120
    # Silero VAD
    vad_threshold: float = 0.5
    vad_min_silence_ms: int = 160
    vad_speech_pad_ms: int = 400
    # The recording is decoded and transcribed window by window; each finished window is a
    # checkpoint for the job and a step of the progress bar.
    window_s: float = 480.0
    # Re-decode with beam search a clip that greedy decoding starved or sent into a loop.
    retry_failed_clips: bool = True
    # Hallucination filter
    filter_hallucinations: bool = True
    no_speech_threshold: float = 0.6
    log_prob_threshold: float = -1.0
    min_speech_overlap: float = 0.3

    def __post_init__(self) -> None:
        if self.beam_size < 1 or self.batch_size < 1:
            raise ValueError("beam_size and batch_size must be at least 1")
        if self.window_s < CLIP_S + 5:
            raise ValueError(f"window_s must be at least {CLIP_S + 5:g} s")
        if not 0 <= self.max_prompt_tokens <= 223:
            raise ValueError("max_prompt_tokens must be within Whisper's prompt limit (223)")

    @classmethod
    def coerce(cls, value: TranscribeOptions | Mapping[str, Any] | None) -> TranscribeOptions:
        """Accept the dataclass, a mapping of its fields, or nothing (the defaults)."""
        if value is None:
            return cls()
        if isinstance(value, TranscribeOptions):
            return value
        known = {f.name for f in fields(cls)}
        unknown = set(value) - known
        if unknown:
            raise ValueError(f"unknown transcription options: {', '.join(sorted(unknown))}")
        data = dict(value)
        if "vocabulary" in data:
            data["vocabulary"] = tuple(data["vocabulary"])
        return replace(cls(), **data)
