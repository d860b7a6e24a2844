"""When an action is due and when it is overdue.

One module, used by the pages and by the scheduler, so the two can never disagree.

- Due date: 10 working days before the first board meeting held in the reporting month;
  if the board has no meeting that month, the last working day of the month.
- Working days: Monday to Friday outside England and Wales bank holidays.
- An update counts for a reporting month when it is posted on or after the first day of
  the month before that reporting month.
- Overdue: today (Europe/London) is after the due date, the action is not complete, and no
  update counts for its reporting month.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

import holidays

LONDON = ZoneInfo("Europe/London")
WORKING_DAYS_BEFORE_MEETING = 10


@cache
def _bank_holidays(year: int) -> holidays.HolidayBase:
    # England and Wales share their bank holidays; "ENG" is the subdivision that has them.
    return holidays.country_holidays("GB", subdiv="ENG", years=year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def working_days_before(day: date, count: int) -> date:
    """The date ``count`` working days before ``day`` (``day`` itself is not counted)."""
    current = day
    while count > 0:
        current -= timedelta(days=1)
        if is_working_day(current):
            count -= 1
    return current


def working_days_after(day: date, count: int) -> date:
    """The date ``count`` working days after ``day`` (``day`` itself is not counted)."""
    current = day
    while count > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            count -= 1
    return current


def next_working_day(day: date) -> date:
    """``day`` if it is a working day, otherwise the next one."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def last_working_day_of_month(month: date) -> date:
    day = add_months(first_of_month(month), 1) - timedelta(days=1)
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def due_date(reporting_month: date, meeting_dates: Iterable[date]) -> date:
    """The day a lead's update for ``reporting_month`` is due."""
    return _due_date(first_of_month(reporting_month), frozenset(meeting_dates))


@lru_cache(maxsize=4096)
def _due_date(month: date, meeting_dates: frozenset[date]) -> date:
    # Cached: a board's thousands of actions share a handful of reporting months.
    in_month = sorted(d for d in meeting_dates if first_of_month(d) == month)
    if in_month:
        return working_days_before(in_month[0], WORKING_DAYS_BEFORE_MEETING)
    return last_working_day_of_month(month)


def counting_from(reporting_month: date) -> date:
    """The first day on which an update counts for ``reporting_month``."""
    return add_months(first_of_month(reporting_month), -1)


def update_counts(posted_on: date, reporting_month: date) -> bool:
    return posted_on >= counting_from(reporting_month)


def plan_year(day: date) -> int:
    """The plan year (April to March) ``day`` falls in, by the year it starts: 2018 for 2018/19."""
    return day.year if day.month >= 4 else day.year - 1


def plan_years(start_year: int, end_year: int) -> range:
    """A plan's years, by the year each starts in: "CYPP 2018–2021" runs 2018/19, 2019/20 and
    2020/21, ending in the spring of its last named year. A plan named with one year has one."""
    return range(start_year, max(end_year, start_year + 1))


def nearest_plan_year(years: range, year: int) -> int:
    """``year`` if it is one of the plan's ``years``, else the plan's first or last."""
    return min(max(year, years[0]), years[-1])


def plan_year_label(year: int) -> str:
    """The plan year starting in April of ``year`` as the board writes it: "2018/19"."""
    return f"{year}/{(year + 1) % 100:02d}"


def london_date(moment: datetime) -> date:
    """The calendar date in Europe/London of an aware datetime."""
    return moment.astimezone(LONDON).date()


@dataclass(frozen=True)
class Due:
    """Where one reporting month of an action stands on a given day."""

    reporting_month: date
    due_on: date
    # The day the update that counts for the month came in (the action's newest), or None.
    received_on: date | None
    overdue: bool
    days_late: int

    @property
    def update_received(self) -> bool:
        return self.received_on is not None


def assess(
    reporting_month: date,
    *,
    today: date,
    meeting_dates: Iterable[date],
    complete: bool,
    last_update_on: date | None,
) -> Due:
    """Whether the update for ``reporting_month`` is in, due, or overdue on ``today``.

    ``last_update_on`` is the London date of the action's newest update: if that one does not
    count for the month, no older one can.
    """
    due_on = due_date(reporting_month, meeting_dates)
    received = last_update_on is not None and update_counts(last_update_on, reporting_month)
    overdue = today > due_on and not complete and not received
    return Due(
        reporting_month=first_of_month(reporting_month),
        due_on=due_on,
        received_on=last_update_on if received else None,
        overdue=overdue,
        days_late=(today - due_on).days if overdue else 0,
    )
