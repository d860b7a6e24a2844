"""Excel workbooks as grids of values: counted first, then streamed.

Every sheet is counted (``packages.count_part``) before openpyxl opens the workbook, and a
workbook with more rows or cells than a plan can have is refused there. The rest is read
row by row in openpyxl's read-only mode, which holds one row at a time; that mode does not
read merged cells, so they come from the same count: a cell merged down repeats its value in
every row it covers (as a plan's "for all actions" columns are), and a cell merged across
the width of the table is a heading row between the actions.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator, Sequence
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries

from tracker.imports import packages
from tracker.imports.tables import MAX_ROWS, FileRejected, Grid, too_many_rows

# Far more than a plan has (Annex 2 has six columns and about a hundred cells).
MAX_COLUMNS = 200
MAX_CELLS = 300_000


def grids(name: str, archive: zipfile.ZipFile, data: bytes) -> Iterator[Grid]:
    """The sheets, each read as it is asked for; the workbook stays open until the last."""
    counts = _Counts(name, archive)
    for member in archive.namelist():
        if member.startswith("xl/worksheets/") or member.endswith("sharedStrings.xml"):
            counts.part(member)
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        for sheet in workbook.worksheets:
            grid = Grid(label=f"Sheet '{sheet.title}'", titles=[sheet.title], rows=())
            # openpyxl names the part each read-only sheet streams from.
            grid.rows = _rows(sheet, grid, counts.part(sheet._worksheet_path.lstrip("/")).merges)
            yield grid
    finally:
        workbook.close()


class _Counts:
    """The parts of a workbook counted so far, refused as soon as the rows of a sheet or the
    cells of the whole workbook pass what a plan can hold."""

    def __init__(self, name: str, archive: zipfile.ZipFile) -> None:
        self.name, self.archive = name, archive
        self.parts: dict[str, packages.Count] = {}
        self.cells = 0

    def part(self, member: str) -> packages.Count:
        if member in self.parts:
            return self.parts[member]
        tags = packages.SHARED_STRINGS if member.endswith("sharedStrings.xml") else packages.SHEET
        count = packages.count_part(
            self.archive, member, tags, max_rows=MAX_ROWS * 2, max_cells=MAX_CELLS - self.cells
        )
        if count.rows > MAX_ROWS * 2:
            raise too_many_rows(f"'{self.name}'")
        self.cells += count.cells + len(count.merges)
        if self.cells > MAX_CELLS:
            raise FileRejected(
                f"'{self.name}' has more than {MAX_CELLS:,} cells, far more than any plan "
                "holds: check it is the right file, or split it"
            )
        self.parts[member] = count
        return count


class _Merges:
    """The merged ranges covering each row, for a sheet read from top to bottom."""

    def __init__(self, refs: list[str]) -> None:
        # (min_col, min_row, max_col, max_row), by first row
        self.waiting = sorted((range_boundaries(ref) for ref in refs), key=lambda b: b[1])
        self.open: list[tuple[int, int, int, int]] = []
        self.values: dict[tuple[int, int], Any] = {}

    def at(self, number: int) -> list[tuple[int, int, int, int]]:
        while self.waiting and self.waiting[0][1] <= number:
            self.open.append(self.waiting.pop(0))
        self.open = [b for b in self.open if b[3] >= number]
        return self.open


def _rows(sheet: Any, grid: Grid, merges: list[str]) -> Iterator[tuple[int, Sequence[Any]]]:
    """A sheet's rows as values, with its merged cells filled in. Refuses formulas."""
    covering = _Merges(merges)
    sheet.reset_dimensions()  # a wrong <dimension> would pad every row to its width
    for number, row in enumerate(sheet.iter_rows(), start=1):
        if len(row) > MAX_COLUMNS:
            raise FileRejected(
                f"{grid.label}, row {number}: has cells beyond column {MAX_COLUMNS}, more "
                "than any plan has: delete the columns to the right of the plan"
            )
        values = [_value(cell, grid.label) for cell in row]
        for min_col, min_row, max_col, _max_row in covering.at(number):
            values += [None] * (max_col - len(values))
            if number == min_row:
                covering.values[(min_row, min_col)] = values[min_col - 1]
            top_left = covering.values.get((min_row, min_col))
            # Down, the value is in every row; across, in the first column only.
            values[min_col - 1 : max_col] = [top_left] + [None] * (max_col - min_col)
            outside = values[: min_col - 1] + values[max_col:]
            if max_col > min_col and top_left is not None and all(_blank(v) for v in outside):
                grid.spanning.add(number)
        yield number, values


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _value(cell: Any, label: str) -> Any:
    if getattr(cell, "data_type", None) == "f":
        raise FileRejected(
            f"{label}, cell {cell.coordinate}: holds a formula ({cell.value}); "
            "copy the sheet and paste values only, then upload it again"
        )
    value = cell.value
    if isinstance(value, int | float) and "%" in (getattr(cell, "number_format", "") or ""):
        value = round(value * 100, 10)  # 75% is stored as 0.75; people read 75
    return value
