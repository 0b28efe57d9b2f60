"""The deadline grammar: Vietnamese time expressions resolved against the meeting date.

``parse_deadline("… trước ngày 20/6 …", reference=date(2021, 6, 4))`` finds the words that
bound completion and resolves them. It never raises and never looks at the clock: the
reference date (the meeting, or the day the task was assigned) is always an argument.

Conventions (see ``shared/eval/dev/README.md``):

* "trước ngày X", "chậm nhất ngày X", "từ nay đến ngày X", "trước X/M" → X itself; a date
  without a year is the next such date on or after the reference.
* "trong tháng M", "cuối tháng M" → last day of M; "quý N" → last day of the quarter;
  "cuối năm", "trong năm Y" → 31 December; so does "trong hai tháng còn lại (của năm)",
  the months left of the year (not two months on).
* "trong tuần này" → Friday of the reference week; "tuần sau" → Friday of the next week;
  "thứ sáu tuần sau" → that weekday.
* "N ngày làm việc" → N working days counted from the day after the reference, skipping
  weekends and Vietnamese public holidays (Tết included, from the ``holidays`` package);
  "N ngày" → calendar days.
* Event-bound words ("ngay sau Hội nghị này", "trước khi họp phiên tiếp theo", "trước tết")
  are kept as text with no date, for a person to review.
* Start dates ("từ tháng 11"), periods ("định kỳ hằng tháng"), urgency ("khẩn trương") are
  not deadlines.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from minutes.text import (
    DAY_WORDS_RE,
    MONTH_WORDS_RE,
    NUM_WORDS_RE,
    ROMAN,
    YEAR_WORDS_RE,
    match_view,
    nfc,
    words_to_int,
)
from vnadmin.workdays import add_working_days, is_working_day

__all__ = [
    "DeadlineKind",
    "DeadlineResult",
    "add_working_days",
    "find_deadlines",
    "is_working_day",
    "parse_deadline",
]


class DeadlineKind(StrEnum):
    """What kind of expression bounded the task."""

    DATE = "date"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    WEEK = "week"
    WORKING_DAYS = "working_days"
    DURATION = "duration"
    DAY = "day"
    EVENT = "event"


@dataclass(frozen=True, slots=True)
class DeadlineResult:
    """A deadline found in a text: its exact words, their span, and the resolved date.

    ``date`` is None when the words name an event (kept for review) or when nothing was
    found (then ``text`` is None too).
    """

    date: date | None = None
    text: str | None = None
    start: int | None = None
    end: int | None = None
    kind: DeadlineKind | None = None

    @property
    def found(self) -> bool:
        return self.text is not None

    @property
    def needs_review(self) -> bool:
        """Words that bound the task but resolve to no date: a person must decide."""
        return self.text is not None and self.date is None


NOT_FOUND = DeadlineResult()

# ---------------------------------------------------------------------------------------
# Building blocks of the grammar (applied to the lower-cased match view)

_S = r"\s+"
_N = rf"(?:\d{{1,3}}|{NUM_WORDS_RE})"
_D = rf"(?:\d{{1,2}}|{DAY_WORDS_RE})"
_M = rf"(?:\d{{1,2}}|{MONTH_WORDS_RE})"
_Y = rf"(?:\d{{4}}|{YEAR_WORDS_RE})"
_END = r"(?![\w/])"

_NUMERIC_DATE = (
    r"(?P<nd>\d{1,2})\s*[/.\-]\s*(?P<nm>\d{1,2})(?:\s*[/.\-]\s*(?P<ny>\d{4}|\d{2}))?(?!\d|%|,\d)"
)
_WORD_DATE = (
    rf"(?P<wd>{_D}){_S}tháng{_S}(?P<wm>{_M}|sau|tới|này){_END}(?:{_S}năm{_S}(?P<wy>{_Y}){_END})?"
)
# "trước 17 giờ ngày 20/6": the hour is dropped, the deadline is a date
_CLOCK = r"(?:\d{1,2}\s*(?:giờ|h)(?:\s*\d{1,2}(?:\s*phút)?)?(?:\s+(?:sáng|chiều|tối))?\s*,?\s*)"
_DATE = (
    rf"{_CLOCK}?(?:(?:ngày|hôm|mồng|mùng){_S})?(?:{_NUMERIC_DATE}|{_WORD_DATE})"
    rf"(?:{_S}(?P<rely>năm{_S}(?:sau|tới|nay)))?"
)
_UNTIL = (
    rf"(?:(?:từ{_S}(?:nay|giờ|bây{_S}giờ){_S})?(?:đến|tới)(?:{_S}hết)?"
    rf"|chậm{_S}nhất(?:{_S}là)?(?:{_S}(?:đến|vào|trước|trong))?(?:{_S}hết)?"
    rf"|muộn{_S}nhất(?:{_S}là)?(?:{_S}(?:đến|vào|trước))?"
    rf"|không{_S}quá|không{_S}muộn{_S}hơn|hạn{_S}chót(?:{_S}là)?"
    rf"|(?:thời{_S})?hạn(?:{_S}là|\s*:)"
    rf"|trước|trong|vào)"
)

_DATE_RE = re.compile(rf"(?<!\w)(?P<trig>{_UNTIL}){_S}{_DATE}")

# "từ nay đến tháng 9/2023" bounds the work like "đến hết tháng 9"; a bare "đến tháng 9" may
# end a period ("từ tháng 6 đến tháng 9") and is left alone
_PERIOD_TRIG = (
    rf"(?:(?:từ{_S}(?:nay|giờ|bây{_S}giờ){_S})?(?:đến|tới){_S}(?:hết|cuối)"
    rf"|từ{_S}(?:nay|giờ|bây{_S}giờ){_S}(?:đến|tới)"
    rf"|chậm{_S}nhất(?:{_S}là)?(?:{_S}(?:đến|vào|trong|trước))?(?:{_S}(?:hết|cuối))?"
    rf"|trước{_S}cuối|ngay{_S}trong|trong|cuối|hết|trước|giữa|đầu)"
)
_MONTH_RE = re.compile(
    rf"(?<!\w)(?P<trig>{_PERIOD_TRIG}){_S}tháng{_S}"
    rf"(?P<m>này|sau|tới|tiếp{_S}theo|{_M}(?!\w))"
    rf"(?:\s*/\s*(?P<y>\d{{4}})|{_S}năm{_S}(?P<y2>{_Y}{_END}|nay|sau|tới))?"
)
_QUARTER_RE = re.compile(
    rf"(?<!\w)(?P<trig>{_PERIOD_TRIG}){_S}quý{_S}"
    rf"(?P<q>iv|i{{1,3}}|[1-4]|một|hai|ba|bốn|tư|này|sau|tới)(?!\w)"
    rf"(?:\s*[/\-]\s*(?P<y>\d{{4}})|{_S}năm{_S}(?P<y2>{_Y}{_END}|nay|sau|tới))?"
)
_YEAR_RE = re.compile(
    rf"(?<!\w)(?P<trig>(?:(?:từ{_S}(?:nay|giờ){_S})?(?:đến|tới){_S}(?:hết|cuối)"
    rf"|trước{_S}cuối|trong|cuối|hết|trước)){_S}năm"
    rf"(?:{_S}(?P<y>\d{{4}}|{YEAR_WORDS_RE}|nay|sau|tới)(?![\w/]))?"
    rf"(?!{_S}(?:ngày|tuần|tháng|năm|qua|trước|ngoái|học|đầu|vừa|rồi|\d|{NUM_WORDS_RE}{_END}))"
)
_WEEKDAYS = {"hai": 0, "2": 0, "ba": 1, "3": 1, "tư": 2, "4": 2, "năm": 3, "5": 3}
_WEEKDAYS |= {"sáu": 4, "6": 4, "bảy": 5, "7": 5}
_WEEK_RE = re.compile(
    rf"(?<!\w)(?:(?P<wd>thứ{_S}(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ{_S}nhật){_S})?"
    rf"(?P<trig>(?:trong|cuối|đầu|hết|trước){_S})?"
    rf"tuần{_S}(?P<which>này|sau|tới|tiếp{_S}theo|kế{_S}tiếp){_END}"
)
_DURATION_RE = re.compile(
    rf"(?<!\w)(?P<trig>(?:trong|nội){_S}(?:(?:vòng|thời{_S}hạn|thời{_S}gian|khoảng|tối{_S}đa)\s+)?"
    rf"|chậm{_S}nhất(?:{_S}là)?(?:{_S}(?:sau|trong))?{_S}|không{_S}quá{_S}|tối{_S}đa{_S}|sau{_S})?"
    rf"(?P<n>{_N}){_S}(?P<unit>ngày{_S}làm{_S}việc|ngày|tuần|tháng){_END}"
    # "trong hai tháng còn lại (của năm)": the rest of the year, to 31 December
    rf"(?P<rest>{_S}còn{_S}lại(?:{_S}(?:của|trong){_S}năm(?:{_S}(?:nay|này|(?P<ry>{_Y})){_END})?)?(?!\w))?"
    rf"(?P<later>{_S}(?:nữa|tới|sắp{_S}tới|tiếp{_S}theo)(?!\w))?"
    rf"(?P<from>{_S}(?:kể{_S})?từ{_S}(?:(?:ngày{_S})?(?:hôm{_S}nay|nay|bây{_S}giờ|giờ)"
    rf"|ngày{_S}(?:họp|ký|ban{_S}hành|kết{_S}thúc[^\s,.;]*(?:{_S}[^\s,.;]+){{0,3}}?)"
    rf"(?={_S}|[,.;]|$)|{_DATE}))?"
)
_DAY_RE = re.compile(
    rf"(?<!\w)(?:(?:ngay{_S})?trong{_S}(?:ngày{_S})?(?:hôm{_S}nay|mai)"
    rf"|ngay{_S}trong{_S}ngày|(?:trong{_S}|trước{_S})?ngày{_S}mai){_END}"
)
_EVENT_RE = re.compile(
    rf"(?<!\w)(?:ngay{_S}sau{_S}(?:khi{_S}(?:kết{_S}thúc{_S})?)?"
    rf"(?:hội{_S}nghị|cuộc{_S}họp|phiên{_S}họp|buổi{_S}họp|buổi{_S}làm{_S}việc|cuộc{_S}làm{_S}việc"
    rf"|kỳ{_S}họp|hội{_S}thảo|buổi{_S}kiểm{_S}tra)(?:{_S}(?:này|hôm{_S}nay))?"
    rf"|(?:trước{_S}(?:khi{_S})?|trong{_S})(?:họp{_S}|tổ{_S}chức{_S}|diễn{_S}ra{_S})?"
    rf"(?:phiên|kỳ|cuộc|buổi)(?:{_S}(?:họp|báo{_S}cáo|làm{_S}việc|giao{_S}ban))?"
    rf"(?:{_S}[^\s,.;]+){{0,3}}?{_S}(?:tiếp{_S}theo|tới|sau|sắp{_S}tới|kế{_S}tiếp){_END}"
    rf"|trước{_S}(?:khi{_S})?(?:khai{_S}giảng|năm{_S}học{_S}mới|mùa{_S}mưa(?:{_S}bão)?|mùa{_S}khô"
    rf"|mùa{_S}lũ|đại{_S}hội(?:{_S}đảng{_S}bộ)?(?:{_S}các{_S}cấp)?)(?!\w)"
    rf"|trước{_S}(?:kỳ{_S}nghỉ{_S})?tết(?!{_S}dương)(?:{_S}nguyên{_S}đán)?"
    rf"(?:{_S}(?:giáp|ất|bính|đinh|mậu|kỷ|canh|tân|nhâm|quý){_S}\w+)?{_END}"
    rf"|trước{_S}khi{_S}(?:nghỉ{_S}tết|trình|ban{_S}hành|khởi{_S}công|tổ{_S}chức)"
    rf"(?:{_S}[^\s,.;]+){{0,4}})"
)


# ---------------------------------------------------------------------------------------
# Resolution helpers


def _year_value(raw: str | None, reference: date) -> int | None:
    if raw is None:
        return None
    raw = " ".join(raw.split())
    if raw == "nay":
        return reference.year
    if raw in ("sau", "tới"):
        return reference.year + 1
    value = words_to_int(raw)
    if value is not None and value < 100:
        value += 2000
    return value


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _friday(day: date) -> date:
    return day + timedelta(days=4 - day.weekday())


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _resolve_date(m: re.Match[str], reference: date) -> date | None:
    if m.group("nd") is not None:
        day, month, year_raw = int(m.group("nd")), int(m.group("nm")), m.group("ny")
    else:
        d = words_to_int(m.group("wd"))
        relative = " ".join(m.group("wm").split())
        if relative in ("sau", "tới", "này") and d is not None:
            # "ngày năm tháng sau": that day of the next (or this) month
            first = _add_months(reference.replace(day=1), 0 if relative == "này" else 1)
            return date(first.year, first.month, d)
        mo = words_to_int(m.group("wm"))
        if d is None or mo is None:
            return None
        day, month, year_raw = d, mo, m.group("wy")
    year = _year_value(year_raw, reference)
    rel = m.group("rely")
    if year is None and rel is not None:
        year = _year_value(rel.split()[-1], reference)
    if year is not None:
        return date(year, month, day)
    candidate = date(reference.year, month, day)
    if candidate < reference:
        candidate = date(reference.year + 1, month, day)
    return candidate


def _period_kind(trig: str) -> str:
    """'before' (end of the previous period), 'mid', 'start' or 'end'."""
    words = trig.split()
    if words == ["trước"]:
        return "before"
    if words == ["giữa"]:
        return "mid"
    if words == ["đầu"]:
        return "start"
    return "end"


def _resolve_month(m: re.Match[str], reference: date) -> date | None:
    raw = " ".join(m.group("m").split())
    kind = _period_kind(m.group("trig"))
    explicit_year = _year_value(m.group("y") or m.group("y2"), reference)
    if raw == "này":
        year, month = reference.year, reference.month
    elif raw in ("sau", "tới", "tiếp theo"):
        nxt = _add_months(reference.replace(day=1), 1)
        year, month = nxt.year, nxt.month
    else:
        value = words_to_int(raw)
        if value is None or not 1 <= value <= 12:
            return None
        month = value
        year = explicit_year if explicit_year is not None else reference.year
        if explicit_year is None and _month_end(year, month) < reference:
            year += 1
    if kind == "start":
        return None
    if kind == "mid":
        return date(year, month, 15)
    if kind == "before":
        return date(year, month, 1) - timedelta(days=1)
    return _month_end(year, month)


def _resolve_quarter(m: re.Match[str], reference: date) -> date | None:
    raw = m.group("q")
    kind = _period_kind(m.group("trig"))
    explicit_year = _year_value(m.group("y") or m.group("y2"), reference)
    current = (reference.month - 1) // 3 + 1
    year = reference.year
    if raw == "này":
        quarter = current
    elif raw in ("sau", "tới"):
        quarter = current + 1
        if quarter == 5:
            quarter, year = 1, year + 1
    else:
        value = ROMAN.get(raw) or words_to_int(raw)
        if value is None or not 1 <= value <= 4:
            return None
        quarter = value
        if explicit_year is not None:
            year = explicit_year
        elif _month_end(year, quarter * 3) < reference:
            year += 1
    if kind in ("start", "mid"):
        return None
    if kind == "before":
        return date(year, quarter * 3 - 2, 1) - timedelta(days=1)
    return _month_end(year, quarter * 3)


def _resolve_year(m: re.Match[str], reference: date) -> date | None:
    year = _year_value(m.group("y"), reference)
    kind = _period_kind(m.group("trig"))
    if year is None:
        if kind == "before":
            return None
        year = reference.year
    if kind == "before":
        return date(year - 1, 12, 31)
    return date(year, 12, 31)


def _resolve_week(m: re.Match[str], reference: date) -> date | None:
    which = " ".join(m.group("which").split())
    monday = reference - timedelta(days=reference.weekday())
    if which != "này":
        monday += timedelta(days=7)
    trig = (m.group("trig") or "").strip()
    if m.group("wd"):
        wd_words = m.group("wd").split()
        weekday = 6 if wd_words[0] == "chủ" else _WEEKDAYS.get(wd_words[-1], 4)
        return monday + timedelta(days=weekday)
    if trig == "đầu":
        return monday
    if trig == "trước" and which != "này":
        return max(reference, monday - timedelta(days=3))
    return max(reference, _friday(monday)) if which == "này" else _friday(monday)


def _resolve_duration(m: re.Match[str], reference: date) -> date | None:
    n = words_to_int(m.group("n"))
    if n is None or n <= 0 or n > 3660:
        return None
    anchor = reference
    frm = m.group("from")
    if frm and (m.group("nd") is not None or m.group("wd") is not None):
        resolved = _resolve_date(m, reference)
        if resolved is not None:
            anchor = resolved
    unit = " ".join(m.group("unit").split())
    if m.group("rest") and unit == "tháng":
        # "trong hai tháng còn lại": the months left of the year, not two months on
        return date(_year_value(m.group("ry"), reference) or reference.year, 12, 31)
    if unit == "ngày làm việc":
        return add_working_days(anchor, n)
    if unit == "ngày":
        return anchor + timedelta(days=n)
    if unit == "tuần":
        return anchor + timedelta(days=7 * n)
    return _add_months(anchor, n)


def _resolve_day(m: re.Match[str], reference: date) -> date | None:
    return reference + timedelta(days=1) if "mai" in m.group(0) else reference


# "trước tết dương lịch": New Year's Day that follows
_NEW_YEAR_RE = re.compile(
    rf"(?<!\w)(?P<trig>trước|đến|tới)(?:{_S}kỳ{_S}nghỉ)?{_S}tết{_S}dương{_S}lịch{_END}"
)


def _resolve_new_year(m: re.Match[str], reference: date) -> date | None:
    return date(reference.year + 1, 1, 1)


_PATTERNS: tuple[tuple[re.Pattern[str], DeadlineKind, Callable[..., date | None]], ...] = (
    (_DURATION_RE, DeadlineKind.WORKING_DAYS, _resolve_duration),
    (_DATE_RE, DeadlineKind.DATE, _resolve_date),
    (_MONTH_RE, DeadlineKind.MONTH, _resolve_month),
    (_QUARTER_RE, DeadlineKind.QUARTER, _resolve_quarter),
    (_YEAR_RE, DeadlineKind.YEAR, _resolve_year),
    (_WEEK_RE, DeadlineKind.WEEK, _resolve_week),
    (_DAY_RE, DeadlineKind.DAY, _resolve_day),
    (_NEW_YEAR_RE, DeadlineKind.DATE, _resolve_new_year),
    (_EVENT_RE, DeadlineKind.EVENT, lambda m, reference: None),
)

_VAO_VERBS = re.compile(
    r"(?:xong|hoàn\s+thành|hoàn\s+tất|hoàn\s+thiện|nộp|gửi|trình|báo\s+cáo)\s*$"
)
_DAY_PREFIX = re.compile(r"(?<!\w)(?:ngày|hôm|mồng|mùng)(?!\w)")


def _is_bare_relative_month(m: re.Match[str]) -> bool:
    """A day of a relative month needs its "ngày": "ngày 5 tháng sau" names a day of next
    month; without "ngày" or "mồng", "(trong) 3 tháng tới" counts months (a duration)."""
    month = m.groupdict().get("wm")
    if month is None or " ".join(month.split()) not in ("sau", "tới", "này"):
        return False
    return not _DAY_PREFIX.search(m.string, m.end("trig"), m.end("wd"))


_START_BEFORE = re.compile(r"(?:(?<!\w)từ|bắt\s+đầu|kể\s+từ)\s*$")
_NOT_BEFORE = re.compile(r"(?:không\s+để|chứ\s+không\s+phải|như)\s*$")


def _accept(view: str, m: re.Match[str], kind: DeadlineKind) -> bool:
    before = view[max(0, m.start() - 40) : m.start()]
    if _START_BEFORE.search(before) or _NOT_BEFORE.search(before):
        return False
    trig = " ".join((m.groupdict().get("trig") or "").split())
    if kind is DeadlineKind.DATE:
        if _is_bare_relative_month(m):
            return False  # "trong 3 tháng tới" is a duration, not "ngày 3 tháng tới"
        if trig == "vào" and not _VAO_VERBS.search(before):
            return False
        if trig in ("đến", "tới", "đến hết", "tới hết") and re.search(
            r"(?<!\w)từ\s+(?:ngày\s+)?[\w/.\-]+(?:\s+tháng\s+\w+)?\s*$", before
        ):
            return False  # the end of a period "từ ngày 1/6 đến ngày 30/6"
    if kind in (DeadlineKind.YEAR, DeadlineKind.QUARTER, DeadlineKind.MONTH) and re.search(
        r"(?:tháng|những|các|mấy)\s*$", before
    ):
        return False  # "6 tháng cuối năm", "những tháng cuối năm": a period, not a deadline
    if kind is DeadlineKind.WORKING_DAYS:
        unit = " ".join(m.group("unit").split())
        later = " ".join((m.group("later") or "").split())
        if not trig and unit != "ngày làm việc" and later != "nữa":
            return False  # "mười ngày nữa báo cáo" counts, a bare "30 ngày (tới)" does not
        if trig == "sau" and unit != "ngày làm việc":
            return False
        if unit == "tháng" and _PERIOD_AFTER.match(view, m.end()):
            return False  # "trong 6 tháng đầu năm", "9 tháng qua": a period reported on
    if kind is DeadlineKind.WEEK and not trig and not m.group("wd"):
        # a bare "tuần sau" counts ("cái này tuần sau là phải có"); a bare "tuần này" does not
        return " ".join(m.group("which").split()) != "này"
    return True


_PERIOD_AFTER = re.compile(
    r"\s+(?:đầu|cuối|giữa)(?:\s+năm)?(?!\w)|\s+(?:qua|vừa\s+qua|đã\s+qua)(?!\w)"
)


_OTHER_START = re.compile(r"\s+(?:kể\s+)?từ\s+(?:ngày|khi|lúc|thời\s+điểm)(?!\w)[^,.;:]{0,60}")


def _candidates(text: str, reference: date) -> Iterator[DeadlineResult]:
    view = match_view(text)
    for pattern, kind, resolve in _PATTERNS:
        for m in pattern.finditer(view):
            if not _accept(view, m, kind):
                continue
            try:
                resolved = resolve(m, reference)
            except (ValueError, OverflowError, TypeError):
                resolved = None
            real_kind = kind
            start, end = m.start(), m.end()
            if kind is DeadlineKind.WORKING_DAYS:
                unit = " ".join(m.group("unit").split())
                if m.group("rest") and unit == "tháng":
                    real_kind = DeadlineKind.YEAR
                elif unit != "ngày làm việc":
                    real_kind = DeadlineKind.DURATION
                event = None if m.group("from") else _OTHER_START.match(view, end)
                if event is not None:
                    # "trong 10 ngày làm việc kể từ ngày nhận đủ hồ sơ": counted from an
                    # event the text does not date; keep the words, flag for review
                    resolved, end = None, event.end()
            while end > start and text[end - 1] in " ,.;:":
                end -= 1
            yield DeadlineResult(resolved, text[start:end], start, end, real_kind)


# Words that make the time after them the name of an event: "kỳ họp cuối năm", "hội nghị
# giữa năm", "đợt cao điểm cuối năm", "kỳ thi cuối kỳ".
_EVENT_NAME_BEFORE = re.compile(
    r"(?<!\w)(?:kỳ\s+họp|phiên\s+họp|hội\s+nghị|đợt(?:\s+cao\s+điểm)?|kỳ\s+thi)\s+$"
)


def find_deadlines(text: str, *, reference: date) -> list[DeadlineResult]:
    """Every deadline expression in ``text``, left to right, without overlaps."""
    try:
        text = nfc(text)
        found = sorted(
            _candidates(text, reference),
            key=lambda r: (r.start or 0, -((r.end or 0) - (r.start or 0))),
        )
    except (ValueError, OverflowError, TypeError, RecursionError):
        return []
    chosen: list[DeadlineResult] = []
    view = match_view(text)
    for result in found:
        if _EVENT_NAME_BEFORE.search(view, 0, result.start or 0):
            continue  # "trình HĐND tại kỳ họp cuối năm": the name of an event, not a deadline
        if chosen and (result.start or 0) < (chosen[-1].end or 0):
            previous = chosen[-1]
            longer = (result.end or 0) - (result.start or 0) > (previous.end or 0) - (
                previous.start or 0
            )
            if longer:
                chosen[-1] = result
            continue
        chosen.append(result)
    return chosen


def parse_deadline(text: str, *, reference: date) -> DeadlineResult:
    """The deadline of one task sentence: the first resolvable expression, else the first
    event-bound one (kept for review), else an empty result. Never raises."""
    if not isinstance(text, str) or not isinstance(reference, date):
        return NOT_FOUND
    found = find_deadlines(text, reference=reference)
    for result in found:
        if result.date is not None:
            return result
    return found[0] if found else NOT_FOUND
