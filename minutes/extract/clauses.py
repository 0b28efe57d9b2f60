"""Cutting a sentence where a new unit takes over: "yêu cầu Sở Y tế kiểm tra …, Công an
tỉnh xử lý …" holds two tasks; "Giao các sở, ngành tỉnh; UBND các huyện …" holds one list.
"""

from __future__ import annotations

import itertools
import re

from minutes.extract.scan import _lead_end, _plain_end
from minutes.extract.speakers import _SPEAKS_SOON
from minutes.extract.state import _is_generic
from minutes.options import OPTIONS
from minutes.text import match_view
from minutes.units import find_unit_at, parse_unit_list
from minutes.vocabulary import (
    _CHAIR_ISSUER,
    _REPORT_VERB,
    _SKIP_RE,
    _STRONG_DUTY,
    _TRIGGER_RE,
    _VERB_RE,
)


def _ends_in_unit(text: str, view: str, start: int, end: int) -> bool:
    """Whether ``view[start:end]`` ends with a unit name (the tail of a list of units)."""
    window_start = max(start, end - OPTIONS.unit_list_tail_chars)
    for w in re.finditer(r"(?<!\S)\S", view[window_start:end]):
        unit = find_unit_at(text, view, window_start + w.start())
        if unit is not None and unit.end >= end - 1:
            return True
    return False


def _clauses(text: str, view: str) -> list[tuple[int, int]]:
    """Split where a new unit takes over: at ";" unless the part before it ends in a unit
    (a list of assignees), and at "," when a complete order is followed by another unit
    with its own verb ("yêu cầu Sở Y tế kiểm tra …, Công an tỉnh xử lý …")."""
    cuts = [0]
    for m in re.finditer(r"[;,]", view):
        right_start = _lead_end(view, m.end())
        unit = find_unit_at(text, view, right_start)
        if unit is None:
            if (
                m.group(0) == ";" and _another_duty_after_semicolon(view, cuts[-1], right_start)
            ) or _another_order_after_comma(text, view, cuts[-1], m):
                cuts.append(m.end())
            continue
        if m.group(0) == ",":
            if not _new_order_after_comma(text, view, cuts[-1], m.start(), right_start):
                continue
            cuts.append(m.end())
            continue
        direct = re.match(r"\s*", view[m.end() :])
        if right_start > m.end() + (direct.end() if direct else 0):
            cuts.append(m.end())  # "…; riêng Sở GTVT …": a new subject after a connector
            continue
        if _ends_in_unit(text, view, cuts[-1], m.start()):
            continue  # "Giao các sở, ngành tỉnh; UBND các huyện; …" is one list
        cuts.append(m.end())
    cuts.append(len(view))
    return [(a, b) for a, b in itertools.pairwise(cuts) if view[a:b].strip()]


def _another_duty_after_semicolon(view: str, start: int, right: int) -> bool:
    """After ";", a second duty of the same unit with its own cooperating units:

    "Giao Sở Y tế phối hợp với Công an tỉnh kiểm tra các nhà thuốc; phối hợp với Sở Tài
    chính đề xuất kinh phí …" is two tasks of Sở Y tế, the second carried over.
    """
    return bool(_TRIGGER_BEFORE.search(view, start, right) and _COOPERATES.match(view, right))


def _another_order_after_comma(text: str, view: str, start: int, m: re.Match[str]) -> bool:
    """After ",", the same speaker orders another unit: "… giao cho công chức địa chính chuẩn
    bị hồ sơ …, đồng thời đề nghị UB MTTQ và các tổ dân phố tuyên truyền …", "Yêu cầu Sở Y tế
    kiểm tra …, giao Công an tỉnh xử lý …"."""
    if m.group(0) != "," or not _TRIGGER_BEFORE.search(view, start, m.start()):
        return False
    connector = _THEN.match(view, m.end())
    if connector is None:
        return False  # "giao ông X, Phó Chủ tịch, chỉ đạo chủ đầu tư …": the person's own act
    order = _TRIGGER_RE.match(view, connector.end())
    if order is None:
        return False
    after = re.match(r"\s*(?:cho\s+)?", view[order.end() :])
    return find_unit_at(text, view, order.end() + (after.end() if after else 0)) is not None


_THEN = re.compile(r"\s*(?:đồng\s+thời|sau\s+đó|và)(?:\s+cũng)?\s+")
_TRIGGER_BEFORE = re.compile(r"(?<!\w)(?:giao|yêu\s+cầu|đề\s+nghị)(?!\w)")
_COOPERATES = re.compile(r"(?:chủ\s+trì\s*,\s*)?phối\s+hợp\s+với(?!\w)")


def _new_order_after_comma(text: str, view: str, start: int, comma: int, right: int) -> bool:
    left = view[start:comma]
    if len(left.split()) < 4:
        return False
    duty = _duty_follows(text, view, right) and not re.search(
        r"(?<!\w)(?:nào|nếu|trường\s+hợp|khi)(?!\w)", left
    )  # "Nơi nào không triển khai …, Chủ tịch UBND cấp huyện phải chịu trách nhiệm": a condition
    if not _VERB_RE.search(left) and not duty:
        return False  # "…, tôi không đồng ý lùi …, ban quản lý dự án phải …" may cut
    if _ends_in_unit(text, view, start, comma):
        return False  # a list of units: "gửi Sở Kế hoạch và Đầu tư, đơn vị tư vấn …"
    if any(w[:1].isupper() for w in text[start:comma].split()[-2:]):
        return False  # "… ý kiến của Thường trực Tỉnh ủy, Ban Chỉ đạo …": names in a list
    units, end = parse_unit_list(text, view, right)
    if any(_CHAIR_ISSUER.search(match_view(u.name)) for u in units):
        return False
    if (
        not units
        or _is_generic(units)
        or any(
            u.group
            and not duty
            and not u.surface.lower().startswith(("các", "ubnd", "ủy ban", "uỷ ban"))
            for u in units
        )
    ):
        return False
    if _REPORT_VERB.match(view, _plain_end(view, end)) or _SPEAKS_SOON.match(view, end):
        return False
    skip = _SKIP_RE.match(view, end)
    act = skip.end() if skip else end
    if _STRONG_DUTY.search(view[end:act]):
        return True
    verb = _VERB_RE.match(view, act)
    return verb is not None and match_view(verb.group(0)) not in ("cần", "phải", "sớm", "giao")


def _duty_follows(text: str, view: str, right: int) -> bool:
    """A named unit right after the comma, then a duty word: "ban quản lý dự án phải …"."""
    units, end = parse_unit_list(text, view, right)
    if not units:
        return False
    skip = _SKIP_RE.match(view, end)
    return bool(
        skip and re.search(r"(?<!\w)(?:phải|có\s+trách\s+nhiệm|khẩn\s+trương)(?!\w)", skip.group(0))
    )
