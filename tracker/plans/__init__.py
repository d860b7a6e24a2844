from datetime import date
from typing import Any

from sqlalchemy import Select, select

from tracker.models import Action, ActionLead, ActionStatus, Plan, Rag, ReportingMonth


def live_plans(board_id: int) -> Select:
    """The board's plans that are not archived, newest first."""
    return (
        select(Plan)
        .where(Plan.board_id == board_id, Plan.archived_at.is_(None))
        .order_by(Plan.start_year.desc(), Plan.id.desc())
    )


def filter_conditions(
    chosen: dict[str, str], status: Any = Action.status, rag: Any = Action.rag
) -> list:
    """The plan page's chosen filters (year, area, lead, month, status, RAG), as conditions
    on Action: for the plan page, the public plan page and the read API alike. Their values
    are among the choices. ``status`` and ``rag`` are what those filters compare (the public
    see the published status and RAG)."""
    conditions = []
    if "year" in chosen:
        conditions.append(Action.plan_year == int(chosen["year"]))
    if "area" in chosen:
        conditions.append(Action.area_id == int(chosen["area"]))
    if "lead" in chosen:
        kind, lead_id = chosen["lead"].split("-")
        column = ActionLead.person_id if kind == "person" else ActionLead.team_id
        conditions.append(Action.leads.any(column == int(lead_id)))
    if "month" in chosen:
        month = date.fromisoformat(f"{chosen['month']}-01")
        conditions.append(Action.reporting_months.any(ReportingMonth.month == month))
    if "status" in chosen:
        conditions.append(status == ActionStatus(chosen["status"]))
    if "rag" in chosen:
        conditions.append(rag == Rag(chosen["rag"]))
    return conditions
