"""Meeting times written the Vietnamese way: "8h00 ngày 4/6", "14 giờ thứ năm tuần sau",
"8:30 sáng mai", "15h chiều 5/12/2026".

The parser takes the reference moment and zone as arguments and never reads the clock. A day
without a year is the next such day from the reference; a weekday without "tuần sau" is the
next such weekday (today if the hour is still ahead).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta, tzinfo

from minutes import parse_deadline

WEEKDAYS = {
    "hai": 0,
    "2": 0,
    "ba": 1,
    "3": 1,
    "tư": 2,
    "tu": 2,
    "4": 2,
    "năm": 3,
    "5": 3,
    "sáu": 4,
    "6": 4,
    "bảy": 5,
    "7": 5,
}

_HOUR = re.compile(
    r"(?<!\d)(\d{1,2})\s*(?:h|giờ|g|:)\s*(\d{2})?(?:\s*(?:phút|p))?\s*(sáng|trưa|chiều|tối)?"
)
_DATE = re.compile(r"(?<![\d/])(\d{1,2})\s*[/-]\s*(\d{1,2})(?:\s*[/-]\s*(\d{4}))?(?![\d/])")
_WEEKDAY = re.compile(r"(chủ nhật|cn)|thứ\s*(hai|ba|tư|tu|năm|sáu|bảy|[2-7])")


def _date_part(text: str, today: date) -> date | None:
    if match := _DATE.search(text):
        day, month = int(match[1]), int(match[2])
        year = int(match[3]) if match[3] else today.year
        try:
            result = date(year, month, day)
        except ValueError:
            return None
        if not match[3] and result < today:
            try:
                result = date(year + 1, month, day)
            except ValueError:
                return None
        return result
    if "ngày kia" in text or "ngày mốt" in text:
        return today + timedelta(days=2)
    if "mai" in text.split() or "ngày mai" in text:
        return today + timedelta(days=1)
    if "hôm nay" in text or "nay" in text.split():
        return today
    if match := _WEEKDAY.search(text):
        weekday = 6 if match[1] else WEEKDAYS[match[2]]
        if "tuần sau" in text or "tuần tới" in text:
            monday = today - timedelta(days=today.weekday()) + timedelta(weeks=1)
            return monday + timedelta(days=weekday)
        return today + timedelta(days=(weekday - today.weekday()) % 7)
    return None


def _time_part(text: str) -> time | None:
    match = _HOUR.search(text)
    if match is None:
        return None
    hour, minute = int(match[1]), int(match[2] or 0)
    period = match[3]
    if period in ("chiều", "tối") and hour < 12:
        hour += 12
    if period == "trưa" and hour < 11:
        hour += 12
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def parse_meeting_time(text: str, *, now: datetime, tz: tzinfo) -> datetime | None:
    """The moment meant, aware in ``tz``; None when the words do not name a day and an hour."""
    cleaned = " ".join(unicodedata.normalize("NFC", text).lower().split())
    local_now = now.astimezone(tz)
    day = _date_part(cleaned, local_now.date())
    clock = _time_part(_DATE.sub(" ", cleaned))
    if day is None or clock is None:
        return None
    moment = datetime.combine(day, clock, tzinfo=tz)
    # "thứ năm" said on a Thursday afternoon about 8h means next week's Thursday.
    if moment <= now and _WEEKDAY.search(cleaned) and "tuần sau" not in cleaned:
        moment += timedelta(weeks=1)
    return moment


def deadline_from_words(text: str, today: date) -> date | None:
    """ "20/12/2026", "30/6", "trong tháng 12", "15 ngày làm việc": the drafter's own deadline
    grammar, with a bare date read as "trước ngày ..."."""
    for words in (text, f"trước ngày {text}"):
        found = parse_deadline(words, reference=today)
        if found.date is not None:
            return found.date
    return None
