"""The performance framework: where each indicator stands, and the changes people make to it.

The rules are tracker.rules.rag (Red, Amber, Green and trend) and tracker.rules.periods
(periods, labels and due days); this module loads what they need in a fixed number of
queries and applies them, for the pages and the scheduler alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, literal, select
from sqlalchemy.orm import Session, aliased, selectinload

from tracker.audit import acting_as
from tracker.models import (
    Board,
    Indicator,
    IndicatorCommentary,
    IndicatorReading,
    IndicatorUnit,
    Person,
    Rag,
)
from tracker.rules import periods
from tracker.rules.due import london_date
from tracker.rules.rag import Trend, as_decimal, rate, trend

MAX_VALUE = Decimal(1_000_000_000)


def reading_rag(indicator: Indicator, reading: IndicatorReading) -> Rag:
    """The reading's rating: as set by hand, or else from the indicator's target."""
    return reading.rag_override or computed_rag(indicator, reading)


def computed_rag(indicator: Indicator, reading: IndicatorReading) -> Rag:
    return rate(
        reading.value,
        target=indicator.target,
        direction=indicator.direction,
        tolerance=indicator.tolerance,
    )


def period_label(indicator: Indicator, reading: IndicatorReading) -> str:
    return periods.label(reading.period_start, indicator.frequency)


@dataclass(frozen=True)
class IndicatorStanding:
    indicator: Indicator
    readings: tuple[IndicatorReading, ...]  # oldest first
    outstanding: tuple[periods.ReadingDue, ...]

    @property
    def latest(self) -> IndicatorReading | None:
        return self.readings[-1] if self.readings else None

    @property
    def rag(self) -> Rag | None:
        return reading_rag(self.indicator, self.latest) if self.latest else None

    @property
    def needs_commentary(self) -> bool:
        """Red and Amber indicators need "what is being done to improve performance"."""
        return self.rag in (Rag.RED, Rag.AMBER)

    @property
    def trend(self) -> Trend | None:
        if len(self.readings) < 2:
            return None
        return trend(self.readings[-2].value, self.readings[-1].value, self.indicator.direction)

    @property
    def commentary(self) -> IndicatorCommentary | None:
        return self.indicator.commentaries[0] if self.indicator.commentaries else None

    def commentary_by(self, day: date) -> IndicatorCommentary | None:
        """The newest note written by ``day``: a past meeting's report reads the note as it
        stood then, not one written since."""
        return next(
            (c for c in self.indicator.commentaries if london_date(c.created_at) <= day), None
        )

    @property
    def overdue(self) -> list[periods.ReadingDue]:
        return [d for d in self.outstanding if d.overdue]

    @property
    def next_due(self) -> periods.ReadingDue | None:
        return next((d for d in self.outstanding if not d.overdue), None)


def indicators_query(board: Board):
    """The board's live indicators, in number order, with what their pages show."""
    return (
        select(Indicator)
        .where(Indicator.board_id == board.id, Indicator.archived_at.is_(None))
        .options(
            selectinload(Indicator.readings),
            selectinload(Indicator.commentaries).selectinload(IndicatorCommentary.author),
            selectinload(Indicator.area),
            selectinload(Indicator.owner),
        )
    )


def number_order(number: str) -> tuple:
    """The order indicators are listed in, everywhere: 1.1, 1.1b, 1.2, … 1.9, 1.10, 2.1. Each
    dotted part is compared by its number, then by any letters after it."""
    return (
        tuple(
            tuple(
                (0, int(run), "") if run.isdigit() else (1, 0, run)
                for run in _RUNS.split(part)
                if run
            )
            for part in number.strip().lower().split(".")
        ),
        number,
    )


_RUNS = re.compile(r"(\d+)")


def assess(indicators: Iterable[Indicator], today: date) -> list[IndicatorStanding]:
    result = []
    for indicator in sorted(indicators, key=lambda i: number_order(i.number)):
        readings = tuple(r for r in indicator.readings if r.period_start <= today)
        # Readings are expected for every period after the latest one in (a gap earlier in
        # the history is left alone), or, before the first, from the day it was added.
        if readings:
            first = periods.next_period(readings[-1].period_start, indicator.frequency)
        else:
            first = london_date(indicator.created_at)
        result.append(
            IndicatorStanding(
                indicator=indicator,
                readings=readings,
                outstanding=tuple(
                    periods.outstanding(
                        indicator.frequency,
                        since=first,
                        today=today,
                        have={r.period_start for r in indicator.readings},
                    )
                ),
            )
        )
    return result


def standings(session: Session, board: Board, today: date, *, where=()) -> list[IndicatorStanding]:
    return assess(session.scalars(indicators_query(board).where(*where)).all(), today)


def outstanding_readings(session: Session, board: Board, today: date) -> list[IndicatorStanding]:
    """Where each live indicator stands, for the scheduler: with its owner and only the
    readings ``assess`` needs for what is outstanding (the latest on or before today, and any
    after it), not years of history. Their ``readings`` lists hold just those."""
    other = aliased(IndicatorReading)
    latest = (
        select(func.max(other.period_start))
        .where(other.indicator_id == IndicatorReading.indicator_id, other.period_start <= today)
        .scalar_subquery()
    )
    query = (
        select(Indicator)
        .where(Indicator.board_id == board.id, Indicator.archived_at.is_(None))
        .options(
            selectinload(
                Indicator.readings.and_(
                    IndicatorReading.period_start >= func.coalesce(latest, literal(date.min))
                )
            ),
            selectinload(Indicator.owner),
        )
    )
    return assess(session.scalars(query).all(), today)


class BadValue(ValueError):
    """A reading's value that cannot be stored; the message says what to type instead."""


def parse_value(text: str | float | int, unit: IndicatorUnit) -> Decimal:
    """A reading's value as typed ("6.8", "2,100", "75%") or read from a spreadsheet."""
    if isinstance(text, float | int):
        value = as_decimal(text)
    else:
        cleaned = str(text).strip().replace(",", "").removesuffix("%").strip()
        if not cleaned:
            raise BadValue("Enter the value as a number, like 75 or 6.8")
        try:
            value = Decimal(cleaned)
        except InvalidOperation:
            raise BadValue(
                f"'{str(text).strip()}' is not a number: write it like 75 or 6.8"
            ) from None
    return check_value(value, unit)


def check_value(value: Decimal, unit: IndicatorUnit) -> Decimal:
    if not value.is_finite():
        raise BadValue("Enter the value as a number, like 75 or 6.8")
    if value < 0:
        raise BadValue("The value cannot be negative")
    if unit is IndicatorUnit.PERCENT and value > 100:
        raise BadValue("A percentage must be between 0 and 100")
    if value > MAX_VALUE:
        raise BadValue("The value must be 1,000,000,000 or less")
    return value


def first_ended_without_reading(standing: IndicatorStanding, today: date) -> date | None:
    """The oldest period that has ended and still waits for its reading: the one a lead most
    likely comes to enter."""
    frequency = standing.indicator.frequency
    ended = (
        d.period_start
        for d in standing.outstanding
        if periods.period_end(d.period_start, frequency) < today
    )
    return next(ended, None)


class ReadingRefused(ValueError):
    """A reading the board's rules refuse; the message says why, naming the period."""


def check_period(indicator: Indicator, period_start: date, today: date) -> None:
    """A reading is for a period that has started (it may still be running)."""
    if period_start > today:
        raise ReadingRefused(
            f"{periods.label(period_start, indicator.frequency)} has not started yet"
        )


def add_reading(
    session: Session,
    *,
    indicator: Indicator,
    period_start: date,
    value: Decimal,
    note: str | None,
    by: Person,
    today: date,
) -> IndicatorReading:
    """The reading for a period that has started and has none yet; a period's reading is
    changed only by correcting it (``correct_reading``), which keeps why."""
    check_period(indicator, period_start, today)
    taken = session.scalar(
        select(IndicatorReading.id).where(
            IndicatorReading.indicator_id == indicator.id,
            IndicatorReading.period_start == period_start,
        )
    )
    if taken is not None:
        raise ReadingRefused(
            f"There is already a reading for {periods.label(period_start, indicator.frequency)}"
            ": correct it from the indicator's page"
        )
    reading = IndicatorReading(indicator=indicator, period_start=period_start)
    session.add(reading)
    _enter(session, reading, value=value, note=note, by=by, reason=None)
    return reading


def correct_reading(
    session: Session,
    *,
    reading: IndicatorReading,
    value: Decimal,
    note: str | None,
    by: Person,
    reason: str,
) -> None:
    """Correct a reading's figure or note; ``reason`` says why, and the audit trail keeps the
    old value."""
    _enter(session, reading, value=value, note=note, by=by, reason=reason)


def _enter(
    session: Session,
    reading: IndicatorReading,
    *,
    value: Decimal,
    note: str | None,
    by: Person,
    reason: str | None,
) -> None:
    with acting_as(session, by.id, reason=reason):
        reading.value, reading.note, reading.entered_by = float(value), note or None, by
        session.flush()


def set_rag(
    session: Session, *, reading: IndicatorReading, rag: Rag | None, reason: str, by: Person
) -> None:
    """Set the reading's rating by hand (None: back to the rating from the target)."""
    reason = reason.strip()
    if not reason:
        raise ValueError("a reason is required to set a RAG rating by hand")
    with acting_as(session, by.id, reason=reason):
        reading.rag_override = rag
        reading.rag_reason = reason if rag is not None else None
        session.flush()


def add_commentary(
    session: Session, *, indicator: Indicator, text: str, by: Person
) -> IndicatorCommentary:
    commentary = IndicatorCommentary(indicator=indicator, author=by, text=text.strip())
    session.add(commentary)
    session.flush()
    return commentary


def plain_number(value: float) -> str:
    """A stored number as a person would type it back into a form: "2100", "6.8"."""
    return format_value(value, IndicatorUnit.NUMBER).replace(",", "")


def format_value(value: float | Decimal | None, unit: IndicatorUnit) -> str:
    """ "2,100", "6.8%", "45.3 per 10,000"."""
    if value is None:
        return ""
    text = f"{as_decimal(value):,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if unit is IndicatorUnit.PERCENT:
        return f"{text}%"
    if unit is IndicatorUnit.RATE:
        return f"{text} per 10,000"
    return text


def format_difference(value: float | Decimal | None, unit: IndicatorUnit) -> str:
    """How far apart two readings are: for a percentage, in percentage points ("3 percentage
    points", not "3%", which would read as 3 per cent of the target)."""
    if unit is not IndicatorUnit.PERCENT:
        return format_value(value, unit)
    if value is None:
        return ""
    text = format_value(value, IndicatorUnit.NUMBER)
    return f"{text} percentage point{'' if as_decimal(value) == 1 else 's'}"
