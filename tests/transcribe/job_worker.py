"""A real worker process for the kill test: ``python -m tests.transcribe.job_worker URL ID DIR``.

It loads the model, runs the job on one recording with small windows, and prints the outcome.
"""

from __future__ import annotations

import sys
from pathlib import Path

from storage.db import make_sync_engine, make_sync_sessionmaker
from transcribe.engine import Transcriber
from transcribe.job import run_transcription
from transcribe.options import TranscribeOptions

WORKER_OPTIONS = TranscribeOptions(window_s=36.0)


def main(url: str, recording_id: int, data_dir: Path) -> None:
    engine = make_sync_engine(url)
    transcriber = Transcriber.load("base", data_dir=data_dir)
    outcome = run_transcription(
        make_sync_sessionmaker(engine), recording_id, transcriber=transcriber,
        options=WORKER_OPTIONS,
    )  # fmt: skip
    print(outcome, flush=True)
    engine.dispose()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]))
