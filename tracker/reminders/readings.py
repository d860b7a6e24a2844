"""Reminders and chasers to indicator owners for the readings of the performance framework.

With the same board timings as the actions' (tracker.reminders.actions): an owner is
reminded the board's N and M working days before a reading is due (a reading is due 10
working days after its period ends: tracker.rules.periods), and chased on the board's chaser
day while it is overdue. One e-mail per owner per day (reminders) or per week (chasers),
keyed like the action e-mails, so running a job twice for the same moment queues nothing
more.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from tracker.indicators.framework import outstanding_readings
from tracker.links import absolute_url
from tracker.models import Board, Indicator, Person
from tracker.reminders.planned import Planned
from tracker.reminders.recipients import by_recipient
from tracker.rules import periods
from tracker.rules.due import is_working_day, working_days_after
from tracker.rules.timetable import is_chaser_day


@dataclass(frozen=True)
class DueReading:
    """One line of a reading reminder or chaser."""

    indicator: Indicator
    due: periods.ReadingDue
    period: str  # "2021 Q2"
    link: str  # where the owner enters it


def _by_owner(
    session: Session, board: Board, wanted: Callable[[periods.ReadingDue], bool], today: date
) -> dict[Person, list[DueReading]]:
    """The wanted outstanding readings, grouped by who hears about them for the indicator's
    owner (tracker.reminders.recipients)."""
    rows = [
        DueReading(
            standing.indicator,
            due,
            periods.label(due.period_start, standing.indicator.frequency),
            absolute_url(
                "indicators.add_reading", board_slug=board.slug, indicator_id=standing.indicator.id
            ),
        )
        for standing in outstanding_readings(session, board, today)
        for due in standing.outstanding
        if wanted(due)
    ]
    return by_recipient(session, board, rows, lambda r: [r.indicator.owner], today)


def plan_reading_reminders(session: Session, board: Board, today: date) -> list[Planned]:
    """Each owner's one e-mail of the day: readings due in N and in M working days."""
    if not is_working_day(today):
        return []
    days = {
        working_days_after(today, n)
        for n in (board.first_reminder_days, board.second_reminder_days)
    }
    due = _by_owner(session, board, lambda d: d.due_on in days, today)
    return [
        Planned(
            kind="reading_reminder",
            key=f"reading_reminder:{board.id}:{person.email}:{today}",
            person=person,
            subject=f"Performance readings due from you: {board.name}",
            actions=[],
            day=today,
            context={"readings": sorted(rows, key=lambda r: r.due.due_on)},
        )
        for person, rows in due.items()
    ]


def plan_reading_chasers(session: Session, board: Board, today: date) -> list[Planned]:
    """Each owner's overdue readings, on the board's chaser day."""
    if not is_chaser_day(board, today):
        return []
    year, week, _ = today.isocalendar()
    late = _by_owner(session, board, lambda d: d.overdue, today)
    return [
        Planned(
            kind="reading_chaser",
            key=f"reading_chaser:{board.id}:{person.email}:{year}-W{week}",
            person=person,
            subject=f"Overdue performance readings: {board.name}",
            actions=[],
            day=today,
            context={"readings": sorted(rows, key=lambda r: -r.due.days_late)},
        )
        for person, rows in late.items()
    ]
