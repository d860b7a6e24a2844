"""A plan as an Excel workbook, a sheet per area, laid out to print for a board pack (A4
landscape, the heading row on every page, months as the board writes them, "Sep 21"). A cell
that a spreadsheet program would run as a formula is written as text.
"""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins

from tracker.formatting import short_month
from tracker.imports.plan_reader import HEADINGS, Column
from tracker.models import Plan
from tracker.plans.export.content import (
    AREA_COLUMNS,
    HEADING_FILL,
    RAG_FILLS,
    WIDTHS_CM,
    ExportedAction,
    area_title,
    by_area,
    plan_title,
)
from tracker.text import clean, could_run


def _sheet_name(name: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", name).strip()[:31] or "Area"
    candidate, n = base, 2
    while candidate.lower() in taken:
        candidate = f"{base[:28]} {n}"
        n += 1
    taken.add(candidate.lower())
    return candidate


def _excel_width(cm: float) -> float:
    """A width in cm as Excel's unit, characters of the default font (7 pixels each, plus
    5 of padding, at 96 pixels an inch)."""
    return round((cm / 2.54 * 96 - 5) / 7, 1)


# The workbook's own default font, at 9 pt as in the Word tables: Excel's widths are counted
# in its characters, so text and widths stay in proportion wherever a program puts another
# font in its place.
_FONT, _SIZE = "Calibri", 9
_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")


def _cell_styles() -> list[NamedStyle]:
    """The sheets' styles, by name: one named style a cell is set in one step, where its
    font, alignment and border one by one take a large plan several times as long."""
    return [
        NamedStyle("Plan title", font=Font(name=_FONT, bold=True, size=14)),
        NamedStyle(
            "Plan headings",
            font=Font(name=_FONT, size=_SIZE, bold=True),
            alignment=_WRAP,
            border=_BOX,
            fill=PatternFill("solid", fgColor=HEADING_FILL),
        ),
        NamedStyle("Plan text", font=Font(name=_FONT, size=_SIZE), alignment=_WRAP, border=_BOX),
    ]


def _write_cell(sheet, row: int, column: int, text: str, style: str):
    """A cell holding ``text`` as text, even when it begins like a formula: openpyxl takes
    a string beginning with "=" for one, and Excel would run it; the quote prefix keeps it
    text when someone edits the cell, as a typed apostrophe does."""
    cell = sheet.cell(row=row, column=column, value=text)
    cell.style = style
    if could_run(text):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


# Neither Excel nor LibreOffice sizes a row to its wrapped text when it opens a file, so
# each row is given the height of its tallest cell, reckoned from the column's width: an
# Excel width unit holds about 1.25 characters of 9 pt Calibri, and a line is 12 points.
_CHARACTERS_PER_UNIT = 1.25
_LINE_POINTS = 12
_TALLEST_ROW = 409  # points, Excel's limit


def _lines(text: str, characters: int) -> int:
    """How many lines ``text`` takes when wrapped at word breaks ``characters`` wide."""
    total = 0
    for paragraph in text.split("\n"):
        lines, used = 1, 0
        for word in paragraph.split():
            if used and used + 1 + len(word) > characters:
                lines, used = lines + 1, 0
            used += len(word) + (1 if used else 0)
            while used > characters:  # a word longer than a line breaks where it must
                lines, used = lines + 1, used - characters
        total += lines
    return total


def _row_height(cells: dict[Column, str]) -> float:
    lines = max(
        _lines(cells[column], int(_excel_width(cm) * _CHARACTERS_PER_UNIT))
        for column, cm in WIDTHS_CM.items()
    )
    return min(lines * _LINE_POINTS + 4, _TALLEST_ROW)


def to_xlsx(plan: Plan, rows: list[ExportedAction]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for style in _cell_styles():
        workbook.add_named_style(style)
    workbook.properties.title = plan_title(plan)
    workbook.properties.creator = clean(plan.board.name)
    taken: set[str] = set()
    for area, area_rows in by_area(rows).items():
        sheet = workbook.create_sheet(_sheet_name(area, taken))
        _write_cell(sheet, 1, 1, area_title(area_rows), "Plan title")
        headings = {column: HEADINGS[column] for column in AREA_COLUMNS}
        for number, column in enumerate(AREA_COLUMNS, start=1):
            _write_cell(sheet, 2, number, headings[column], "Plan headings")
        sheet.row_dimensions[2].height = _row_height(headings)
        for row_number, row in enumerate(area_rows, start=3):
            cells = row.one_line_cells(short_month, printed=True)
            for number, column in enumerate(AREA_COLUMNS, start=1):
                cell = _write_cell(sheet, row_number, number, cells[column], "Plan text")
                if column is Column.RAG and cells[column] in RAG_FILLS:
                    cell.fill = PatternFill("solid", fgColor=RAG_FILLS[cells[column]])
            sheet.row_dimensions[row_number].height = _row_height(cells)
        for number, cm in enumerate(WIDTHS_CM.values(), start=1):
            sheet.column_dimensions[get_column_letter(number)].width = _excel_width(cm)
        sheet.freeze_panes = "A3"
        _print_setup(sheet)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _print_setup(sheet) -> None:
    """A4 landscape, one page wide and as many long as it takes, the title and heading rows
    at the top of every page, and page numbers."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins = PageMargins(left=0.25, right=0.25, top=0.75, bottom=0.75)
    sheet.print_title_rows = "1:2"
    sheet.oddFooter.center.text = "&A – page &P of &N"


# Word: lists in a cell are real Word lists, indented little for narrow columns (in
