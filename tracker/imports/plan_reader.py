"""Finding an implementation plan in a file's tables.

The heading row is looked for in the first rows of each sheet or table (``columns``), under
any title rows. Below it, each row holds one or more actions (``rows``), and the layouts
boards use are followed:

- the area of an action comes from an area column, from a heading row between the actions
  (a cell merged across the table, or "BE SAFE – Focus on domestic abuse" alone in its row),
  or from the sheet's name, a title row above the headings or the paragraph above the table;
- blank cells under the "for all actions" columns (agencies, leads, timetable) take the value
  from the row above within the same area, as cells merged down do, and so do blank measures
  (they say how "this area of focus" has improved); "None", "N/A" or "-" is an empty list;
- a row with no action text carries on the row above, as does a row whose measures carry on
  the numbering above ("8. …" under seven): the table broke across a page;
- a heading row repeated after a page break is skipped, and a Word table with no heading row
  of its own, as wide as the one before, carries on that one.

Nothing here touches the database: the result is a ``DraftPlan`` with its problems and
warnings, each naming the sheet or table, the row and the column.
"""

from __future__ import annotations

import re
from dataclasses import replace

from tracker.imports.cells import area_heading, looks_like_area_heading
from tracker.imports.columns import HEADING_SEARCH_ROWS, HEADINGS, Column, Heading, heading_row
from tracker.imports.drafts import DraftAction, DraftPlan, Problem
from tracker.imports.rows import Row, row_actions, row_details
from tracker.imports.tables import Table

__all__ = ["HEADINGS", "Column", "DraftAction", "DraftPlan", "Problem", "read_plan"]

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
_GENERIC_TITLE = re.compile(r"^(sheet|table|tabelle|feuil|plan)\s*\d*$", re.IGNORECASE)
# A title of the whole plan, above its tables or repeated on every page: never an area.
_PLAN_TITLE = re.compile(
    r"\b(annex|appendix|implementation plan|action plan|children and young people's plan|"
    r"cypp)\b",
    re.IGNORECASE,
)


def read_plan(tables: list[Table]) -> DraftPlan:
    draft = DraftPlan()
    walk: _Walk | None = None
    for table in tables:
        heading = heading_row(table)
        if heading is not None:
            walk = _Walk(draft, heading, _table_area(table, heading))
        elif walk and table.may_continue and _width(table) == walk.width:
            walk.heading = replace(walk.heading, index=-1)
        else:
            if table.rows:
                draft.warn(
                    table.label,
                    f"no heading row with an 'Actions' column in its first "
                    f"{HEADING_SEARCH_ROWS} rows, so it was not read",
                )
            continue
        walk.read(table)
    if walk is None:
        draft.problems.append(
            Problem(
                "The file",
                "no sheet or table has a heading row with an 'Actions' column "
                f"in its first {HEADING_SEARCH_ROWS} rows",
            )
        )
    _merge_repeats(draft)
    return draft


def _width(table: Table) -> int:
    return max((len(cells) for _n, cells in table.rows), default=0)


def _is_title(text: str) -> bool:
    return bool(text) and not _GENERIC_TITLE.match(text.strip()) and not _PLAN_TITLE.search(text)


def _table_area(table: Table, heading: Heading) -> str:
    """The area a table names above its heading row, or in its sheet's name or the paragraph
    above it: a title row written as an area heading ("BE SAFE – Focus on …") or naming the
    sheet's area ("Be Safe – Reduce harm" on sheet "Be Safe"), else the sheet's name or the
    paragraph, else the nearest title row."""
    rows = [" ".join(c for c in cells if c) for _n, cells in table.rows[: heading.index]]
    rows = [row for row in reversed(rows) if _is_title(row)]
    names = [t.casefold() for t in table.titles]
    naming = [
        r for r in rows if any(area_heading(r)[0].casefold().startswith(n) for n in names if n)
    ]
    found = [
        *(r for r in rows if looks_like_area_heading(r)),
        *naming,
        *(t for t in table.titles if _is_title(t)),
        *rows,
    ]
    return found[0] if found else ""


class _Walk:
    """Reading down a table (and the tables that carry it on), remembering the area, the
    values carried down and the actions of the row above."""

    def __init__(self, draft: DraftPlan, heading: Heading, area: str) -> None:
        self.draft, self.heading, self.width = draft, heading, 0
        self.area = area
        self.carried: dict[Column, str] = {}
        self.previous: list[DraftAction] = []

    def read(self, table: Table) -> None:
        self.width = max(self.width, _width(table))
        columns = self.heading.columns
        if self.heading.index >= 0:
            for position, text in enumerate(table.rows[self.heading.index][1]):
                if text and position not in columns.values():
                    name = " ".join(text.split())
                    self.draft.warn(table.label, f"column '{name}' is not read")
        for number, cells in table.rows[self.heading.index + 1 :]:
            where = f"{table.label}, row {number}"
            if self.heading.repeated_in(cells):
                continue
            heading = self._area_heading(cells, number in table.spanning)
            if heading is not None:
                if not _PLAN_TITLE.search(heading):
                    self._new_area(heading)
                continue
            self._row({c: (cells[i] if i < len(cells) else "") for c, i in columns.items()}, where)

    def _area_heading(self, cells: list[str], spanning: bool) -> str | None:
        """The text of a heading row between the actions, or None for a row of the plan."""
        filled = [(i, c) for i, c in enumerate(cells) if c]
        if len(filled) != 1:
            return None
        position, text = filled[0]
        mapped = position in self.heading.columns.values()
        under_actions = position == self.heading.columns[Column.ACTION]
        if spanning or not mapped or (under_actions and looks_like_area_heading(text)):
            return text
        return None

    def _new_area(self, text: str) -> None:
        self.area, self.carried, self.previous = text, {}, []

    def _row(self, row: Row, where: str) -> None:
        own = {column for column, value in row.items() if value}
        if row.get(Column.AREA) and row[Column.AREA] != self.carried.get(Column.AREA):
            # A new area starts: nothing carries over from the one before.
            self.carried, self.previous = {}, []
        for column in _CARRIED_DOWN:
            if row.get(column):
                self.carried[column] = row[column]
            elif column in self.carried:
                row[column] = self.carried[column]
        actions = row_actions(row, self.heading, where, self.area, self.draft)
        previous = self.previous
        if actions and previous and Column.MEASURES not in own:
            # How we will know "this area of focus" has improved: blank is as above.
            for action in actions:
                action.measures = list(previous[-1].measures)
        if actions and previous and _continues_numbering(row.get(Column.MEASURES, ""), previous):
            # "5. …" under a list that ended at 4: the row above broke across a page, so its
            # actions and these share one list of measures.
            block_measures = list(previous[0].measures)
            _carry_on(previous, actions[0])
            for action in actions:
                action.measures = block_measures + [
                    m for m in action.measures if m not in block_measures
                ]
            self.previous = previous + actions
        elif actions:
            self.previous = actions
        elif previous and own & {Column.MEASURES, Column.PROGRESS}:
            _carry_on(previous, row_details(row, self.heading, where, self.draft))
        elif Column.ACTION not in own and own - set(_CARRIED_DOWN):
            self.draft.warn(
                where,
                f"{self.heading.names[Column.ACTION]} is blank, so the rest of the row is not read",
            )


def _continues_numbering(measures: str, previous: list[DraftAction]) -> bool:
    match = _FIRST_NUMBER.match(measures)
    return bool(match) and int(match.group(1)) == len(previous[0].measures) + 1 > 1


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
