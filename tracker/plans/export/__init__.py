"""A plan out as the board's own tables: .xlsx (a sheet per area, tracker.plans.export.excel),
.docx (a table per area, .word), .csv (one row per action) and JSON (.csv_json). Each reads
back in through the plan import unchanged; what they all hold is in .content.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from tracker.models import Plan
from tracker.plans.export.content import exported_actions
from tracker.plans.export.csv_json import to_csv, to_json
from tracker.plans.export.excel import to_xlsx
from tracker.plans.export.word import to_docx

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}
WRITERS = {"xlsx": to_xlsx, "docx": to_docx, "csv": to_csv, "json": to_json}


def export_plan(session: Session, plan: Plan, file_format: str) -> bytes:
    return WRITERS[file_format](plan, exported_actions(session, plan))
