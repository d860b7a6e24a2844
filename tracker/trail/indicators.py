"""How the performance framework reads in the trail: indicators and their readings."""

from __future__ import annotations

from datetime import date
from typing import Any

from tracker.formatting import long_date
from tracker.indicators.framework import format_difference, format_value
from tracker.models import Indicator, IndicatorReading, IndicatorUnit
from tracker.rules import periods
from tracker.trail.fields import Field, Thing, Values, archived, board, plain_text


def period(value: Any, values: Values) -> str:
    indicator = values.row(Indicator, "indicator_id")
    start = date.fromisoformat(value)
    return periods.label(start, indicator.frequency) if indicator else long_date(start)


def unit_of(values: Values) -> IndicatorUnit:
    if values.model is Indicator:
        return IndicatorUnit(values["unit"]) if values["unit"] else IndicatorUnit.NUMBER
    indicator = values.row(Indicator, "indicator_id")
    return indicator.unit if indicator else IndicatorUnit.NUMBER


def measured(value: Any, values: Values) -> str:
    return format_value(value, unit_of(values))


def difference(value: Any, values: Values) -> str:
    return format_difference(value, unit_of(values))


THINGS: dict[type, Thing] = {
    Indicator: Thing(
        "Indicator",
        ("number", "title"),
        {
            "board_id": board(),
            "number": Field("Number"),
            "title": Field("Title", show=plain_text),
            "area_id": Field("Area of focus"),
            "unit": Field("Unit"),
            "direction": Field("Which way is better"),
            "target": Field("Target", show=measured),
            "tolerance": Field("Tolerance for Amber", show=difference),
            "frequency": Field("Reported"),
            "owner_id": Field("Owner"),
            "archived_at": archived(),
        },
    ),
    IndicatorReading: Thing(
        "Reading",
        ("period_start",),
        {
            "indicator_id": Field("Indicator", when_added=False),
            "period_start": Field("Period", show=period),
            "value": Field("Value", show=measured),
            "note": Field("Note", show=plain_text),
            "entered_by_id": Field("Entered by"),
            "rag_override": Field("RAG set by hand", empty="the target's"),
            "rag_reason": Field("Reason for the RAG set by hand", show=plain_text),
        },
    ),
}
