"""Importing readings from CSV and Excel: a preview, then all or nothing."""

import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from tests import factories, test_indicators
from tests.helpers import text
from tracker.imports.sources import MAX_ROWS
from tracker.indicators.imports import FileRejected, read_rows
from tracker.models import AuditEvent, IndicatorReading, Role

# The same board of three indicators as the framework's page tests.
world = test_indicators.world

GOOD_CSV = (
    "Indicator number,Period,Value,Note\n"
    "2.5,2021 Q3,11.2,Provisional\n"
    '1.4,Q3 2021,"2,150",\n'
    "3.14,September 2021,752,\n"
    "2.5,2021 Q2,12.9,Final figures\n"
)


def upload(client_request, slug, name, data):
    return client_request.post(
        "indicators.import_readings",
        board_slug=slug,
        _data={"file": (io.BytesIO(data), name)},
    )


def snapshot(session):
    session.expire_all()
    return [
        (r.indicator_id, r.period_start, r.value, r.note)
        for r in session.scalars(
            select(IndicatorReading).order_by(IndicatorReading.indicator_id, IndicatorReading.id)
        )
    ]


def xlsx(rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_good_csv_is_previewed_then_imported(client_request, world, session):
    client_request.login(world["people"][Role.ADMIN])
    before = snapshot(session)
    page = upload(client_request, world["slug"], "readings.csv", GOOD_CSV.encode())
    # The preview writes nothing.
    assert snapshot(session) == before
    rows = [[text(td) for td in tr.select("td")] for tr in page.select("#import-preview tbody tr")]
    assert [(r[0], r[2], r[3], r[5]) for r in rows] == [
        ("2", "2021 Q3", "11.2%", "New"),
        ("3", "2021 Q3", "2,150", "New"),
        ("4", "September 2021", "752", "New"),
        ("5", "2021 Q2", "12.9%", "Correction: was 13.1%"),
    ]
    payload = page.select_one("input[name=payload]")["value"]
    client_request.post(
        "indicators.confirm_import",
        board_slug=world["slug"],
        _data={"payload": payload},
        _expected_redirect=client_request.url("indicators.index", board_slug=world["slug"]),
    )
    after = snapshot(session)
    absence = [r for r in after if r[0] == world["absence"].id]
    assert absence == [
        (world["absence"].id, date(2021, 1, 1), 12.0, None),
        (world["absence"].id, date(2021, 4, 1), 12.9, "Final figures"),
        (world["absence"].id, date(2021, 7, 1), 11.2, "Provisional"),
    ]
    assert len(after) == len(before) + 3
    reasons = session.scalars(
        select(AuditEvent.reason).where(
            AuditEvent.entity == "indicator_reading", AuditEvent.verb == "updated"
        )
    ).all()
    assert reasons == ["Imported from readings.csv, row 5"]
    page = client_request.get("indicators.index", board_slug=world["slug"])
    assert "Imported readings.csv: 3 new readings, 1 corrected, 0 unchanged." in text(page)


@pytest.mark.parametrize(
    ("csv", "problems"),
    [
        (
            "Indicator number,Period,Value\n"
            "2.5,2021 Q3,11.2\n"
            "9.9,2021 Q3,1\n"
            "2.5,2021 Q5,1\n"
            ",2021 Q3,1\n"
            "1.4,,lots\n"
            "3.14,September 2021,-3\n"
            "3.14,December 2021,700\n"
            "2.5,Q3 2021,11\n",
            [
                "Row 3, column 'indicator number': there is no indicator numbered '9.9' on "
                "this board",
                "Row 4, column 'period': '2021 Q5' is not a quarter: write it like '2021 Q2' "
                "(indicator 2.5 is reported quarterly)",
                "Row 5, column 'indicator number': enter the indicator's number, like 2.5",
                "Row 6, column 'period': enter the period the reading is for",
                "Row 6, column 'value': 'lots' is not a number: write it like 75 or 6.8",
                "Row 7, column 'value': The value cannot be negative",
                "Row 8, column 'period': December 2021 has not started yet",
                "Row 9, column 'period': indicator 2.5 already has a reading for 2021 Q3 in row 2",
            ],
        ),
        (
            "Indicator,When,Value\n2.5,2021 Q3,1\n",
            [
                "Row 1: there is no column for 'period'. The first row must name the columns: "
                "indicator number, period, value and, if you like, note"
            ],
        ),
        ("Indicator number,Period,Value\n", ["The file has a header row but no readings under it"]),
        (
            "Indicator number,Period,Value\n2.5,2021 Q3,101\n",
            ["Row 2, column 'value': A percentage must be between 0 and 100"],
        ),
        (
            "Indicator number,Period,Value,Note\n2.5,2021 Q3,10," + "x" * 2001 + "\n",
            ["Row 2, column 'note': the note must be 2,000 characters or fewer"],
        ),
        (
            "number,period,value\n2.5,2021-02-30,10\n",
            ["Row 2, column 'period': '2021-02-30' is not a real date"],
        ),
    ],
)
def test_a_file_with_any_problem_writes_nothing(client_request, world, session, csv, problems):
    client_request.login(world["people"][Role.ADMIN])
    before = snapshot(session)
    page = upload(client_request, world["slug"], "readings.csv", csv.encode())
    assert [text(li) for li in page.select("#import-problems li")] == problems
    assert "was not imported" in text(page.select_one(".govuk-error-summary"))
    assert page.title.text.startswith("Error: ")
    assert not page.select("input[name=payload]")
    assert snapshot(session) == before


def test_the_framework_changing_between_preview_and_import_writes_nothing(
    client_request, world, session
):
    client_request.login(world["people"][Role.ADMIN])
    page = upload(client_request, world["slug"], "readings.csv", GOOD_CSV.encode())
    payload = page.select_one("input[name=payload]")["value"]
    world["looked_after"].archived_at = datetime(2021, 9, 20, 10).astimezone()
    session.commit()
    before = snapshot(session)
    page = client_request.post(
        "indicators.confirm_import", board_slug=world["slug"], _data={"payload": payload}
    )
    assert [text(li) for li in page.select("#import-problems li")] == [
        "Row 4, column 'indicator number': indicator 3.14 is archived: restore it first"
    ]
    assert snapshot(session) == before


def test_a_tampered_payload_is_refused(client_request, world, session):
    client_request.login(world["people"][Role.ADMIN])
    before = snapshot(session)
    client_request.post(
        "indicators.confirm_import",
        board_slug=world["slug"],
        _data={"payload": "eyJyb3dzIjpbXX0.forged"},
        _expected_redirect=client_request.url(
            "indicators.import_readings", board_slug=world["slug"]
        ),
    )
    assert snapshot(session) == before


def test_an_excel_file_with_numbers_and_date_cells(client_request, world, session):
    client_request.login(world["people"][Role.ADMIN])
    data = xlsx(
        [
            ["Indicator number", "Period", "Value", "Note"],
            ["2.5", datetime(2021, 8, 15), 11.2, None],
            [3.14, "Sep 21", 752, "From the monthly return"],
        ],
    )
    page = upload(client_request, world["slug"], "readings.xlsx", data)
    rows = [[text(td) for td in tr.select("td")] for tr in page.select("#import-preview tbody tr")]
    assert [(r[1][:4], r[2], r[3]) for r in rows] == [
        ("2.5 ", "2021 Q3", "11.2%"),
        ("3.14", "September 2021", "752"),
    ]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("readings.csv", b"", "'readings.csv' is empty"),
        ("readings.pdf", b"%PDF-1.4", "'readings.pdf' is not a .csv or .xlsx file"),
        ("readings.xlsx", b"PK\x03\x04 broken", "is damaged or incomplete"),
        ("readings.xlsx", b"not a zip at all", "is damaged or incomplete"),
        ("readings.csv", b"\x00\x01\x02", "is not a text file"),
        ("readings.csv", b"\n\n,,\n", "'readings.csv' has no rows to import"),
        ("", b"x", "Select a CSV or Excel file of readings"),
    ],
)
def test_a_broken_or_empty_file_gets_a_clear_message(
    client_request, world, session, name, data, message
):
    client_request.login(world["people"][Role.ADMIN])
    before = snapshot(session)
    page = upload(client_request, world["slug"], name, data)
    assert message in text(page.select_one("#file-error"))
    assert snapshot(session) == before


def test_a_huge_file_is_refused_before_it_is_read():
    rows = "number,period,value\n" + "2.5,2021 Q3,1\n" * (MAX_ROWS + 1)
    with pytest.raises(FileRejected, match=f"more than {MAX_ROWS:,} rows"):
        read_rows("big.csv", rows.encode())
    with pytest.raises(FileRejected, match="the largest file that can be imported"):
        read_rows("big.csv", b"x" * (11 * 1024 * 1024))


def test_only_the_secretariat_imports(client_request, world):
    for role in (Role.CHAIR, Role.LEAD, Role.MEMBER):
        client_request.login(world["people"][role])
        client_request.get(
            "indicators.import_readings", board_slug=world["slug"], _expected_status=403
        )


def test_another_boards_indicators_are_not_found_by_number(client_request, world, session):
    other = factories.board()
    factories.indicator(other, factories.person(other, Role.ADMIN), number="7.7")
    session.commit()
    client_request.login(world["people"][Role.ADMIN])
    page = upload(client_request, world["slug"], "r.csv", b"number,period,value\n7.7,2021 Q1,1\n")
    assert [text(li) for li in page.select("#import-problems li")] == [
        "Row 2, column 'indicator number': there is no indicator numbered '7.7' on this board"
    ]
