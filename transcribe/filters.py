"""What Whisper invents on Vietnamese silence and music, and how it is taken out.

Whisper was trained on subtitled web video, so on silence, music or noise it writes what
YouTube subtitles say at those moments: channel outros ("Hãy subscribe cho kênh Ghiền Mì Gõ
để không bỏ lỡ những video hấp dẫn"), thanks for watching, subtitle credits. Large models
also loop on one phrase. Each rule here is a pure function over text or timed segments.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

# Fragments that never occur in a steering-committee meeting but do in Whisper's inventions.
# Matched on lower-cased NFC text; the sentence that holds one is removed.
OUTRO_PATTERNS: tuple[str, ...] = (
    r"subscribe",
    r"đăng k[ýí] (?:cho |ngay )?kênh",
    r"không bỏ lỡ (?:những|các) video",
    r"video hấp dẫn",
    r"cảm ơn (?:các bạn|bạn|mọi người|quý vị) đã (?:theo dõi|xem|lắng nghe)",
    r"hẹn gặp lại (?:các bạn )?(?:trong|ở) (?:những|các)? ?(?:video|clip|tập)",
    r"ghiền mì gõ",
    r"la la school",
    r"like,? (?:và )?share",
    r"bấm chuông",
    r"nhấn (?:nút )?(?:like|chuông)",
    r"thanks? (?:you )?for watching",
    r"(?:sub|subtitles?|phụ đề) (?:by|bởi)",
    r"vietsub",
    r"amara\.org",
)
_OUTRO = re.compile("|".join(OUTRO_PATTERNS))
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
_WORD = re.compile(r"\S+")


def normalise(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def remove_outros(text: str) -> str:
    """Drop each sentence that carries a known YouTube outro; keep the rest as it was."""
    sentences = _SENTENCE_END.split(text.strip())
    kept = [s for s in sentences if not _OUTRO.search(normalise(s))]
    return " ".join(kept).strip()


def _key(word: str) -> str:
    return normalise(word).strip(".,;:!?…\"'“”()")


def collapse_loops(text: str, *, min_repeats: int = 3, min_words: int = 6) -> str:
    """Collapse a phrase repeated back to back into one copy.

    A phrase of ``n`` words repeated ``k`` times in a row with ``k >= min_repeats`` and
    ``n * k >= min_words`` is a decoding loop ("xin cảm ơn xin cảm ơn xin cảm ơn ..."); a
    short emphatic repeat ("rất rất rất") is speech and stays.
    """
    words = _WORD.findall(text)
    keys = [_key(w) for w in words]
    changed = True
    while changed:
        changed = False
        for n in range(1, len(words) // min_repeats + 1):
            i = 0
            while i + n * min_repeats <= len(words):
                unit = keys[i : i + n]
                k = 1
                while keys[i + k * n : i + (k + 1) * n] == unit:
                    k += 1
                if k >= min_repeats and n * k >= min_words:
                    del words[i + n : i + k * n]
                    del keys[i + n : i + k * n]
                    changed = True
                i += 1
    return " ".join(words)


def clean_text(text: str) -> str:
    """Outros out, loops collapsed, whitespace tidied."""
    return collapse_loops(remove_outros(text)).strip()


def overlap(start: float, end: float, regions: Sequence[tuple[float, float]]) -> float:
    """Seconds of ``[start, end]`` that fall inside the (sorted, disjoint) ``regions``."""
    total = 0.0
    for r_start, r_end in regions:
        if r_end <= start:
            continue
        if r_start >= end:
            break
        total += min(end, r_end) - max(start, r_start)
    return total


def mostly_silent(
    start: float, end: float, speech: Sequence[tuple[float, float]], *, min_overlap: float
) -> bool:
    """Whether a segment sits mostly where VAD heard no speech."""
    length = end - start
    if length <= 0:
        return overlap(start - 0.1, end + 0.1, speech) == 0
    return overlap(start, end, speech) < min_overlap * length


def is_repeat_of_previous(text: str, previous: Sequence[str], *, limit: int = 2) -> bool:
    """Whether ``text`` is the same as each of the last ``limit`` segments (a looping run)."""
    if len(previous) < limit:
        return False
    key = normalise(text).strip(" .")
    return all(normalise(p).strip(" .") == key for p in previous[-limit:])
