"""The report to the Health and Wellbeing Board as HTML, Word (real headings, tables and
lists, editable before it goes out) and PDF (WeasyPrint, from the same HTML)."""

from __future__ import annotations

import io
from datetime import date

from docx import Document
from docx.shared import Pt
from flask import render_template

from tracker.formatting import london_datetime, long_date, month_label, plural
from tracker.models import Rag
from tracker.reports.hwb import HwbReport

FORMATS = {
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


class PdfUnavailable(RuntimeError):
    """WeasyPrint's system libraries (Pango) are missing on this machine."""


def to_html(report: HwbReport, today: date) -> str:
    return render_template("reports/hwb.html", report=report, report_date=today, rag=Rag)


def to_pdf(report: HwbReport, today: date) -> bytes:
    try:
        from weasyprint import HTML
    except OSError as error:  # raised when Pango cannot be loaded
        raise PdfUnavailable(
            "PDF needs the Pango library: install Debian's libpango-1.0-0 and libpangoft2-1.0-0"
        ) from error
    return HTML(string=to_html(report, today)).write_pdf()


def _cell_lines(cell, lines: list[str], style: str | None = None) -> None:
    cell.paragraphs[0].text = lines[0] if lines else ""
    if style and lines:
        cell.paragraphs[0].style = style
    for line in lines[1:]:
        cell.add_paragraph(line, style=style)


def _row(table, label: str, lines: list[str], style: str | None = None) -> None:
    cells = table.add_row().cells
    cells[0].text = label
    cells[0].paragraphs[0].runs[0].bold = True
    _cell_lines(cells[1], lines, style)


def to_docx(report: HwbReport, today: date) -> bytes:
    document = Document()
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(11)
    document.add_heading(report.title, level=0)

    header = document.add_table(rows=0, cols=2)
    header.style = "Table Grid"
    chair = f" (Chair – {report.chair})" if report.chair else ""
    _row(header, "Report from", [report.board_name + chair])
    _row(header, "Report date", [long_date(today)])
    _row(
        header, "Dates of meetings held since the last report", [long_date(report.meeting.held_on)]
    )
    _row(
        header,
        f"Priorities for {report.plan_year_label}",
        [f"{p.area.name}: {p.focus}" if p.focus else p.area.name for p in report.priorities]
        or ["No plan covers this year."],
        "List Bullet",
    )

    document.add_heading("1. Progress reports on priority work", level=1)
    document.add_paragraph(
        "The Children’s Trust Board undertakes a detailed review of one priority focus area per "
        "meeting. Performance information is also received to give an overview of all other areas."
    )
    for p in report.priorities:
        document.add_heading(f"Priority: {p.area.name}", level=2)
        table = document.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        focus = p.focus or "Not set for this year"
        if p.reviewed_on:
            focus += f" ({month_label(p.reviewed_on)} board meeting focus)"
        _row(table, "Focus", [focus])
        _row(table, "Deliverable", p.deliverables or ["No measures recorded."], "List Number")
        cells = table.add_row().cells
        cells[0].text = "Progress report"
        cells[0].paragraphs[0].runs[0].bold = True
        if not p.progress:
            cells[1].text = "No progress updates since the last report."
        for n, item in enumerate(p.progress):
            title = cells[1].paragraphs[0] if n == 0 else cells[1].add_paragraph()
            title.add_run(item.action.text).bold = True
            for u in item.updates:
                rating = f", {u.rag.label}" if u.rag else ""
                line = cells[1].add_paragraph(u.text + " ")
                line.add_run(
                    f"({u.status.label}{rating} – {u.author.name}, {london_datetime(u.created_at)})"
                ).italic = True

    document.add_heading(
        "2. Note on what is being done in areas rated Red or Amber in the Performance Framework",
        level=1,
    )
    counts = report.rag_counts
    document.add_paragraph(
        f"{plural(len(report.indicators), 'indicator')}: {counts[Rag.RED]} Red, "
        f"{counts[Rag.AMBER]} Amber, {counts[Rag.GREEN]} Green."
    )
    if report.red_and_amber:
        table = document.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        for cell, heading in zip(
            table.rows[0].cells,
            ("Indicator number", "RAG", "What is being done to improve performance?"),
            strict=True,
        ):
            cell.text = heading
            cell.paragraphs[0].runs[0].bold = True
        for s in report.red_and_amber:
            cells = table.add_row().cells
            cells[0].text = f"{s.indicator.number} {s.indicator.title}"
            cells[1].text = s.rag.label[0]
            cells[2].text = (
                s.commentary.text if s.commentary else ("No note yet from the indicator's owner.")
            )
    else:
        document.add_paragraph("No indicator is rated Red or Amber.")

    document.add_heading("3. Summary of other items discussed by the board", level=1)
    paragraphs = [p for p in (report.other_items or "").split("\n") if p.strip()]
    for text in paragraphs or ["None recorded."]:
        document.add_paragraph(text)

    document.add_heading("4. Forward plan for next meeting", level=1)
    if report.next_meeting is None:
        document.add_paragraph("No next meeting is planned yet.")
    else:
        focus = report.next_meeting.focus_area
        document.add_paragraph(
            f"The next meeting is on {long_date(report.next_meeting.held_on)}"
            + (f", with an in-depth review of {focus.name}." if focus else ".")
        )
        for item in report.forward_plan:
            document.add_paragraph(item.text, style="List Number")
        if not report.forward_plan:
            document.add_paragraph("The forward plan is not compiled yet.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


RENDERERS = {"html": lambda r, t: to_html(r, t).encode(), "docx": to_docx, "pdf": to_pdf}
