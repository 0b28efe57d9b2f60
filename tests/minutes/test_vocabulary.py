"""The drafter's word lists: data files, each entry with an example that uses it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import minutes.vocabulary as vocabulary
from minutes.text import match_view

WORDS = Path(vocabulary.__file__).with_name("words")
LISTS = sorted(p.stem for p in WORDS.glob("*.txt"))


def test_the_lists_named_in_the_design_are_data_files() -> None:
    assert {
        "action_verbs",
        "duty_words",
        "order_verbs",
        "speaker_titles",
        "speech_verbs",
        "unit_heads",
        "organisation_heads",
        "collective_assignees",
        "enumerators",
        "conclusion_words",
    } <= set(LISTS)


@pytest.mark.parametrize("name", LISTS)
def test_every_example_uses_its_entry(name: str) -> None:
    entries = vocabulary.word_list(name)
    assert entries and len(set(entries)) == len(entries), "empty list or a repeated entry"
    for line in (WORDS / f"{name}.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        words, _, example = line.partition(" | ")
        if name != "unit_heads":  # written capitalised, as in text
            words, example = match_view(words), match_view(example)
        assert re.search(rf"(?<!\w){re.escape(words.strip())}(?!\w)", example), line


@pytest.mark.parametrize("name", ["action_verbs", "order_verbs", "speaker_titles"])
def test_a_list_recognises_its_own_examples(name: str) -> None:
    """The compiled pattern finds each entry inside its example sentence."""
    pattern = re.compile(rf"(?<!\w){vocabulary.alternation(vocabulary.word_list(name))}(?!\w)")
    for line in (WORDS / f"{name}.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            assert pattern.search(match_view(line.partition(" | ")[2])), line


def test_an_entry_without_an_example_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "bad.txt").write_text("# comment\ngiao | Giao Sở Y tế …\nyêu cầu\n", "utf-8")
    monkeypatch.setattr(vocabulary, "_WORDS", tmp_path)
    with pytest.raises(ValueError, match=r"bad.txt:3"):
        vocabulary.word_list("bad")


def test_longest_entry_first() -> None:
    group = vocabulary.alternation(("hoàn", "hoàn thành"), longest_first=True)
    assert re.match(group, "hoàn  thành xong").group(0) == "hoàn  thành"  # type: ignore[union-attr]
    assert re.match(vocabulary.alternation(("hoàn", "hoàn thành")), "hoàn thành").group(0) == "hoàn"  # type: ignore[union-attr]
