"""The engine: streamed audio, Silero VAD, batched Whisper, filtered segments, window by window.

The recording is never held whole. Blocks from :func:`transcribe.audio.stream_audio` gather
into a window (eight minutes by default); Silero VAD finds the speech in it; the window is cut
at the start of a stretch of speech still running at its end (carried into the next window),
so no utterance is split. Only the speech is packed, back to back, into clips of at most
30 s (Whisper's encoder always sees 30 s, so silence fed to it is paid for) and handed to
faster-whisper's ``BatchedInferencePipeline`` as ``clip_timestamps``; the timestamps it
returns are mapped back to recording time piece by piece. Stretches VAD found silent never
reach the model, and anything it writes over a clip's zero padding is dropped.

Each finished window is a :class:`Window`: a checkpoint for the job and a progress step.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from transcribe import filters
from transcribe.audio import Audio, probe, stream_audio
from transcribe.errors import ModelUnavailable, UnsupportedLanguage
from transcribe.model import WHAT_TO_SET, ModelSource, resolve_model
from transcribe.options import BIASING_HELPS, CLIP_S, SAMPLE_RATE, TranscribeOptions

log = logging.getLogger(__name__)

_T = TypeVar("_T")

# Audio kept past a window's end before it is cut there: an onset in the last few hundred
# milliseconds may not be speech to VAD yet.
GUARD_S = 1.0
# A clip of at least MIN_RETRY_S seconds of speech that decodes to fewer characters a second
# than this is decoded again with beam search.
STARVED_CHARS_PER_S = 4.0
MIN_RETRY_S = 5.0
# A clip whose text ends this long before its speech does has the rest decoded on its own,
# for at most MAX_TAIL_ROUNDS rounds.
UNWRITTEN_TAIL_S = 2.5
MAX_TAIL_ROUNDS = 3


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
    """Load a ``faster_whisper.WhisperModel``; any failure becomes :class:`ModelUnavailable`.

    On a CPU the model gets one single-threaded worker per CPU thread (CTranslate2 shares
    the weights between them) rather than one worker spreading each operation over all
    threads: a decoder step is many small operations, and threads that meet at a barrier
    after each one spend much of a step waiting. :meth:`Transcriber._decode` hands the
    clips of a batch to the workers side by side. Measured in ``bench/transcribe_profile.py``.
    """
    from faster_whisper import WhisperModel

    device, compute_type = pick_device(device)
    kwargs: dict[str, Any] = {"device": device, "compute_type": compute_type}
    if device == "cpu":
        kwargs["cpu_threads"] = 1
        kwargs["num_workers"] = machine_threads()
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
        self.whisper = whisper
        self.name = name
        self._language: str | None = None  # detected, when options.language is None
        # The model's workers (one per CPU thread on a CPU, see load_whisper): that many
        # batches are decoded side by side.
        self._workers = max(1, int(getattr(getattr(whisper, "model", None), "num_workers", 1)))
        self._executor: ThreadPoolExecutor | None = None

    @classmethod
    def load(
        cls, name_or_path: str = "base", *, data_dir: Path, device: str = "auto"
    ) -> Transcriber:
        """Resolve and load a model (``base`` is the bundled one, joined under ``data_dir``)."""
        source = resolve_model(name_or_path, data_dir=data_dir)
        return cls(load_whisper(source, device=device), name=source.label)

    def options_for(
        self,
        options: TranscribeOptions | Mapping[str, Any] | None = None,
        *,
        vocabulary: Iterable[str] = (),
    ) -> TranscribeOptions:
        """The options this model runs with: the one place the CLI, the demo and the job
        settle them, so the same file and settings give the same segments everywhere.

        The language must be one the model knows (:class:`UnsupportedLanguage` otherwise).
        The meeting's ``vocabulary`` joins the options' own only on models where biasing
        was measured to help (:data:`transcribe.options.BIASING_HELPS`); elsewhere none is
        fed to the model.
        """
        opts = TranscribeOptions.coerce(options)
        supported = self.whisper.supported_languages
        if opts.language is not None and opts.language not in supported:
            raise UnsupportedLanguage(
                f"mô hình {self.name} không hỗ trợ ngôn ngữ {opts.language!r}; "
                "dùng mã hai chữ như vi, en, hoặc auto để tự nhận",
                f"model {self.name} does not support language {opts.language!r}",
            )
        if self.name not in BIASING_HELPS:
            return replace(opts, vocabulary=())
        return replace(opts, vocabulary=(*opts.vocabulary, *vocabulary))

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
        on_progress: Callable[[float], None] | None = None,
    ) -> Iterator[Window]:
        """Transcribe lazily from ``start`` seconds, one finished :class:`Window` at a time.

        The one transcription function: :meth:`transcribe` (the CLI, the bench) and the
        job (the server, the demo) both run it. ``on_progress`` gets the fraction of the
        recording done (0..1) as each batch of clips inside a window finishes, so a bar
        moves within a window too.

        Raises :class:`transcribe.errors.AudioError` for a bad recording: before the first
        window when the file is unreadable, after the last one when it turns out truncated.
        """
        opts = TranscribeOptions.coerce(options)
        info = probe(Path(path))
        hotwords = self.hotwords(opts.vocabulary, opts.max_prompt_tokens)
        previous: list[str] = []
        window_s = opts.window_length(info.duration)

        def report(seconds: float) -> None:
            if on_progress is not None and info.duration:
                on_progress(min(1.0, seconds / info.duration))

        blocks = stream_audio(Path(path), start=start)
        for offset, audio, regions in _ahead(_vad_windows(blocks, opts, window_s, start=start)):
            segments = self._transcribe_window(
                audio, regions, opts, hotwords, previous, partial(_after, report, offset)
            )
            shifted = tuple(_shift(s, offset) for s in segments)
            end = offset + audio.shape[0] / SAMPLE_RATE
            report(end)
            yield Window(
                start=offset,
                end=end,
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
        for window in self.windows(path, opts, on_progress=on_progress):
            segments.extend(window.segments)
            end = window.end
            language = window.language
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
        report: Callable[[float], None],
    ) -> list[Segment]:
        if not regions:
            return []
        clips, pieces = _pack(regions)
        packed = np.concatenate([audio[start:end] for start, end in regions])

        def clip_done(packed_sample: int) -> None:
            report(_to_real(packed_sample / SAMPLE_RATE, pieces, end=True))

        decoded = self._decode_until_whole(packed, clips, opts, hotwords, clip_done)
        # In packed time everything inside a clip is speech; past a clip's end is Whisper's
        # zero padding, where whatever it writes is invented.
        kept: list[Segment] = []
        for seg, (clip_start, clip_end) in decoded:
            text = seg.text.strip()
            # Times past the clip's end would map into the next clip's speech.
            seg_start = min(seg.start, clip_end / SAMPLE_RATE)
            seg_end = min(seg.end, clip_end / SAMPLE_RATE)
            if opts.filter_hallucinations:
                if (
                    seg.no_speech_prob > opts.no_speech_threshold
                    and seg.avg_logprob < opts.log_prob_threshold
                ):
                    log.info("dropped as no speech at %.1f s: %r", seg_start, text)
                    continue
                own_clip = [(clip_start / SAMPLE_RATE, clip_end / SAMPLE_RATE)]
                if filters.mostly_silent(
                    seg.start, seg.end, own_clip, min_overlap=opts.min_speech_overlap
                ):
                    log.info("dropped as written over silence at %.1f s: %r", seg_start, text)
                    continue
                text = filters.clean_text(text)
                if filters.is_repeat_of_previous(text, previous):
                    log.info("dropped as a repeat at %.1f s: %r", seg_start, text)
                    continue
            if not text:
                continue
            previous.append(text)
            del previous[:-3]
            start, end = _span_to_real(seg_start, seg_end, pieces)
            words = tuple(
                Word(
                    _to_real(w.start, pieces, end=False), _to_real(w.end, pieces, end=True), w.word
                )
                for w in (seg.words or ())
            )
            kept.append(Segment(start, end, text, words))
        kept.sort(key=lambda s: s.start)
        return kept

    def _decode(
        self,
        packed: Audio,
        spans: list[tuple[int, int]],
        opts: TranscribeOptions,
        hotwords: str | None,
        beam_size: int,
        done: Callable[[int], None] | None = None,
    ) -> list[list[Any]]:
        """Each span's segments: ``spans`` of the packed audio decoded in batches of at most
        ``opts.batch_size`` clips, as many batches side by side as the model has workers
        (so two clips on two workers go one each). ``done`` gets the packed sample where
        each finished batch ends, in order.
        """
        if not spans:
            return []
        size = max(1, min(opts.batch_size, -(-len(spans) // self._workers)))
        batches = [spans[i : i + size] for i in range(0, len(spans), size)]
        found: list[list[Any]] = []
        language = opts.language
        if language is None:  # detected on the first batch, as one call over all would
            first, language = self._decode_batch(
                packed, batches[0], None, opts, hotwords, beam_size
            )
            self._language = language
            found.extend(first)
            if done is not None:
                done(batches[0][-1][1])
            batches = batches[1:]
        decode = partial(
            self._decode_batch,
            packed,
            language=language,
            opts=opts,
            hotwords=hotwords,
            beam_size=beam_size,
        )
        if self._workers > 1 and len(batches) > 1:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(
                    self._workers, thread_name_prefix="transcribe-model"
                )
            results: Iterator[tuple[list[list[Any]], str]] = self._executor.map(decode, batches)
        else:
            results = map(decode, batches)
        for batch, (segments, _) in zip(batches, results, strict=True):
            found.extend(segments)
            if done is not None:
                done(batch[-1][1])
        return found

    def _decode_batch(
        self,
        packed: Audio,
        spans: list[tuple[int, int]],
        language: str | None,
        opts: TranscribeOptions,
        hotwords: str | None,
        beam_size: int,
    ) -> tuple[list[list[Any]], str]:
        """One batched pipeline call over ``spans``: each span's segments, and the language."""
        from faster_whisper import BatchedInferencePipeline

        # A pipeline of its own: batches run side by side, and the pipeline keeps state.
        segments, info = BatchedInferencePipeline(self.whisper).transcribe(
            packed,
            language=language,
            beam_size=beam_size,
            batch_size=len(spans),
            temperature=0.0,
            without_timestamps=False,
            word_timestamps=opts.word_timestamps,
            vad_filter=False,
            clip_timestamps=[{"start": s / SAMPLE_RATE, "end": e / SAMPLE_RATE} for s, e in spans],
            hotwords=hotwords,
            log_progress=False,
        )
        frames = self.whisper.frames_per_second
        starts = [s / SAMPLE_RATE * frames for s, _ in spans]
        found: list[list[Any]] = [[] for _ in spans]
        for seg in segments:
            # The pipeline marks each segment with its span's start frame (rounded).
            index = min(range(len(spans)), key=lambda i: abs(starts[i] - seg.seek))
            found[index].append(seg)
        return found, str(info.language)

    def _decode_until_whole(
        self,
        packed: Audio,
        clips: list[tuple[int, int]],
        opts: TranscribeOptions,
        hotwords: str | None,
        done: Callable[[int], None],
    ) -> list[tuple[Any, tuple[int, int]]]:
        """Decode every clip, then decode again what came back far too short, looping, or
        stopping before the clip's speech ends, until it does not (a few rounds at most).

        The batched pipeline decodes each clip once, with no fallback: greedy decoding now
        and then stops after a few words of a full clip, loops on one phrase to the token
        limit, or ends the text early and leaves the clip's last seconds unwritten (Whisper's
        sequential loop would seek on; the batched one does not). Speech runs at 10-15
        characters a second and every second of a packed clip is speech, so:

        - a clip whose segments end more than ``UNWRITTEN_TAIL_S`` before it does has that
          tail decoded with beam search as a clip of its own, and again while that gets
          further;
        - a clip still with fewer than ``STARVED_CHARS_PER_S`` once loops are collapsed is
          decoded again with beam search, then in halves, the decode with more such text
          kept, and what that leaves unwritten decoded as above.

        Whatever is still unwritten after that is logged with its time, never dropped
        without a word.
        """
        retry_beam = max(5, opts.beam_size)
        first = self._decode(packed, clips, opts, hotwords, opts.beam_size, done)
        results = [_Attempt(span, segs) for span, segs in zip(clips, first, strict=True)]
        if not opts.retry_failed_clips:
            return [(seg, a.span) for a in results for seg in a.segments]

        # One round for both kinds, side by side on the model's workers (one pass after
        # another left a worker idle when only one clip failed): a starved clip is decoded
        # again whole with beam search, the decode with more text kept; a clip that stopped
        # early goes on from where it stopped (only the rest is decoded again, with beam
        # search: on the 2-minute bench file greedy tails left CER 0.345, beam tails 0.328,
        # in the same time).
        starved = [a for a in results if a.starved()]
        tails = [(a, tail) for a in results if not a.starved() and (tail := a.unwritten_tail())]
        if starved or tails:
            spans = [a.span for a in starved] + [tail for _, tail in tails]
            decoded = self._decode(packed, spans, opts, hotwords, retry_beam)
            for attempt, segs in zip(starved, decoded, strict=False):
                log.info("clip at %.1f s decoded again with beam %d", attempt.start_s, retry_beam)
                attempt.keep_better([(segs, attempt.span)])
            for (attempt, tail), segs in zip(tails, decoded[len(starved) :], strict=True):
                attempt.extend_tail(segs, tail)
        halves = [(a, _halves(a.span)) for a in results if a.starved()]
        if halves:
            spans = [span for _, pair in halves for span in pair]
            decoded = self._decode(packed, spans, opts, hotwords, retry_beam)
            for i, (attempt, pair) in enumerate(halves):
                log.info("clip at %.1f s decoded again in halves", attempt.start_s)
                attempt.keep_better(list(zip(decoded[2 * i : 2 * i + 2], pair, strict=True)))
        # What is still unwritten: the rest of clips decoded again above, and tails that
        # went on but not to the end.
        self._decode_unwritten_tails(packed, results, opts, hotwords, retry_beam)
        for attempt in results:
            if attempt.starved() or attempt.unwritten_tail(give_up=False) is not None:
                log.warning(
                    "speech at %.1f-%.1f s (packed) still decodes to little text: %r",
                    attempt.start_s, attempt.span[1] / SAMPLE_RATE, attempt.text(),
                )  # fmt: skip
        return [pair for a in results for pair in a.pairs]

    def _decode_unwritten_tails(
        self,
        packed: Audio,
        results: list[_Attempt],
        opts: TranscribeOptions,
        hotwords: str | None,
        beam_size: int,
    ) -> None:
        """Decode, as clips of their own, the ends of clips that no segment reached (a tail
        that gave nothing more is not decoded again: the same audio gives the same text)."""
        for _ in range(MAX_TAIL_ROUNDS):
            tails = [(a, tail) for a in results if (tail := a.unwritten_tail()) is not None]
            if not tails:
                return
            decoded = self._decode(packed, [t for _, t in tails], opts, hotwords, beam_size)
            for (attempt, tail), segs in zip(tails, decoded, strict=True):
                attempt.extend_tail(segs, tail)


@dataclass
class _Attempt:
    """One clip's decoded segments so far, each with the span it was decoded in."""

    span: tuple[int, int]
    segments: list[Any]
    pairs: list[tuple[Any, tuple[int, int]]] = field(default_factory=list)
    given_up: bool = False

    def __post_init__(self) -> None:
        self.pairs = [(seg, self.span) for seg in self.segments]

    @property
    def start_s(self) -> float:
        return self.span[0] / SAMPLE_RATE

    def text(self) -> str:
        return " ".join(seg.text.strip() for seg, _ in self.pairs)

    def useful_chars(self) -> int:
        return _useful_chars([seg for seg, _ in self.pairs])

    def starved(self) -> bool:
        seconds = (self.span[1] - self.span[0]) / SAMPLE_RATE
        return seconds >= MIN_RETRY_S and self.useful_chars() < STARVED_CHARS_PER_S * seconds

    def keep_better(self, decoded: list[tuple[list[Any], tuple[int, int]]]) -> None:
        pairs = [(seg, span) for segs, span in decoded for seg in segs]
        if _useful_chars([seg for seg, _ in pairs]) > self.useful_chars():
            self.pairs = pairs
            self.given_up = False  # a new text: its own unwritten end, if any, is new audio

    def written_to(self) -> int:
        """The packed sample where the last segment with text ends."""
        ends = [
            round(min(seg.end, span[1] / SAMPLE_RATE) * SAMPLE_RATE)
            for seg, span in self.pairs
            if seg.text.strip()
        ]
        return max(ends, default=self.span[0])

    def unwritten_tail(self, *, give_up: bool = True) -> tuple[int, int] | None:
        if give_up and self.given_up:
            return None
        start = self.written_to()
        if self.span[1] - start < UNWRITTEN_TAIL_S * SAMPLE_RATE:
            return None
        return start, self.span[1]

    def extend_tail(self, segments: list[Any], tail: tuple[int, int]) -> None:
        """Add a tail's segments; give the tail up when they wrote no further into the clip."""
        before = self.written_to()
        self.pairs.extend((seg, tail) for seg in segments)
        if self.written_to() > before:
            log.info("unwritten end of clip at %.1f s decoded", self.start_s)
        else:
            self.given_up = True


def _halves(span: tuple[int, int]) -> tuple[tuple[int, int], tuple[int, int]]:
    middle = (span[0] + span[1]) // 2
    return (span[0], middle), (middle, span[1])


def _after(report: Callable[[float], None], offset: float, seconds: float) -> None:
    report(offset + seconds)


def _useful_chars(segments: list[Any]) -> int:
    return sum(len(filters.collapse_loops(seg.text.strip())) for seg in segments)


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


def _ahead(items: Iterator[_T]) -> Iterator[_T]:
    """``items``, produced one ahead in a thread: the next window decodes and runs VAD while
    the model works on this one (PyAV and onnxruntime release the GIL).

    At most one finished item waits, so memory stays bounded; an error in the producer is
    raised here, after the items before it; closing this generator stops the thread.
    """
    handoff: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=1)
    stop = threading.Event()

    def put(item: tuple[str, Any]) -> bool:
        while not stop.is_set():
            try:
                handoff.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put(("item", item)):
                    return
        except BaseException as error:  # handed to the consumer, raised there
            put(("error", error))
            return
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()  # the decoder's file, in the thread that opened it
        put(("end", None))

    thread = threading.Thread(target=produce, name="transcribe-decode", daemon=True)
    thread.start()
    try:
        while True:
            kind, value = handoff.get()
            if kind == "end":
                return
            if kind == "error":
                raise value
            yield value
    finally:
        stop.set()
        thread.join()


def _vad_windows(
    blocks: Iterator[Audio], opts: TranscribeOptions, window_s: float, *, start: float
) -> Iterator[tuple[float, Audio, list[tuple[int, int]]]]:
    """``(offset_s, audio, speech regions)`` per window; windows tile the stream exactly."""
    window = round(window_s * SAMPLE_RATE)
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


@dataclass(frozen=True, slots=True)
class _Piece:
    """A speech region placed in the packed audio: where it sits there and in the window."""

    packed: int
    real: int
    length: int


def _pack(regions: list[tuple[int, int]]) -> tuple[list[tuple[int, int]], list[_Piece]]:
    """Pack speech regions back to back into clips of at most 30 s (silence left out).

    Whisper's encoder always sees 30 s, so packing only speech means fewer clips than
    cutting the recording's own timeline. The clips are as few as 30 s allows and as even
    as the regions allow (the shortest limit that still gives that many): the model's
    workers, one clip each, finish together, and a clip that ends well before its 30 s
    window ends lets the model see its last words end (speech running to the window's edge
    is often left unwritten, and that tail costs a window of its own to decode).

    Returns the clips as ranges of the packed audio and the pieces that map packed samples
    back to the window's.
    """
    limit = round(CLIP_S * SAMPLE_RATE)
    lengths = [end - start for start, end in regions]
    count = len(_cut(lengths, limit))
    low = max([*lengths, -(-sum(lengths) // max(count, 1))], default=0)
    while low < limit:  # the shortest limit that gives ``count`` clips
        middle = (low + limit) // 2
        if len(_cut(lengths, middle)) <= count:
            limit = middle
        else:
            low = middle + 1
    pieces: list[_Piece] = []
    cursor = 0
    for (start, _), length in zip(regions, lengths, strict=True):
        pieces.append(_Piece(cursor, start, length))
        cursor += length
    return _cut(lengths, limit), pieces


def _cut(lengths: list[int], limit: int) -> list[tuple[int, int]]:
    """Greedy clips of at most ``limit`` samples over pieces of ``lengths`` laid end to end."""
    clips: list[tuple[int, int]] = []
    cursor = 0
    clip_start: int | None = None
    for length in lengths:
        if clip_start is None or cursor + length - clip_start > limit:
            if clip_start is not None:
                clips.append((clip_start, cursor))
            clip_start = cursor
        cursor += length
    if clip_start is not None:
        clips.append((clip_start, cursor))
    return clips


def _span_to_real(start: float, end: float, pieces: list[_Piece]) -> tuple[float, float]:
    """Map a segment from packed time to the window's timeline.

    A segment's timestamps may stray a little over a seam into the neighbouring piece (which
    in real time may be half a minute away): only pieces holding a real share of it count.
    """
    a, b = round(start * SAMPLE_RATE), round(end * SAMPLE_RATE)
    shares = [
        (piece, min(b, piece.packed + piece.length) - max(a, piece.packed)) for piece in pieces
    ]
    shares = [(piece, share) for piece, share in shares if share > 0]
    if not shares:
        real = _to_real(start, pieces, end=False)
        return real, max(real, _to_real(end, pieces, end=True))
    enough = min(SAMPLE_RATE // 2, (b - a) // 4)
    held = [piece for piece, share in shares if share >= enough] or [
        max(shares, key=lambda item: item[1])[0]
    ]
    first, last = held[0], held[-1]
    real_start = first.real + max(a - first.packed, 0)
    real_end = last.real + min(b - last.packed, last.length)
    return real_start / SAMPLE_RATE, max(real_start, real_end) / SAMPLE_RATE


def _to_real(seconds: float, pieces: list[_Piece], *, end: bool) -> float:
    """Map a time in the packed audio to the window's own timeline.

    A time on the seam of two pieces is the end of the first (``end=True``) or the start of
    the second.
    """
    sample = round(seconds * SAMPLE_RATE)
    starts = [p.packed for p in pieces]
    index = (bisect_left(starts, sample) if end else bisect_right(starts, sample)) - 1
    piece = pieces[max(0, index)]
    offset = min(max(sample - piece.packed, 0), piece.length)
    return (piece.real + offset) / SAMPLE_RATE
