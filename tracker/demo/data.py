"""The demo's data files, and the dates in them that are relative to today.

A month is written "2018-09", or as a number of months from today's (0 this month, -1 last
month), or as ``{"meeting": n}``: the month of the meeting ``n`` quarters from the next one
(-1 the last one held). A day is written "2019-03-04", or as a number of days from today,
or as ``{"meeting": n, "days": d}``: ``d`` days from that meeting.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from pathlib import Path

from tracker.rules.due import LONDON, add_months, first_of_month

HERE = Path(__file__).parent
QUARTER_MONTHS = (3, 6, 9, 12)
Month = str | int | dict[str, int]


@cache
def read(name: str) -> dict:
    return json.loads((HERE / f"{name}.json").read_text(encoding="utf-8"))


def at(day: date, hour: int = 10) -> datetime:
    """A moment of ``day`` in UK time, as the app stores it (UTC)."""
    return datetime.combine(day, time(hour), tzinfo=LONDON).astimezone(UTC)


def meeting_day(month: date) -> date:
    """The board meets on the third Thursday of the month."""
    first = first_of_month(month)
    return first + timedelta(days=(3 - first.weekday()) % 7 + 14)


def meeting_days(first: date, last: date) -> list[date]:
    """The quarterly meetings from the month ``first`` to the month ``last``."""
    month, days = first_of_month(first), []
    while month.month not in QUARTER_MONTHS:
        month = add_months(month, 1)
    while month <= last:
        days.append(meeting_day(month))
        month = add_months(month, 3)
    return days


def next_meeting(today: date) -> date:
    """The day of the first meeting on or after ``today``."""
    return next(d for d in meeting_days(today, add_months(today, 3)) if d >= today)


def month(value: Month, today: date) -> date:
    if isinstance(value, int):
        return add_months(first_of_month(today), value)
    if isinstance(value, dict):
        return add_months(first_of_month(next_meeting(today)), 3 * value["meeting"])
    return date.fromisoformat(f"{value}-01")


def day(value: str | int | dict[str, int], today: date) -> date:
    if isinstance(value, int):
        return today + timedelta(days=value)
    if isinstance(value, dict):
        return meeting_day(month(value, today)) + timedelta(days=value["days"])
    return date.fromisoformat(value)
