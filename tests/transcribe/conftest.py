"""Fixtures for the transcription suite: synthesised Vietnamese speech, the bundled model."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from transcribe.engine import Transcriber

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "examples" / "sample-ket-luan.ogg"
SAMPLE_TEXT = REPO / "examples" / "sample-ket-luan.txt"
SAMPLE_DURATION = 47.7  # seconds

Synthesise = Callable[..., Path]


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text).casefold()
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def cer(reference: str, hypothesis: str) -> float:
    import jiwer

    return float(jiwer.cer(normalise(reference), normalise(hypothesis)))


@pytest.fixture(scope="session")
def tools() -> None:
    missing = [tool for tool in ("espeak-ng", "ffmpeg") if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"{', '.join(missing)} not installed (.ci/run installs them)")


def synthesise_to(
    out: Path, parts: list[str | float], *, extra_ffmpeg: tuple[str, ...] = ()
) -> Path:
    """Speak ``parts`` (text, or a float for seconds of silence) with espeak-ng -v vi.

    The output format follows ``out``'s suffix (ffmpeg converts).
    """
    ssml = ["<speak>"]
    for part in parts:
        if isinstance(part, float):
            ssml.append(f'<break time="{int(part * 1000)}ms"/>')
        else:
            ssml.append(part)
    ssml.append("</speak>")
    wav = out.with_name(out.stem + ".espeak.wav")
    out.parent.mkdir(parents=True, exist_ok=True)
    source = out.with_name(out.stem + ".ssml")
    source.write_text("".join(ssml), encoding="utf-8")
    subprocess.run(
        ["espeak-ng", "-v", "vi", "-m", "-s", "150", "-w", str(wav), "-f", str(source)],
        check=True,
    )
    subprocess.run(
        ["ffmpeg", "-y", "-loglevel", "error", "-i", str(wav), *extra_ffmpeg, str(out)],
        check=True,
    )
    return out


@pytest.fixture
def synthesise(tools: None, tmp_path: Path) -> Synthesise:
    def make(name: str, *parts: str | float, extra_ffmpeg: tuple[str, ...] = ()) -> Path:
        return synthesise_to(tmp_path / name, list(parts), extra_ffmpeg=extra_ffmpeg)

    return make


def silence_to(out: Path, seconds: float) -> Path:
    subprocess.run(
        ["ffmpeg", "-y", "-loglevel", "error", "-f", "lavfi", "-i",
         "anullsrc=r=16000:cl=mono", "-t", str(seconds), str(out)],
        check=True,
    )  # fmt: skip
    return out


@pytest.fixture(scope="session")
def transcriber(model_data_dir: Path) -> Transcriber:
    return Transcriber.load("base", data_dir=model_data_dir)
