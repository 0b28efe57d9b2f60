"""Which package may lean on which: the rules the code's layout promises, checked on the
source so a stray import or query is caught where it is written."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _sources(package: str) -> dict[str, str]:
    return {
        str(path.relative_to(REPO)): path.read_text(encoding="utf-8")
        for path in (REPO / package).rglob("*.py")
    }


def test_storage_does_not_import_the_text_analysis() -> None:
    offending = [
        name
        for name, text in _sources("storage").items()
        if re.search(r"^\s*(from minutes\b|import minutes\b)", text, re.M)
    ]
    assert offending == []


def test_the_calendar_and_conventions_depend_on_no_domain_package() -> None:
    for name, text in _sources("vnadmin").items():
        assert not re.search(
            r"^\s*(from|import) (storage|minutes|bot|web|diemcau)\b", text, re.M
        ), name


def test_handlers_hold_no_queries() -> None:
    """A handler parses, calls one service, renders: queries live in storage/services."""
    offending = [name for name, text in _sources("bot/handlers").items() if "select(" in text]
    assert offending == []
