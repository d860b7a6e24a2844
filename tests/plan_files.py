"""Plan files built the way boards write them: Annex 2 of the CYPP 2018–2021 as a Word table
and as an Excel workbook with a sheet per area, and small helpers for odd files."""

from __future__ import annotations

import io
import zipfile

from docx import Document
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from tracker.demo.data import read

ANNEX_2 = read("cypp-2018-2021")


def _first(area: str, field: str) -> list[str]:
    """A list of the area's first action in the demo's Annex 2."""
    return next(a[field] for a in ANNEX_2["actions"] if a["area"] == area)


SUCCESSFUL_MEASURES = _first("Be Successful", "measures")
SUCCESSFUL_AGENCIES = _first("Be Successful", "agencies")
HEALTHY_MEASURES = _first("Be Happy and Healthy", "measures")
HEALTHY_AGENCIES = _first("Be Happy and Healthy", "agencies")
SAFE_MEASURES = _first("Be Safe", "measures")

SUCCESSFUL_ACTIONS = [
    "All partner agencies to clarify their offer in relation to children missing out on "
    "education and school readiness.",
    "Draw up and implement an Inclusion Strategy to identify hotspots for pupils missing out in "
    "education, the main reasons for this and the multi-agency support that can be offered to "
    "reduce the numbers.",
    "Set up a multi-agency Learner Engagement Board by end of June 2018.",
]
YEAR_2_ACTION = "Focus on a wider campaign to reduce non-attendance."
HEALTHY_ACTIONS = [
    "Promote understanding of the services that are available to children and young people and "
    "how to access them (face to face and web access)",
    "Improve the early identification of low and hidden levels of harm e.g. self-harm.",
    "Promote self-referrals, how young people can help themselves and health promotion "
    "initiatives.",
]
HEALTHY_MORE_ACTIONS = [
    "Review with schools how they address mental health issues and what further support is "
    "needed (linking with Community Impact Zones).",
    "Seek to secure mental health as one of the key themes for the Strategic Schools Partnership "
    "Board.",
    "All partners to consider their offer in relation to early identification of mental health "
    "issues.",
]
SAFE_ACTION = (
    "Domestic Abuse operational group to report to Children's Trust on how the young people's "
    "domestic abuse pathway is embedded across all agencies and is known, understood and used."
)
ANNEX_2_HEADINGS = [
    "Area of Focus",
    "Actions",
    "Responsible agencies",
    "How we will know this area of focus has improved",
    "Children's Trust Lead",
    "Timetable",
]


def bullets(items) -> str:
    return "\n".join(f"• {item}" for item in items)


def numbered(items, start: int = 1) -> str:
    return "\n".join(f"{n}. {item}" for n, item in enumerate(items, start=start))


def annex_2_rows() -> list[list[str]]:
    """The rows of Annex 2 as printed, continuation rows and all."""
    measures = SUCCESSFUL_MEASURES
    healthy = HEALTHY_MEASURES
    return [
        [
            "Be Successful\nFOCUS ON CHILDREN MISSING OUT ON EDUCATION",
            bullets(SUCCESSFUL_ACTIONS) + f"\nYear 2 action: {YEAR_2_ACTION}",
            bullets(SUCCESSFUL_AGENCIES),
            numbered(measures[:7]),
            "David Clarke",
            "September 2018",
        ],
        ["", "", "", numbered(measures[7:], start=8), "", ""],
        [
            "Be Healthy\nFOCUS ON SOCIAL AND EMOTIONAL WELL-BEING and MENTAL HEALTH",
            bullets(HEALTHY_ACTIONS),
            bullets(HEALTHY_AGENCIES),
            numbered(healthy[:4]),
            "Emma Leaver, Maria Godfrey and Donna Husband",
            "December 2018",
        ],
        ["", bullets(HEALTHY_MORE_ACTIONS), "", numbered(healthy[4:], start=5), "", ""],
        [
            "Be safe\nFOCUS ON DOMESTIC ABUSE",
            SAFE_ACTION,
            "Domestic abuse operational group - Led by Sarah Breton and Sarah Carter",
            SAFE_MEASURES[0],
            "Sarah Breton",
            "March 2019",
        ],
    ]


def docx_file(tables: list[tuple[str | None, list[str], list[list[str]]]]) -> bytes:
    """A Word document: for each table, an optional paragraph above it, its headings, rows."""
    document = Document()
    document.add_heading("Annex 2 – Implementation Plan", level=1)
    for above, headings, rows in tables:
        if above:
            document.add_paragraph(above)
        table = document.add_table(rows=1 + len(rows), cols=len(headings))
        for cell, text in zip(table.rows[0].cells, headings, strict=True):
            cell.text = text
        for row, values in zip(table.rows[1:], rows, strict=True):
            for cell, text in zip(row.cells, values, strict=True):
                lines = text.split("\n")
                cell.text = lines[0]
                for line in lines[1:]:
                    cell.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def annex_2_docx() -> bytes:
    return docx_file([(None, ANNEX_2_HEADINGS, annex_2_rows())])


def xlsx_file(sheets: dict[str, list[list]], merges: dict[str, list[str]] | None = None) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
        for cell_range in (merges or {}).get(title, []):
            sheet.merge_cells(cell_range)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def annex_2_xlsx() -> bytes:
    """A sheet per area: a title row naming the area and its focus, then one row per action,
    the "for all actions" columns merged down."""
    headings = [
        "Actions (All priority areas to include a focus on vulnerable groups)",
        "Responsible Agencies (for all actions stated)",
        "How we will know this area of focus has improved",
        "Children's Trust Board Leads (for all actions unless otherwise stated)",
        "Reporting Timetable",
    ]

    def sheet(title, actions, agencies, measures, leads, month):
        rows = [[title], headings]
        for index, action in enumerate(actions):
            first = index == 0
            rows.append(
                [
                    action,
                    bullets(agencies) if first else None,
                    numbered(measures) if first else None,
                    leads if first else None,
                    month if first else None,
                ]
            )
        last = 2 + len(actions)
        merges = [f"{c}3:{c}{last}" for c in "BCDE"] if len(actions) > 1 else []
        return rows, merges

    sheets, merges = {}, {}
    for name, args in {
        "Be Successful": (
            "BE SUCCESSFUL – Focus on children missing out on education",
            SUCCESSFUL_ACTIONS,
            SUCCESSFUL_AGENCIES,
            SUCCESSFUL_MEASURES,
            "David Clarke",
            "Sep 18",
        ),
        "Be Healthy": (
            "BE HAPPY AND HEALTHY – Focus on social and emotional well-being and mental health",
            HEALTHY_ACTIONS + HEALTHY_MORE_ACTIONS,
            HEALTHY_AGENCIES,
            HEALTHY_MEASURES,
            "Emma Leaver, Maria Godfrey and Donna Husband",
            "Dec 2018",
        ),
        "Be Safe": (
            "BE SAFE – Focus on domestic abuse",
            [SAFE_ACTION],
            ["Domestic abuse operational group - Led by Sarah Breton and Sarah Carter"],
            SAFE_MEASURES,
            "Sarah Breton",
            "03/2019",
        ),
    }.items():
        sheets[name], merges[name] = sheet(*args)
    return xlsx_file(sheets, merges)


def big_workbook(rows: int, columns: int) -> bytes:
    """A workbook of ``rows`` × ``columns`` numbers, its sheet written directly as XML (openpyxl
    takes a minute to write a million cells). The numbers vary, as real figures do, so that it
    packs no tighter than a real workbook and passes the zip-bomb check."""
    letters = [get_column_letter(n) for n in range(1, columns + 1)]
    sheet = "".join(
        f'<row r="{r}">'
        + "".join(
            f'<c r="{c}{r}"><v>{(r * 7919 + i * 104729) % 100003}</v></c>'
            for i, c in enumerate(letters)
        )
        + "</row>"
        for r in range(1, rows + 1)
    )
    package = "http://schemas.openxmlformats.org/package/2006"
    office = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    spreadsheet = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    parts = {
        "[Content_Types].xml": (
            f'<Types xmlns="{package}/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{spreadsheet}.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            f'ContentType="{spreadsheet}.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{package}/relationships">'
            f'<Relationship Id="rId1" Type="{office}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'xmlns:r="{office}">'
            '<sheets><sheet name="Plan" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{package}/relationships">'
            f'<Relationship Id="rId1" Type="{office}/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": (
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"<sheetData>{sheet}</sheetData></worksheet>"
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()
