"""How a plan reads in the trail: its areas, outcomes, priorities, actions, measures, leads
and reporting months."""

from __future__ import annotations

from datetime import date
from typing import Any

from tracker.formatting import month_label
from tracker.models import (
    Action,
    ActionLead,
    AreaOfFocus,
    AreaPriority,
    Measure,
    Outcome,
    Plan,
    ReportingMonth,
    Team,
)
from tracker.rules.due import plan_year_label
from tracker.trail.fields import Field, Thing, Values, archived, board, position


def _plan_year(value: Any, values: Values) -> str:
    return plan_year_label(int(value))


def _month(value: Any, values: Values) -> str:
    return month_label(date.fromisoformat(value))


def _team(value: Any, values: Values) -> str:
    return f"{values.names.name(Team, value)} (team)"


THINGS: dict[type, Thing] = {
    Plan: Thing(
        "Plan",
        ("name",),
        {
            "board_id": board(),
            "name": Field("Name"),
            "start_year": Field("First year"),
            "end_year": Field("Last year"),
            "archived_at": archived(),
        },
    ),
    AreaOfFocus: Thing(
        "Area of focus",
        ("name",),
        {
            "plan_id": Field("Plan"),
            "position": Field("Position"),
            "name": Field("Name"),
            "archived_at": archived(),
        },
    ),
    Outcome: Thing(
        "Outcome",
        ("number", "text"),
        {
            "area_id": Field("Area of focus", when_added=False),
            "number": Field("Number"),
            "text": Field("Outcome"),
        },
    ),
    AreaPriority: Thing(
        "Priority focus",
        ("plan_year",),
        {
            "area_id": Field("Area of focus", when_added=False),
            "plan_year": Field("Plan year", show=_plan_year),
            "text": Field("Priority focus"),
        },
    ),
    Action: Thing(
        "Action",
        ("text",),
        {
            "area_id": Field("Area of focus"),
            "plan_year": Field("Plan year", show=_plan_year),
            "position": Field("Position in its area", show=position, when_added=False),
            "text": Field("Action"),
            "status": Field("Status"),
            "rag": Field("RAG rating", empty="No RAG"),
            "archived_at": archived(),
            "agencies": Field("Responsible agencies"),
        },
    ),
    Measure: Thing(
        "Measure",
        ("text",),
        {
            "action_id": Field("Action", when_added=False),
            "position": Field("Position", show=position, when_added=False),
            "text": Field("Measure"),
        },
    ),
    ActionLead: Thing(
        "Lead",
        ("person_id", "team_id"),
        {
            "action_id": Field("Action", when_added=False),
            "position": Field("Position", show=position, when_added=False),
            "person_id": Field("Person"),
            "team_id": Field("Team", show=_team),
        },
    ),
    ReportingMonth: Thing(
        "Reporting month",
        ("month",),
        {"action_id": Field("Action", when_added=False), "month": Field("Month", show=_month)},
    ),
}
