"""The reference plan (``tests/reference_plan.py``) laid out the ways officers lay out plans:
Word and Excel, a table or sheet per area or one for the whole plan, area columns and heading
rows, title rows, headings repeated after page breaks, empty columns, merged cells, and CSV
in UTF-8 and Windows-1252. Each layout is a function returning (file name, bytes)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from docx import Document

from tests.plan_files import ANNEX_2_HEADINGS, bullets, numbered, xlsx_file
from tests.reference_plan import AREAS, HEALTHY, SAFE, SAFE_AGENCY_AS_WRITTEN, SUPPORTED, Area

ANNEX_2 = "Annex 2 – Implementation Plan"
AREA_HEADINGS = [
    "Actions (All priority areas to include a focus on vulnerable groups)",
    "Responsible Agencies (for all actions stated)",
    "How we will know this area of focus has improved",
    "Children's Trust Board Leads (for all actions unless otherwise stated)",
    "Reporting Timetable",
]
TITLES = {
    "Be Successful": "BE SUCCESSFUL – Focus on children missing out on education",
    "Be Healthy": "BE HEALTHY – Focus on social and emotional well-being and mental health",
    "Be safe": "BE SAFE – Focus on domestic abuse",
    "Be supported": "BE SUPPORTED",
}


@dataclass(frozen=True)
class WordList:
    """Paragraphs in a Word list style: the bullet or number is Word's, not in the text."""

    items: list[str]
    style: str = "List Bullet"


def _action_text(action) -> str:
    return f"Year {action.year} action: {action.text}" if action.year else action.text


def _agencies(area: Area) -> list[str]:
    return [SAFE_AGENCY_AS_WRITTEN] if area is SAFE else area.agencies


def _lettered_inline(items: list[str]) -> str:
    return " ".join(f"{chr(ord('a') + n)}. {item}" for n, item in enumerate(items))


# Word ------------------------------------------------------------------------------------


def _fill(cell, content) -> None:
    if isinstance(content, WordList):
        cell.paragraphs[0].text = content.items[0]
        cell.paragraphs[0].style = content.style
        for item in content.items[1:]:
            cell.add_paragraph(item, style=content.style)
        return
    lines = str(content or "").split("\n")
    cell.paragraphs[0].text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def _word_table(document, rows: list[list]) -> object:
    table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    table.style = "Table Grid"
    for row, values in zip(table.rows, rows, strict=True):
        for cell, content in zip(row.cells, values, strict=False):
            _fill(cell, content)
    return table


def _saved(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _annex_2_rows() -> list[list]:
    """Annex 2 as printed: the Be Successful row breaks across a page (measures 8–11 in a row
    of their own), and Be Healthy's second row carries on its numbering ("5. …")."""
    successful, healthy = AREAS[0], HEALTHY
    first, year_2 = successful.all_actions[:3], successful.all_actions[3]
    return [
        [
            successful.heading,
            WordList([a.text for a in first] + [_action_text(year_2)]),
            WordList(successful.agencies),
            numbered(successful.measures[0]),
            successful.leads_as_written,
            "September 2018",
        ],
        ["", "", "", numbered(successful.measures[1], start=8), "", ""],
        [
            healthy.heading,
            WordList([a.text for a in healthy.actions[0]]),
            WordList(healthy.agencies),
            WordList(healthy.measures[0], "List Number"),
            healthy.leads_as_written,
            "December 2018",
        ],
        [
            "",
            "\n".join(f"• {_action_text(a)}" for a in healthy.actions[1]),
            "",
            numbered(healthy.measures[1], start=5),
            "",
            "",
        ],
        [
            SAFE.heading,
            SAFE.all_actions[0].text,
            SAFE_AGENCY_AS_WRITTEN,
            SAFE.all_measures[0],
            SAFE.leads_as_written,
            "March 2019",
        ],
        [SUPPORTED.heading, SUPPORTED.all_actions[0].text, "", "", "", ""],
    ]


def word_as_printed() -> tuple[str, bytes]:
    """One table with an area column, under the Annex's title."""
    document = Document()
    document.add_heading(ANNEX_2, level=1)
    _word_table(document, [ANNEX_2_HEADINGS, *_annex_2_rows()])
    return "annex-2-as-printed.docx", _saved(document)


def word_split_at_each_page() -> tuple[str, bytes]:
    """The same, pasted as a table per page: the title repeated above each, and only the
    first with a heading row."""
    rows = _annex_2_rows()
    document = Document()
    for index, page in enumerate([rows[:1], rows[1:3], rows[3:]]):
        document.add_paragraph(ANNEX_2)
        _word_table(document, [ANNEX_2_HEADINGS, *page] if index == 0 else page)
    return "annex-2-by-page.docx", _saved(document)


def word_one_table_with_heading_rows() -> tuple[str, bytes]:
    """One table for the whole plan: a full-width heading row per area, a row per action, the
    "for all actions" cells merged down, an empty column, and the heading row repeated after
    a page break."""
    headings = [*AREA_HEADINGS[:4], "", AREA_HEADINGS[4]]
    months = {"Be Successful": "Sep-18", "Be Healthy": "Dec-18", "Be safe": "Mar-19"}
    document = Document()
    document.add_paragraph("Oxfordshire Children's Trust Board")
    document.add_paragraph("Implementation Plan 2018–2019")
    rows, merges, across = [headings], [], []
    for area in AREAS:
        if area is SAFE:
            rows.append(headings)  # a new page: Word repeats the heading row
        across.append(len(rows))
        rows.append([TITLES[area.name]] * len(headings))
        first = len(rows)
        for index, action in enumerate(area.all_actions):
            shared = [
                "; ".join(_agencies(area)) if area.agencies else "",
                WordList(area.all_measures, "List Number") if area.measures else "",
                area.leads_as_written,
                "",
                months.get(area.name, ""),
            ]
            rows.append([_action_text(action), *(shared if index == 0 else [""] * 5)])
        if len(area.all_actions) > 1:
            merges += [(first, len(rows) - 1, column) for column in (1, 2, 3, 5)]
    table = _word_table(document, [r[:1] if i in across else r for i, r in enumerate(rows)])
    for index in across:
        table.cell(index, 0).merge(table.cell(index, len(headings) - 1))
    for top, bottom, column in merges:
        table.cell(top, column).merge(table.cell(bottom, column))
    return "plan-one-table.docx", _saved(document)


def word_table_per_area() -> tuple[str, bytes]:
    """A table per area under its heading, columns in another order, lettered measures on one
    line, and the timetable written as quarters."""
    headings = ["Children's Trust Board lead", "Actions", "Reporting timetable", "Measures"]
    headings.append("Responsible agencies")
    quarters = {"Be Successful": "Q2 2018/19", "Be Healthy": "Q3 2018/19", "Be safe": "Q4 2018/19"}
    document = Document()
    document.add_heading("Children's Trust implementation plan 2018–19", level=1)
    for area in AREAS:
        document.add_heading(TITLES[area.name], level=2)
        rows = [headings]
        for index, action in enumerate(area.all_actions):
            first = index == 0
            rows.append(
                [
                    area.leads_as_written if first else "",
                    _action_text(action),
                    quarters.get(area.name, "") if first else "",
                    _lettered_inline(area.all_measures) if first else "",
                    "\n".join(_agencies(area)) if first else "",
                ]
            )
        _word_table(document, rows)
    return "plan-table-per-area.docx", _saved(document)


# Excel -----------------------------------------------------------------------------------


def excel_sheet_per_area() -> tuple[str, bytes]:
    """A sheet per area under two title rows, the "for all actions" cells merged down and
    the month a real date cell."""
    sheets, merges = {}, {}
    for area in AREAS:
        rows = [
            ["Oxfordshire Children's Trust Board – Implementation Plan 2018–2019"],
            [TITLES[area.name]],
            AREA_HEADINGS,
        ]
        for index, action in enumerate(area.all_actions):
            first = index == 0
            rows.append(
                [
                    _action_text(action),
                    bullets(_agencies(area)) if first and area.agencies else None,
                    numbered(area.all_measures) if first and area.measures else None,
                    area.leads_as_written if first and area.leads else None,
                    datetime(area.month.year, area.month.month, 1)
                    if first and area.month
                    else None,
                ]
            )
        name = area.name.title()
        sheets[name] = rows
        last = len(rows)
        merges[name] = [f"{c}4:{c}{last}" for c in "BCDE"] if last > 4 else []
    return "plan-sheet-per-area.xlsx", xlsx_file(sheets, merges)


def excel_one_sheet_with_an_area_column() -> tuple[str, bytes]:
    """One sheet: a title, an empty first column, an area column merged down, agencies on one
    line separated by semicolons, and the headings repeated where a page breaks."""
    headings = [None, "Area of focus", *AREA_HEADINGS]
    rows = [["Children's Trust implementation plan 2018/19"], [], headings]
    merges = []
    months = {"Be Successful": "09/2018", "Be Healthy": "12/2018", "Be safe": "03/2019"}
    for area in AREAS:
        if area is HEALTHY:
            rows.append(headings)
        first = len(rows) + 1
        for action in area.all_actions:
            rows.append(
                [
                    None,
                    area.heading,
                    _action_text(action),
                    "; ".join(_agencies(area)),
                    "\n".join(area.all_measures),
                    area.leads_as_written,
                    months.get(area.name),
                ]
            )
        if len(rows) > first:
            merges.append(f"B{first}:B{len(rows)}")
    return "plan-area-column.xlsx", xlsx_file(
        {"Implementation plan": rows}, {"Implementation plan": merges}
    )


def excel_heading_rows_merged_across() -> tuple[str, bytes]:
    """One sheet with no area column: each area a heading row merged across the table."""
    rows, merges = [AREA_HEADINGS], []
    months = {"Be Successful": "Sep 18", "Be Healthy": "Dec 18", "Be safe": "Mar 19"}
    for area in AREAS:
        rows.append([TITLES[area.name]])
        merges.append(f"A{len(rows)}:E{len(rows)}")
        first = len(rows) + 1
        for index, action in enumerate(area.all_actions):
            shared = [
                " • ".join(["", *_agencies(area)]).strip() if area.agencies else None,
                "\n".join(area.all_measures) or None,
                area.leads_as_written or None,
                months.get(area.name),
            ]
            rows.append([_action_text(action), *(shared if index == 0 else [None] * 4)])
        if len(rows) > first:
            merges += [f"{c}{first}:{c}{len(rows)}" for c in "BCDE"]
    return "plan-heading-rows.xlsx", xlsx_file({"Sheet1": rows}, {"Sheet1": merges})


# CSV -------------------------------------------------------------------------------------


def _csv(rows: list[list], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue()


def csv_utf8_a_row_per_action() -> tuple[str, bytes]:
    """UTF-8 with a BOM, as Excel saves it: area and priority focus columns, every cell filled,
    lists on lines of their own."""
    headings = ["Area of focus", "Priority focus", *ANNEX_2_HEADINGS[1:]]
    rows = [headings]
    for area in AREAS:
        for action in area.all_actions:
            rows.append(
                [
                    area.name,
                    area.focus or "",
                    _action_text(action),
                    "\n".join(_agencies(area)),
                    "\n".join(area.all_measures),
                    area.leads_as_written,
                    f"{area.month:%b %y}" if area.month else "",
                ]
            )
    return "plan-utf8.csv", "\ufeff".encode() + _csv(rows).encode()


def csv_windows_1252_with_heading_rows() -> tuple[str, bytes]:
    """Windows-1252 and semicolons, as Excel saves CSV on a European desktop: a title row, an
    area heading alone in its row, blanks meaning "as above", measures numbered on one line
    and the timetable as terms."""
    months = {"Be Successful": "September 2018", "Be Healthy": "Autumn term 2018"}
    months["Be safe"] = "Spring term 2019"
    rows = [["Implementation Plan 2018 – 2019"], ANNEX_2_HEADINGS[1:]]
    for area in AREAS:
        rows.append([TITLES[area.name]])
        for index, action in enumerate(area.all_actions):
            first = index == 0
            rows.append(
                [
                    _action_text(action),
                    "; ".join(_agencies(area)) if first else "",
                    " ".join(f"{n}. {m}" for n, m in enumerate(area.all_measures, 1))
                    if first
                    else "",
                    area.leads_as_written if first else "",
                    months.get(area.name, "") if first else "",
                ]
            )
    return "plan-windows-1252.csv", _csv(rows, delimiter=";").encode("cp1252")


LAYOUTS: list[Callable[[], tuple[str, bytes]]] = [
    word_as_printed,
    word_split_at_each_page,
    word_one_table_with_heading_rows,
    word_table_per_area,
    excel_sheet_per_area,
    excel_one_sheet_with_an_area_column,
    excel_heading_rows_merged_across,
    csv_utf8_a_row_per_action,
    csv_windows_1252_with_heading_rows,
]


# Next year's plans, as other officers lay them out: not the reference plan, and not
# written to the reader's rules. What each must read as is in tests/test_plan_layouts.py.


def another_officers_workbook() -> tuple[str, bytes]:
    """A reference column, the areas as "Priority" merged down with their focus after a colon,
    "How will we know?", "When" with a date cell and "Quarterly", RAG and a dated update."""
    rows = [
        ["Oxfordshire Children's Trust Board"],
        ["Implementation Plan 2021/22 – updated June 2021"],
        [],
        ["Ref", "Priority", "What we will do", "Who (agencies)", "How will we know?", "CTB Lead"]
        + ["When", "RAG", "Update (June 2021)"],
        ["1.1", "Be Successful: Children missing out on education"]
        + ["Relaunch the Learner Engagement Board", "OCC Education, Schools, Early Help/LCSS, TVP"]
        + ["• Fewer permanent exclusions (target 40)\n• Persistent absence below 11%"]
        + ["Kate Bradley", "Sep 21, Mar 22", "G", "Terms of reference agreed in May."],
        ["1.2", None, "Publish the inclusion strategy", "OCC Education"]
        + ["a. Strategy published. b. Schools signed up.", "Hayley Good/Lucy Butler"]
        + [datetime(2021, 12, 1), "A", None],
        ["2.1", "Be Safe: Domestic abuse", "Embed the pathway in schools", "Schools; OSCB"]
        + ["Referrals from schools rise"]
        + ["Domestic abuse operational group – led by Sarah Breton and Sarah Carter"]
        + ["Quarterly", "G", "Pathway relaunched."],
    ]
    return "officer-a.xlsx", xlsx_file({"2021-22 Plan": rows}, {"2021-22 Plan": ["B5:B6"]})


def another_officers_document() -> tuple[str, bytes]:
    """Numbered area headings above each table ("Priority 1: Be Successful"), the columns in
    the officer's own words, teams side by side and timetables as terms and "By March"."""
    document = Document()
    document.add_heading("Children's Trust Board – Implementation Plan 2021-2022", level=1)
    document.add_paragraph("This plan sets out the actions for the second year of the CYPP.")
    headings = ["Action", "Lead Officer", "Partners", "Timescale", "Measure of success"]
    for heading, rows in [
        (
            "Priority 1: Be Successful",
            [
                ["Develop an attendance campaign", "Early Help (OCC) Youth Justice (OCC)"]
                + ["Police; Health; Schools", "Autumn term 2021", "Persistent absence falls"],
                ["Review alternative provision", "Emma Leaver, Maria Godfrey and Donna Husband"]
                + ["Schools", "By March 2022", "Fewer pupils on part-time timetables"],
            ],
        ),
        (
            "Priority 2 – Be Happy and Healthy",
            [
                ["Launch the mental health support teams", "Public Health/CAMHS"]
                + ["Oxford Health, Schools", "Ongoing", "More seen within 4 weeks"]
            ],
        ),
    ]:
        document.add_heading(heading, level=2)
        _word_table(document, [headings, *rows])
    return "officer-b.docx", _saved(document)


def another_officers_tracker() -> tuple[str, bytes]:
    """A tracker kept as CSV: "Theme", "Responsible", "Due" as dates, statuses in the
    officer's words, and a lead "TBC"."""
    rows = [
        ["Theme", "Objective", "Action", "Responsible", "Lead", "Due", "Status", "Comments"],
        ["Be Safe", "Reduce harm", "Roll out Operation Encompass", "Thames Valley Police, Schools"]
        + ["Sarah Breton", "30/09/2021", "In progress", "On track for September"],
        ["Be Safe", "Reduce harm", "Review the MARAC pathway", "Police, OCC", "Sarah Carter"]
        + ["31 Mar 2022", "Not yet started", ""],
        ["Be Supported", "Young carers", "Refresh the young carers strategy"]
        + ["Carers Oxfordshire/OCC", "TBC", "Ongoing", "Delayed", "Waiting for the survey"],
    ]
    return "officer-c.csv", _csv(rows).encode()
