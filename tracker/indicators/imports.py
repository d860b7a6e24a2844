"""Importing readings from a CSV or Excel file: all or nothing.

The file is read into rows of text (``read_rows``), every row is checked against the board's
indicators (``check``), and only when no row has a problem are the readings written, in one
transaction (``apply``). A reading for a period that already has one corrects it, with the
file named as the reason in the audit trail.

Columns, named in the first row in any order: indicator number, period, value, and an
optional note. Periods are written as on the indicator's pages ("2021 Q2", "March 2021");
a date cell counts as the period it falls in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import PurePath

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.formatting import plural
from tracker.imports.sources import FileRejected, read_tables
from tracker.indicators.framework import (
    BadValue,
    ReadingRefused,
    add_reading,
    check_period,
    correct_reading,
    parse_value,
)
from tracker.models import Board, Indicator, IndicatorReading, Person
from tracker.rules import periods
from tracker.rules.rag import as_decimal

MAX_NOTE = 2_000
EXTENSIONS = (".csv", ".xlsx")

COLUMNS = {
    "number": ("indicator number", "indicator", "number", "indicator no", "no"),
    "period": ("period",),
    "value": ("value", "reading"),
    "note": ("note", "notes", "comment"),
}
REQUIRED = ("number", "period", "value")
# How the file readers write a date cell: its month, "2021-09".
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


class NotADate(periods.NotAPeriod):
    """A period written as a date that is not one, such as 2021-02-30."""


Rows = list[tuple[int, list[str]]]  # (row number in the file, cells as text)


def read_rows(filename: str, data: bytes) -> Rows:
    """The rows of a .csv file, or of the first sheet with rows of an .xlsx workbook, read
    by the plan importer's readers (which refuse broken, huge and unsafe files); raises
    FileRejected."""
    name = PurePath(filename or "").name or "The file"
    if PurePath(name).suffix.lower() not in EXTENSIONS:
        raise FileRejected(f"'{name}' is not a .csv or .xlsx file")
    return next(t.rows for t in read_tables(name, data) if t.rows)


@dataclass(frozen=True)
class PlannedReading:
    row: int
    indicator: Indicator
    period_start: date
    value: Decimal
    note: str | None
    existing: IndicatorReading | None

    @property
    def period_label(self) -> str:
        return periods.label(self.period_start, self.indicator.frequency)

    @property
    def change(self) -> str:
        """What importing the row does: "New", "Correction" or "No change"."""
        if self.existing is None:
            return "New"
        same_value = as_decimal(self.existing.value) == self.value
        if same_value and (self.existing.note or None) == self.note:
            return "No change"
        return "Correction"


@dataclass
class Check:
    readings: list[PlannedReading]
    problems: list[str]


def _columns(header: list[str]) -> tuple[dict[str, int], list[str]]:
    found: dict[str, int] = {}
    for index, title in enumerate(header):
        cleaned = " ".join(title.lower().replace("_", " ").split()).rstrip(".:")
        for key, names in COLUMNS.items():
            if cleaned in names and key not in found:
                found[key] = index
    missing = [COLUMNS[key][0] for key in REQUIRED if key not in found]
    problems = []
    if missing:
        problems.append(
            f"Row 1: there is no column for {' or '.join(repr(m) for m in missing)}. The "
            "first row must name the columns: indicator number, period, value and, if you "
            "like, note"
        )
    return found, problems


def _period(text: str, indicator: Indicator, today: date) -> date:
    """A period as written, or a date (or a date cell's month) as the period it falls in."""
    month, day = _MONTH.match(text), _ISO_DATE.match(text)
    if month or day:
        parts = [int(part) for part in (month or day).groups()]
        try:
            first = date(*parts, 1) if month else date(*parts)
        except ValueError:
            raise NotADate(f"'{text}' is not a real date") from None
        return periods.period_of(first, indicator.frequency)
    return periods.parse(text, indicator.frequency, today=today)


def check(session: Session, board: Board, rows: Rows, today: date) -> Check:
    """Every reading the rows would write, and every problem with them (row, column, what)."""
    (header_row, header), *data = rows
    columns, problems = _columns(header)
    if problems:
        return Check([], problems)
    if not data:
        return Check([], ["The file has a header row but no readings under it"])
    indicators = {
        i.number: i
        for i in session.scalars(
            select(Indicator)
            .where(Indicator.board_id == board.id)
            .options(selectinload(Indicator.readings))
        )
    }
    planned: list[PlannedReading] = []
    seen: dict[tuple[int, date], int] = {}

    def cell(cells: list[str], key: str) -> str:
        index = columns.get(key)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    for row, cells in data:

        def problem(key: str, message: str, row: int = row) -> None:
            problems.append(f"Row {row}, column '{COLUMNS[key][0]}': {message}")

        number, period_text, value_text = (cell(cells, k) for k in REQUIRED)
        note = cell(cells, "note") or None
        indicator = indicators.get(number)
        if not number:
            problem("number", "enter the indicator's number, like 2.5")
        elif indicator is None:
            problem("number", f"there is no indicator numbered '{number}' on this board")
        elif indicator.is_archived:
            problem("number", f"indicator {number} is archived: restore it first")
            indicator = None
        period_start = None
        if not period_text:
            problem("period", "enter the period the reading is for")
        elif indicator is not None:
            try:
                period_start = _period(period_text, indicator, today)
            except NotADate as error:
                problem("period", str(error))
            except periods.NotAPeriod as error:
                frequency = indicator.frequency.value
                problem("period", f"{error} (indicator {number} is reported {frequency})")
            else:
                try:
                    check_period(indicator, period_start, today)
                except ReadingRefused as error:
                    problem("period", str(error))
                    period_start = None
        value = None
        if indicator is not None or value_text:
            try:
                value = parse_value(value_text, indicator.unit if indicator else None)
            except BadValue as error:
                problem("value", str(error))
        if note is not None and len(note) > MAX_NOTE:
            problem("note", f"the note must be {MAX_NOTE:,} characters or fewer")
        if indicator is None or period_start is None or value is None:
            continue
        first = seen.setdefault((indicator.id, period_start), row)
        if first != row:
            problem(
                "period",
                f"indicator {number} already has a reading for "
                f"{periods.label(period_start, indicator.frequency)} in row {first}",
            )
            continue
        existing = next((r for r in indicator.readings if r.period_start == period_start), None)
        planned.append(PlannedReading(row, indicator, period_start, value, note, existing))
    return Check(planned if not problems else [], problems)


def apply(
    session: Session, result: Check, *, by: Person, filename: str, today: date
) -> dict[str, int]:
    """Write every planned reading (none if there is any problem); how many of each change."""
    if result.problems:
        raise ValueError("refusing to import a file with problems")
    counts = {"New": 0, "Correction": 0, "No change": 0}
    for planned in result.readings:
        counts[planned.change] += 1
        entry = dict(value=planned.value, note=planned.note, by=by)
        if planned.existing is None:
            add_reading(
                session,
                indicator=planned.indicator,
                period_start=planned.period_start,
                today=today,
                **entry,
            )
        elif planned.change == "Correction":
            reason = f"Imported from {filename}, row {planned.row}"
            correct_reading(session, reading=planned.existing, reason=reason, **entry)
    return counts


def summary(filename: str, counts: dict[str, int]) -> str:
    """What an import did, as the page says it."""
    return (
        f"Imported {filename}: {plural(counts['New'], 'new reading')}, "
        f"{counts['Correction']} corrected, {counts['No change']} unchanged."
    )
