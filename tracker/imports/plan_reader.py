"""Finding an implementation plan in a file's tables.

The heading row is looked for in the first rows of each sheet or table and its columns are
matched by meaning ("Responsible Agencies (for all actions stated)" is the agencies). Below
it, one row holds one or more actions (a list in the Actions cell is several actions sharing
the row's agencies, measures, leads and months). Blank cells under the "for all actions"
columns take the value from the row above within the same area; a row with no action text
carries on the row above (as Word tables do when they break across a page).

Nothing here touches the database: the result is a ``DraftPlan`` and the problems found, each
naming the sheet or table, the row, the column and what is wrong.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field, replace
from datetime import date

from tracker.imports.cells import (
    NotAChoice,
    area_heading,
    parse_rag,
    parse_status,
    split_leads,
    split_list,
    year_prefix,
)
from tracker.imports.sources import Table
from tracker.models import ActionStatus, Rag
from tracker.rules.months import NotAMonth, parse_month, parse_months

HEADING_SEARCH_ROWS = 10
MAX_NAME = 200


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
    (Column.MEASURES, re.compile(r"how we will know|measure|improved|success criteria")),
    (Column.PROGRESS, re.compile(r"progress|update")),
    (Column.RAG, re.compile(r"^rag\b")),
    (Column.STATUS, re.compile(r"^status\b")),
    (Column.PLAN_YEAR, re.compile(r"^(plan )?year$|^plan year")),
    (Column.PRIORITY, re.compile(r"priority focus|^focus$")),
    (Column.AREA, re.compile(r"area|^theme|^outcome area")),
    (Column.AGENCIES, re.compile(r"agenc|responsible|partners")),
    (Column.LEADS, re.compile(r"lead")),
    (Column.MONTHS, re.compile(r"timetable|month|timescale|reporting|^when|^date|deadline")),
]
# Columns whose blank cells mean "as above" (the plan writes "for all actions").
_CARRIED_DOWN = (
    Column.AREA,
    Column.PRIORITY,
    Column.PLAN_YEAR,
    Column.AGENCIES,
    Column.LEADS,
    Column.MONTHS,
)
_FIRST_NUMBER = re.compile(r"^\s*(\d{1,2})[.)]\s")
_GENERIC_TITLE = re.compile(r"^(sheet|table|tabelle|feuil)\s*\d*$", re.IGNORECASE)


def meaning(heading: str) -> Column | None:
    text = " ".join(heading.lower().replace("’", "'").replace("_", " ").split())
    for column, pattern in _MEANINGS:
        if pattern.search(text):
            return column
    return None


@dataclass(frozen=True)
class Problem:
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


@dataclass
class DraftAction:
    area: str
    text: str
    where: str
    agencies: list[str] = field(default_factory=list)
    measures: list[str] = field(default_factory=list)
    leads: list[str] = field(default_factory=list)
    months: list[date] = field(default_factory=list)
    plan_year: int | None = None  # a calendar year, as "2018/19" → 2018
    plan_year_number: int | None = None  # "Year 2 action: …" → 2
    status: ActionStatus | None = None
    rag: Rag | None = None
    progress: str | None = None

    def merge(self, other: DraftAction) -> None:
        """The same action written twice (a merged cell): one action with both rows' lists."""
        for name in ("agencies", "measures", "leads", "months"):
            mine = getattr(self, name)
            mine += [v for v in getattr(other, name) if v not in mine]
        self.months.sort()
        self.status = self.status or other.status
        self.rag = self.rag or other.rag
        self.progress = self.progress or other.progress


@dataclass
class DraftPlan:
    actions: list[DraftAction] = field(default_factory=list)
    # Area name → priority focus (None when the file names none), in the file's order.
    areas: dict[str, str | None] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def has_progress(self) -> bool:
        return any(a.progress for a in self.actions)


def read_plan(tables: list[Table]) -> DraftPlan:
    draft = DraftPlan()
    found = False
    for table in tables:
        heading = _heading_row(table)
        if heading is None:
            if table.rows:
                draft.ignored.append(
                    f"{table.label}: no heading row with an 'Actions' column in its first "
                    f"{HEADING_SEARCH_ROWS} rows, so it was not read"
                )
            continue
        found = True
        _read_table(table, heading, draft)
    if not found:
        draft.problems.append(
            Problem(
                "The file",
                "no sheet or table has a heading row with an 'Actions' column "
                f"in its first {HEADING_SEARCH_ROWS} rows",
            )
        )
    _merge_repeats(draft)
    return draft


@dataclass
class _Heading:
    index: int  # position in table.rows
    columns: dict[Column, int]  # meaning → cell index
    names: dict[Column, str]  # meaning → the heading as written


def _heading_row(table: Table) -> _Heading | None:
    for index, (_number, cells) in enumerate(table.rows[:HEADING_SEARCH_ROWS]):
        columns, names = {}, {}
        for position, text in enumerate(cells):
            column = meaning(text) if text else None
            if column is not None and column not in columns:
                columns[column], names[column] = position, " ".join(text.split())
        if Column.ACTION in columns and len(columns) >= 2:
            return _Heading(index, columns, names)
    return None


def _table_area(table: Table, heading: _Heading) -> str:
    """The area a table names above its heading row, or in its sheet name or heading."""
    title_rows = [
        " ".join(c for c in cells if c) for _n, cells in table.rows[: heading.index] if any(cells)
    ]
    for title in [*reversed(title_rows), *table.titles]:
        if title and not _GENERIC_TITLE.match(title.strip()):
            return title
    return ""


def _read_table(table: Table, heading: _Heading, draft: DraftPlan) -> None:
    columns = heading.columns
    for position, text in enumerate(table.rows[heading.index][1]):
        if text and position not in columns.values():
            draft.ignored.append(f"{table.label}: column '{' '.join(text.split())}' ignored")
    default_area = _table_area(table, heading) if Column.AREA not in columns else ""
    carried: dict[Column, str] = {}
    previous: list[DraftAction] = []
    for number, cells in table.rows[heading.index + 1 :]:
        where = f"{table.label}, row {number}"
        row = {c: (cells[i] if i < len(cells) else "") for c, i in columns.items()}
        if row.get(Column.AREA) and row[Column.AREA] != carried.get(Column.AREA):
            carried = {}  # a new area starts: nothing carries over from the one before
        for column in _CARRIED_DOWN:
            if row.get(column):
                carried[column] = row[column]
            elif column in carried:
                row[column] = carried[column]
        actions = _row_actions(row, heading, where, default_area, draft)
        if actions and previous and _continues_numbering(row.get(Column.MEASURES, ""), previous):
            # "5. …" under a list that ended at 4: the row above broke across a page, so its
            # actions and these share one list of measures.
            block_measures = list(previous[0].measures)
            _carry_on(previous, actions[0])
            for action in actions:
                action.measures = block_measures + [
                    m for m in action.measures if m not in block_measures
                ]
            previous = previous + actions
        elif actions:
            previous = actions
        elif previous and any(row.get(c) for c in (Column.MEASURES, Column.PROGRESS)):
            _carry_on(previous, _row_details(row, heading, where, draft))
        elif not row.get(Column.ACTION) and any(
            v for c, v in row.items() if c not in _CARRIED_DOWN
        ):
            draft.problems.append(Problem(where, f"{heading.names[Column.ACTION]}: is blank"))


def _continues_numbering(measures: str, previous: list[DraftAction]) -> bool:
    match = _FIRST_NUMBER.match(measures)
    return bool(match) and int(match.group(1)) == len(previous[0].measures) + 1 > 1


def _at(where: str, heading: _Heading, column: Column) -> str:
    return f"{where}, {heading.names[column]}"


def _row_details(row: dict, heading: _Heading, where: str, draft: DraftPlan) -> DraftAction:
    """Everything a row says about its actions but their text and area."""
    details = DraftAction(area="", text="", where=where)
    details.agencies = split_list(row.get(Column.AGENCIES, ""))
    details.measures = split_list(row.get(Column.MEASURES, ""))
    details.leads = split_leads(row.get(Column.LEADS, ""))
    for column, names in ((Column.AGENCIES, details.agencies), (Column.LEADS, details.leads)):
        for name in names:
            if len(name) > MAX_NAME:
                draft.problems.append(
                    Problem(
                        _at(where, heading, column),
                        f"'{name[:40]}…' is longer than "
                        f"{MAX_NAME} characters; is it a list with no separators?",
                    )
                )
    if row.get(Column.MONTHS):
        try:
            details.months = parse_months(row[Column.MONTHS])
        except NotAMonth as error:
            draft.problems.append(Problem(_at(where, heading, Column.MONTHS), str(error)))
    if row.get(Column.PLAN_YEAR):
        details.plan_year = _plan_year(
            row[Column.PLAN_YEAR], _at(where, heading, Column.PLAN_YEAR), draft
        )
    for column, parse, attribute in (
        (Column.STATUS, parse_status, "status"),
        (Column.RAG, parse_rag, "rag"),
    ):
        if row.get(column):
            try:
                setattr(details, attribute, parse(row[column]))
            except NotAChoice as error:
                draft.problems.append(Problem(_at(where, heading, column), str(error)))
    details.progress = row.get(Column.PROGRESS) or None
    return details


def _plan_year(text: str, where: str, draft: DraftPlan) -> int | None:
    """ "2018/19", "2018-2019" or "2018" → 2018."""
    match = re.fullmatch(r"\s*(\d{4})(?:\s*[/\-–]\s*(\d{2}|\d{4}))?\s*", text)
    if match and 2000 <= int(match.group(1)) <= 2100:
        return int(match.group(1))
    try:
        month = parse_month(text)
    except NotAMonth:
        draft.problems.append(Problem(where, f"'{text}' is not a plan year (write it as 2018/19)"))
        return None
    return month.year


def _row_actions(
    row: dict, heading: _Heading, where: str, default_area: str, draft: DraftPlan
) -> list[DraftAction]:
    texts = split_list(row.get(Column.ACTION, ""), semicolons=False)
    if not texts:
        return []
    area_text = row.get(Column.AREA) or default_area
    area, focus = area_heading(area_text)
    if row.get(Column.PRIORITY):
        focus = " ".join(row[Column.PRIORITY].split())
    if not area:
        draft.problems.append(
            Problem(
                where,
                "no area of focus: add an 'Area of focus' column, or name the area in the "
                "sheet's name or in a title row above the headings",
            )
        )
        return []
    if len(area) > MAX_NAME:
        draft.problems.append(
            Problem(
                f"{where}, area of focus", f"'{area[:40]}…' is longer than {MAX_NAME} characters"
            )
        )
        return []
    if area not in draft.areas or (focus and not draft.areas[area]):
        draft.areas[area] = focus
    details = _row_details(row, heading, where, draft)
    actions = []
    for text in texts:
        number, text = year_prefix(text)
        action = DraftAction(
            area=area,
            text=text,
            where=where,
            agencies=list(details.agencies),
            measures=list(details.measures),
            leads=list(details.leads),
            months=list(details.months),
            plan_year=details.plan_year,
            plan_year_number=number,
            status=details.status,
            rag=details.rag,
            progress=details.progress,
        )
        draft.actions.append(action)
        actions.append(action)
    return actions


def _carry_on(actions: list[DraftAction], more: DraftAction) -> None:
    """Add a continuation row's lists to the actions above; their status and RAG stay."""
    lists_only = replace(more, status=None, rag=None)
    for action in actions:
        action.merge(lists_only)


def _merge_repeats(draft: DraftPlan) -> None:
    seen: dict[tuple[str, str], DraftAction] = {}
    kept = []
    for action in draft.actions:
        key = (action.area.casefold(), " ".join(action.text.split()).casefold())
        if key in seen:
            seen[key].merge(action)
        else:
            seen[key] = action
            kept.append(action)
    draft.actions = kept
