"""What the wiring adds to taking a recording in: the check that a stored copy is media that
can be transcribed (storage does not decode audio; ``transcribe`` does)."""

from __future__ import annotations

import logging
from pathlib import Path

from storage.errors import ErrorCode
from storage.services.intake import NotARecording
from transcribe.audio import probe
from transcribe.errors import AudioError

log = logging.getLogger(__name__)


def check_recording(path: Path) -> None:
    """Raise :class:`NotARecording` unless ``path`` holds decodable audio from start to end.

    Called on the partial copy, whose name means nothing to the person: their message keeps
    the reason and drops the path.
    """
    try:
        probe(path)
    except AudioError as error:
        log.info("refused as a recording: %s", error.log_message)
        reason = str(error).removesuffix(f": {path}")
        raise NotARecording(error.log_message, ErrorCode.NOT_A_RECORDING, reason=reason) from error
