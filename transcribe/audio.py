"""Streaming decode with PyAV: any file ffmpeg reads, to 16 kHz mono float32, block by block.

faster-whisper's ``decode_audio`` returns the whole recording as one array (about 690 MB for
three hours); here the caller gets small blocks and memory stays flat whatever the length.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
import numpy.typing as npt

from transcribe.errors import AudioError
from transcribe.options import SAMPLE_RATE

log = logging.getLogger(__name__)

Audio = npt.NDArray[np.float32]

# Blocks handed to the caller hold about this much audio.
BLOCK_S = 10.0
# A recording that decodes to less than its declared length minus this is truncated.
TRUNCATION_TOLERANCE_S = 1.0
TRUNCATION_TOLERANCE_FRACTION = 0.02


@dataclass(frozen=True, slots=True)
class AudioInfo:
    """What the container says about a recording, read without decoding it."""

    path: Path
    duration: float | None  # declared; None when the container does not say
    codec: str
    sample_rate: int
    channels: int


def _open(path: Path) -> av.container.InputContainer:
    if not path.exists():
        raise AudioError(f"không tìm thấy tệp: {path}", f"no such file: {path}")
    if not path.is_file():
        raise AudioError(f"không phải là tệp: {path}", f"not a regular file: {path}")
    if path.stat().st_size == 0:
        raise AudioError(f"tệp rỗng: {path}", f"empty file: {path}")
    try:
        return av.open(str(path), metadata_errors="ignore")
    except (av.error.FFmpegError, UnicodeDecodeError, ValueError) as error:
        raise AudioError(
            f"không đọc được tệp (không phải âm thanh/video, hoặc tệp hỏng): {path}",
            f"not a readable audio or video file, or a damaged one: {path} ({error})",
        ) from error


def _truncated_by_its_own_header(path: Path) -> bool:
    """Whether a WAV or Ogg file is visibly cut short.

    Two containers ffmpeg happily plays to wherever the bytes stop, so the decoder cannot
    tell: a WAV whose ``data`` chunk declares more bytes than the file has, and an Ogg
    stream whose last page lacks the end-of-stream flag.
    """
    size = path.stat().st_size
    with path.open("rb") as file:
        head = file.read(12)
        if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
            offset = 12
            while offset + 8 <= size:
                file.seek(offset)
                chunk = file.read(8)
                chunk_size = int.from_bytes(chunk[4:8], "little")
                if chunk[:4] == b"data":
                    # 0 and 0xFFFFFFFF mark a WAV written by a stream that never knew its size
                    if chunk_size in (0, 0xFFFFFFFF):
                        return False
                    return offset + 8 + chunk_size > size
                offset += 8 + chunk_size + (chunk_size & 1)
            return False
        if head[:4] == b"OggS":
            file.seek(max(0, size - 65_307))  # the largest possible Ogg page
            tail = file.read()
            last = tail.rfind(b"OggS")
            if last < 0 or last + 6 > len(tail):
                return True
            return not tail[last + 5] & 0x04  # header_type: end of stream
    return False


def _audio_stream(container: av.container.InputContainer, path: Path) -> av.audio.AudioStream:
    if not container.streams.audio:
        raise AudioError(f"tệp không có luồng âm thanh: {path}", f"no audio stream in {path}")
    return container.streams.audio[0]


def _declared_duration(
    container: av.container.InputContainer, stream: av.audio.AudioStream
) -> float | None:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return float(container.duration / av.time_base)
    return None


def _first_frame_at(
    container: av.container.InputContainer, stream: av.audio.AudioStream, at: float
) -> bool:
    """Whether a frame decodes at (or after) ``at`` seconds."""
    if at > 0 and stream.time_base is not None:
        try:
            container.seek(int(at / stream.time_base), stream=stream)
        except av.error.FFmpegError:
            return False
    for packet in container.demux(stream):
        try:
            decoded = packet.decode()
        except av.error.FFmpegError:
            continue
        if decoded:
            # A seek past the real end can leave the demuxer where it was: that frame is
            # from the start, not from ``at``.
            first = decoded[0].time
            return first is None or first >= at - 10.0
    return False


def probe(path: Path) -> AudioInfo:
    """Check that ``path`` is a readable recording and say what it holds.

    Reads the header, decodes one frame at the start and one near the declared end, so an
    empty, non-audio, stream-less or truncated file fails here with an :class:`AudioError`
    before any model is loaded.
    """
    path = Path(path)
    with _open(path) as container:
        stream = _audio_stream(container, path)
        duration = _declared_duration(container, stream)
        codec = stream.codec_context.name
        sample_rate = stream.codec_context.sample_rate or 0
        channels = stream.codec_context.channels or 0
        if not _first_frame_at(container, stream, 0.0):
            raise AudioError(
                f"không giải mã được âm thanh trong tệp: {path}", f"no decodable audio in {path}"
            )
        if _truncated_by_its_own_header(path):
            raise AudioError(
                f"tệp bị cắt cụt (thiếu phần cuối): {path}",
                f"truncated: the file's own header says more data follows: {path}",
            )
        if (
            duration is not None
            and duration > 3.0
            and not _first_frame_at(container, stream, duration - 2.0)
        ):
            raise AudioError(
                f"tệp bị cắt cụt hoặc hỏng (không đọc được phần cuối): {path}",
                f"truncated or damaged: nothing decodes near the declared end of {path}",
            )
    return AudioInfo(path, duration, codec, sample_rate, channels)


def stream_audio(path: Path, *, start: float = 0.0, block_s: float = BLOCK_S) -> Iterator[Audio]:
    """Yield the recording from ``start`` seconds as 16 kHz mono float32 blocks.

    Blocks are about ``block_s`` long (the last may be shorter). A packet that fails to
    decode is skipped and logged; a recording that ends well short of its declared length
    raises :class:`AudioError` after its last block.
    """
    path = Path(path)
    block_samples = max(1, round(block_s * SAMPLE_RATE))
    with _open(path) as container:
        stream = _audio_stream(container, path)
        declared = _declared_duration(container, stream)
        stream.codec_context.thread_type = "AUTO"
        if start > 0 and stream.time_base is not None:
            container.seek(int(start / stream.time_base), stream=stream, backward=True)
        resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
        pending: list[Audio] = []
        pending_samples = 0
        skip: int | None = None if start > 0 else 0  # samples before ``start`` to drop
        decoded = 0  # samples after ``start`` yielded so far
        bad_packets = 0

        def frames() -> Iterator[av.AudioFrame]:
            nonlocal bad_packets
            for packet in container.demux(stream):
                try:
                    yield from packet.decode()
                except av.error.FFmpegError as error:
                    bad_packets += 1
                    log.warning("skipping an undecodable packet in %s: %s", path, error)

        for frame in _with_flush(frames()):
            if skip is None and frame is not None:
                frame_time = frame.time if frame.time is not None else 0.0
                skip = max(0, round((start - frame_time) * SAMPLE_RATE))
            if frame is not None:
                frame.pts = None  # the resampler re-times; gaps in pts would confuse it
            for out in resampler.resample(frame):
                samples = out.to_ndarray().reshape(-1).astype(np.float32, copy=False)
                if skip:
                    dropped = min(skip, samples.shape[0])
                    samples = samples[dropped:]
                    skip -= dropped
                if samples.shape[0] == 0:
                    continue
                pending.append(samples)
                pending_samples += samples.shape[0]
                while pending_samples >= block_samples:
                    block = np.concatenate(pending)
                    yield block[:block_samples]
                    decoded += block_samples
                    rest = block[block_samples:]
                    pending = [rest] if rest.shape[0] else []
                    pending_samples = rest.shape[0]
        if pending_samples:
            yield np.concatenate(pending)
            decoded += pending_samples
        if bad_packets:
            log.warning("%d undecodable packets skipped in %s", bad_packets, path)
        if declared is not None:
            got = start + decoded / SAMPLE_RATE
            tolerance = max(TRUNCATION_TOLERANCE_S, TRUNCATION_TOLERANCE_FRACTION * declared)
            if got < declared - tolerance:
                raise AudioError(
                    f"tệp bị cắt cụt: chỉ đọc được {got:.0f} trên {declared:.0f} giây: {path}",
                    f"truncated: decoded {got:.1f} s of a declared {declared:.1f} s in {path}",
                )


def _with_flush(frames: Iterator[av.AudioFrame]) -> Iterator[av.AudioFrame | None]:
    yield from frames
    yield None  # flushes the resampler


def decoded_duration(path: Path) -> float:
    """Decode the whole recording (streamed) and return its length in seconds."""
    return float(sum(block.shape[0] for block in stream_audio(path))) / SAMPLE_RATE
