"""The working-day calendar (ngày làm việc): Monday to Friday, less Vietnamese public
holidays (Tết included, from the ``holidays`` package).

Deadlines counted in working days ("30 ngày làm việc") and the reminders that fall on
working days use the same calendar; no function here reads the clock.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta

import holidays

__all__ = [
    "add_working_days",
    "is_working_day",
    "next_working_day",
    "working_day_on_or_after",
    "working_days_before",
]


@functools.lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[date]:
    if not 1900 <= year <= 2200:
        return frozenset()
    return frozenset(holidays.country_holidays("VN", years=year))


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a Vietnamese public holiday."""
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after ``start`` (``start`` itself is not counted)."""
    day = start
    counted = 0
    while counted < n:
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def working_day_on_or_after(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def next_working_day(day: date) -> date:
    return working_day_on_or_after(day + timedelta(days=1))


def working_days_before(day: date, n: int) -> date:
    """The n-th working day before ``day`` (``day`` itself is not counted)."""
    counted = 0
    while counted < n:
        day -= timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day
