"""Reading plans from files, without a database: the formats, the cells, the errors."""

from __future__ import annotations

import copy
import io
import zipfile
from datetime import date, datetime

import pytest
from docx import Document
from openpyxl import Workbook

from tests import plan_files
from tracker.imports.cells import area_heading
from tracker.imports.columns import Column, meaning
from tracker.imports.plan_reader import read_plan
from tracker.imports.sources import MAX_ROWS, FileRejected, read_tables


def read(filename: str, data: bytes):
    return read_plan(read_tables(filename, data))


@pytest.mark.parametrize(
    ("heading", "area", "focus"),
    [
        (
            "BE SUCCESSFUL – Focus on Children who are not engaged in Education",
            "Be Successful",
            "Focus on Children who are not engaged in Education",
        ),
        (
            "Be Successful\nFOCUS ON CHILDREN MISSING OUT ON EDUCATION",
            "Be Successful",
            "Focus on children missing out on education",
        ),
        ("Be safe FOCUS ON DOMESTIC ABUSE", "Be safe", "Focus on domestic abuse"),
        ("BE HAPPY AND HEALTHY", "Be Happy and Healthy", None),
        ("Priority 1: Be Successful", "Be Successful", None),
        ("2. Be Safe – Focus on domestic abuse", "Be Safe", "Focus on domestic abuse"),
        ("Be Successful: Children missing out", "Be Successful", "Children missing out"),
    ],
)
def test_area_headings(heading, area, focus):
    assert area_heading(heading) == (area, focus)


@pytest.mark.parametrize(
    ("heading", "column"),
    [
        ("Actions", Column.ACTION),
        ("Actions (All priority areas to include a focus on vulnerable groups)", Column.ACTION),
        ("Responsible agencies", Column.AGENCIES),
        ("Responsible Agencies (for all actions stated)", Column.AGENCIES),
        ("How we will know this area of focus has improved", Column.MEASURES),
        ("Measures", Column.MEASURES),
        ("Children's Trust Lead", Column.LEADS),
        ("Children’s Trust Board Leads (for all actions unless otherwise stated)", Column.LEADS),
        ("Lead", Column.LEADS),
        ("Timetable", Column.MONTHS),
        ("Reporting Timetable", Column.MONTHS),
        ("Reporting month", Column.MONTHS),
        ("Progress", Column.PROGRESS),
        ("Area of Focus", Column.AREA),
        ("Priority", Column.AREA),
        ("Priority focus", Column.PRIORITY),
        ("How will we know?", Column.MEASURES),
        ("Measure of success", Column.MEASURES),
        ("Due", Column.MONTHS),
        ("By when", Column.MONTHS),
        ("Update (June 2021)", Column.PROGRESS),
        ("Budget code", None),
    ],
)
def test_columns_are_matched_by_meaning(heading, column):
    assert meaning(heading) is column


def test_one_sheet_with_an_area_column_and_blank_cells_carried_down_within_an_area():
    data = plan_files.xlsx_file(
        {
            "Plan": [
                ["Children's Trust implementation plan 2021/22"],
                [],
                ["Area", "Actions", "Agencies", "Measures", "Lead", "Reporting month", "Notes"],
                ["Be Safe", "Action one", "Police", "Fewer crimes", "SEND (OCC)", "Sep 21", "x"],
                [None, "Action two", None, "Measure two", None, None, None],
                ["Be Supported", "Action three", None, None, None, "Sept 2021", None],
                [None, "Action four", "NHS", None, "David Clarke", datetime(2022, 3, 1), None],
            ]
        }
    )
    draft = read("plan.xlsx", data)
    assert not draft.problems
    one, two, three, four = draft.actions
    assert (two.area, two.agencies, two.lead_names, two.months) == (
        "Be Safe",
        ["Police"],
        ["SEND (OCC)"],
        [date(2021, 9, 1)],
    )
    assert two.measures == ["Measure two"]
    # A new area starts afresh: nothing carries over from Be Safe.
    assert (three.agencies, three.leads) == ([], [])
    assert four.months == [date(2022, 3, 1)]
    assert [str(w) for w in draft.warnings] == ["Sheet 'Plan': column 'Notes' is not read"]


def test_csv_in_utf8_with_a_bom_and_in_windows_1252():
    text = "Area of focus,Actions,Lead\nBe Safe,Review the pathway – again,SEND (OCC)\n"
    for data in (b"\xef\xbb\xbf" + text.encode(), text.encode("cp1252")):
        draft = read("plan.csv", data)
        assert draft.actions[0].text == "Review the pathway – again"


@pytest.mark.parametrize(
    ("written", "status"),
    [("On track", "on_track"), ("In progress", "on_track"), ("Completed", "complete")]
    + [("Delayed", "off_track"), ("Not yet started", "not_started"), ("at_risk", "at_risk")],
)
def test_statuses_as_boards_write_them(written, status):
    data = f"Area,Actions,Status\nBe Safe,Act,{written}\n".encode()
    assert read("plan.csv", data).actions[0].status.value == status


def test_progress_status_and_rag_columns():
    data = b"Area,Actions,Status,RAG,Progress\nBe Safe,Act,On track,Amber,Launched in July.\n"
    action = read("plan.csv", data).actions[0]
    assert (action.status.value, action.rag.value, action.progress) == (
        "on_track",
        "amber",
        "Launched in July.",
    )


def test_every_mistake_is_named_by_sheet_row_and_column():
    data = plan_files.xlsx_file(
        {
            "Be Safe": [
                ["BE SAFE – Focus on domestic abuse"],
                ["Actions", "Lead", "Reporting timetable", "Status", "Plan year"],
                ["Good action", "David Clarke", "Sep 21", "On track"],
                ["", "", "", "Complete"],
                ["Another", "David Clarke", "Jun 22", "Great"],
                ["", "", "", ""],
                ["Third", "David Clarke", "Jnu 22", ""],
                ["Fourth", "David Clarke", "Sep 21", "", "next year"],
            ]
        }
    )
    draft = read("plan.xlsx", data)
    assert [str(p) for p in draft.problems] == [
        "Sheet 'Be Safe', row 5, Status: 'Great' is not a status "
        "(use one of: Not started, On track, At risk, Off track, Complete)",
        "Sheet 'Be Safe', row 7, Reporting timetable: 'Jnu 22' is not a month",
        "Sheet 'Be Safe', row 8, Plan year: 'next year' is not a plan year (write it as 2018/19)",
    ]
    # A row that says something of no action is odd, not wrong: it is said, and left out.
    assert [str(w) for w in draft.warnings] == [
        "Sheet 'Be Safe', row 4: Actions is blank, so the rest of the row is not read"
    ]


def test_what_is_odd_is_a_warning_and_the_plan_still_reads():
    long_name = "Oxfordshire County Council " * 10
    data = (
        "Area,Actions,Responsible agencies,Lead,Reporting timetable,Budget code\n"
        f"Be Safe,One,{long_name.strip()},TBC,Ongoing,X1\n"
        "Be Safe,Two,Police,David Clarke,March and Sep 21,X2\n"
    ).encode()
    draft = read("plan.csv", data)
    assert not draft.problems
    one, two = draft.actions
    assert len(one.agencies[0]) == 200 and one.agencies[0].endswith("…")
    assert (one.leads, one.months, one.timetable) == ([], [], "Ongoing")
    assert two.months == [date(2021, 9, 1)]
    assert [str(w) for w in draft.warnings] == [
        "The file: column 'Budget code' is not read",
        "The file, row 2, Responsible agencies: 'Oxfordshire County Council Oxfordshire C…' is "
        "longer than 200 characters, so it is shortened: is it a list with no separators?",
        "The file, row 2, Lead: 'TBC' names no lead: the action comes in without it",
        "The file, row 2, Reporting timetable: 'Ongoing' names no month: the action comes in "
        "without a reporting month",
        "The file, row 3, Reporting timetable: 'March' has no year, so it is not read as a "
        "reporting month",
    ]
    assert draft.without_month == [one]


def test_a_file_without_any_actions_heading():
    draft = read("plan.csv", b"Name,Age\nAlex,12\n")
    assert [str(p) for p in draft.problems] == [
        "The file: no sheet or table has a heading row with an 'Actions' column in its "
        "first 10 rows"
    ]


def test_a_sheet_without_an_area_says_how_to_name_one():
    data = plan_files.xlsx_file({"Sheet1": [["Actions", "Lead"], ["Act", "David Clarke"]]})
    (problem,) = read("plan.xlsx", data).problems
    assert str(problem).startswith("Sheet 'Sheet1', row 2: no area of focus")


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (200 * 1024 * 1024))
    return out.getvalue()


def _formula() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Area", "Actions", "Count"])
    sheet.append(["Be Safe", "Act", "=SUM(1,2)"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _many_rows(count: int) -> bytes:
    return ("Area,Actions\n" + "".join(f"Be Safe,Action {n}\n" for n in range(count))).encode()


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("plan.xlsx", b"", "'plan.xlsx' is empty"),
        ("plan.xlsx", plan_files.annex_2_xlsx()[:3000], "is damaged or incomplete"),
        ("plan.docx", plan_files.annex_2_docx()[:5000], "is damaged or incomplete"),
        ("plan.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "password-protected"),
        ("plan.xlsx", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "is damaged or incomplete"),
        ("plan.docx", plan_files.annex_2_xlsx(), "is not a Word document that can be read"),
        ("plan.pdf", b"%PDF-1.4", "is not a .xlsx, .docx, .csv or .json file"),
        ("plan.csv", b"\0\1\2binary", "is not a text file"),
        ("plan.csv", b"x" * (20 * 1024 * 1024), "is 20.0 MB; the largest file"),
        ("plan.csv", _many_rows(10_000), f"has more than {MAX_ROWS:,} rows"),
        ("plan.xlsx", _formula(), "Sheet 'Sheet', cell C2: holds a formula (=SUM(1,2))"),
        ("plan.xlsx", _zip_bomb(), "would unpack to 200 MB"),
        ("plan.json", b"{not json", "is not valid JSON"),
        ("plan.json", b'{"actions": 3}', "has no list of actions"),
    ],
)
def test_files_that_cannot_be_read_are_refused_with_a_reason(filename, data, message):
    with pytest.raises(FileRejected, match=None) as refused:
        read_tables(filename, data)
    assert message in str(refused.value)


def test_a_percentage_cell_reads_as_people_see_it():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Indicator", "Value"])
    sheet.append(["4.2", 0.755])
    sheet["B2"].number_format = "0.0%"
    out = io.BytesIO()
    workbook.save(out)
    (table,) = read_tables("readings.xlsx", out.getvalue())
    assert table.rows[1][1] == ["4.2", "75.5"]


def test_a_row_that_carries_on_the_numbering_keeps_its_own_status():
    data = (
        b"Area,Actions,Measures,Status\n"
        b'Be Safe,First,"1. One\n2. Two",On track\n'
        b",Second,3. Three,Complete\n"
    )
    first, second = read("plan.csv", data).actions
    assert first.measures == second.measures == ["One", "Two", "Three"]
    assert (first.status.value, second.status.value) == ("on_track", "complete")


def test_a_workbook_far_larger_than_a_plan_is_refused_before_it_is_loaded():
    # 20,000 rows × 50 columns: counted from the sheet's XML, never loaded (bench/imports.py
    # measures how fast and in how little memory).
    with pytest.raises(FileRejected, match="has more than 300,000 cells, far more than any plan"):
        read_tables("big.xlsx", plan_files.big_workbook(20_000, 50))
    with pytest.raises(FileRejected, match=f"has more than {MAX_ROWS:,} rows"):
        read_tables("long.xlsx", plan_files.big_workbook(12_001, 1))


def test_a_workbook_within_the_limits_reads_whole():
    (table,) = read_tables("wide.xlsx", plan_files.big_workbook(1_000, 50))
    assert len(table.rows) == 1_000 and len(table.rows[-1][1]) == 50


def test_a_sheet_with_a_value_far_to_the_right_is_refused():
    workbook = Workbook()
    workbook.active.append(["Area", "Actions"])
    workbook.active.cell(2, 300, "stray")
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(FileRejected, match="row 2: has cells beyond column 200"):
        read_tables("plan.xlsx", out.getvalue())


def test_a_word_document_with_more_rows_than_a_plan_is_refused_before_it_is_loaded():
    document = Document()
    table = document.add_table(rows=1, cols=1)
    row = table.rows[0]._tr
    for _ in range(MAX_ROWS * 2):
        table._tbl.append(copy.deepcopy(row))
    out = io.BytesIO()
    document.save(out)
    with pytest.raises(FileRejected, match=f"has more than {MAX_ROWS:,} rows"):
        read_tables("plan.docx", out.getvalue())


def test_a_json_value_that_is_not_text_is_refused():
    data = b'{"actions": [{"text": "Act", "leads": [["nested"]]}]}'
    with pytest.raises(FileRejected, match="action 1, 'leads': holds an object or a list of lists"):
        read_tables("plan.json", data)


def test_control_characters_are_cleaned_where_a_cell_becomes_text():
    data = b"Area,Actions\nBe Safe,Review\x0b the pathway\x07\n"
    (table,) = read_tables("plan.csv", data)
    assert table.rows[1][1] == ["Be Safe", "Review the pathway"]
    data = b'{"actions": [{"area": "Be Safe", "text": "Review\\u0000 the\\u000b pathway"}]}'
    (table,) = read_tables("plan.json", data)
    assert table.rows[1][1] == ["Be Safe", "Review the pathway"]


def test_cells_merged_across_the_table_are_headings_between_the_actions():
    data = plan_files.xlsx_file(
        {
            "Plan": [
                ["Actions", "Lead", "Reporting month"],
                ["BE SAFE – Focus on domestic abuse"],
                ["Review the pathway", "Sarah Breton", "Mar 19"],
                ["Be supported"],
                ["Test the actions above", "Sarah Breton", "Mar 19"],
            ]
        },
        {"Plan": ["A2:C2", "A4:C4"]},
    )
    draft = read("plan.xlsx", data)
    assert draft.areas == {"Be Safe": "Focus on domestic abuse", "Be supported": None}
    assert [(a.area, a.text) for a in draft.actions] == [
        ("Be Safe", "Review the pathway"),
        ("Be supported", "Test the actions above"),
    ]
