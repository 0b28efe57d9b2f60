from __future__ import annotations

from pathlib import Path

import pytest

from transcribe.model import ensure_bundled_model


@pytest.fixture(scope="session")
def whisper_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory with the bundled Whisper model joined once for the session."""
    data_dir = tmp_path_factory.mktemp("whisper")
    ensure_bundled_model(data_dir)
    return data_dir
