"""The action of a task as a clerk would paste it: the predicate without fillers, the
deadline or the cooperating units, cut at a clause boundary when it runs long.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from minutes.deadlines import DeadlineResult
from minutes.extract.state import _names
from minutes.options import OPTIONS
from minutes.text import match_view
from minutes.units import find_unit_at, parse_unit_list
from minutes.vocabulary import _COOP_RE, _DUTY, _FILLERS, _GENERIC_ACTION_WORDS, _SKIP_RE


def _action(text: str, view: str, start: int, end: int, deadline: DeadlineResult) -> str:
    """A short phrase for the action: the predicate without fillers, deadline or partners."""
    cuts: list[tuple[int, int]] = []
    if deadline.start is not None and deadline.end is not None:
        # "…, hoàn thành trước ngày 31/10", "… xong trong quý hai", "cái này phải xong trước
        # …": the words that only say "by then" go with the deadline
        done = _DONE_BEFORE_DEADLINE.search(view, max(start, deadline.start - 40), deadline.start)
        cuts.append((done.start() if done else deadline.start, deadline.end))
    for m in _COOP_RE.finditer(view, start, end):
        units, unit_end = parse_unit_list(text, view, m.end())
        if units:
            cuts.append((m.start() + len("phối hợp"), unit_end))
    parts: list[tuple[int, int]] = [(start, end)]
    for c_start, c_end in cuts:
        parts = [
            (x, y) for a, b in parts for x, y in ((a, min(b, c_start)), (max(a, c_end), b)) if y > x
        ]
    phrase = " ".join(text[a:b] for a, b in parts if b > a)
    phrase = _FILLERS.sub(" ", phrase)
    phrase = re.sub(r"^\s*(?:(?:thì|là|cần|phải|,|:)(?!\w)\s*)+", "", phrase, flags=re.IGNORECASE)
    phrase = re.sub(r"\s+([,.;:])", r"\1", phrase)
    phrase = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", phrase)
    phrase = " ".join(phrase.split()).strip(" ,;:.")
    phrase = _shorten(phrase)
    phrase = _DANGLING_END.sub("", phrase)
    return phrase[:1].upper() + phrase[1:]


# Completion words right before a deadline: cut with it.
_DONE_BEFORE_DEADLINE = re.compile(
    r"(?:\s*[,;])?\s*(?:(?:cái|việc)\s+(?:này|đó)\s+)?(?:(?:thì|là|phải|cần|yêu\s+cầu)\s+)*"
    r"(?:hoàn\s+thành|hoàn\s+tất|xong)\s*$|\s*[,;]\s*trình\s*$"
)
# Words an action cannot end on once its deadline or its tail is gone.
_DANGLING_END = re.compile(
    r"(?:[\s,;:]+(?:và|để|thì|là|phải|cần|trước|chậm\s+nhất|trong|nhé)"
    r"(?!\w))+[\s,;:]*$|[\s,;:]+$"
)


_CLAUSE_BREAK = re.compile(r"[,;](?=\s)|\s(?=(?:để|nhằm)\s)")


_NAME_LINK = frozenset({"và", "-", "–", "&"})


def _capitalised(word: str) -> bool:
    return word[:1].isupper() or word[:1].isdigit()


def _shorten(phrase: str, limit: int = OPTIONS.action_words) -> str:
    """At most ``limit`` words, cut where a formal notice can stop, with no "…": the
    evidence beside it keeps the whole sentence.

    The cut falls on the last clause boundary within the limit (a comma, a semicolon, or
    before "để" / "nhằm"); without one, the cut never ends inside a name: a unit name or a
    run of capitalised words ("Sở Kế hoạch và Đầu tư") is finished first.
    """
    words = phrase.split()
    if len(words) <= limit:
        return phrase
    phrase = " ".join(words)
    head = " ".join(words[:limit])
    breaks = [
        m.start()
        for m in _CLAUSE_BREAK.finditer(head)
        if len(head[: m.start()].split()) >= OPTIONS.action_min_words_before_cut
    ]
    if breaks:
        return head[: breaks[-1]].rstrip(" ,;:")
    cut = len(head)
    view = match_view(phrase)
    for m in re.finditer(r"(?<!\S)\S", head):
        unit = find_unit_at(phrase, view, m.start()) if _capitalised(m.group(0)) else None
        if unit is not None and unit.start < cut < unit.end:
            cut = unit.end
            break
    kept = phrase[:cut].split()
    rest = phrase[cut:].split()
    i = 0
    while i < len(rest) and kept and _capitalised(kept[-1]):
        if _capitalised(rest[i]):
            kept.append(rest[i])
            i += 1
        elif rest[i] in _NAME_LINK and i + 1 < len(rest) and _capitalised(rest[i + 1]):
            kept.extend(rest[i : i + 2])
            i += 2
        else:
            break
    return " ".join(kept).rstrip(",;:")


def _cooperating(
    text: str, view: str, start: int, end: int, meeting_date: date | None, known: Sequence[str]
) -> list[str]:
    for m in _COOP_RE.finditer(view, start, end):
        units, _ = parse_unit_list(text, view, m.end())
        if units:
            return _names(units, meeting_date, known)
    return []


def _action_start(view: str, act_start: int) -> int:
    """Keep "chủ trì", "khẩn trương" … in the action when the skip passed over them."""
    window_start = max(0, act_start - 40)
    window = view[window_start:act_start]
    best = act_start
    for m in re.finditer(
        r"(?<!\w)(?:chủ\s+trì|làm\s+đầu\s+mối|khẩn\s+trương|chịu\s+trách\s+nhiệm|tiếp\s+tục"
        r"|tập\s+trung|chủ\s+động|kịp\s+thời)(?!\w)",
        window,
    ):
        if _SKIP_RE.fullmatch(window[m.start() :]) or re.fullmatch(
            rf"(?:\s*(?:,|:|à|ờ|{_DUTY})(?!\w))*\s*", window[m.start() :]
        ):
            best = min(best, window_start + m.start())
    return best


def _is_empty_formula(predicate: str) -> bool:
    """ "khẩn trương triển khai thực hiện": an order with no content of its own."""
    words = re.findall(r"\w+", predicate)
    return bool(words) and all(w in _GENERIC_ACTION_WORDS for w in words)
