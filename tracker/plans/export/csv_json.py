"""A plan for programs and spreadsheets: CSV, one row per action with its area and focus, and
JSON. A CSV cell that a spreadsheet program would run as a formula is written as text.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict

from tracker.formatting import month_label
from tracker.imports.plan_reader import HEADINGS, Column
from tracker.models import Plan
from tracker.plans.export.content import AREA_COLUMNS, ExportedAction
from tracker.text import clean, for_csv


def to_json(plan: Plan, rows: list[ExportedAction]) -> bytes:
    # Months as "2021-09": JSON is read by programs, and that is the form they all read.
    document = {
        "plan": clean(plan.name),
        "board": clean(plan.board.name),
        "start_year": plan.start_year,
        "end_year": plan.end_year,
        "actions": [
            {**asdict(row), "reporting_months": [f"{m:%Y-%m}" for m in row.reporting_months]}
            for row in rows
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


def to_csv(plan: Plan, rows: list[ExportedAction]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    columns = [Column.AREA, Column.PRIORITY, *AREA_COLUMNS]
    writer.writerow([for_csv(HEADINGS[c]) for c in columns])
    for row in rows:
        # "September 2021", as the board's older plans write it: Excel opens a CSV cell
        # "Sep 21" as the 21st of September this year, but "September 2021" as that month.
        cells = row.one_line_cells(month_label)
        writer.writerow([for_csv(cells[c]) for c in columns])
    # With a BOM, Excel opens it as UTF-8.
    return "\ufeff".encode() + out.getvalue().encode()
