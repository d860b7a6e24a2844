"""The demo board's performance framework: its indicators, with readings from the period
before the live plan's first meeting up to the last period that has ended."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.demo import data
from tracker.demo.plans import person
from tracker.indicators.framework import add_reading
from tracker.models import (
    Board,
    Direction,
    Frequency,
    Indicator,
    IndicatorCommentary,
    IndicatorUnit,
    Plan,
)
from tracker.rules import periods


def load(session: Session, board: Board, plan: Plan, held: dict, today: date) -> None:
    first = data.read("meetings")["plans"][plan.name]["first"]
    first_meeting = data.meeting_days(data.month(first, today), today)[0]
    areas = {a.name: a for a in plan.areas}
    for entry in held["indicators"]:
        frequency = Frequency(entry["frequency"])
        starts = _periods(periods.period_of(first_meeting, frequency), today, frequency)
        values = entry["readings"][-len(starts) :]
        values = [values[0]] * (len(starts) - len(values)) + values
        indicator = _indicator(session, board, areas, entry, starts[0])
        entered = None
        for start, value in zip(starts, values, strict=True):
            if value is None:
                continue
            # Entered a few days before it was due (and never after today).
            due = periods.reading_due_on(start, frequency)
            entered = data.at(min(due - timedelta(days=3), today - timedelta(days=1)))
            if any(r.period_start == start for r in indicator.readings):
                continue
            reading = add_reading(
                session,
                indicator=indicator,
                period_start=start,
                value=Decimal(str(value)),
                note=None,
                by=indicator.owner,
                today=today,
            )
            reading.created_at = reading.updated_at = entered
        text = entry["what_is_being_done"]
        if text and all(c.text != text for c in indicator.commentaries):
            # Dated with the latest reading (add_commentary dates it now, and it is append-only).
            session.add(
                IndicatorCommentary(
                    indicator=indicator, author=indicator.owner, text=text, created_at=entered
                )
            )
    session.flush()


def _periods(first: date, today: date, frequency: Frequency) -> list[date]:
    """From the period before ``first`` up to the last one ended by ``today``."""
    start = periods.previous_period(first, frequency)
    latest = periods.previous_period(periods.period_of(today, frequency), frequency)
    starts = [latest]
    while starts[0] > start:
        starts.insert(0, periods.previous_period(starts[0], frequency))
    return starts


def _indicator(session: Session, board: Board, areas: dict, entry: dict, since: date) -> Indicator:
    found = session.scalar(
        select(Indicator).where(Indicator.board_id == board.id, Indicator.number == entry["number"])
    )
    if found is None:
        found = Indicator(
            board_id=board.id,
            number=entry["number"],
            title=entry["title"],
            area=areas[entry["area"]],
            unit=IndicatorUnit(entry["unit"]),
            direction=Direction(entry["direction"]),
            target=entry["target"],
            tolerance=entry["tolerance"],
            frequency=Frequency(entry["frequency"]),
            owner=person(session, entry["owner"]),
            created_at=data.at(since),
        )
        session.add(found)
        session.flush()
    return found
