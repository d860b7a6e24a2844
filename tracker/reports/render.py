"""The report to the Health and Wellbeing Board as HTML, Word (tracker.reports.word) and PDF
(WeasyPrint, from the same HTML).

Each is A4 with page numbers, and marked DRAFT on every page until the secretariat marks
the report final. Every string is cleaned on the way out (``tracker.text.clean``): a
vertical tab or NUL in an old update would otherwise break the Word file's XML.
"""

from __future__ import annotations

from flask import render_template

from tracker.reports.report import (
    DRAFT_NOTE,
    FORWARD_PLAN_LEAD,
    HEADER_LABELS,
    INDICATOR_HEADINGS,
    KEEP_TOGETHER_BELOW,
    PRIORITY_LABELS,
    SECTIONS,
    Report,
    blocks,
    cleaned,
)
from tracker.reports.word import to_docx

FORMATS = {
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


class PdfUnavailable(RuntimeError):
    """WeasyPrint's system libraries (Pango) are missing on this machine."""


def template_context(report: Report) -> dict:
    """What the report's templates (the page, the HTML file, the PDF) are given."""
    return dict(
        report=cleaned(report),
        blocks=blocks,
        header_labels=HEADER_LABELS,
        sections=SECTIONS,
        priority_labels=PRIORITY_LABELS,
        indicator_headings=INDICATOR_HEADINGS,
        forward_plan_lead=FORWARD_PLAN_LEAD,
        draft_note=DRAFT_NOTE,
        keep_together_below=KEEP_TOGETHER_BELOW,
    )


def to_html(report: Report) -> str:
    return render_template("reports/hwb.html", **template_context(report))


def to_pdf(report: Report) -> bytes:
    try:
        from weasyprint import HTML
    except OSError as error:  # raised when Pango cannot be loaded
        raise PdfUnavailable(
            "PDF needs the Pango library: install Debian's libpango-1.0-0 and libpangoft2-1.0-0"
        ) from error
    return HTML(string=to_html(report)).write_pdf()


RENDERERS = {"html": lambda report: to_html(report).encode(), "docx": to_docx, "pdf": to_pdf}
