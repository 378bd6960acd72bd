"""Calendar helpers for months and years."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import lru_cache


@lru_cache(maxsize=4096)  # ingest asks it for nearly every message and line, for a few dozen distinct months
def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return month_end(day) + timedelta(days=1)


def months_between(first: date, last: date) -> list[date]:
    """First days of every month from first's month up to and including last's month."""
    months = []
    current = month_start(first)
    while current <= last:
        months.append(current)
        current = next_month(current)
    return months


def overlaps(start: date, end: date | None, period_start: date, period_end: date) -> bool:
    return start <= period_end and (end is None or end >= period_start)
