"""What the drafter remembers while it reads: where it is (:class:`Zone`), the tasks found
so far, and the last subject, which a following sentence without one may carry over.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from minutes.deadlines import DeadlineResult
from minutes.model import Conclusion
from minutes.segment import Sentence
from minutes.text import match_view
from minutes.units import UnitMatch, map_to_known, unit_name
from minutes.vocabulary import _GENERIC_ASSIGNEE


class Zone(Enum):
    """Where a sentence sits in the text."""

    NEUTRAL = "neutral"
    DIRECTIVE = "directive"
    BACKGROUND = "background"
    PARTICIPANT = "participant"


@dataclass
class _Draft:
    assignees: list[str]
    cooperating: list[str]
    action: str
    deadline: DeadlineResult
    sentences: list[Sentence]
    implicit: bool = False


@dataclass(frozen=True, slots=True)
class Step:
    """What the drafter made of one sentence, for ``diemcau draft --explain``.

    ``outcome`` is "task", "deadline" (it gave the deadline of the task before it),
    "conclusion" or "none"; ``rules`` names the rules that fired, ``reasons`` why the
    others did not.
    """

    index: int
    text: str
    zone: str
    outcome: str
    rules: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()


@dataclass
class _State:
    zone: Zone = Zone.NEUTRAL
    reset_pending: bool = False
    directive_seen: bool = False
    # a central body (the Prime Minister, the Government Office, a minister) gives the orders,
    # so a province's People's Committee is an assignee, not the chair's own body
    central_chair: bool = False
    # a People's Council session: its chair asks the People's Committee to act, so "UBND tỉnh"
    # (or the district's) is an assignee there too
    council_chair: bool = False
    # the title of a written text: its gist, the conclusion when the body states none
    headline: Sentence | None = None
    # the title of the person the text names as chairing ("… do đồng chí X, Chủ tịch UBND
    # huyện chủ trì"): when that title speaks later, it is the chair, whatever its level
    chair_title: str = ""
    # the last sentence that only spelled out the task before it ("Trong đó, trước mắt …")
    elaborating: int = -10
    heading: bool = False
    last_subject: list[str] = field(default_factory=list)
    last_subject_at: int = -10
    last_paragraph: int = -1
    tasks: list[_Draft] = field(default_factory=list)
    conclusions: list[Conclusion] = field(default_factory=list)
    # for --explain: the rules that fired on the sentence being read, and why others did not
    fired: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    trace: list[Step] | None = None

    def why(self, reason: str) -> int:
        """Record why a rule made no task of this clause (shown by --explain); 0 tasks."""
        self.reasons.append(reason)
        return 0


def _names(
    units: Sequence[UnitMatch], meeting_date: date | None, known: Sequence[str]
) -> list[str]:
    names: list[str] = []
    for unit in units:
        name = map_to_known(unit_name(unit, meeting_date=meeting_date), known)
        if name not in names:
            names.append(name)
    return names


def _is_generic(units: Sequence[UnitMatch]) -> bool:
    return all(_GENERIC_ASSIGNEE.match(" ".join(match_view(u.surface).split())) for u in units)
