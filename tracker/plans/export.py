"""A plan out as the board's own tables: .xlsx (a sheet per area), .docx (a table per area),
.csv (one row per action) and JSON. Each reads back in through the plan import unchanged.

Word and Excel are laid out to go into a board pack: A4 landscape, the heading row on every
page, columns as wide as what they hold, months as the board writes them ("Sep 21"). Text is
cleaned on the way out (rows stored before input was cleaned may hold control characters),
and a cell that a spreadsheet program would run as a formula is written as text.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.formatting import month_label, short_month
from tracker.imports.plan_import import ACTION_CONTENT
from tracker.imports.plan_reader import HEADINGS, Column
from tracker.models import Action, AreaOfFocus, Plan, ProgressUpdate
from tracker.rules.due import plan_year_label
from tracker.text import clean, clean_or_none, could_run, for_csv

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}
# The columns of a sheet or table per area, and how wide each is on an A4 landscape page
# with narrow margins (27.16 cm between them), in cm: prose wide, lists of names middling,
# a month, a year or a rating narrow. The CSV adds the area and its focus.
WIDTHS_CM = {
    Column.ACTION: 4.5,
    Column.AGENCIES: 2.9,
    Column.MEASURES: 5.6,
    Column.LEADS: 2.5,
    Column.MONTHS: 1.8,
    Column.PLAN_YEAR: 1.5,
    Column.STATUS: 1.7,
    Column.RAG: 1.4,
    Column.PROGRESS: 5.2,
}
AREA_COLUMNS = list(WIDTHS_CM)
A4_LANDSCAPE_CM = (29.7, 21.0)
NARROW_MARGIN_CM = 1.27  # Word's "Narrow" margins, Excel's are 0.25 inch
# Light tints, so the rating's word stays readable in print and on screen.
RAG_FILLS = {"Red": "F4C7C3", "Amber": "FCE4B0", "Green": "CDE8D2"}
HEADING_FILL = "D9D9D9"


@dataclass
class ExportedAction:
    area: str
    priority_focus: str | None
    text: str
    agencies: list[str]
    measures: list[str]
    leads: list[str]
    reporting_months: list[date]
    plan_year: str  # "2018/19"
    status: str
    rag: str | None
    progress: str | None  # the latest progress update

    def cells(self, month: Callable[[date], str]) -> dict[Column, str | list[str]]:
        """Each column's text; agencies, measures, leads and months as lists, the months
        written by ``month``."""
        return {
            Column.AREA: self.area,
            Column.PRIORITY: self.priority_focus or "",
            Column.ACTION: self.text,
            Column.AGENCIES: self.agencies,
            Column.MEASURES: self.measures,
            Column.LEADS: self.leads,
            Column.MONTHS: [month(m) for m in self.reporting_months],
            Column.PLAN_YEAR: self.plan_year,
            Column.STATUS: self.status,
            Column.RAG: self.rag or "",
            Column.PROGRESS: self.progress or "",
        }

    def one_line_cells(
        self, month: Callable[[date], str], printed: bool = False
    ) -> dict[Column, str]:
        """Each column as the text of one spreadsheet cell: a list a line an item, and months
        as the board writes them, "Sep 21 / Mar 22". ``printed``, for a sheet laid out to
        print, agencies are bulleted and measures numbered as the board's plans have them,
        and the months in their narrow column go a line each."""
        cells = {}
        for column, value in self.cells(month).items():
            if isinstance(value, str):
                cells[column] = value
            elif column is Column.MONTHS and not printed:
                cells[column] = " / ".join(value)
            elif printed and len(value) > 1 and column in _MARKS:
                mark = _MARKS[column]
                cells[column] = "\n".join(mark(n, item) for n, item in enumerate(value, 1))
            else:
                cells[column] = "\n".join(value)
        return cells


_MARKS = {Column.AGENCIES: lambda _, item: f"• {item}", Column.MEASURES: "{}. {}".format}


def exported_actions(session: Session, plan: Plan) -> list[ExportedAction]:
    areas = session.scalars(
        select(AreaOfFocus)
        .where(AreaOfFocus.plan_id == plan.id, AreaOfFocus.archived_at.is_(None))
        .order_by(AreaOfFocus.position, AreaOfFocus.id)
        .options(selectinload(AreaOfFocus.priorities))
    ).all()
    actions = session.scalars(
        select(Action)
        .where(Action.area_id.in_([a.id for a in areas]), Action.archived_at.is_(None))
        .order_by(Action.position, Action.id)
        .options(*ACTION_CONTENT)
    ).all()
    latest = _latest_updates(session, [a.id for a in actions])
    by_area = {area.id: [] for area in areas}
    for action in actions:
        by_area[action.area_id].append(action)
    rows = []
    for area in areas:
        for action in by_area[area.id]:
            priority = area.priority_for(action.plan_year)
            rows.append(
                ExportedAction(
                    area=clean(area.name),
                    priority_focus=clean(priority.text) if priority else None,
                    text=clean(action.text),
                    agencies=[clean(a.name) for a in action.agencies],
                    measures=[clean(m.text) for m in action.measures],
                    leads=[clean(str(lead)) for lead in action.leads],
                    reporting_months=list(action.months),
                    plan_year=plan_year_label(action.plan_year),
                    status=action.status.label,
                    rag=action.rag.label if action.rag else None,
                    progress=clean_or_none(latest.get(action.id)),
                )
            )
    return rows


def _latest_updates(session: Session, action_ids: list[int]) -> dict[int, str]:
    latest: dict[int, str] = {}
    updates = session.execute(
        select(ProgressUpdate.action_id, ProgressUpdate.text)
        .where(ProgressUpdate.action_id.in_(action_ids))
        .order_by(ProgressUpdate.created_at, ProgressUpdate.id)
    )
    for action_id, text in updates:
        latest[action_id] = text
    return latest


def _by_area(rows: list[ExportedAction]) -> dict[str, list[ExportedAction]]:
    grouped: dict[str, list[ExportedAction]] = {}
    for row in rows:
        grouped.setdefault(row.area, []).append(row)
    return grouped


def _area_title(rows: list[ExportedAction]) -> str:
    focus = rows[0].priority_focus
    return f"{rows[0].area} – {focus}" if focus else rows[0].area


def _plan_title(plan: Plan) -> str:
    return f"{clean(plan.name)} – Implementation plan"


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
    workbook.properties.title = _plan_title(plan)
    workbook.properties.creator = clean(plan.board.name)
    taken: set[str] = set()
    for area, area_rows in _by_area(rows).items():
        sheet = workbook.create_sheet(_sheet_name(area, taken))
        _write_cell(sheet, 1, 1, _area_title(area_rows), "Plan title")
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
    document.core_properties.title = _plan_title(plan)
    document.core_properties.author = clean(plan.board.name)
    document.add_heading(_plan_title(plan), level=1)
    lists = _WordLists(document)
    for area_rows in _by_area(rows).values():
        document.add_heading(_area_title(area_rows), level=2)
        table = _word_table(document)
        for row in area_rows:
            table._tbl.append(parse_xml(_word_action(row, lists)))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


WRITERS = {"xlsx": to_xlsx, "docx": to_docx, "csv": to_csv, "json": to_json}


def export_plan(session: Session, plan: Plan, file_format: str) -> bytes:
    return WRITERS[file_format](plan, exported_actions(session, plan))
