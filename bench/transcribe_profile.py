"""Where a transcription's time goes: VAD, features, encoder, decoder, and each decode pass.

    PYTHONPATH=$PWD .venv/bin/python bench/transcribe_profile.py [AUDIO]
        [--kind diemcau|default] [--repeat 2] [--set batch_size=4 ...]

AUDIO defaults to the real-voice file that ``bench/transcribe_speed.py`` builds
(``var/bench/real-voices-vieneu.wav``; run that bench once first). ``--kind diemcau`` runs
``Transcriber.transcribe`` with the options ``options_for`` settles (``--set`` changes one,
as ``name=value``); ``--kind default`` runs faster-whisper's plain
``WhisperModel(path).transcribe(audio, language="vi")``, the call the speed target is
measured against.

The model's ``feature_extractor``, ``encode``/``generate`` (the CTranslate2 calls) and Silero
VAD are wrapped with timers; for ours each batched decode call (the first pass, the
unwritten tails, the starved clips and their halves) is listed with its clips, seconds of
audio, beam, tokens written and time. Every 30 s window the encoder sees is a full 30 s, so
the padding line says how much of the encoder's work was zeros. The split is printed for
the last of ``--repeat`` runs (the first also pays for warming up).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SAMPLE_RATE = 16_000


@dataclasses.dataclass
class Clock:
    """Seconds and calls per stage."""

    seconds: dict[str, float] = dataclasses.field(default_factory=lambda: defaultdict(float))
    calls: dict[str, int] = dataclasses.field(default_factory=lambda: defaultdict(int))
    counts: dict[str, int] = dataclasses.field(default_factory=lambda: defaultdict(int))

    def add(self, stage: str, seconds: float) -> None:
        self.seconds[stage] += seconds
        self.calls[stage] += 1

    def snapshot(self) -> dict[str, float]:
        return dict(self.seconds)


class TimedCT2:
    """The CTranslate2 Whisper model with its encoder and decoder calls timed."""

    def __init__(self, inner: Any, clock: Clock) -> None:
        self._inner = inner
        self._clock = clock

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def encode(self, features: Any, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        out = self._inner.encode(features, *args, **kwargs)
        self._clock.add("encoder", time.perf_counter() - started)
        self._clock.counts["encoder windows"] += int(features.shape[0])
        return out

    def generate(self, encoder_output: Any, prompts: Any, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        results = self._inner.generate(encoder_output, prompts, *args, **kwargs)
        self._clock.add("decoder", time.perf_counter() - started)
        self._clock.counts["decoder sequences"] += len(prompts)
        self._clock.counts["tokens written"] += sum(len(r.sequences_ids[0]) for r in results)
        return results

    def detect_language(self, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        out = self._inner.detect_language(*args, **kwargs)
        self._clock.add("language detection", time.perf_counter() - started)
        return out


class TimedFeatures:
    """The log-mel feature extractor, timed."""

    def __init__(self, inner: Any, clock: Clock) -> None:
        self._inner = inner
        self._clock = clock

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        out = self._inner(*args, **kwargs)
        self._clock.add("features", time.perf_counter() - started)
        return out


def instrument(whisper: Any, clock: Clock) -> None:
    whisper.model = TimedCT2(whisper.model, clock)
    whisper.feature_extractor = TimedFeatures(whisper.feature_extractor, clock)
    import faster_whisper.transcribe as fw
    from faster_whisper import vad

    from transcribe import engine

    def timed(function: Any, stage: str) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            out = function(*args, **kwargs)
            clock.add(stage, time.perf_counter() - started)
            return out

        return call

    engine.speech_regions = timed(engine.speech_regions, "vad")
    fw.get_speech_timestamps = timed(vad.get_speech_timestamps, "vad")
    fw.decode_audio = timed(fw.decode_audio, "audio decode")


def run_default(audio: Path, model_dir: Path, clock: Clock) -> str:
    from faster_whisper import WhisperModel

    model = WhisperModel(str(model_dir))
    instrument(model, clock)
    started = time.perf_counter()
    segments, _ = model.transcribe(str(audio), language="vi")
    text = " ".join(s.text.strip() for s in segments)
    clock.add("whole call", time.perf_counter() - started)
    return text


def run_diemcau(audio: Path, model_dir: Path, clock: Clock, settings: dict[str, Any]) -> str:
    from transcribe.engine import Transcriber

    transcriber = Transcriber.load(str(model_dir), data_dir=REPO / "var")
    instrument(transcriber.whisper, clock)
    opts = transcriber.options_for(settings)
    passes: list[dict[str, Any]] = []
    decode = transcriber._decode

    def traced(packed: Any, spans: Any, o: Any, hotwords: Any, beam: int, done: Any = None) -> Any:
        before = clock.snapshot()
        tokens = clock.counts["tokens written"]
        started = time.perf_counter()
        out = decode(packed, spans, o, hotwords, beam, done)
        after = clock.snapshot()
        passes.append(
            {
                "clips": len(spans),
                "audio_s": sum(e - s for s, e in spans) / SAMPLE_RATE,
                "lengths": [round((e - s) / SAMPLE_RATE, 1) for s, e in spans],
                "beam": beam,
                "tokens": clock.counts["tokens written"] - tokens,
                "seconds": time.perf_counter() - started,
                "split": {k: after[k] - before.get(k, 0.0) for k in after},
            }
        )
        return out

    transcriber._decode = traced  # type: ignore[assignment,method-assign]
    started = time.perf_counter()
    transcript = transcriber.transcribe(audio, opts)
    clock.add("whole call", time.perf_counter() - started)
    print(f"  options: batch_size={opts.batch_size} beam_size={opts.beam_size}")
    for number, item in enumerate(passes, 1):
        split = item["split"]
        print(
            f"  pass {number}: {item['clips']:2d} clips, {item['audio_s']:5.1f} s audio,"
            f" beam {item['beam']}, {item['tokens']:4d} tokens, {item['seconds']:5.2f} s"
            f" (features {split.get('features', 0):.2f}, encoder {split.get('encoder', 0):.2f},"
            f" decoder {split.get('decoder', 0):.2f})"
        )
        print(f"          clip lengths (s): {item['lengths']}")
    return transcript.text


def report(clock: Clock, duration: float) -> None:
    whole = clock.seconds["whole call"]
    print(f"  whole call {whole:.2f} s for {duration:.1f} s of audio")
    for stage in ("audio decode", "vad", "features", "language detection", "encoder", "decoder"):
        if stage in clock.seconds:
            seconds = clock.seconds[stage]
            print(
                f"    {stage:18s} {seconds:6.2f} s {seconds / whole:6.1%}"
                f"  ({clock.calls[stage]} calls)"
            )
    timed = sum(v for k, v in clock.seconds.items() if k != "whole call")
    if timed <= whole:
        print(f"    {'rest (python)':18s} {whole - timed:6.2f} s {(whole - timed) / whole:6.1%}")
    else:  # the model's workers ran side by side
        print(f"    (stages summed over the model's workers: {timed:.2f} s in {whole:.2f} s)")
    windows = clock.counts["encoder windows"]
    print(
        f"  encoder: {windows} windows of 30 s = {windows * 30:.0f} s encoded for"
        f" {duration:.1f} s of audio; {clock.seconds['encoder'] / max(windows, 1):.3f} s a window"
    )
    tokens = clock.counts["tokens written"]
    print(
        f"  decoder: {clock.counts['decoder sequences']} sequences, {tokens} tokens,"
        f" {clock.seconds['decoder'] / max(tokens, 1) * 1000:.1f} ms a token"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("audio", nargs="?", type=Path, default=None)
    parser.add_argument("--kind", choices=("diemcau", "default"), default="diemcau")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))

    from transcribe.audio import decoded_duration
    from transcribe.model import ensure_bundled_model

    audio = args.audio or REPO / "var" / "bench" / "real-voices-vieneu.wav"
    settings: dict[str, Any] = {}
    for item in args.set:
        name, _, value = item.partition("=")
        settings[name] = int(value) if value.lstrip("-").isdigit() else value
    model_dir = ensure_bundled_model(REPO / "var")
    duration = decoded_duration(audio)
    for attempt in range(1, args.repeat + 1):
        clock = Clock()
        print(f"{args.kind} run {attempt}/{args.repeat} on {audio.name}", flush=True)
        if args.kind == "default":
            text = run_default(audio, model_dir, clock)
        else:
            text = run_diemcau(audio, model_dir, clock, settings)
        if attempt == args.repeat:
            report(clock, duration)
            print(f"  text: {len(text)} characters")
        else:
            print(f"  whole call {clock.seconds['whole call']:.2f} s")


if __name__ == "__main__":
    main()
