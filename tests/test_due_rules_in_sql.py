"""The overdue rule twice: in SQL (``MonthDues``, which picks actions out without loading
them) and in Python (``tracker.rules.due.assess``, which pages and e-mails show). Over
generated boards they must pick the same actions on every day, on each database.

The boards are drawn from a seeded generator, so a failure repeats: meetings on the 1st to
the 3rd of months with bank holidays (Easter, May, August, Christmas), two meetings in a
month, archived meetings, actions and areas; actions with several reporting months, some
complete; updates posted around London midnight, around the first of months (when they
start to count) and on the days the clocks change.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from tests import factories
from tracker.actions.standing import PLAN_ORDER, live_actions, month_dues, standings
from tracker.models import Action, ActionStatus, ProgressUpdate, Role, utcnow
from tracker.rules.due import LONDON, add_months, counting_from

SEED = 14
YEARS = (2020, 2021, 2022)
BANK_HOLIDAY_MONTHS = (1, 4, 5, 8, 12)
# Sundays the clocks go forward and back.
CLOCK_CHANGES = [
    date(2020, 3, 29),
    date(2020, 10, 25),
    date(2021, 3, 28),
    date(2021, 10, 31),
    date(2022, 3, 27),
    date(2022, 10, 30),
]


def _month(rng: random.Random) -> date:
    month = rng.choice(BANK_HOLIDAY_MONTHS) if rng.random() < 0.6 else rng.randint(1, 12)
    return date(rng.choice(YEARS), month, 1)


def _moment(rng: random.Random, months: list[date]) -> datetime:
    """When an update is posted: within an hour and a half of a London midnight that matters
    to the rule, mostly the one from which it starts to count for one of its months."""
    if rng.random() < 0.75:
        day = counting_from(rng.choice(months))
    else:
        day = rng.choice(CLOCK_CHANGES) + timedelta(days=rng.choice([0, 1]))
    minutes = rng.choice([-90, -61, -60, -59, -1, 0, 1, 59, 60, 61, 90])
    midnight = datetime.combine(day, time(), tzinfo=LONDON)
    return (midnight + timedelta(minutes=minutes)).astimezone(UTC)


def _board(session, rng: random.Random):
    board = factories.board()
    lead = factories.person(board, Role.LEAD)
    plan = factories.plan(board, "Plan", 2020, 2022)
    areas = [factories.area(plan, f"Area {i}", i) for i in range(3)]
    areas[2].archived_at = utcnow()
    held_on: set[date] = set()
    for _ in range(rng.randint(4, 9)):
        month = _month(rng)
        held_on.add(month.replace(day=rng.choice([1, 2, 3, 3, 15, 28])))
        if rng.random() < 0.2:  # a second meeting that month
            held_on.add(month.replace(day=rng.randint(4, 28)))
    for day in sorted(held_on):
        meeting = factories.meeting(board, day)
        if rng.random() < 0.15:
            meeting.archived_at = utcnow()
    for _ in range(rng.randint(20, 30)):
        months = sorted({_month(rng) for _ in range(rng.randint(1, 4))})
        action = factories.action(
            rng.choice(areas),
            leads=[lead],
            months=months,
            status=ActionStatus.COMPLETE if rng.random() < 0.15 else ActionStatus.ON_TRACK,
        )
        if rng.random() < 0.1:
            action.archived_at = utcnow()
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            session.add(
                ProgressUpdate(
                    action=action,
                    author=lead,
                    text="Update",
                    status=ActionStatus.ON_TRACK,
                    created_at=_moment(rng, months),
                )
            )
    return board


def _days(session, board, rng: random.Random) -> list[date]:
    """The days to compare on: either side of each due date, and some others."""
    due_on = month_dues(session, board, date(2020, 1, 1)).due_on.values()
    near = {d + timedelta(days=shift) for d in due_on for shift in (-1, 0, 1)}
    others = {date(2019, 12, 1) + timedelta(days=rng.randint(0, 1200)) for _ in range(15)}
    return sorted(near | others)


def _ids(session, query) -> list[int]:
    return list(session.scalars(query))


def test_the_overdue_rule_in_sql_agrees_with_the_rule_in_python(session):
    rng = random.Random(SEED)
    boards = [_board(session, rng) for _ in range(4)]
    session.commit()
    disagreements, overdue_seen, on_time_seen = [], 0, 0
    for board in boards:
        for today in _days(session, board, rng):
            dues = month_dues(session, board, today)
            found = standings(session, board, today, meetings=dues.meetings)
            overdue = [s for s in found if s.overdue]
            overdue_seen += len(overdue)
            on_time_seen += len(found) - len(overdue)
            in_sql = _ids(
                session,
                live_actions(board, Action.id)
                .where(dues.overdue())
                .order_by(dues.most_late_first(), *PLAN_ORDER),
            )
            # Most late first, then in plan order (``found`` is in plan order).
            in_python = [s.action.id for s in sorted(overdue, key=lambda s: -s.days_late)]
            if in_sql != in_python:
                disagreements.append(("overdue", board.id, today, in_sql, in_python))

            days = {today + timedelta(days=n) for n in (1, 3, 7, 14)} | {add_months(today, 1)}
            due_in_sql = set(
                _ids(session, live_actions(board, Action.id).where(dues.due_on_days(days)))
            )
            due_in_python = {
                s.action.id
                for s in found
                if s.action.status is not ActionStatus.COMPLETE
                and any(d.due_on in days and not d.update_received for d in s.dues)
            }
            if due_in_sql != due_in_python:
                disagreements.append(("due", board.id, today, due_in_sql, due_in_python))
    assert disagreements == []
    # The boards are not trivial: on the days compared, actions are overdue and not.
    assert overdue_seen > 100 and on_time_seen > 100
