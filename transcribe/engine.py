"""The engine: streamed audio, Silero VAD, batched Whisper, filtered segments, window by window.

The recording is never held whole. Blocks from :func:`transcribe.audio.stream_audio` gather
into a window (eight minutes by default); Silero VAD finds the speech in it; the window is cut
at the start of a stretch of speech still running at its end (carried into the next window),
so no utterance is split. The speech regions are grouped into clips of at most 30 s, each
spanning real time (the pauses inside included), and handed to faster-whisper's
``BatchedInferencePipeline`` as ``clip_timestamps``. Timestamps are therefore true
recording times, and anything Whisper writes over a pause VAD found silent can be dropped.

Each finished window is a :class:`Window`: a checkpoint for the job and a progress step.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from transcribe import filters
from transcribe.audio import Audio, probe, stream_audio
from transcribe.errors import ModelUnavailable
from transcribe.model import WHAT_TO_SET, ModelSource, resolve_model
from transcribe.options import CLIP_S, SAMPLE_RATE, TranscribeOptions

log = logging.getLogger(__name__)

# Audio kept past a window's end before it is cut there: an onset in the last few hundred
# milliseconds may not be speech to VAD yet.
GUARD_S = 1.0


@dataclass(frozen=True, slots=True)
class Word:
    start: float
    end: float
    word: str


@dataclass(frozen=True, slots=True)
class Segment:
    """A timed piece of transcript, in seconds from the start of the recording."""

    start: float
    end: float
    text: str
    words: tuple[Word, ...] = ()


@dataclass(frozen=True, slots=True)
class Window:
    """A finished stretch ``[start, end)`` of the recording and the segments found in it."""

    start: float
    end: float
    segments: tuple[Segment, ...]
    language: str
    duration: float | None  # the recording's declared length, for progress


@dataclass(frozen=True, slots=True)
class Transcript:
    """A whole transcription, with the options and model that produced it."""

    language: str
    duration: float
    model: str
    segments: tuple[Segment, ...]
    options: TranscribeOptions = field(default_factory=TranscribeOptions)

    def to_dict(self) -> dict[str, Any]:
        """The fixed JSON shape of ``diemcau transcribe --format json``."""
        return {
            "language": self.language,
            "duration": round(self.duration, 3),
            "model": self.model,
            "segments": [
                {"start": round(s.start, 3), "end": round(s.end, 3), "text": s.text}
                for s in self.segments
            ],
        }

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segments)


def machine_threads() -> int:
    """CPU threads this process may use (the affinity mask, not the host's core count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def pick_device(device: str = "auto") -> tuple[str, str]:
    """``(device, compute_type)``: CUDA with float16 when a GPU is there, else CPU int8."""
    if device == "auto":
        import ctranslate2

        device = "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
    return device, ("float16" if device == "cuda" else "int8")


def load_whisper(source: ModelSource, *, device: str = "auto") -> Any:
    """Load a ``faster_whisper.WhisperModel``; any failure becomes :class:`ModelUnavailable`."""
    from faster_whisper import WhisperModel

    device, compute_type = pick_device(device)
    kwargs: dict[str, Any] = {"device": device, "compute_type": compute_type}
    if device == "cpu":
        kwargs["cpu_threads"] = machine_threads()
    attempts = [True] if source.local else [True, False]  # names: the cache first, then fetch
    last: Exception | None = None
    for local_only in attempts:
        try:
            return WhisperModel(source.location, local_files_only=local_only, **kwargs)
        except Exception as error:  # ctranslate2, huggingface_hub, OSError: all mean "no model"
            last = error
    raise ModelUnavailable(
        f"không nạp được mô hình Whisper {source.label!r}: {WHAT_TO_SET}",
        f"cannot load Whisper model {source.location!r}: {last}",
    ) from last


class Transcriber:
    """A loaded Whisper model and the pipeline around it. Load once per process."""

    def __init__(self, whisper: Any, *, name: str) -> None:
        from faster_whisper import BatchedInferencePipeline

        self.whisper = whisper
        self.name = name
        self._pipeline = BatchedInferencePipeline(whisper)
        self._language: str | None = None  # detected, when options.language is None

    @classmethod
    def load(
        cls, name_or_path: str = "base", *, data_dir: Path, device: str = "auto"
    ) -> Transcriber:
        """Resolve and load a model (``base`` is the bundled one, joined under ``data_dir``)."""
        source = resolve_model(name_or_path, data_dir=data_dir)
        return cls(load_whisper(source, device=device), name=source.label)

    def hotwords(self, vocabulary: Iterable[str], max_tokens: int) -> str | None:
        """The meeting's terms, most important first, as many as fit in ``max_tokens``."""
        chosen: list[str] = []
        seen: set[str] = set()
        for term in vocabulary:
            term = " ".join(term.split())
            if not term or filters.normalise(term) in seen:
                continue
            candidate = ", ".join([*chosen, term])
            tokens = self.whisper.hf_tokenizer.encode(" " + candidate, add_special_tokens=False)
            if len(tokens.ids) > max_tokens:
                continue
            chosen.append(term)
            seen.add(filters.normalise(term))
        return ", ".join(chosen) or None

    def windows(
        self,
        path: Path,
        options: TranscribeOptions | Mapping[str, Any] | None = None,
        *,
        start: float = 0.0,
    ) -> Iterator[Window]:
        """Transcribe lazily from ``start`` seconds, one finished :class:`Window` at a time.

        Raises :class:`transcribe.errors.AudioError` for a bad recording: before the first
        window when the file is unreadable, after the last one when it turns out truncated.
        """
        opts = TranscribeOptions.coerce(options)
        info = probe(Path(path))
        hotwords = self.hotwords(opts.vocabulary, opts.max_prompt_tokens)
        previous: list[str] = []
        for offset, audio, regions in _vad_windows(
            stream_audio(Path(path), start=start), opts, start=start
        ):
            segments = self._transcribe_window(audio, regions, opts, hotwords, previous)
            shifted = tuple(_shift(s, offset) for s in segments)
            yield Window(
                start=offset,
                end=offset + audio.shape[0] / SAMPLE_RATE,
                segments=shifted,
                language=opts.language or self._language or "vi",
                duration=info.duration,
            )

    def transcribe(
        self,
        path: Path,
        options: TranscribeOptions | Mapping[str, Any] | None = None,
        *,
        on_progress: Callable[[float], None] | None = None,
    ) -> Transcript:
        """Transcribe a whole recording; ``on_progress`` gets the fraction done (0..1)."""
        opts = TranscribeOptions.coerce(options)
        segments: list[Segment] = []
        end = 0.0
        language = opts.language or "vi"
        for window in self.windows(path, opts):
            segments.extend(window.segments)
            end = window.end
            language = window.language
            if on_progress is not None:
                total = window.duration or window.end
                on_progress(min(1.0, window.end / total) if total else 1.0)
        if on_progress is not None:
            on_progress(1.0)
        return Transcript(language, end, self.name, tuple(segments), opts)

    def _transcribe_window(
        self,
        audio: Audio,
        regions: list[tuple[int, int]],
        opts: TranscribeOptions,
        hotwords: str | None,
        previous: list[str],
    ) -> list[Segment]:
        if not regions:
            return []
        clips = _group_clips(regions)
        raw, info = self._pipeline.transcribe(
            audio,
            language=opts.language,
            beam_size=opts.beam_size,
            batch_size=opts.batch_size,
            temperature=0.0,
            without_timestamps=False,
            word_timestamps=opts.word_timestamps,
            vad_filter=False,
            clip_timestamps=[{"start": s / SAMPLE_RATE, "end": e / SAMPLE_RATE} for s, e in clips],
            hotwords=hotwords,
            log_progress=False,
        )
        if opts.language is None:
            self._language = info.language
        speech = [(s / SAMPLE_RATE, e / SAMPLE_RATE) for s, e in regions]
        window_end = audio.shape[0] / SAMPLE_RATE
        kept: list[Segment] = []
        for seg in raw:
            text = seg.text.strip()
            start, end = max(0.0, seg.start), min(window_end, seg.end)
            if opts.filter_hallucinations:
                if (
                    seg.no_speech_prob > opts.no_speech_threshold
                    and seg.avg_logprob < opts.log_prob_threshold
                ):
                    log.debug("dropped (no speech): %r", text)
                    continue
                if filters.mostly_silent(start, end, speech, min_overlap=opts.min_speech_overlap):
                    log.debug("dropped (over silence %.1f-%.1f): %r", start, end, text)
                    continue
                text = filters.clean_text(text)
                if filters.is_repeat_of_previous(text, previous):
                    log.debug("dropped (repeated): %r", text)
                    continue
            if not text:
                continue
            previous.append(text)
            del previous[:-3]
            words = tuple(Word(w.start, w.end, w.word) for w in (seg.words or ()))
            kept.append(Segment(start, max(start, end), text, words))
        return kept


def _shift(segment: Segment, offset: float) -> Segment:
    return Segment(
        round(segment.start + offset, 3),
        round(segment.end + offset, 3),
        segment.text,
        tuple(Word(w.start + offset, w.end + offset, w.word) for w in segment.words),
    )


def _vad_options(opts: TranscribeOptions) -> Any:
    from faster_whisper.vad import VadOptions

    return VadOptions(
        threshold=opts.vad_threshold,
        min_silence_duration_ms=opts.vad_min_silence_ms,
        speech_pad_ms=opts.vad_speech_pad_ms,
        max_speech_duration_s=CLIP_S,
    )


def speech_regions(audio: Audio, opts: TranscribeOptions) -> list[tuple[int, int]]:
    """Silero VAD over ``audio``: ``(start, end)`` sample ranges of speech, each ≤ 30 s."""
    from faster_whisper.vad import get_speech_timestamps

    if audio.shape[0] == 0:
        return []
    found = get_speech_timestamps(audio, _vad_options(opts))
    return [(int(r["start"]), int(r["end"])) for r in found]


def _vad_windows(
    blocks: Iterator[Audio], opts: TranscribeOptions, *, start: float
) -> Iterator[tuple[float, Audio, list[tuple[int, int]]]]:
    """``(offset_s, audio, speech regions)`` per window; windows tile the stream exactly."""
    window = round(opts.window_s * SAMPLE_RATE)
    guard = round(GUARD_S * SAMPLE_RATE)
    offset = round(start * SAMPLE_RATE)  # absolute sample of the buffer's first sample
    pending: list[Audio] = []
    pending_samples = 0
    yielded = False
    for block in blocks:
        pending.append(block)
        pending_samples += block.shape[0]
        if pending_samples < window:
            continue
        buffer = np.concatenate(pending)
        regions = speech_regions(buffer, opts)
        if regions and regions[-1][1] >= buffer.shape[0] - guard:
            # Speech runs into the window's end: cut where it starts, carry it over.
            cut = regions[-1][0]
            regions = regions[:-1]
        else:
            cut = buffer.shape[0] - guard
        if cut <= 0:
            continue  # one long utterance so far: wait for more audio
        yield offset / SAMPLE_RATE, buffer[:cut], regions
        yielded = True
        offset += cut
        rest = buffer[cut:]
        pending, pending_samples = [rest], rest.shape[0]
    if pending_samples or not yielded:
        buffer = np.concatenate(pending) if pending else np.zeros(0, dtype=np.float32)
        yield offset / SAMPLE_RATE, buffer, speech_regions(buffer, opts)


def _group_clips(regions: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Group consecutive speech regions into clips spanning at most 30 s of real time."""
    limit = round(CLIP_S * SAMPLE_RATE)
    clips: list[tuple[int, int]] = []
    for r_start, r_end in regions:
        if clips and r_end - clips[-1][0] <= limit:
            clips[-1] = (clips[-1][0], r_end)
        else:
            clips.append((r_start, min(r_end, r_start + limit)))
    return clips
