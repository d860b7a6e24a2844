"""Word documents as grids of text: each table of the body, under the paragraph above it.

Rows are read from the table's XML, cell by cell on the table's grid, rather than through
python-docx's ``row.cells``, which looks up every vertically merged cell again from the top
(slow on a long table, and a recursion per merged row). A cell merged down repeats its text
in every row it covers; a cell merged across the whole width of the table is a heading row
between the actions. A paragraph that is an item of a Word list reads with a bullet ("• "),
as it is seen, since its bullet or number is not in its text.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator, Sequence
from typing import Any

from docx import Document
from docx.oxml.table import CT_Tbl, CT_Tc
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from tracker.imports import packages
from tracker.imports.tables import MAX_ROWS, FileRejected, Grid, too_many_rows
from tracker.imports.workbooks import MAX_CELLS

LIST_ITEM = "• "
# Styles are based on styles; a damaged file can make the chain a loop.
_STYLE_DEPTH = 20


def grids(name: str, archive: zipfile.ZipFile, data: bytes) -> list[Grid]:
    _count(name, archive)
    document = Document(io.BytesIO(data))
    found, heading = [], ""
    for child in document.element.body.iterchildren():
        if child.tag.endswith("}p"):
            heading = Paragraph(child, document).text.strip() or heading
        elif child.tag.endswith("}tbl"):
            label, titles = f"Table {len(found) + 1}", [heading] if heading else []
            grid = Grid(label, titles, rows=(), may_continue=True)
            grid.rows = _rows(child, document, grid)
            found.append(grid)
    return found


def _count(name: str, archive: zipfile.ZipFile) -> None:
    rows = cells = 0
    for member in archive.namelist():
        if member.endswith(".xml"):
            count = packages.count_part(
                archive, member, packages.DOCUMENT, max_rows=MAX_ROWS * 2, max_cells=MAX_CELLS
            )
            rows, cells = rows + count.rows, cells + count.cells
        if rows > MAX_ROWS * 2:
            raise too_many_rows(f"'{name}'")
        if cells > MAX_CELLS:
            raise FileRejected(
                f"'{name}' has more than {MAX_CELLS:,} table cells, far more than any plan "
                "holds: check it is the right file, or split it"
            )


def _rows(table: CT_Tbl, document: Any, grid: Grid) -> Iterator[tuple[int, Sequence[str]]]:
    above: dict[int, str] = {}  # grid column → the text a cell merged down repeats
    for number, tr in enumerate(table.tr_lst, start=1):
        cells: list[str] = [""] * tr.grid_before
        holding: list[tuple[CT_Tc, str]] = []
        for tc in tr.tc_lst:
            column = len(cells)
            if tc.vMerge == "continue":
                text = above.get(column, "")
            else:
                text = _text(tc, document)
                above[column] = text
            cells += [text] + [""] * (tc.grid_span - 1)
            if text.strip():
                holding.append((tc, text))
        if len(holding) == 1 and holding[0][0].grid_span > 1:
            grid.spanning.add(number)
        yield number, cells


def _text(tc: CT_Tc, document: Any) -> str:
    lines = []
    for paragraph in _Cell(tc, document).paragraphs:
        text = paragraph.text
        lines.append(LIST_ITEM + text if text.strip() and _is_list_item(paragraph) else text)
    return "\n".join(lines)


def _is_list_item(paragraph: Paragraph) -> bool:
    """Numbered or bulleted by Word: numbering on the paragraph or on its style."""
    properties = paragraph._p.pPr
    if properties is not None and properties.numPr is not None:
        number = properties.numPr.numId
        return number is None or number.val != 0  # numId 0 turns a style's numbering off
    style = paragraph.style
    for _depth in range(_STYLE_DEPTH):
        if style is None:
            break
        properties = style.element.pPr
        if properties is not None and properties.numPr is not None:
            return True
        style = style.base_style
    return False
