"""Shared helpers for the minutes tests: the labelled examples and the seed article."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
OWN_EXAMPLES = REPO / "tests" / "data" / "minutes"
SEED_ARTICLE = REPO.parent / "shared" / "samples" / "laichau-2021-06-04-article.txt"
DEV_EXAMPLES = REPO.parent / "shared" / "eval" / "dev"


@dataclass(frozen=True)
class Example:
    name: str
    body: str
    meeting_date: date | None
    labels: dict[str, Any]


def read_example(txt: Path) -> Example:
    lines = txt.read_text(encoding="utf-8").splitlines(keepends=True)
    meeting: date | None = None
    start = 0
    for i, line in enumerate(lines):
        m = re.match(r"#\s*(\w+):\s*(.*)", line)
        if not m:
            start = i
            break
        if m.group(1) == "meeting_date" and m.group(2).strip() != "unknown":
            meeting = date.fromisoformat(m.group(2).strip())
    labels = json.loads(txt.with_suffix(".json").read_text(encoding="utf-8"))
    return Example(txt.stem, "".join(lines[start:]), meeting, labels)


def own_examples() -> list[Example]:
    return [read_example(p) for p in sorted(OWN_EXAMPLES.glob("*.txt"))]


@pytest.fixture(scope="session")
def seed_article() -> str:
    if not SEED_ARTICLE.exists():
        pytest.skip(f"the seed article is not at {SEED_ARTICLE}")
    return SEED_ARTICLE.read_text(encoding="utf-8")
