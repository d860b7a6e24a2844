"""A plan's columns, recognised by what their headings mean, and its heading row.

"Responsible Agencies (for all actions stated)" is the agencies, "How we will know this area
of focus has improved" the measures, "Children's Trust Board Leads" the leads. The heading
row is the first of a table's first rows that names an Actions column and one other.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from tracker.imports.tables import Table

HEADING_SEARCH_ROWS = 10


class Column(enum.StrEnum):
    AREA = "area"
    PRIORITY = "priority focus"
    PLAN_YEAR = "plan year"
    ACTION = "actions"
    AGENCIES = "agencies"
    MEASURES = "measures"
    LEADS = "leads"
    MONTHS = "reporting months"
    STATUS = "status"
    RAG = "rag"
    PROGRESS = "progress"


# The headings written on export: the board's own, so an export can go into a board paper.
HEADINGS = {
    Column.AREA: "Area of focus",
    Column.PRIORITY: "Priority focus",
    Column.PLAN_YEAR: "Plan year",
    Column.ACTION: "Actions",
    Column.AGENCIES: "Responsible agencies",
    Column.MEASURES: "How we will know this area of focus has improved",
    Column.LEADS: "Children's Trust Board leads",
    Column.MONTHS: "Reporting timetable",
    Column.STATUS: "Status",
    Column.RAG: "RAG",
    Column.PROGRESS: "Progress",
}

# Checked in order: "Actions (All priority areas to include …)" is the actions, and "How we
# will know this area of focus has improved" the measures, before "area" is looked for.
_MEANINGS = [
    (Column.ACTION, re.compile(r"^actions?\b|^what we will do|^text$")),
    (
        Column.MEASURES,
        re.compile(r"how (we will|will we) know|measure|improved|success|outcomes? sought"),
    ),
    (Column.PROGRESS, re.compile(r"progress|update")),
    (Column.RAG, re.compile(r"^rag\b")),
    (Column.STATUS, re.compile(r"^status\b")),
    (Column.PLAN_YEAR, re.compile(r"^(plan )?year$|^plan year")),
    (Column.PRIORITY, re.compile(r"priority focus|^focus$")),
    # The board's "priorities" are its areas of focus.
    (Column.AREA, re.compile(r"area|^theme|^priorit(y|ies)\b")),
    (Column.AGENCIES, re.compile(r"agenc|responsible|partners")),
    (Column.LEADS, re.compile(r"lead")),
    (
        Column.MONTHS,
        re.compile(r"timetable|month|timescale|reporting|^when|^by when|^date|deadline|^due\b"),
    ),
]


def meaning(heading: str) -> Column | None:
    text = " ".join(heading.lower().replace("’", "'").replace("_", " ").split())
    for column, pattern in _MEANINGS:
        if pattern.search(text):
            return column
    return None


@dataclass
class Heading:
    index: int  # position in table.rows; -1 for a table that carries on the one before
    columns: dict[Column, int]  # meaning → cell index
    names: dict[Column, str]  # meaning → the heading as written

    def at(self, where: str, column: Column) -> str:
        return f"{where}, {self.names[column]}"

    def repeated_in(self, cells: list[str]) -> bool:
        """Is this row the heading row again (repeated after a page break)? Two of its
        headings, as written, in their places are enough."""
        same = [
            i < len(cells) and " ".join(cells[i].split()) == self.names[c]
            for c, i in self.columns.items()
        ]
        return sum(same) >= 2


def heading_row(table: Table) -> Heading | None:
    for index, (_number, cells) in enumerate(table.rows[:HEADING_SEARCH_ROWS]):
        columns, names = {}, {}
        for position, text in enumerate(cells):
            column = meaning(text) if text and len(text) < 200 else None
            if column is not None and column not in columns:
                columns[column], names[column] = position, " ".join(text.split())
        if Column.ACTION in columns and len(columns) >= 2:
            return Heading(index, columns, names)
    return None
