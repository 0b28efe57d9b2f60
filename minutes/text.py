"""Text helpers shared by the minutes modules.

The analysis never rewrites the source: it works on a *match view* of the same length, in
which letters are lower-cased and the old/new placements of the tone mark ("uỷ"/"ủy",
"hoà"/"hòa") are made equal, so that a span found in the view is the same span in the
original and evidence keeps the original wording.
"""

from __future__ import annotations

import re
import unicodedata

# Old-style tone placement on the second vowel of "oa", "oe", "uy" -> new style (first vowel).
# Both sides have two code points in NFC, so the view keeps the original length.
_TONES = {
    "\u0300": "grave",
    "\u0301": "acute",
    "\u0309": "hook",
    "\u0303": "tilde",
    "\u0323": "dot",
}


def _toned(base: str, mark: str) -> str:
    return unicodedata.normalize("NFC", base + mark)


_TONE_SWAP: dict[str, str] = {}
for _mark in _TONES:
    for _first, _second in (("o", "a"), ("o", "e"), ("u", "y")):
        _TONE_SWAP[_first + _toned(_second, _mark)] = _toned(_first, _mark) + _second
# Only open syllables differ ("hoà"/"hòa"; "hoàn" is the same in both), and "qu" is a consonant.
_TONE_RE = re.compile("(?<!q)(?:" + "|".join(sorted(_TONE_SWAP)) + r")(?!\w)")


def nfc(text: str) -> str:
    """Unicode NFC, the form Vietnamese text is stored and compared in."""
    return unicodedata.normalize("NFC", text)


def match_view(text: str) -> str:
    """Lower-case ``text`` and unify tone placement, keeping its length exactly.

    ``text`` must already be NFC. Characters whose lower case has another length are kept
    as they are, so offsets in the view are offsets in ``text``.
    """
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    lowered = lowered.replace("đ", "đ")
    return _TONE_RE.sub(lambda m: _TONE_SWAP[m.group(0)], lowered)


def key(text: str) -> str:
    """A comparison key: NFC, match view, punctuation folded to spaces, spaces collapsed."""
    view = match_view(nfc(text))
    view = re.sub(r"[^\w&]+", " ", view)
    return " ".join(view.split())


# ---------------------------------------------------------------------------------------
# Numbers written in words ("hai mươi lăm", "mười", "hai không hai lăm")

DIGIT_WORDS: dict[str, int] = {
    "không": 0,
    "linh": 0,
    "lẻ": 0,
    "một": 1,
    "mốt": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "tư": 4,
    "năm": 5,
    "lăm": 5,
    "nhăm": 5,
    "sáu": 6,
    "bảy": 7,
    "bẩy": 7,
    "tám": 8,
    "chín": 9,
}

_UNIT = r"(?:một|mốt|hai|ba|bốn|tư|năm|lăm|nhăm|sáu|bảy|bẩy|tám|chín)"
_ONE_TO_NINE = r"(?:một|hai|ba|bốn|năm|sáu|bảy|bẩy|tám|chín)"
# 1..99 in words
NUM_WORDS_RE = (
    rf"(?:(?:hai|ba|bốn|năm|sáu|bảy|bẩy|tám|chín)\s+mươi(?:\s+{_UNIT})?"
    rf"|mười(?:\s+{_UNIT})?|{_ONE_TO_NINE})"
)
# 1..31 in words (a day of the month)
DAY_WORDS_RE = (
    rf"(?:(?:hai|ba)\s+mươi(?:\s+{_UNIT})?|mười(?:\s+{_UNIT})?|(?:mồng|mùng)\s+{_ONE_TO_NINE}"
    rf"|(?:mồng|mùng)\s+mười|{_ONE_TO_NINE})"
)
MONTH_WORDS_RE = (
    r"(?:mười\s+một|mười\s+hai|mười|giêng|chạp|một|hai|ba|tư|bốn|năm|sáu|bảy|bẩy|tám|chín)"
)
_YDIGIT = r"(?:không|một|mốt|hai|ba|bốn|tư|năm|lăm|sáu|bảy|bẩy|tám|chín)"
YEAR_WORDS_RE = (
    rf"(?:hai\s+không\s+(?:một|hai|ba)\s+{_YDIGIT}"
    rf"|hai\s+nghìn\s+(?:không\s+trăm\s+)?(?:(?:linh|lẻ)\s+{_UNIT}|{NUM_WORDS_RE}))"
)


def words_to_int(words: str) -> int | None:
    """Value of a number in Vietnamese words or digits; None when it is not one."""
    text = " ".join(words.split())
    if not text:
        return None
    if text.isdigit():
        return int(text)
    tokens = text.split()
    if tokens[0] in ("mồng", "mùng"):
        tokens = tokens[1:]
    if not tokens:
        return None
    if tokens == ["giêng"]:
        return 1
    if tokens == ["chạp"]:
        return 12
    # Digit by digit: "hai không hai lăm" = 2025
    if len(tokens) >= 3 and all(t in DIGIT_WORDS for t in tokens) and "nghìn" not in tokens:
        return int("".join(str(DIGIT_WORDS[t]) for t in tokens))
    total = 0
    current = 0
    seen = False
    for i, tok in enumerate(tokens):
        if tok == "nghìn" or tok == "ngàn":
            total += (current or 1) * 1000
            current = 0
        elif tok == "trăm":
            current = 0 if i and tokens[i - 1] == "không" else (current or 1) * 100
            total += current
            current = 0
        elif tok == "mười":
            current += 10
        elif tok == "mươi":
            current = (current or 1) * 10
        elif tok in DIGIT_WORDS:
            value = DIGIT_WORDS[tok]
            prev = tokens[i - 1] if i else ""
            if tok == "mốt" and prev not in ("mười", "mươi"):
                return None
            current += value
        else:
            return None
        seen = True
    return total + current if seen else None


ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
