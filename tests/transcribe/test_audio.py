"""Streamed decoding and the bad inputs that must fail with one clear reason."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from tests.transcribe.conftest import SAMPLE, Synthesise
from transcribe.audio import BLOCK_S, decoded_duration, probe, stream_audio
from transcribe.errors import AudioError
from transcribe.options import SAMPLE_RATE


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-y", "-loglevel", "error", *args], check=True)


def truncate(source: Path, target: Path, fraction: float) -> Path:
    data = source.read_bytes()
    target.write_bytes(data[: int(len(data) * fraction)])
    return target


def test_blocks_are_small_and_add_up_to_the_recording() -> None:
    blocks = list(stream_audio(SAMPLE, block_s=2.0))
    assert all(b.dtype == np.float32 and b.ndim == 1 for b in blocks)
    assert max(b.shape[0] for b in blocks) == 2 * SAMPLE_RATE
    total = sum(b.shape[0] for b in blocks) / SAMPLE_RATE
    assert total == pytest.approx(probe(SAMPLE).duration or 0, abs=0.05)
    assert BLOCK_S <= 30  # the default block stays small whatever the file's length


def test_decoding_from_an_offset_gives_the_tail() -> None:
    whole = np.concatenate(list(stream_audio(SAMPLE)))
    tail = np.concatenate(list(stream_audio(SAMPLE, start=20.0)))
    assert tail.shape[0] == pytest.approx(whole.shape[0] - 20 * SAMPLE_RATE, abs=800)
    aligned = whole[20 * SAMPLE_RATE : 20 * SAMPLE_RATE + tail.shape[0]]
    assert np.corrcoef(aligned[: aligned.shape[0]], tail[: aligned.shape[0]])[0, 1] > 0.99


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("voice.wav", ()),
        ("voice.mp3", ()),
        ("voice.m4a", ()),
        ("voice-note.opus", ("-c:a", "libopus")),
        ("voice.webm", ()),
        ("voice.flac", ()),
    ],
)
def test_any_format_ffmpeg_reads_decodes(
    tmp_path: Path, name: str, options: tuple[str, ...]
) -> None:
    target = tmp_path / name
    ffmpeg("-i", str(SAMPLE), *options, str(target))
    info = probe(target)
    assert info.duration is None or info.duration == pytest.approx(47.7, abs=0.5)
    assert decoded_duration(target) == pytest.approx(47.7, abs=0.5)


def test_video_with_sound_decodes_its_audio(tmp_path: Path) -> None:
    video = tmp_path / "phien-hop.mkv"
    ffmpeg("-f", "lavfi", "-i", "testsrc=duration=5:size=64x64:rate=5", "-i", str(SAMPLE),
           "-t", "5", "-c:v", "mpeg4", "-c:a", "libopus", str(video))  # fmt: skip
    assert decoded_duration(video) == pytest.approx(5.0, abs=0.2)


def _no_audio(tmp: Path) -> Path:
    video = tmp / "camera.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc=duration=2:size=64x64:rate=5", "-c:v", "mpeg4",
           str(video))  # fmt: skip
    return video


def _text(tmp: Path) -> Path:
    path = tmp / "bien-ban.wav"
    path.write_text("Đây là biên bản, không phải ghi âm.\n" * 50, encoding="utf-8")
    return path


def _empty(tmp: Path) -> Path:
    path = tmp / "empty.ogg"
    path.touch()
    return path


def _truncated_wav(tmp: Path) -> Path:
    wav = tmp / "whole.wav"
    ffmpeg("-i", str(SAMPLE), str(wav))
    return truncate(wav, tmp / "cut.wav", 0.4)


def _truncated_ogg(tmp: Path) -> Path:
    return truncate(SAMPLE, tmp / "cut.ogg", 0.5)


def _truncated_m4a(tmp: Path) -> Path:
    whole = tmp / "whole.m4a"
    ffmpeg("-i", str(SAMPLE), "-movflags", "+faststart", str(whole))
    return truncate(whole, tmp / "cut.m4a", 0.4)


def _truncated_mp3(tmp: Path) -> Path:
    whole = tmp / "whole.mp3"
    ffmpeg("-i", str(SAMPLE), str(whole))
    return truncate(whole, tmp / "cut.mp3", 0.3)


BAD = {
    "missing": (lambda tmp: tmp / "khong-co.ogg", "không tìm thấy"),
    "directory": (lambda tmp: tmp, "không phải là tệp"),
    "empty": (_empty, "rỗng"),
    "text": (_text, "không đọc được"),
    "no audio stream": (_no_audio, "không có luồng âm thanh"),
    "truncated wav": (_truncated_wav, "cắt cụt"),
    "truncated ogg": (_truncated_ogg, "cắt cụt"),
    "truncated m4a": (_truncated_m4a, "cắt cụt"),
    "truncated mp3": (_truncated_mp3, "cắt cụt"),
}


@pytest.mark.parametrize("kind", sorted(BAD))
def test_bad_input_fails_with_one_clear_reason(tmp_path: Path, kind: str) -> None:
    make, words = BAD[kind]
    path = make(tmp_path)
    with pytest.raises(AudioError) as caught:
        probe(path)
    message = str(caught.value)
    assert words in message and "\n" not in message
    assert str(path) in message
    assert caught.value.log_message  # English, for the logs


def test_synthesised_speech_decodes(synthesise: Synthesise) -> None:
    path = synthesise("a.ogg", "Xin chào các đồng chí.", 1.0, "Xin cảm ơn.")
    assert 2.0 < decoded_duration(path) < 8.0


def test_memory_stays_flat_on_a_long_recording(tmp_path: Path) -> None:
    import tracemalloc

    long = tmp_path / "ba-muoi-phut.ogg"
    ffmpeg("-f", "lavfi", "-i", "sine=frequency=220:sample_rate=16000:duration=1800",
           "-c:a", "libopus", "-b:a", "8k", str(long))  # fmt: skip
    tracemalloc.start()
    try:
        total = 0
        for block in stream_audio(long):
            total += block.shape[0]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert total / SAMPLE_RATE == pytest.approx(1800, abs=1)
    whole = total * 4  # bytes of float32 had it been decoded in one piece (115 MB)
    assert peak < whole / 20, f"peak {peak / 1e6:.1f} MB"
