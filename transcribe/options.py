"""The settings of one transcription, packed once and echoed in every result."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

SAMPLE_RATE = 16_000
# Whisper sees 30 s at a time; a clip handed to the model never spans more.
CLIP_S = 30.0
# The shortest window a recording is cut into for progress: two full clips, so short
# recordings keep whole clips (cutting a 48 s file into 35 s windows left a 5 s clip,
# decoded with little context: CER 0.42 -> 0.47 on the sample).
MIN_WINDOW_S = 60.0

# Models (their labels, as results name them) on which feeding the meeting's vocabulary as
# hotwords was measured to lower the CER. Whisper base is not one: it echoes the terms
# ("UBND tỉnh Lai Châu, UBND tỉnh Lai Châu, …" for a whole clip) and loses the speech. In
# bench/transcribe_speed.py (run ``diemcau-vocabulary``): CER +0.103 on the synthesised
# 9-minute meeting, +0.008 on the real-voice clips; on the shipped sample 0.68 against 0.47.
# Add a model here only with such a measurement beside it.
BIASING_HELPS: frozenset[str] = frozenset()


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
    # tokenises to 150-250 tokens) still fits in Whisper's 448-token window. Callers go
    # through ``Transcriber.options_for``, which keeps it only for models where biasing was
    # measured to help (see ``BIASING_HELPS``).
    vocabulary: tuple[str, ...] = ()
    max_prompt_tokens: int = 120
    # Silero VAD
    vad_threshold: float = 0.5
    vad_min_silence_ms: int = 160
    vad_speech_pad_ms: int = 400
    # The recording is decoded and transcribed window by window; each finished window is a
    # checkpoint for the job and a step of the progress it stores. A window is at most
    # ``window_s`` long and at most ``1 / progress_steps`` of the recording (never under
    # ``MIN_WINDOW_S``), so the stored progress of a long recording moves at least every
    # 1/progress_steps of it.
    window_s: float = 480.0
    progress_steps: int = 12
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
        if self.progress_steps < 1:
            raise ValueError("progress_steps must be at least 1")
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

    def window_length(self, duration: float | None) -> float:
        """Seconds per window for a recording of ``duration`` seconds (None: unknown)."""
        if not duration:
            return self.window_s
        return min(self.window_s, max(MIN_WINDOW_S, duration / self.progress_steps))
