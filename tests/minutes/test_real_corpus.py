"""The real-text corpus keeps its shape: labels that point into their texts, and a frozen split.

The corpus measures the drafter on texts no rule was written from, so these tests guard the
measurement itself: every label can be found in its text, every text sits in the half its source
decides, and the frozen test half is exactly the one recorded before any rule changed.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REAL = Path(__file__).resolve().parent.parent / "data" / "minutes" / "real"
GENRES = {"news_report", "conclusion_notice", "directive", "spoken"}
PAIRS = sorted(REAL.glob("*/r*.json"))


def source_key(url: str) -> str:
    host = urlsplit(url if "//" in url else "//" + url).hostname or url
    for prefix in ("www.", "m."):
        host = host.removeprefix(prefix)
    return host.lower()


def half_of(url: str) -> str:
    return "test" if hashlib.sha256(source_key(url).encode()).digest()[0] % 2 else "dev"


def test_the_corpus_is_large_and_varied() -> None:
    labels = [json.loads(p.read_text(encoding="utf-8")) for p in PAIRS]
    assert len(labels) >= 80
    assert {label["genre"] for label in labels} == GENRES
    assert len({label["province"] for label in labels}) >= 25
    assert {p.parent.name for p in PAIRS} == {"dev", "test"}


@pytest.mark.parametrize("label_path", PAIRS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_each_label_points_into_its_text(label_path: Path) -> None:
    raw = label_path.with_suffix(".txt").read_text(encoding="utf-8")
    assert unicodedata.normalize("NFC", raw) == raw
    source_line, date_line, *body_lines = raw.splitlines()
    body = "\n".join(body_lines)
    label = json.loads(label_path.read_text(encoding="utf-8"))
    assert source_line == f"# source: {label['source']}"
    assert date_line.startswith("# meeting_date: ")
    assert label["genre"] in GENRES
    assert half_of(label["source"]) == label_path.parent.name
    if label["meeting_date"] is not None:
        date.fromisoformat(label["meeting_date"])
    for task in label["tasks"]:
        assert body.count(task["evidence"]) == 1, task["evidence"][:60]
        if task["deadline_text"] is not None:
            assert task["deadline_text"] in task["evidence"]
        if task["deadline"] is not None:
            assert task["deadline_text"] is not None
            date.fromisoformat(task["deadline"])


def test_the_frozen_half_is_the_one_recorded_before_any_rule_changed() -> None:
    recorded = {}
    for line in (REAL / "test.sha256").read_text(encoding="utf-8").splitlines():
        digest, name = line.split(maxsplit=1)
        recorded[name] = digest
    present = {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (REAL / "test").iterdir()
    }
    assert present == recorded
