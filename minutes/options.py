"""Every threshold of the drafter in one frozen object, each with the reason for its value.

Changing one changes what the drafter finds: measure with ``bench/minutes_eval.py`` first.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["OPTIONS", "Options"]


@dataclass(frozen=True, slots=True)
class Options:
    # --- sentences (minutes.segment) ---
    max_sentence_chars: int = 2000
    """A longer stretch without marks is cut: the longest real sentence has ~1,400
    characters, and bounded sentences keep drafting linear in the length of the text."""
    unpunctuated_words_per_mark: int = 40
    """Spoken text with fewer than one mark per this many words is read as unpunctuated."""
    join_gap_seconds: float = 1.5
    """A segment ending on a dangling word ("… phối hợp với") joins the next one that
    starts within this many seconds."""
    join_max_words: int = 80
    """…but a joined piece stops growing at this many words."""

    # --- units (minutes.units) ---
    unit_name_max_words: int = 10
    """A unit named by a head noun in any case ("các chi nhánh trung tâm phát triển quỹ đất ở
    địa phương phối hợp …") may have this many words after its head before its verb."""

    # --- tasks (minutes.extract) ---
    action_words: int = 30
    """An action longer than this is cut at a clause boundary ("Rà soát …, …")."""
    action_min_words_before_cut: int = 6
    """A cut at a comma keeps at least this many words of the action."""
    carry_subject_sentences: int = 2
    """A subject-less sentence takes over the last subject named at most this many
    sentences before ("Giao Sở Y tế …. Đồng thời kiện toàn …")."""
    speaker_window_chars: int = 400
    """How far before an order verb its speaker is looked for ("Phó Giám đốc Sở Y tế, bà
    X, đề nghị …"): a speaker is a few words; a bounded look-back keeps drafting linear."""
    speaker_unit_chars: int = 140
    """A unit that speaks right before an order verb ("sở xây dựng đề nghị …") ends there: it
    is looked for among this many characters before the verb (the longest unit name, ~120,
    plus "thì", "có ý kiến là"), not in the whole look-back, which made drafting slow."""
    trigger_lookback_chars: int = 80
    """The words right before an order verb that make it no order ("đã đề nghị",
    "các yêu cầu") are looked for within this many characters."""
    unit_list_tail_chars: int = 120
    """Whether a clause ends in a unit (a list of assignees) is decided on its last
    characters: no unit name is longer."""

    repeat_overlap: float = 0.8
    """Two tasks of one unit with one deadline whose actions share this share of the
    shorter one's words are one order stated twice."""
    headline_max_words: int = 25
    """A first line of a written text this short, with no closing mark, is its title."""

    # --- conclusions (minutes.extract.conclusions) ---
    conclusion_min_words: int = 6
    """Shorter sentences ("Thống nhất.") are not conclusions on their own."""
    fronted_object_min_words: int = 4
    """When the assessing verb ends the sentence, at least this many words before the
    speaker in its chunk are what it assesses ("số liệu trong dự thảo tôi thấy chưa chắc");
    fewer ("…, cái đó tôi ghi nhận") point back to the chunk before."""


OPTIONS = Options()
