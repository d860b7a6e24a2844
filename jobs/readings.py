"""Reminders and chasers to indicator owners for the readings of the performance framework.

They run inside the daily reminders and the weekly chasers (jobs.reminders), with the same
board timings: an owner is reminded the board's N and M working days before a reading is
due (a reading is due 10 working days after its period ends: tracker.rules.periods), and
chased on the board's chaser day while it is overdue. Owners away hand these to their deputy,
as leads do. One e-mail per owner per day (reminders) or per week (chasers), keyed like the
action e-mails, so running a job twice for the same moment queues nothing more.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from jobs.reminders import Planned, is_chaser_day
from tracker.indicators.framework import IndicatorStanding, outstanding_readings
from tracker.leads import chased
from tracker.links import absolute_url
from tracker.members import member_ids
from tracker.models import Board, Indicator, Person
from tracker.rules import periods
from tracker.rules.due import is_working_day, working_days_after


@dataclass(frozen=True)
class DueReading:
    """One line of a reading reminder or chaser."""

    indicator: Indicator
    due: periods.ReadingDue
    period: str  # "2021 Q2"
    link: str  # where the owner enters it


def _by_owner(
    session: Session,
    board: Board,
    items: list[IndicatorStanding],
    wanted: Callable[[periods.ReadingDue], bool],
    today: date,
) -> dict[Person, list[DueReading]]:
    """The wanted readings, grouped by whoever the reminders go to for each indicator's owner
    (tracker.leads.chased: the owner, or their deputy while they are away)."""
    grouped: dict[Person, list[DueReading]] = defaultdict(list)
    members = member_ids(session, board.id)
    for standing in items:
        indicator = standing.indicator
        owner = chased(indicator.owner, today, members)
        if owner is None:
            continue
        for due in standing.outstanding:
            if wanted(due):
                link = absolute_url(
                    "indicators.add_reading", board_slug=board.slug, indicator_id=indicator.id
                )
                label = periods.label(due.period_start, indicator.frequency)
                grouped[owner].append(DueReading(indicator, due, label, link))
    return dict(sorted(grouped.items(), key=lambda kv: kv[0].email))


def plan_reading_reminders(session: Session, board: Board, today: date) -> list[Planned]:
    """Each owner's one e-mail of the day: readings due in N and in M working days."""
    if not is_working_day(today):
        return []
    days = {
        working_days_after(today, n)
        for n in (board.first_reminder_days, board.second_reminder_days)
    }
    due = _by_owner(
        session,
        board,
        outstanding_readings(session, board, today),
        lambda d: d.due_on in days,
        today,
    )
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
    late = _by_owner(
        session, board, outstanding_readings(session, board, today), lambda d: d.overdue, today
    )
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
