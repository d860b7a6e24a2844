"""A plan as a Word document, a table per area, laid out to go into a board pack (A4
landscape, narrow margins, the heading row on every page, lists in a cell as Word lists).
"""

from __future__ import annotations

import html
import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

from tracker.formatting import short_month
from tracker.imports.plan_reader import HEADINGS, Column
from tracker.models import Plan
from tracker.plans.export.content import (
    A4_LANDSCAPE_CM,
    AREA_COLUMNS,
    HEADING_FILL,
    NARROW_MARGIN_CM,
    RAG_FILLS,
    WIDTHS_CM,
    ExportedAction,
    area_title,
    by_area,
    plan_title,
)
from tracker.text import clean

# twentieths of a point: a bullet needs 0.4 cm, "10." 0.6 cm).
_BULLETS, _NUMBERS = 90, 91  # ids of the two list definitions this export adds
_LIST_DEFINITION = """<w:abstractNum {ns} w:abstractNumId="{id}">
  <w:multiLevelType w:val="singleLevel"/>
  <w:lvl w:ilvl="0">
    <w:start w:val="1"/><w:numFmt w:val="{format}"/><w:lvlText w:val="{text}"/>
    <w:lvlJc w:val="left"/>
    <w:pPr><w:ind w:left="{indent}" w:hanging="{indent}"/></w:pPr>
  </w:lvl>
</w:abstractNum>"""
_LIST_STYLES = {Column.AGENCIES: "List Bullet", Column.MEASURES: "List Number"}


class _WordLists:
    """The document's lists: one bullet list for every cell, and for each numbered list its
    own numbering restarting at 1 (a ``w:num`` with a start override), since Word would
    otherwise number on from cell to cell through the whole document."""

    def __init__(self, document) -> None:
        self.numbering = document.part.numbering_part.element
        self.styles = {c: document.styles[name].style_id for c, name in _LIST_STYLES.items()}
        first_num = self.numbering.find(qn("w:num"))
        for abstract_id, number_format, text, indent in (
            (_BULLETS, "bullet", "•", 227),
            (_NUMBERS, "decimal", "%1.", 340),
        ):
            definition = parse_xml(
                _LIST_DEFINITION.format(
                    ns=nsdecls("w"), id=abstract_id, format=number_format, text=text, indent=indent
                )
            )
            # Abstract definitions come before the lists that use them.
            first_num.addprevious(definition)
        taken = self.numbering.xpath("./w:num/@w:numId")
        self.next_id = max(map(int, taken), default=0) + 1
        self.bullets = self._new_list(_BULLETS)

    def _new_list(self, abstract_id: int, restart: bool = False) -> int:
        num_id, self.next_id = self.next_id, self.next_id + 1
        override = (
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'
            if restart
            else ""
        )
        self.numbering.append(
            parse_xml(
                f'<w:num {nsdecls("w")} w:numId="{num_id}">'
                f'<w:abstractNumId w:val="{abstract_id}"/>{override}</w:num>'
            )
        )
        return num_id

    def paragraphs(self, column: Column, items: list[str]) -> str:
        """The items as one list's paragraphs."""
        if column is Column.MEASURES:
            num_id = self._new_list(_NUMBERS, restart=True)
        else:
            num_id = self.bullets
        properties = (
            f'<w:pPr><w:pStyle w:val="{self.styles[column]}"/>'
            f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr></w:pPr>'
        )
        return "".join(_word_paragraph(item, properties) for item in items)


def _word_page(section) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = (Cm(cm) for cm in A4_LANDSCAPE_CM)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(NARROW_MARGIN_CM))
    section.footer_distance = Cm(0.6)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ")
    footer._p.append(_field("PAGE"))
    footer.add_run(" of ")
    footer._p.append(_field("NUMPAGES"))


def _field(instruction: str):
    return parse_xml(
        f'<w:fldSimple {nsdecls("w")} w:instr="{instruction}"><w:r><w:t>1</w:t></w:r></w:fldSimple>'
    )


def _word_styles(document) -> None:
    """Arial throughout, 9 pt in the tables, headings in black: the template's headings
    take a theme font and colour, which would win over a plain one."""
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(9)
    document.styles["Normal"].paragraph_format.space_after = Pt(2)
    for name, size in (("Heading 1", 16), ("Heading 2", 12)):
        font = document.styles[name].font
        rfonts = document.styles[name].element.rPr.rFonts
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(theme), None)
        font.name, font.size, font.color.rgb = "Arial", Pt(size), RGBColor(0x0B, 0x0C, 0x0C)
        document.styles[name].paragraph_format.space_after = Pt(6)


# The table's rows are written as WordprocessingML directly: building them cell by cell
# with python-docx takes a plan of a thousand actions longer than a web request may.
_TWIPS = {column: Cm(cm).twips for column, cm in WIDTHS_CM.items()}


def _word_paragraph(text: str, properties: str = "", bold: bool = False) -> str:
    """A paragraph of ``text``, a tab as Word's tab (text is cleaned, so XML holds it)."""
    if not text:
        return f"<w:p>{properties}</w:p>"
    look = "<w:rPr><w:b/></w:rPr>" if bold else ""
    parts = "<w:tab/>".join(
        f'<w:t xml:space="preserve">{html.escape(part, quote=False)}</w:t>'
        for part in text.split("\t")
    )
    return f"<w:p>{properties}<w:r>{look}{parts}</w:r></w:p>"


def _word_cell(column: Column, paragraphs: str, fill: str | None = None) -> str:
    shading = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
    width = f'<w:tcW w:w="{_TWIPS[column]}" w:type="dxa"/>'
    return f"<w:tc><w:tcPr>{width}{shading}</w:tcPr>{paragraphs or '<w:p/>'}</w:tc>"


def _word_row(cells: str, heading: bool = False) -> str:
    # The heading row repeats at the top of every page; rows may break across pages (no
    # "cantSplit", Word's default), so a long one leaves no gap.
    repeat = "<w:trPr><w:tblHeader/></w:trPr>" if heading else ""
    return f"<w:tr {nsdecls('w')}>{repeat}{cells}</w:tr>"


def _word_table(document):
    """A table of the area columns at their widths, under its heading row."""
    table = document.add_table(rows=0, cols=len(AREA_COLUMNS))
    table.style = "Table Grid"
    table.autofit = False  # a fixed layout: Word keeps the widths given
    table._tbl.tblPr.append(
        parse_xml(
            f'<w:tblCellMar {nsdecls("w")}><w:left w:w="57" w:type="dxa"/>'
            '<w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
        )
    )
    for column, cm in zip(table.columns, WIDTHS_CM.values(), strict=True):
        column.width = Cm(cm)
    headings = "".join(
        _word_cell(c, _word_paragraph(HEADINGS[c], bold=True), HEADING_FILL) for c in AREA_COLUMNS
    )
    table._tbl.append(parse_xml(_word_row(headings, heading=True)))
    return table


def _word_action(row: ExportedAction, lists: _WordLists) -> str:
    values, cells = row.cells(short_month), []
    for column in AREA_COLUMNS:
        value = values[column]
        if column in _LIST_STYLES and len(value) > 1:
            paragraphs = lists.paragraphs(column, value)
        else:
            lines = value if isinstance(value, list) else value.split("\n")
            paragraphs = "".join(_word_paragraph(line) for line in lines)
        fill = RAG_FILLS.get(value) if column is Column.RAG else None
        cells.append(_word_cell(column, paragraphs, fill))
    return _word_row("".join(cells))


def to_docx(plan: Plan, rows: list[ExportedAction]) -> bytes:
    document = Document()
    _word_styles(document)
    _word_page(document.sections[0])
    document.core_properties.title = plan_title(plan)
    document.core_properties.author = clean(plan.board.name)
    document.add_heading(plan_title(plan), level=1)
    lists = _WordLists(document)
    for area_rows in by_area(rows).values():
        document.add_heading(area_title(area_rows), level=2)
        table = _word_table(document)
        for row in area_rows:
            table._tbl.append(parse_xml(_word_action(row, lists)))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
