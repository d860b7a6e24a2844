"""Reading plans from files, without a database: the formats, the cells, the errors."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from tests import plan_files
from tracker import demo
from tracker.imports.cells import area_heading, looks_like_person, split_leads, split_list
from tracker.imports.plan_reader import Column, meaning, read_plan
from tracker.imports.sources import MAX_ROWS, FileRejected, read_tables


def read(filename: str, data: bytes):
    return read_plan(read_tables(filename, data))


@pytest.mark.parametrize(
    ("cell", "items"),
    [
        (
            "• County Council - education and learning, LCSS • City and District Councils",
            ["County Council - education and learning, LCSS", "City and District Councils"],
        ),
        (
            "1. Reduce exclusions to 44 in school year 18/19 2. All pupils placed",
            ["Reduce exclusions to 44 in school year 18/19", "All pupils placed"],
        ),
        ("a. first thing b. second thing", ["first thing", "second thing"]),
        (
            "Early identification of harm e.g. self-harm.",
            ["Early identification of harm e.g. self-harm."],
        ),
        ("Schools; Police; NHS", ["Schools", "Police", "NHS"]),
        ("- one\n- two\n\n- three", ["one", "two", "three"]),
        ("Keep this; whole\nNext line", ["Keep this; whole", "Next line"]),
    ],
)
def test_lists_in_a_cell(cell, items):
    assert split_list(cell) == items


@pytest.mark.parametrize(
    ("cell", "leads"),
    [
        (
            "Emma Leaver, Maria Godfrey and Donna Husband",
            ["Emma Leaver", "Maria Godfrey", "Donna Husband"],
        ),
        ("SEND (OCC)", ["SEND (OCC)"]),
        ("David Clarke", ["David Clarke"]),
        ("Education and Learning (OCC)", ["Education and Learning (OCC)"]),
        ("SEND (OCC) & David Clarke", ["SEND (OCC)", "David Clarke"]),
    ],
)
def test_leads_in_a_cell(cell, leads):
    assert split_leads(cell) == leads


def test_people_and_teams_are_told_apart():
    assert looks_like_person("David Clarke")
    assert looks_like_person("Cllr Steve Harrod")
    assert not looks_like_person("SEND (OCC)")
    assert not looks_like_person("Domestic abuse operational group")


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
        ("Budget code", None),
    ],
)
def test_columns_are_matched_by_meaning(heading, column):
    assert meaning(heading) is column


def test_annex_2_as_a_word_table():
    draft = read("annex2.docx", plan_files.annex_2_docx())
    assert not draft.problems
    assert list(draft.areas) == ["Be Successful", "Be Healthy", "Be safe"]
    assert draft.areas["Be Successful"] == "Focus on children missing out on education"
    texts = [a.text for a in draft.actions]
    assert texts == (
        plan_files.SUCCESSFUL_ACTIONS
        + [plan_files.YEAR_2_ACTION]
        + plan_files.HEALTHY_ACTIONS
        + plan_files.HEALTHY_MORE_ACTIONS
        + [plan_files.SAFE_ACTION]
    )
    first, year_2 = draft.actions[0], draft.actions[3]
    # Measures 8–11 sit in a row of their own, where the table broke across a page.
    assert first.measures == list(demo.SUCCESSFUL_MEASURES)
    assert first.agencies == list(demo.SUCCESSFUL_AGENCIES)
    assert first.leads == ["David Clarke"] and first.months == [date(2018, 9, 1)]
    assert year_2.plan_year_number == 2 and year_2.measures == first.measures
    # The second healthy row carries on the first: six actions share six measures and leads.
    healthy = draft.actions[4:10]
    assert all(a.measures == list(demo.HEALTHY_MEASURES) for a in healthy)
    assert all(a.leads == ["Emma Leaver", "Maria Godfrey", "Donna Husband"] for a in healthy)
    assert all(a.months == [date(2018, 12, 1)] for a in healthy)


def test_annex_2_as_a_workbook_with_a_sheet_per_area():
    draft = read("annex2.xlsx", plan_files.annex_2_xlsx())
    assert not draft.problems
    assert draft.areas == {
        "Be Successful": "Focus on children missing out on education",
        "Be Happy and Healthy": "Focus on social and emotional well-being and mental health",
        "Be Safe": "Focus on domestic abuse",
    }
    assert len(draft.actions) == 10
    # The merged "for all actions" cells reach every action of the sheet.
    healthy = [a for a in draft.actions if a.area == "Be Happy and Healthy"]
    assert len(healthy) == 6
    assert all(len(a.measures) == 6 and len(a.leads) == 3 for a in healthy)
    assert all(a.months == [date(2018, 12, 1)] for a in healthy)
    safe = [a for a in draft.actions if a.area == "Be Safe"]
    assert safe[0].months == [date(2019, 3, 1)]


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
    assert (two.area, two.agencies, two.leads, two.months) == (
        "Be Safe",
        ["Police"],
        ["SEND (OCC)"],
        [date(2021, 9, 1)],
    )
    assert two.measures == ["Measure two"]
    # A new area starts afresh: nothing carries over from Be Safe.
    assert (three.agencies, three.leads) == ([], [])
    assert four.months == [date(2022, 3, 1)]
    assert draft.ignored == ["Sheet 'Plan': column 'Notes' ignored"]


@pytest.mark.parametrize(
    ("written", "months"),
    [
        ("Sep 21", [date(2021, 9, 1)]),
        ("Sept 2021", [date(2021, 9, 1)]),
        ("September 2018", [date(2018, 9, 1)]),
        ("09/2021", [date(2021, 9, 1)]),
        ("2021-09", [date(2021, 9, 1)]),
        ("Sep 21 / Mar 22", [date(2021, 9, 1), date(2022, 3, 1)]),
    ],
)
def test_reporting_months_as_people_write_them(written, months):
    data = f"Area,Actions,Reporting month\nBe Safe,An action,{written}\n".encode()
    assert read("plan.csv", data).actions[0].months == months


def test_csv_in_utf8_with_a_bom_and_in_windows_1252():
    text = "Area of focus,Actions,Lead\nBe Safe,Review the pathway – again,SEND (OCC)\n"
    for data in (b"\xef\xbb\xbf" + text.encode(), text.encode("cp1252")):
        draft = read("plan.csv", data)
        assert draft.actions[0].text == "Review the pathway – again"


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
                ["Actions", "Lead", "Reporting timetable", "Status"],
                ["Good action", "David Clarke", "Sep 21", "On track"],
                ["", "", "", "Complete"],
                ["Another", "David Clarke", "Jun 22", "Great"],
                ["", "", "", ""],
                ["Third", "David Clarke", "Jnu 22", ""],
            ]
        }
    )
    draft = read("plan.xlsx", data)
    assert [str(p) for p in draft.problems] == [
        "Sheet 'Be Safe', row 4: Actions: is blank",
        "Sheet 'Be Safe', row 5, Status: 'Great' is not a status "
        "(use one of: Not started, On track, At risk, Off track, Complete)",
        "Sheet 'Be Safe', row 7, Reporting timetable: 'Jnu 22' is not a month",
    ]


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
