"""Fuzzing the plan readers: random bytes and random cells end in tables or a clear refusal,
never in another exception, and a refused import leaves the database as it was."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import plan_files
from tests.test_plan_import import snapshot
from tracker.imports.plan_reader import Problem, read_plan
from tracker.imports.sources import FileRejected, read_tables

HEADINGS = [
    "Area of focus",
    "Actions",
    "Responsible agencies",
    "Measures",
    "Lead",
    "Reporting month",
    "Status",
    "RAG",
    "Progress",
    "Plan year",
    "Other",
]
cell = st.one_of(
    st.just(""),
    st.sampled_from(
        [
            "Be Safe",
            "Sep 21",
            "Jnu 22",
            "On track",
            "Red",
            "SEND (OCC)",
            "1. one 2. two",
            "• a • b",
            "David Clarke and Emma Leaver",
            "2018/19",
        ]
    ),
    st.text(max_size=40),
)
grid = st.lists(st.lists(cell, min_size=1, max_size=len(HEADINGS)), min_size=1, max_size=12)


def read_or_refuse(filename: str, data: bytes) -> None:
    try:
        tables = read_tables(filename, data)
    except FileRejected as refused:
        assert str(refused)
        return
    draft = read_plan(tables)
    assert all(isinstance(p, Problem) and p.where and p.what for p in draft.problems)


@settings(max_examples=150, deadline=None)
@given(
    data=st.binary(max_size=2000), extension=st.sampled_from([".xlsx", ".docx", ".csv", ".json"])
)
def test_random_bytes(data, extension):
    read_or_refuse(f"plan{extension}", data)


@settings(max_examples=60, deadline=None)
@given(offset=st.integers(0, 10_000), flip=st.integers(1, 255))
def test_damaged_workbooks_and_documents(offset, flip):
    for filename, original in (
        ("p.xlsx", plan_files.annex_2_xlsx()),
        ("p.docx", plan_files.annex_2_docx()),
    ):
        data = bytearray(original)
        data[offset % len(data)] ^= flip
        read_or_refuse(filename, bytes(data))
        read_or_refuse(filename, bytes(data[: offset % len(data)]))


@pytest.mark.parametrize(
    ("field", "value"),
    [(8, 0x01), (8, 0x20), (8, 0x40), (10, 99)],
    ids=["encrypted", "compressed patched data", "strong encryption", "unknown compression"],
)
def test_a_workbook_whose_zip_headers_zipfile_cannot_read_is_refused(field, value):
    # Found by the fuzzing above: one flipped bit in a central directory entry.
    data = bytearray(plan_files.annex_2_xlsx())
    entry = data.index(b"PK\x01\x02")
    data[entry + field : entry + field + 2] = value.to_bytes(2, "little")
    with pytest.raises(FileRejected, match="damaged or password-protected"):
        read_tables("p.xlsx", bytes(data))


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([HEADINGS, *rows])
    return out.getvalue().encode("utf-8", "surrogatepass")


@settings(max_examples=100, deadline=None)
@given(rows=grid)
def test_random_cells_in_csv_and_xlsx(rows):
    read_or_refuse("plan.csv", _csv(rows))
    # openpyxl refuses control characters in cells, as Excel does: keep to what a sheet holds.
    printable = [
        ["".join(c for c in value if c.isprintable() or c == "\n") for value in row] for row in rows
    ]
    read_or_refuse("plan.xlsx", plan_files.xlsx_file({"Be Safe": [HEADINGS, *printable]}))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=grid)
def test_a_refused_import_changes_nothing(app, session, tmp_path, rows):
    path = tmp_path / "plan.csv"
    path.write_bytes(_csv(rows))
    before = snapshot()
    result = app.test_cli_runner().invoke(
        args=["plan", "import", str(path), "--board", "Fuzz", "--plan", "Plan 2020-2023"]
    )
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    if result.exit_code != 0:
        assert snapshot() == before
