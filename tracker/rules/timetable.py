"""When the board's scheduled e-mails go out: the morning hour of each job, the day before a
meeting that its forward plan is compiled and its digest sent, and the days chasers go.

The scheduler's table (jobs/schedule.py) runs the jobs at these hours and the calendar feed
shows a chair the same mornings, so both read them from here. Times are Europe/London.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from tracker.rules.due import LONDON, next_working_day

if TYPE_CHECKING:
    from tracker.models import Board

FORWARD_PLAN_AT = time(7, 0)
DIGEST_AT = time(7, 30)
# Reminders and chasers, then the one e-mail a day of what they held back for some people.
REMINDERS_AT = time(8, 0)
DAILY_EMAIL_AT = time(8, 30)

FORWARD_PLAN_DAYS_BEFORE = 21
DIGEST_DAYS_BEFORE = 7


def at(day: date, hour: time) -> datetime:
    """The moment ``hour`` on ``day``, in Europe/London."""
    return datetime.combine(day, hour, tzinfo=LONDON)


def forward_plan_day(held_on: date) -> date:
    """The day the forward plan of a meeting on ``held_on`` is first compiled and sent to the
    chair: the first working day on which the meeting is within FORWARD_PLAN_DAYS_BEFORE."""
    return next_working_day(held_on - timedelta(days=FORWARD_PLAN_DAYS_BEFORE))


def digest_day(held_on: date) -> date:
    """The day the digest of a meeting on ``held_on`` is sent (once: its key is per meeting)."""
    return next_working_day(held_on - timedelta(days=DIGEST_DAYS_BEFORE))


def is_chaser_day(board: Board, today: date) -> bool:
    """The board's chaser weekday (or the next working day after it), in a chasing week."""
    weekday = today - timedelta(days=today.weekday()) + timedelta(days=board.chaser_weekday)
    week = today.isocalendar()[1]
    return next_working_day(weekday) == today and week % board.chaser_every_weeks == 0
