"""Can the bundled Whisper model hear the demo's sample if espeak-ng reads it differently?

    .venv/bin/python bench/sample_voice.py [--voices vi,vi-vn-x-south] [--rates 120,150]
                                           [--gaps 0,4] [--out var/bench/sample-voice]

Issue 10 asks that ``make demo`` turn ``examples/sample-ket-luan.ogg`` into at least two of
the three tasks of ``examples/sample-ket-luan.txt``. The only Vietnamese speech synthesiser
that works offline here is espeak-ng (the neural Vietnamese TTS packages on PyPI fetch their
models from a hub at first use). This script reads the sample text with every combination of
voice, rate (words per minute) and word gap, each sentence followed by 0.9 s of silence, encodes
it as the demo's Ogg/Opus, transcribes it through the same path as the demo
(``Transcriber.options_for`` + ``transcribe``) and drafts it, then prints one line per setting:
the character error rate against the text and how many tasks the drafter found.
"""

from __future__ import annotations

import argparse
import itertools
import subprocess
import unicodedata
from datetime import date
from pathlib import Path

import jiwer

import minutes
from transcribe import Transcriber

REPO = Path(__file__).resolve().parents[1]
TEXT = REPO / "examples" / "sample-ket-luan.txt"


def words_only(text: str) -> str:
    text = unicodedata.normalize("NFC", text.lower())
    return " ".join("".join(c if c.isalnum() else " " for c in text).split())


def synthesise(sentences: list[str], voice: str, rate: int, gap: int, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    padded = []
    for i, sentence in enumerate(sentences):
        wav, pad = folder / f"{i}.wav", folder / f"{i}-padded.wav"
        espeak = ["espeak-ng", "-v", voice, "-s", str(rate), "-g", str(gap), "-w", str(wav)]
        subprocess.run([*espeak, sentence], check=True)
        subprocess.run(["sox", str(wav), str(pad), "pad", "0.3", "0.9"], check=True)
        padded.append(str(pad))
    joined, ogg = folder / "all.wav", folder / "all.ogg"
    subprocess.run(["sox", *padded, str(joined)], check=True)
    encode = ["ffmpeg", "-loglevel", "error", "-y", "-i", str(joined), "-ac", "1", "-ar", "16000"]
    subprocess.run([*encode, "-c:a", "libopus", "-b:a", "24k", str(ogg)], check=True)
    return ogg


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--voices", default="vi,vi-vn-x-south,vi-vn-x-central,vi+m3,vi+f2")
    parser.add_argument("--rates", default="120,150,175")
    parser.add_argument("--gaps", default="0,4")
    parser.add_argument("--out", type=Path, default=REPO / "var" / "bench" / "sample-voice")
    args = parser.parse_args()

    text = TEXT.read_text(encoding="utf-8")
    sentences = [s.strip() for s in text.split("\n\n") if s.strip()]
    transcriber = Transcriber.load("base", data_dir=REPO / "var")
    options = transcriber.options_for({"language": "vi"})
    print(f"{'voice':<18} {'rate':>4} {'gap':>3} {'CER':>6} tasks")
    for voice, rate, gap in itertools.product(
        args.voices.split(","),
        (int(r) for r in args.rates.split(",")),
        (int(g) for g in args.gaps.split(",")),
    ):
        ogg = synthesise(sentences, voice, rate, gap, args.out / f"{voice}-{rate}-{gap}")
        heard = " ".join(s.text for s in transcriber.transcribe(ogg, options).segments)
        cer = jiwer.cer(words_only(text), words_only(heard))
        drafted = minutes.draft_minutes(heard, meeting_date=date(2026, 6, 1))
        print(f"{voice:<18} {rate:>4} {gap:>3} {cer:>6.3f} {len(drafted.tasks)}", flush=True)


if __name__ == "__main__":
    main()
