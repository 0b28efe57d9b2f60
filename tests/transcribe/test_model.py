"""The bundled model: joined once, pinned, re-joined when damaged; clear lines when absent."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from transcribe import model as bundled
from transcribe.engine import load_whisper, pick_device
from transcribe.errors import ModelUnavailable
from transcribe.model import ModelSource, ensure_bundled_model, resolve_model


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_joins_once_to_the_pinned_digest(tmp_path: Path) -> None:
    target = ensure_bundled_model(tmp_path)
    model_bin = target / "model.bin"
    assert target == tmp_path / "models" / "whisper-base"
    assert model_bin.stat().st_size == bundled.BUNDLED_SIZE
    assert sha256(model_bin) == bundled.BUNDLED_SHA256
    assert {p.name for p in target.iterdir()} >= {
        "model.bin", "config.json", "tokenizer.json", "vocabulary.json"
    }  # fmt: skip
    assert not [p for p in target.iterdir() if p.name.startswith(".model.bin.")]  # no temp left
    before = model_bin.stat().st_ino, model_bin.stat().st_mtime_ns
    ensure_bundled_model(tmp_path)
    assert (model_bin.stat().st_ino, model_bin.stat().st_mtime_ns) == before


@pytest.mark.parametrize("damage", ["truncated", "flipped byte", "deleted"])
def test_a_damaged_copy_is_joined_again(tmp_path: Path, damage: str) -> None:
    model_bin = ensure_bundled_model(tmp_path) / "model.bin"
    if damage == "truncated":
        with model_bin.open("r+b") as file:
            file.truncate(1000)
    elif damage == "flipped byte":
        with model_bin.open("r+b") as file:
            file.seek(50_000_000)
            byte = file.read(1)
            file.seek(50_000_000)
            file.write(bytes([byte[0] ^ 0xFF]))
    else:
        model_bin.unlink()
    ensure_bundled_model(tmp_path)
    assert sha256(model_bin) == bundled.BUNDLED_SHA256


def test_missing_packages_say_what_to_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bundled, "_PARTS", (("no_such_whisper_package", "data/x"),))
    with pytest.raises(ModelUnavailable) as caught:
        ensure_bundled_model(tmp_path)
    assert "DIEMCAU_WHISPER_MODEL" in str(caught.value) and "\n" not in str(caught.value)


def test_names_and_paths_resolve(tmp_path: Path) -> None:
    base = resolve_model("base", data_dir=tmp_path)
    assert base.local and Path(base.location, "model.bin").is_file()
    assert base.label == "whisper-base"
    large = resolve_model("large-v3", data_dir=tmp_path)
    assert (large.location, large.local) == ("large-v3", False)
    own = Path(base.location)
    assert resolve_model(str(own), data_dir=tmp_path).location == str(own)
    for bad in [str(tmp_path / "nowhere"), str(tmp_path), "  "]:
        with pytest.raises(ModelUnavailable, match="DIEMCAU_WHISPER_MODEL"):
            resolve_model(bad, data_dir=tmp_path)


def test_a_model_that_will_not_load_says_what_to_set(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "model.bin").write_bytes(b"not a model")
    with pytest.raises(ModelUnavailable, match="DIEMCAU_WHISPER_MODEL"):
        load_whisper(ModelSource("broken", str(broken), local=True))


def test_cpu_runs_int8() -> None:
    assert pick_device("cpu") == ("cpu", "int8")
    assert pick_device("cuda") == ("cuda", "float16")
