"""One row of a plan's table as the actions it holds.

A list in the Actions cell is several actions sharing the row's agencies, measures, leads and
months. What cannot be understood (a month that is no month, a status that is none) is a
problem; what is only odd (a very long name, a timetable with no month, a lead "TBC") is a
warning, and the row still comes in.
"""

from __future__ import annotations

import re

from tracker.imports.cells import NotAChoice, area_heading, parse_rag, parse_status, year_prefix
from tracker.imports.columns import Column, Heading
from tracker.imports.drafts import DraftAction, DraftPlan, Problem
from tracker.imports.lists import Holds, list_items
from tracker.imports.names import Lead, read_agencies, read_leads
from tracker.rules.months import NotAMonth, parse_month, read_timetable

MAX_NAME = 200  # as the database holds names of agencies, teams, people and areas
_PLAN_YEAR = re.compile(r"\s*(\d{4})(?:\s*[/\-–]\s*(\d{2}|\d{4}))?\s*")
# Written where a list is empty on purpose, so that the cell is not "as above".
_NONE = re.compile(r"^\s*(?:none|n/?a|nil|-+|–|—)\s*$", re.IGNORECASE)

Row = dict[Column, str]


def _shortened(name: str, where: str, draft: DraftPlan) -> str:
    if len(name) <= MAX_NAME:
        return name
    draft.warn(
        where,
        f"'{name[:40]}…' is longer than {MAX_NAME} characters, so it is shortened: "
        "is it a list with no separators?",
    )
    return name[: MAX_NAME - 1] + "…"


def _agencies(text: str, where: str, draft: DraftPlan) -> list[str]:
    agencies, notes = read_agencies(text)
    for note in notes:
        draft.warn(where, note)
    return [_shortened(name, where, draft) for name in agencies]


def _leads(text: str, where: str, draft: DraftPlan) -> list[Lead]:
    leads, notes = read_leads(text)
    for note in notes:
        draft.warn(where, note)
    return [
        Lead(
            _shortened(lead.name, where, draft),
            tuple(_shortened(c, where, draft) for c in lead.contacts),
        )
        for lead in leads
    ]


def _timetable(text: str, where: str, details: DraftAction, draft: DraftPlan) -> None:
    details.timetable = " ".join(text.split())
    try:
        timetable = read_timetable(text)
    except NotAMonth as error:
        draft.problems.append(Problem(where, str(error)))
        return
    details.months = timetable.months
    for written in timetable.without_month:
        if timetable.months:
            draft.warn(where, f"'{written}' has no year, so it is not read as a reporting month")
        else:
            draft.warn(
                where, f"'{written}' names no month: the action comes in without a reporting month"
            )


def _plan_year(text: str, where: str, draft: DraftPlan) -> int | None:
    """ "2018/19", "2018-2019" or "2018" → 2018."""
    match = _PLAN_YEAR.fullmatch(text)
    if match and 2000 <= int(match.group(1)) <= 2100:
        return int(match.group(1))
    try:
        return parse_month(text).year
    except NotAMonth:
        draft.problems.append(Problem(where, f"'{text}' is not a plan year (write it as 2018/19)"))
        return None


def row_details(row: Row, heading: Heading, where: str, draft: DraftPlan) -> DraftAction:
    """Everything a row says about its actions but their text and area."""
    details = DraftAction(area="", text="", where=where)
    cells = {c: ("" if _NONE.match(v) else v) for c, v in row.items()}
    if cells.get(Column.AGENCIES):
        at = heading.at(where, Column.AGENCIES)
        details.agencies = _agencies(cells[Column.AGENCIES], at, draft)
    details.measures = list_items(cells.get(Column.MEASURES, ""), Holds.MEASURES)
    if cells.get(Column.LEADS):
        details.leads = _leads(cells[Column.LEADS], heading.at(where, Column.LEADS), draft)
    if cells.get(Column.MONTHS):
        _timetable(cells[Column.MONTHS], heading.at(where, Column.MONTHS), details, draft)
    if cells.get(Column.PLAN_YEAR):
        at = heading.at(where, Column.PLAN_YEAR)
        details.plan_year = _plan_year(cells[Column.PLAN_YEAR], at, draft)
    for column, parse, attribute in (
        (Column.STATUS, parse_status, "status"),
        (Column.RAG, parse_rag, "rag"),
    ):
        if cells.get(column):
            try:
                setattr(details, attribute, parse(cells[column]))
            except NotAChoice as error:
                draft.problems.append(Problem(heading.at(where, column), str(error)))
    details.progress = row.get(Column.PROGRESS) or None
    return details


def row_actions(
    row: Row, heading: Heading, where: str, area_text: str, draft: DraftPlan
) -> list[DraftAction]:
    """The actions a row holds, each with the row's details, added to the draft."""
    texts = list_items(row.get(Column.ACTION, ""), Holds.SENTENCES)
    if not texts:
        return []
    area, focus = area_heading(row.get(Column.AREA) or area_text)
    if row.get(Column.PRIORITY):
        focus = " ".join(row[Column.PRIORITY].split())
    if not area:
        draft.problems.append(
            Problem(
                where,
                "no area of focus: add an 'Area of focus' column, or name the area in the "
                "sheet's name, in a title row above the headings or in a heading row",
            )
        )
        return []
    area = _shortened(area, f"{where}, area of focus", draft)
    if area not in draft.areas or (focus and not draft.areas[area]):
        draft.areas[area] = focus
    details = row_details(row, heading, where, draft)
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
            timetable=details.timetable,
            plan_year=details.plan_year,
            plan_year_number=number,
            status=details.status,
            rag=details.rag,
            progress=details.progress,
        )
        draft.actions.append(action)
        actions.append(action)
    return actions
