"""The public data and the read API's answers as JSON-ready dicts, one shape for each thing,
the same in the open data files and in the API (see tracker/api/openapi.py)."""

from __future__ import annotations

from typing import Any

from tracker.models import AreaOfFocus, Board, Plan
from tracker.publishing.data import LICENCE, LICENCE_URL
from tracker.publishing.indicator_data import IndicatorView
from tracker.publishing.meeting_data import MeetingView
from tracker.publishing.plan_data import ActionView, UpdateView
from tracker.rules import periods
from tracker.text import clean


def licence() -> dict[str, str]:
    return {"name": LICENCE, "url": LICENCE_URL}


def board(board: Board) -> dict[str, Any]:
    return {"slug": board.slug, "name": clean(board.name)}


def plan(plan: Plan) -> dict[str, Any]:
    return {
        "id": plan.id,
        "name": clean(plan.name),
        "start_year": plan.start_year,
        "end_year": plan.end_year,
    }


def area(area: AreaOfFocus) -> dict[str, Any]:
    return {
        "id": area.id,
        "plan_id": area.plan_id,
        "position": area.position,
        "name": clean(area.name),
        "outcomes": [{"number": o.number, "text": clean(o.text)} for o in area.outcomes],
        "priorities": [{"plan_year": p.plan_year, "text": clean(p.text)} for p in area.priorities],
    }


def update(view: UpdateView) -> dict[str, Any]:
    return {
        "id": view.id,
        "action_id": view.action_id,
        "at": view.at.isoformat(),
        "text": clean(view.text),
        "status": view.status.value,
        "rag": view.rag.value if view.rag else None,
        "by": clean(view.author),
    }


def action(view: ActionView, updates: list[UpdateView] | None = None) -> dict[str, Any]:
    result = {
        "id": view.id,
        "plan_id": view.plan_id,
        "area_id": view.area_id,
        "area": clean(view.area),
        "plan_year": view.plan_year,
        "text": clean(view.text),
        "agencies": [clean(a) for a in view.agencies],
        "leads": [clean(lead) for lead in view.leads],
        "reporting_months": [f"{m:%Y-%m}" for m in view.reporting_months],
        "latest_update": update(view.latest) if view.latest else None,
    }
    if updates is not None:
        result["updates"] = [update(u) for u in updates]
    return result


def indicator(view: IndicatorView) -> dict[str, Any]:
    i = view.indicator
    return {
        "id": i.id,
        "number": clean(i.number),
        "title": clean(i.title),
        "area": clean(i.area.name) if i.area else None,
        "unit": i.unit.value,
        "direction": i.direction.value,
        "target": i.target,
        "frequency": i.frequency.value,
        "readings": [
            {
                "period_start": r.period_start.isoformat(),
                "period": periods.label(r.period_start, i.frequency),
                "value": r.value,
                "rag": r.rag.value,
            }
            for r in view.readings
        ],
    }


def meeting(view: MeetingView) -> dict[str, Any]:
    m = view.meeting
    return {
        "id": m.id,
        "held_on": m.held_on.isoformat(),
        "focus_area": clean(m.focus_area.name) if m.focus_area else None,
        "forward_plan": [clean(t) for t in view.forward_plan]
        if view.forward_plan is not None
        else None,
        "report_is_public": view.report,
    }
