"""Examples for hints and messages ("for example, 12 9 2026"), worked out from today.

GOV.UK asks for examples a person would plausibly type. A year written into the code goes
stale (the hints still said 2018 years later), so every example of a date, month or year is
made from the day it is shown. ``Hint`` defers that to when a form is rendered.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from tracker import clock
from tracker.rules.due import add_months, first_of_month, plan_year, plan_year_label


class Hint:
    """Text made from today's date when it is shown, for a form field's description (a
    field is made once, when its form class is defined, long before it is shown)."""

    def __init__(self, words: Callable[[date], str]) -> None:
        self.words = words

    def __str__(self) -> str:
        return self.words(clock.today())


def day(today: date, weeks_ahead: int = 6) -> str:
    """A date a few weeks ahead, as typed into GOV.UK's day, month and year boxes."""
    shown = today + timedelta(weeks=weeks_ahead)
    return f"{shown.day} {shown.month} {shown.year}"


def _months(today: date) -> tuple[date, date]:
    """Two reporting months ahead, half a year apart."""
    first = add_months(first_of_month(today), 2)
    return first, add_months(first, 6)


def month(today: date) -> str:
    """ "September 2026"."""
    return f"{_months(today)[0]:%B %Y}"


def short_month(today: date) -> str:
    """ "Sep 26"."""
    return f"{_months(today)[0]:%b %y}"


def short_months(today: date) -> str:
    """ "Sep 26, Mar 27", as plans write their reporting timetable."""
    first, second = _months(today)
    return f"{first:%b %y}, {second:%b %y}"


def year(today: date) -> int:
    """The plan year running today, by the year it starts: 2026 for 2026/27."""
    return plan_year(today)


def year_label(today: date) -> str:
    return plan_year_label(year(today))


def plan_name(today: date) -> str:
    """ "CYPP 2026–2029"."""
    return f"CYPP {year(today)}–{year(today) + 3}"
