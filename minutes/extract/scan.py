"""Small cursor helpers over a sentence's match view: skipping openers and fillers, counting
words ahead, looking back a bounded distance. Bounded look-backs keep drafting linear.
"""

from __future__ import annotations

import functools
import re

from minutes.deadlines import DeadlineResult
from minutes.vocabulary import _LEAD_RE, _STRONG_DUTY


def _lead_end(view: str, pos: int = 0) -> int:
    m = _LEAD_RE.match(view, pos)
    return m.end() if m else pos


def _skip_deadline(view: str, pos: int, deadline: DeadlineResult) -> int:
    if deadline.start is None or deadline.end is None:
        return pos
    if pos - 1 <= deadline.start <= pos + 1:
        pos = _lead_end(view, deadline.end)
    return pos


def _window_start(view: str, end: int, width: int) -> int:
    """Where a look-back of about ``width`` characters before ``end`` starts: at a word."""
    if end <= width:
        return 0
    space = view.find(" ", end - width, end)
    return space + 1 if space >= 0 else end - width


@functools.lru_cache(maxsize=16)
def _first_end(pattern: re.Pattern[str], view: str) -> int:
    """Where the first match of ``pattern`` in ``view`` ends (past the end when none).

    Asked once per verb of a sentence; cached so that a long sentence is searched once.
    """
    m = pattern.search(view)
    return m.end() if m else len(view) + 1


def _has_words(view: str, start: int, end: int, count: int) -> bool:
    """Whether ``view[start:end]`` holds at least ``count`` words, without copying it."""
    pos = start
    for _ in range(count):
        m = _WORD_AHEAD.match(view, pos, end)
        if m is None:
            return False
        pos = m.end()
    return True


_WORD_AHEAD = re.compile(r"\s*\S+")


def _shifted(result: DeadlineResult, offset: int) -> DeadlineResult:
    if result.start is None or result.end is None:
        return result
    return DeadlineResult(
        result.date, result.text, result.start + offset, result.end + offset, result.kind
    )


def _strong_words(between: str) -> bool:
    return bool(_STRONG_DUTY.search(between))


def _plain_end(view: str, pos: int) -> int:
    m = re.match(r"(?:\s*(?:,|thì|à|ờ|cũng)(?!\w))*\s*", view[pos:])
    return pos + (m.end() if m else 0)
