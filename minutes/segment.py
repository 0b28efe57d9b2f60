"""Finding sentences in written notes and in spoken transcripts.

Written text is split by underthesea's sentence splitter, paragraph by paragraph. Spoken
text without punctuation (PhoWhisper writes none) is split at segment or line boundaries
and at the chair's enumeration markers ("thứ nhất là", "thứ hai là", "cuối cùng là").
Every sentence is an exact slice of the NFC source, so it can serve as evidence.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from minutes.model import Segment, Transcript
from minutes.options import OPTIONS
from minutes.text import match_view, nfc

__all__ = ["Sentence", "split_sentences"]


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of the source, with the paragraph it belongs to and, for transcripts,
    the time span of the segments it came from."""

    text: str
    paragraph: int
    index: int
    start: float | None = None
    end: float | None = None
    spoken: bool = False
    first_in_paragraph: bool = False


_META_LINE = re.compile(r"^#\s*[\w ]+:\s")
_TERMINAL = re.compile(r"[.!?…]")
_ENUM_SPLIT = re.compile(
    r"(?<=\s)(?=(?:thứ\s+(?:nhất|hai|ba|tư|năm|sáu|bảy|tám|chín|mười)(?:\s+là|\s*,)"
    r"|cuối\s+cùng\s+là)\s)"
)
_QUOTE_ATTRIBUTION = re.compile(r"[”\"]\s*,\s*(?=[A-ZĐÀ-Ỹ])|(?:…|\.\.\.)\s+(?=[A-ZĐÀ-Ỹ])")
_FALLBACK_SPLIT = re.compile(r"(?<=[.!?…])[”\"’)]*\s+")
_EDGE = " \t\r\n“”\"'‘’"


def _sent_tokenize(paragraph: str) -> list[str]:
    try:
        from underthesea import sent_tokenize
    except ImportError:  # pragma: no cover - underthesea is a declared dependency
        return _FALLBACK_SPLIT.split(paragraph)
    result: list[str] = sent_tokenize(paragraph)
    return result


def _locate(paragraph: str, pieces: list[str]) -> list[tuple[int, int]]:
    """Spans of ``pieces`` in ``paragraph``, in order; None when one is not found."""
    spans: list[tuple[int, int]] = []
    cursor = 0
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        at = paragraph.find(piece, cursor)
        if at < 0:
            return []
        spans.append((at, at + len(piece)))
        cursor = at + len(piece)
    return spans


def _written_spans(paragraph: str) -> list[tuple[int, int]]:
    spans = _locate(paragraph, _sent_tokenize(paragraph))
    if not spans:
        spans = _locate(paragraph, _FALLBACK_SPLIT.split(paragraph))
    if not spans:
        spans = [(0, len(paragraph))]
    out: list[tuple[int, int]] = []
    for start, end in spans:
        # A closing quote followed by the speaker: “…”, Phó Chủ tịch … lưu ý.
        cut = start
        for m in _QUOTE_ATTRIBUTION.finditer(paragraph, start, end):
            out.append(
                (cut, m.start() + (1 if m.group(0)[0] in '”"' else len(m.group(0).rstrip())))
            )
            cut = m.end()
        out.append((cut, end))
    return out


def _spoken_spans(chunk: str) -> list[tuple[int, int]]:
    view = match_view(chunk)
    cuts = [0] + [m.start() for m in _ENUM_SPLIT.finditer(view)] + [len(chunk)]
    return [(a, b) for a, b in itertools.pairwise(cuts) if chunk[a:b].strip()]


MAX_SENTENCE_CHARS = OPTIONS.max_sentence_chars


def _bounded(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` with any span over MAX_SENTENCE_CHARS cut, at a comma when there is one."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        while end - start > MAX_SENTENCE_CHARS:
            limit = start + MAX_SENTENCE_CHARS
            floor = start + MAX_SENTENCE_CHARS // 2
            comma = max(text.rfind(", ", floor, limit), text.rfind("; ", floor, limit))
            cut = comma + 1 if comma >= 0 else text.rfind(" ", floor, limit)
            if cut <= start:
                cut = limit
            out.append((start, cut))
            start = cut
        out.append((start, end))
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    # keep a closing quote only when its opening one is kept
    return start, end


def is_unpunctuated(text: str) -> bool:
    """Spoken text as PhoWhisper writes it: no sentence punctuation at all."""
    words = len(text.split())
    marks = len(_TERMINAL.findall(text)) + text.count(",")
    return words >= 6 and marks * OPTIONS.unpunctuated_words_per_mark < words


_SENTENCE_INITIAL = re.compile(r"(?:^|[.!?…]\s+|\n\s*)(\w)")


def _looks_spoken(text: str) -> bool:
    """Lowercase names: a recogniser capitalises at most the first letter of a sentence
    (Whisper), written texts capitalise the names of units and places inside sentences."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    initial = sum(1 for m in _SENTENCE_INITIAL.finditer(text) if m.group(1).isupper())
    upper = sum(1 for c in letters if c.isupper()) - initial
    return upper / len(letters) < 0.004


def split_sentences(source: str | Transcript) -> list[Sentence]:
    """The sentences of ``source``, in order."""
    if isinstance(source, Transcript):
        return list(_transcript_sentences(source))
    return list(_text_sentences(nfc(source)))


def _text_sentences(text: str) -> Iterator[Sentence]:
    spoken = _looks_spoken(text)
    index = 0
    paragraph = -1
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not line.strip() or _META_LINE.match(line):
            continue
        paragraph += 1
        spans = _spoken_spans(line) if is_unpunctuated(line) else _written_spans(line)
        spans = _bounded(line, spans)
        first = True
        for a, b in spans:
            a, b = _trim(line, a, b)
            if a >= b:
                continue
            yield Sentence(line[a:b], paragraph, index, spoken=spoken, first_in_paragraph=first)
            first = False
            index += 1


# A clause cannot end on these words: the recogniser cut the segment in mid-sentence.
_DANGLING = re.compile(
    r"(?<!\w)(?:với|và|của|cho|các|những|là|thì|để|trước|ngày|tháng|sở|ban|ủy|phối\s+hợp|giao"
    r"|đề\s+nghị|yêu\s+cầu|tại|trong|về|từ|đến|tới|bên|phía|theo|nếu|khi|như|mà|nhưng|hoặc|hay"
    r"|vì|do|chậm\s+nhất|hoàn\s+thành|gửi|báo\s+cáo)$"
)


def _join_dangling(segments: list[Segment]) -> Iterator[tuple[str, float, float]]:
    """Unpunctuated segments, with one that stops on a dangling word joined to the next."""
    text, start, end = "", 0.0, 0.0
    for seg in segments:
        piece = " ".join(nfc(seg.text).split())
        if not piece:
            continue
        if (
            text
            and _DANGLING.search(match_view(text))
            and seg.start - end < OPTIONS.join_gap_seconds
            and len(text.split()) < OPTIONS.join_max_words
        ):
            text, end = f"{text} {piece}", seg.end
            continue
        if text:
            yield text, start, end
        text, start, end = piece, seg.start, seg.end
    if text:
        yield text, start, end


def _transcript_sentences(transcript: Transcript) -> Iterator[Sentence]:
    segments = [s for s in transcript.segments if s.text.strip()]
    joined = " ".join(nfc(s.text) for s in segments)
    punctuated = not is_unpunctuated(joined)
    index = 0
    if not punctuated:
        for number, (text, start, end) in enumerate(_join_dangling(segments)):
            for a, b in _bounded(text, _spoken_spans(text)):
                a, b = _trim(text, a, b)
                if a < b:
                    yield Sentence(text[a:b], number, index, start, end, True, a == 0)
                    index += 1
        return
    # Punctuated speech: sentences may run across segments; keep where each segment starts.
    starts: list[int] = []
    pieces: list[str] = []
    cursor = 0
    for seg in segments:
        text = " ".join(nfc(seg.text).split())
        starts.append(cursor)
        pieces.append(text)
        cursor += len(text) + 1
    joined = " ".join(pieces)
    for a, b in _bounded(joined, _written_spans(joined)):
        for x, y in [(a, b)]:
            x, y = _trim(joined, x, y)
            if x >= y:
                continue
            first_seg = bisect.bisect_right(starts, x) - 1
            last_seg = bisect.bisect_left(starts, y) - 1
            yield Sentence(
                joined[x:y],
                0,
                index,
                segments[first_seg].start,
                segments[last_seg].end,
                True,
                index == 0,
            )
            index += 1
