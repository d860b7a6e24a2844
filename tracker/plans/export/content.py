"""What a plan's export holds, whatever the format: its actions a row each, in the order of
their areas, and the columns a sheet or table per area lays them out in, as wide as they print
on an A4 landscape page. Text is cleaned on the way out (rows stored before input was cleaned
may hold control characters).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.imports.plan_import import ACTION_CONTENT
from tracker.imports.plan_reader import Column
from tracker.models import Action, AreaOfFocus, Plan, ProgressUpdate
from tracker.rules.due import plan_year_label
from tracker.text import clean, clean_or_none

# The columns of a sheet or table per area, and how wide each is on an A4 landscape page
# with narrow margins (27.16 cm between them), in cm: prose wide, lists of names middling,
# a month, a year or a rating narrow. The CSV adds the area and its focus.
WIDTHS_CM = {
    Column.ACTION: 4.5,
    Column.AGENCIES: 2.9,
    Column.MEASURES: 5.6,
    Column.LEADS: 2.5,
    Column.MONTHS: 1.8,
    Column.PLAN_YEAR: 1.5,
    Column.STATUS: 1.7,
    Column.RAG: 1.4,
    Column.PROGRESS: 5.2,
}
AREA_COLUMNS = list(WIDTHS_CM)
A4_LANDSCAPE_CM = (29.7, 21.0)
NARROW_MARGIN_CM = 1.27  # Word's "Narrow" margins, Excel's are 0.25 inch
# Light tints, so the rating's word stays readable in print and on screen.
RAG_FILLS = {"Red": "F4C7C3", "Amber": "FCE4B0", "Green": "CDE8D2"}
HEADING_FILL = "D9D9D9"


@dataclass
class ExportedAction:
    area: str
    priority_focus: str | None
    text: str
    agencies: list[str]
    measures: list[str]
    leads: list[str]
    reporting_months: list[date]
    plan_year: str  # "2018/19"
    status: str
    rag: str | None
    progress: str | None  # the latest progress update

    def cells(self, month: Callable[[date], str]) -> dict[Column, str | list[str]]:
        """Each column's text; agencies, measures, leads and months as lists, the months
        written by ``month``."""
        return {
            Column.AREA: self.area,
            Column.PRIORITY: self.priority_focus or "",
            Column.ACTION: self.text,
            Column.AGENCIES: self.agencies,
            Column.MEASURES: self.measures,
            Column.LEADS: self.leads,
            Column.MONTHS: [month(m) for m in self.reporting_months],
            Column.PLAN_YEAR: self.plan_year,
            Column.STATUS: self.status,
            Column.RAG: self.rag or "",
            Column.PROGRESS: self.progress or "",
        }

    def one_line_cells(
        self, month: Callable[[date], str], printed: bool = False
    ) -> dict[Column, str]:
        """Each column as the text of one spreadsheet cell: a list a line an item, and months
        as the board writes them, "Sep 21 / Mar 22". ``printed``, for a sheet laid out to
        print, agencies are bulleted and measures numbered as the board's plans have them,
        and the months in their narrow column go a line each."""
        cells = {}
        for column, value in self.cells(month).items():
            if isinstance(value, str):
                cells[column] = value
            elif column is Column.MONTHS and not printed:
                cells[column] = " / ".join(value)
            elif printed and len(value) > 1 and column in _MARKS:
                mark = _MARKS[column]
                cells[column] = "\n".join(mark(n, item) for n, item in enumerate(value, 1))
            else:
                cells[column] = "\n".join(value)
        return cells


_MARKS = {Column.AGENCIES: lambda _, item: f"• {item}", Column.MEASURES: "{}. {}".format}


def exported_actions(session: Session, plan: Plan) -> list[ExportedAction]:
    areas = session.scalars(
        select(AreaOfFocus)
        .where(AreaOfFocus.plan_id == plan.id, AreaOfFocus.archived_at.is_(None))
        .order_by(AreaOfFocus.position, AreaOfFocus.id)
        .options(selectinload(AreaOfFocus.priorities))
    ).all()
    actions = session.scalars(
        select(Action)
        .where(Action.area_id.in_([a.id for a in areas]), Action.archived_at.is_(None))
        .order_by(Action.position, Action.id)
        .options(*ACTION_CONTENT)
    ).all()
    latest = _latest_updates(session, [a.id for a in actions])
    by_area = {area.id: [] for area in areas}
    for action in actions:
        by_area[action.area_id].append(action)
    rows = []
    for area in areas:
        for action in by_area[area.id]:
            priority = area.priority_for(action.plan_year)
            rows.append(
                ExportedAction(
                    area=clean(area.name),
                    priority_focus=clean(priority.text) if priority else None,
                    text=clean(action.text),
                    agencies=[clean(a.name) for a in action.agencies],
                    measures=[clean(m.text) for m in action.measures],
                    leads=[clean(str(lead)) for lead in action.leads],
                    reporting_months=list(action.months),
                    plan_year=plan_year_label(action.plan_year),
                    status=action.status.label,
                    rag=action.rag.label if action.rag else None,
                    progress=clean_or_none(latest.get(action.id)),
                )
            )
    return rows


def _latest_updates(session: Session, action_ids: list[int]) -> dict[int, str]:
    latest: dict[int, str] = {}
    updates = session.execute(
        select(ProgressUpdate.action_id, ProgressUpdate.text)
        .where(ProgressUpdate.action_id.in_(action_ids))
        .order_by(ProgressUpdate.created_at, ProgressUpdate.id)
    )
    for action_id, text in updates:
        latest[action_id] = text
    return latest


def by_area(rows: list[ExportedAction]) -> dict[str, list[ExportedAction]]:
    grouped: dict[str, list[ExportedAction]] = {}
    for row in rows:
        grouped.setdefault(row.area, []).append(row)
    return grouped


def area_title(rows: list[ExportedAction]) -> str:
    focus = rows[0].priority_focus
    return f"{rows[0].area} – {focus}" if focus else rows[0].area


def plan_title(plan: Plan) -> str:
    return f"{clean(plan.name)} – Implementation plan"
