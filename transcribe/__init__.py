"""Recordings to Vietnamese transcripts with faster-whisper: offline, streamed, crash-safe.

    from transcribe import Transcriber
    transcriber = Transcriber.load("base", data_dir=Path("var"))
    transcript = transcriber.transcribe(Path("examples/sample-ket-luan.ogg"))

faster-whisper itself is imported only when a model is loaded.
"""

from transcribe.audio import AudioInfo, probe, stream_audio
from transcribe.engine import Segment, Transcriber, Transcript, Window
from transcribe.errors import AudioError, ModelUnavailable, TranscribeError
from transcribe.formats import FORMATS, render
from transcribe.model import ensure_bundled_model, resolve_model
from transcribe.options import TranscribeOptions

__all__ = [
    "FORMATS",
    "AudioError",
    "AudioInfo",
    "ModelUnavailable",
    "Segment",
    "TranscribeError",
    "TranscribeOptions",
    "Transcriber",
    "Transcript",
    "Window",
    "ensure_bundled_model",
    "probe",
    "render",
    "resolve_model",
    "stream_audio",
]
