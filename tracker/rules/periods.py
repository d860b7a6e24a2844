"""The periods an indicator is reported for, their labels, and when each reading is due.

A reading's period is stored as its first day; the indicator's frequency says how long it is:

- monthly: a calendar month, "March 2021";
- quarterly: a calendar quarter, "2021 Q2" (April to June 2021);
- termly: a school term, "Autumn term 2021" (September to December 2021), "Spring term 2022"
  (January to March 2022), "Summer term 2022" (April to August 2022, so that the three terms
  cover the whole year and every day belongs to one);
- yearly: a plan year, April to March, "2020/21", as the plan's own years.

A reading is due 10 working days after its period ends (figures take about two weeks to
come in), and overdue from the day after that with no reading for the period.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from tracker.models import Frequency
from tracker.rules.due import (
    add_months,
    first_of_month,
    plan_year,
    plan_year_label,
    working_days_after,
)
from tracker.rules.months import NotAMonth, parse_month

READING_DUE_WORKING_DAYS = 10

# Each frequency's periods as (first month, label) within a calendar year.
_TERMS = [(1, "Spring"), (4, "Summer"), (9, "Autumn")]
_LENGTH_IN_MONTHS = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.YEARLY: 12}


class NotAPeriod(ValueError):
    """The text is not a period of this frequency; the message says what to write."""


def period_of(day: date, frequency: Frequency) -> date:
    """The first day of the period ``day`` falls in."""
    if frequency is Frequency.MONTHLY:
        return first_of_month(day)
    if frequency is Frequency.QUARTERLY:
        return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    if frequency is Frequency.TERMLY:
        month = max(first for first, _ in _TERMS if first <= day.month)
        return date(day.year, month, 1)
    return date(plan_year(day), 4, 1)


def next_period(start: date, frequency: Frequency) -> date:
    if frequency is Frequency.TERMLY:
        later = [first for first, _ in _TERMS if first > start.month]
        return date(start.year, later[0], 1) if later else date(start.year + 1, 1, 1)
    return add_months(start, _LENGTH_IN_MONTHS[frequency])


def period_end(start: date, frequency: Frequency) -> date:
    return next_period(start, frequency) - timedelta(days=1)


def periods(first: date, last: date, frequency: Frequency) -> Iterator[date]:
    """The starts of every period from the one holding ``first`` to the one holding ``last``."""
    start = period_of(first, frequency)
    while start <= last:
        yield start
        start = next_period(start, frequency)


def previous_period(start: date, frequency: Frequency) -> date:
    return period_of(start - timedelta(days=1), frequency)


def label(start: date, frequency: Frequency) -> str:
    if frequency is Frequency.MONTHLY:
        return f"{start:%B %Y}"
    if frequency is Frequency.QUARTERLY:
        return f"{start.year} Q{(start.month - 1) // 3 + 1}"
    if frequency is Frequency.TERMLY:
        return f"{dict(_TERMS)[start.month]} term {start.year}"
    return plan_year_label(start.year)


def example(frequency: Frequency, today: date) -> str:
    """A period to show how to write one: the last one to have ended, whose reading is the
    one due next ("2026 Q2")."""
    return label(previous_period(period_of(today, frequency), frequency), frequency)


def short_label(start: date, frequency: Frequency) -> str:
    """For a chart's axis: "Mar 21", "2021 Q2", "Aut 21", "2020/21"."""
    if frequency is Frequency.MONTHLY:
        return f"{start:%b %y}"
    if frequency is Frequency.TERMLY:
        return f"{dict(_TERMS)[start.month][:3]} {start:%y}"
    return label(start, frequency)


def reading_due_on(start: date, frequency: Frequency) -> date:
    """The day the reading for the period starting ``start`` is due."""
    return working_days_after(period_end(start, frequency), READING_DUE_WORKING_DAYS)


@dataclass(frozen=True)
class ReadingDue:
    """A period with no reading yet, and when its reading is (or was) due."""

    period_start: date
    due_on: date
    overdue: bool
    days_late: int


def outstanding(
    frequency: Frequency, *, since: date, today: date, have: Collection[date]
) -> list[ReadingDue]:
    """Every period from the one holding ``since`` to the one holding ``today`` that has no
    reading (``have`` holds the periods that have one), oldest first. A period is overdue
    once its due day has passed."""
    result = []
    for start in periods(since, today, frequency):
        if start in have:
            continue
        due_on = reading_due_on(start, frequency)
        late = (today - due_on).days
        result.append(ReadingDue(start, due_on, late > 0, max(late, 0)))
    return result


_QUARTER = re.compile(r"^(?:(\d{4})\s*-?\s*q([1-4])|q([1-4])\s*-?\s*(\d{4}))$")
_TERM = re.compile(r"^(autumn|spring|summer)(?:\s+term)?\s+(\d{4})$")
_YEAR = re.compile(r"^(\d{4})\s*[/\-]\s*(\d{2}|\d{4})$")


def _in_range(year: int) -> bool:
    return 2000 <= year <= 2100


def parse(text: str, frequency: Frequency, *, today: date) -> date:
    """The first day of the period written in ``text``, for an indicator of ``frequency``
    (``today`` gives the example when it is not one)."""
    cleaned = " ".join(str(text).strip().lower().split())
    shown = str(text).strip()
    wrong = NotAPeriod(
        f"'{shown}' is not a {_NOUN[frequency]}: write it like '{example(frequency, today)}'"
    )
    if frequency is Frequency.MONTHLY:
        try:
            return parse_month(cleaned)
        except NotAMonth:
            raise wrong from None
    if frequency is Frequency.QUARTERLY:
        match = _QUARTER.match(cleaned)
        if match:
            year = int(match.group(1) or match.group(4))
            quarter = int(match.group(2) or match.group(3))
            if _in_range(year):
                return date(year, quarter * 3 - 2, 1)
    elif frequency is Frequency.TERMLY:
        match = _TERM.match(cleaned)
        if match and _in_range(int(match.group(2))):
            month = next(first for first, name in _TERMS if name.lower() == match.group(1))
            return date(int(match.group(2)), month, 1)
    else:
        match = _YEAR.match(cleaned)
        if match:
            first, second = int(match.group(1)), int(match.group(2))
            if second < 100:
                second += first // 100 * 100
            if _in_range(first) and second == first + 1:
                return date(first, 4, 1)
    raise wrong


_NOUN = {
    Frequency.MONTHLY: "month",
    Frequency.QUARTERLY: "quarter",
    Frequency.TERMLY: "school term",
    Frequency.YEARLY: "plan year",
}
