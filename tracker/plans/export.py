"""A plan out as the board's own tables: .xlsx (a sheet per area), .docx (a table per area),
.csv (one row per action) and JSON. Each reads back in through the plan import unchanged."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import asdict, dataclass

from docx import Document
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.imports.plan_import import ACTION_CONTENT
from tracker.imports.plan_reader import HEADINGS, Column
from tracker.models import Action, AreaOfFocus, Plan, ProgressUpdate
from tracker.rules.due import plan_year_label

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}
# The columns of a sheet or table per area; the CSV adds the area and its focus.
AREA_COLUMNS = [
    Column.ACTION,
    Column.AGENCIES,
    Column.MEASURES,
    Column.LEADS,
    Column.MONTHS,
    Column.PLAN_YEAR,
    Column.STATUS,
    Column.RAG,
    Column.PROGRESS,
]


@dataclass
class ExportedAction:
    area: str
    priority_focus: str | None
    text: str
    agencies: list[str]
    measures: list[str]
    leads: list[str]
    reporting_months: list[str]  # "YYYY-MM"
    plan_year: str  # "2018/19"
    status: str
    rag: str | None
    progress: str | None  # the latest progress update

    def cells(self) -> dict[Column, str]:
        return {
            Column.AREA: self.area,
            Column.PRIORITY: self.priority_focus or "",
            Column.ACTION: self.text,
            Column.AGENCIES: "\n".join(self.agencies),
            Column.MEASURES: "\n".join(self.measures),
            Column.LEADS: "\n".join(self.leads),
            Column.MONTHS: ", ".join(self.reporting_months),
            Column.PLAN_YEAR: self.plan_year,
            Column.STATUS: self.status,
            Column.RAG: self.rag or "",
            Column.PROGRESS: self.progress or "",
        }


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
                    area=area.name,
                    priority_focus=priority.text if priority else None,
                    text=action.text,
                    agencies=[a.name for a in action.agencies],
                    measures=[m.text for m in action.measures],
                    leads=[str(lead) for lead in action.leads],
                    reporting_months=[f"{m:%Y-%m}" for m in action.months],
                    plan_year=plan_year_label(action.plan_year),
                    status=action.status.label,
                    rag=action.rag.label if action.rag else None,
                    progress=latest.get(action.id),
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


def _by_area(rows: list[ExportedAction]) -> dict[str, list[ExportedAction]]:
    grouped: dict[str, list[ExportedAction]] = {}
    for row in rows:
        grouped.setdefault(row.area, []).append(row)
    return grouped


def _area_title(rows: list[ExportedAction]) -> str:
    focus = rows[0].priority_focus
    return f"{rows[0].area} – {focus}" if focus else rows[0].area


def to_json(plan: Plan, rows: list[ExportedAction]) -> bytes:
    document = {
        "plan": plan.name,
        "board": plan.board.name,
        "start_year": plan.start_year,
        "end_year": plan.end_year,
        "actions": [asdict(row) for row in rows],
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


def to_csv(plan: Plan, rows: list[ExportedAction]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    columns = [Column.AREA, Column.PRIORITY, *AREA_COLUMNS]
    writer.writerow([HEADINGS[c] for c in columns])
    for row in rows:
        cells = row.cells()
        writer.writerow([cells[c] for c in columns])
    # With a BOM, Excel opens it as UTF-8.
    return "\ufeff".encode() + out.getvalue().encode()


def _sheet_name(name: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", name).strip()[:31] or "Area"
    candidate, n = base, 2
    while candidate.lower() in taken:
        candidate = f"{base[:28]} {n}"
        n += 1
    taken.add(candidate.lower())
    return candidate


def to_xlsx(plan: Plan, rows: list[ExportedAction]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    wrap = Alignment(wrap_text=True, vertical="top")
    for area, area_rows in _by_area(rows).items():
        sheet = workbook.create_sheet(_sheet_name(area, taken))
        sheet.append([_area_title(area_rows)])
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.append([HEADINGS[c] for c in AREA_COLUMNS])
        for cell in sheet[2]:
            cell.font, cell.alignment = Font(bold=True), wrap
        for row in area_rows:
            cells = row.cells()
            sheet.append([cells[c] for c in AREA_COLUMNS])
            for cell in sheet[sheet.max_row]:
                cell.alignment = wrap
        for letter, width in zip("ABCDEFGHI", (50, 30, 50, 25, 18, 10, 12, 8, 50), strict=True):
            sheet.column_dimensions[letter].width = width
        sheet.freeze_panes = "A3"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def to_docx(plan: Plan, rows: list[ExportedAction]) -> bytes:
    document = Document()
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(10)
    document.add_heading(f"{plan.name} – Implementation plan", level=1)
    lists = {Column.AGENCIES: "List Bullet", Column.MEASURES: "List Number"}
    for area_rows in _by_area(rows).values():
        document.add_heading(_area_title(area_rows), level=2)
        table = document.add_table(rows=1, cols=len(AREA_COLUMNS))
        table.style = "Table Grid"
        for cell, column in zip(table.rows[0].cells, AREA_COLUMNS, strict=True):
            cell.text = HEADINGS[column]
            cell.paragraphs[0].runs[0].bold = True
        for row in area_rows:
            cells = row.cells()
            for cell, column in zip(table.add_row().cells, AREA_COLUMNS, strict=True):
                lines = cells[column].split("\n")
                style = lists.get(column) if cells[column] else None
                cell.paragraphs[0].text = lines[0]
                if style:
                    cell.paragraphs[0].style = style
                for line in lines[1:]:
                    cell.add_paragraph(line, style=style)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


WRITERS = {"xlsx": to_xlsx, "docx": to_docx, "csv": to_csv, "json": to_json}


def export_plan(session: Session, plan: Plan, file_format: str) -> bytes:
    return WRITERS[file_format](plan, exported_actions(session, plan))
