"""The report to the Health and Wellbeing Board as a Word document: real headings, tables and
lists, editable before it goes out; A4 with page numbers, and marked DRAFT on every page
until the secretariat marks the report final. Every string is cleaned first: a vertical
tab or NUL in an old update would otherwise break the file's XML.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from tracker.formatting import ordinal_date
from tracker.reports.report import (
    DRAFT_NOTE,
    FORWARD_PLAN_LEAD,
    HEADER_LABELS,
    INDICATOR_HEADINGS,
    KEEP_TOGETHER_BELOW,
    PRIORITY_LABELS,
    SECTIONS,
    Block,
    Report,
    blocks,
    cleaned,
)

# Word: A4 portrait, 2 cm margins, so 17 cm of text across.
_LABEL_WIDTH, _VALUE_WIDTH = Cm(4.5), Cm(12.5)
_INDICATOR_WIDTHS = (Cm(5.5), Cm(1.5), Cm(10))
_RED = RGBColor(0xD4, 0x35, 0x1C)


def to_docx(report: Report) -> bytes:
    report = cleaned(report)
    document = Document()
    _styles(document)
    _page(document, report)
    document.add_paragraph(report.title, style="Title")
    if not report.is_final:
        run = document.add_paragraph().add_run(DRAFT_NOTE)
        run.bold, run.font.color.rgb = True, _RED
    _header(document, report)

    document.add_heading(SECTIONS[0], level=1)
    document.add_paragraph(report.section_1_intro).paragraph_format.keep_with_next = True
    for priority in report.priorities:
        table = _table(document, 2, (_LABEL_WIDTH, _VALUE_WIDTH))
        _row(table, PRIORITY_LABELS[0])[1].paragraphs[0].add_run(priority.area).bold = True
        _row(table, PRIORITY_LABELS[1], priority.focus)[1].paragraphs[0].add_run(priority.focus)
        deliverables = _row(table, PRIORITY_LABELS[2], " ".join(priority.deliverables))[1]
        _numbered(document, deliverables, priority.deliverables)
        _blocks(_row(table, PRIORITY_LABELS[3], priority.progress)[1], blocks(priority.progress))
        document.add_paragraph()

    document.add_heading(SECTIONS[1], level=1)
    for block in blocks(report.performance_summary):
        _block(document, block)
    for note in report.performance_notes:
        document.add_heading(note.area, level=2)
        for block in blocks(note.text):
            _block(document, block)
    if report.indicators:
        table = _table(document, 3, _INDICATOR_WIDTHS)
        _heading_row(table, INDICATOR_HEADINGS)
        for row in report.indicators:
            added = table.add_row()
            _keep_together(added, row.what_is_being_done)
            cells = added.cells
            cells[0].paragraphs[0].add_run(row.indicator)
            cells[1].paragraphs[0].add_run(row.rag).bold = True
            _blocks(cells[2], blocks(row.what_is_being_done))
    else:
        document.add_paragraph("No indicator is rated Red or Amber.")

    document.add_heading(SECTIONS[2], level=1)
    for block in blocks(report.other_items) or [Block(False, ["None recorded."])]:
        _block(document, block)

    document.add_heading(SECTIONS[3], level=1)
    if report.next_meeting is None:
        document.add_paragraph("No next meeting is planned yet.")
    else:
        document.add_paragraph(f"The next meeting is on {ordinal_date(report.next_meeting)}.")
        document.add_paragraph(FORWARD_PLAN_LEAD)
        for item in report.forward_plan:
            document.add_paragraph(item, style="List Bullet")
        if not report.forward_plan:
            document.add_paragraph("Its forward plan is not compiled yet.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _styles(document) -> None:
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "Arial", Pt(11)
    normal.paragraph_format.space_after = Pt(4)
    for name, size in (("Title", 18), ("Heading 1", 14), ("Heading 2", 12)):
        style = document.styles[name]
        style.font.name, style.font.size, style.font.bold = "Arial", Pt(size), True
        style.font.color.rgb = RGBColor(0x0B, 0x0C, 0x0C)
        # Word's heading styles take their font from the theme, before the one named.
        fonts = style.element.rPr.rFonts
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attribute), None)
    document.styles["Heading 1"].paragraph_format.space_before = Pt(18)
    # The Title style's bottom border and spacing are Word's; the board's reports have none.
    title = document.styles["Title"].element
    for border in title.findall(qn("w:pPr") + "/" + qn("w:pBdr")):
        border.getparent().remove(border)


def _page(document, report: Report) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")
    if not report.is_final:
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = header.add_run("DRAFT")
        run.bold, run.font.size, run.font.color.rgb = True, Pt(16), _RED
        header._p.append(parse_xml(_WATERMARK))


def _field(paragraph, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in on every page."""

    def char(kind: str) -> None:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        paragraph.add_run()._r.append(element)

    char("begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = f" {code} "
    paragraph.add_run()._r.append(instruction)
    char("separate")
    paragraph.add_run("1")
    char("end")


# Word's own watermark: a VML text shape, pale and diagonal, behind every page's text.
_WATERMARK = """
<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
     xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">
<w:pict>
<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800"
  path="m@7,l@8,m@5,21600l@6,21600e">
<v:formulas>
<v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/>
<v:f eqn="sum 0 0 @2"/><v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/>
<v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/>
<v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/>
<v:f eqn="sum @6 0 @5"/>
</v:formulas>
<v:path textpathok="t" o:connecttype="custom"
  o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" o:connectangles="270,180,90,0"/>
<v:textpath on="t" fitshape="t"/>
<o:lock v:ext="edit" text="t" shapetype="t"/>
</v:shapetype>
<v:shape id="PowerPlusWaterMarkObject" o:spid="_x0000_s2049" type="#_x0000_t136"
  style="position:absolute;margin-left:0;margin-top:0;width:420pt;height:140pt;rotation:315;
  z-index:-251654144;mso-position-horizontal:center;mso-position-horizontal-relative:margin;
  mso-position-vertical:center;mso-position-vertical-relative:margin"
  o:allowincell="f" fillcolor="#d9d9d9" stroked="f">
<v:fill opacity=".5"/>
<v:textpath style="font-family:&quot;Arial&quot;;font-size:1pt" string="DRAFT"/>
</v:shape>
</w:pict>
</w:r>
"""


def _header(document, report: Report) -> None:
    table = _table(document, 2, (_LABEL_WIDTH, _VALUE_WIDTH))
    values = [
        [report.report_from],
        [ordinal_date(report.report_date)],
        [
            f"{ordinal_date(m.held_on)} – {m.note}" if m.note else ordinal_date(m.held_on)
            for m in report.meetings
        ],
    ]
    for label, lines in zip(HEADER_LABELS[:3], values, strict=True):
        cell = _row(table, label, " ".join(lines))[1]
        cell.paragraphs[0].add_run(lines[0])
        for line in lines[1:]:
            cell.add_paragraph().add_run(line)
    cell = _row(table, HEADER_LABELS[3], " ".join(report.hwb_priorities))[1]
    if report.hwb_priorities:
        _blocks(cell, [Block(True, report.hwb_priorities)])
    else:
        cell.paragraphs[0].add_run("None set")
    link = report.published_notes
    cell = _row(table, HEADER_LABELS[4], f"{link.text} {link.url}" if link else "")[1]
    if link is None:
        cell.paragraphs[0].add_run("None")
    else:
        paragraph = cell.paragraphs[0]
        if link.text:
            paragraph.add_run(link.text)
            paragraph = cell.add_paragraph()
        _hyperlink(paragraph, link.url)
    words = " ".join(" ".join([a.name, *a.outcomes, a.priority_focus or ""]) for a in report.areas)
    cell = _row(table, report.priorities_label, words)[1]
    if not report.areas:
        cell.paragraphs[0].add_run("No plan covers this year.")
    for n, area in enumerate(report.areas):
        paragraph = cell.paragraphs[0] if n == 0 else cell.add_paragraph()
        paragraph.paragraph_format.space_before = Pt(8 if n else 0)
        paragraph.add_run(area.name).bold = True
        for outcome in area.outcomes:
            cell.add_paragraph().add_run(outcome)
        if area.priority_focus:
            cell.add_paragraph().add_run(area.priority_focus).bold = True


def _table(document, columns: int, widths):
    table = document.add_table(rows=0, cols=columns)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    return table


def _row(table, label: str, text: str = ""):
    """A row headed ``label``, kept on one page if its ``text`` is short."""
    row = table.add_row()
    _keep_together(row, text)
    cells = row.cells
    for cell, column in zip(cells, table.columns, strict=True):
        cell.width = column.width
    cells[0].paragraphs[0].add_run(label).bold = True
    return cells


def _keep_together(row, text: str) -> None:
    if len(text) < KEEP_TOGETHER_BELOW:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _heading_row(table, headings) -> None:
    """The table's heading row, repeated at the top of every page the table runs onto."""
    row = table.add_row()
    for cell, column, heading in zip(row.cells, table.columns, headings, strict=True):
        cell.width = column.width
        cell.paragraphs[0].add_run(heading).bold = True
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:tblHeader"))


def _block(document, block: Block) -> None:
    if block.bulleted:
        for line in block.lines:
            document.add_paragraph(line, style="List Bullet")
    else:
        document.add_paragraph(block.lines[0])


def _blocks(cell, items: list[Block]) -> None:
    """``items`` into a table cell, the first in the cell's own empty paragraph."""
    paragraph = cell.paragraphs[0]
    for block in items:
        for line in block.lines:
            if paragraph is None:
                paragraph = cell.add_paragraph()
            paragraph.add_run(line)
            if block.bulleted:
                paragraph.style = "List Bullet"
            paragraph = None


def _numbered(document, cell, lines: list[str]) -> None:
    """A numbered list that starts at 1 in this cell, whatever came before; one line alone
    is a paragraph, as the board writes a single deliverable."""
    if not lines:
        cell.paragraphs[0].add_run("No deliverables recorded in the plan.")
        return
    if len(lines) == 1:
        cell.paragraphs[0].add_run(lines[0])
        return
    num_id = _restarted_numbering(document, "List Number")
    for n, line in enumerate(lines):
        paragraph = cell.paragraphs[0] if n == 0 else cell.add_paragraph()
        paragraph.add_run(line)
        paragraph.style = "List Number"
        numbering = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        numbering.get_or_add_ilvl().val = 0
        numbering.get_or_add_numId().val = num_id


def _restarted_numbering(document, style_name: str) -> int:
    """A new Word list of the style's numbering that starts again at 1: paragraphs of the
    style alone share one list, which numbers on from table to table."""
    style_num = document.styles[style_name].element.pPr.numPr.numId.val
    numbering = document.part.numbering_part.numbering_definitions._numbering
    abstract = numbering.num_having_numId(style_num).abstractNumId.val
    num = numbering.add_num(abstract)
    num.add_lvlOverride(ilvl=0).add_startOverride(1)
    return num.numId


def _hyperlink(paragraph, url: str) -> None:
    """The address, as a link, written out: the report is read on paper too."""
    relation = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relation)
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), "1D70B8")
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    properties.extend([colour, underline])
    text = OxmlElement("w:t")
    text.text = url
    run.extend([properties, text])
    link.append(run)
    paragraph._p.append(link)
