"""``diemcau transcribe``: the fixed interface, bad input as one line, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from diemcau.cli import cli
from diemcau.settings import get_settings
from tests.transcribe.conftest import SAMPLE, SAMPLE_DURATION, SAMPLE_TEXT, cer
from tests.transcribe.test_audio import BAD
from transcribe.engine import Transcriber

DIEMCAU = Path(sys.executable).with_name("diemcau")


@pytest.fixture
def settings_env(model_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    monkeypatch.setenv("DIEMCAU_DATA_DIR", str(model_data_dir))
    monkeypatch.delenv("DIEMCAU_WHISPER_MODEL", raising=False)
    get_settings.cache_clear()
    yield {**os.environ}
    get_settings.cache_clear()


@pytest.mark.parametrize("kind", sorted(BAD))
def test_bad_input_is_one_line_and_a_failing_exit(
    tmp_path: Path, kind: str, settings_env: dict[str, str]
) -> None:
    path = BAD[kind][0](tmp_path)
    result = CliRunner().invoke(cli, ["transcribe", str(path)])
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Lỗi: ")
    assert lines[0][len("Lỗi: ")].isupper()  # every error line capitalised the same way
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["transcribe", str(SAMPLE), "--language", "xx"],
        ["transcribe"],
        ["transcribe", str(SAMPLE), "--format", "pdf"],
        ["transcribe", str(SAMPLE), "--khong-co"],
        ["khong-co-lenh"],
    ],
    ids=["language", "no-audio", "format", "option", "command"],
)
def test_every_error_is_one_vietnamese_line(args: list[str], settings_env: dict[str, str]) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code in (1, 2)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Lỗi: ") and lines[0][len("Lỗi: ")].isupper()
    for english in ("Error", "Usage", "Traceback", "Invalid", "Missing", "No such"):
        assert english not in result.stderr
    if "--language" in args:
        assert "'xx'" in lines[0]


def test_no_model_is_one_line_saying_what_to_set(
    tmp_path: Path, settings_env: dict[str, str]
) -> None:
    result = CliRunner().invoke(
        cli, ["transcribe", str(SAMPLE), "--model", str(tmp_path / "khong-co-mo-hinh")]
    )
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "DIEMCAU_WHISPER_MODEL" in lines[0]
    assert lines[0].startswith("Lỗi: ")


@pytest.mark.slow
def test_json_from_a_real_process(settings_env: dict[str, str], transcriber: Transcriber) -> None:
    done = subprocess.run(
        [str(DIEMCAU), "transcribe", str(SAMPLE), "--language", "vi"],
        capture_output=True,
        text=True,
        env=settings_env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # not a terminal: no progress bar
    data = json.loads(done.stdout)
    assert set(data) == {"language", "duration", "model", "segments"}
    assert data["language"] == "vi" and data["model"] == "whisper-base"
    assert data["duration"] == pytest.approx(SAMPLE_DURATION, abs=0.3)
    assert data["segments"] and all(s["text"].strip() for s in data["segments"])
    # One transcription path: the same segments as the function the job runs.
    same = transcriber.transcribe(SAMPLE, transcriber.options_for(None))
    assert data["segments"] == same.to_dict()["segments"]


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["srt", "vtt", "txt"])
def test_other_formats_to_a_file(
    tmp_path: Path, fmt: str, settings_env: dict[str, str], model_data_dir: Path
) -> None:
    out = tmp_path / f"bien-ban.{fmt}"
    result = CliRunner().invoke(
        cli,
        ["transcribe", str(SAMPLE), "--format", fmt, "-o", str(out),
         "--model", str(model_data_dir / "models" / "whisper-base")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    if fmt == "srt":
        assert text.startswith("1\n00:00:0")
    elif fmt == "vtt":
        assert text.startswith("WEBVTT\n\n00:00:0")
    else:
        assert text.strip() and cer(SAMPLE_TEXT.read_text(encoding="utf-8"), text) < 0.6


@pytest.mark.slow
def test_a_terminal_gets_a_progress_bar(settings_env: dict[str, str]) -> None:
    import pty

    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [str(DIEMCAU), "transcribe", str(SAMPLE), "--format", "txt"],
            stdout=subprocess.PIPE, stderr=follower, env=settings_env, timeout=120,
            check=False,
        )  # fmt: skip
        os.close(follower)
        follower = -1
        seen = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    finally:
        if follower >= 0:
            os.close(follower)
        os.close(leader)
    assert done.returncode == 0
    shown = seen.decode("utf-8", "replace")
    assert "Đang chép lời" in shown and "100%" in shown and "đã qua" in shown
    assert done.stdout.decode("utf-8").strip()
