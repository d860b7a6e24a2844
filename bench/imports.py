"""Seconds to import a 5,000-row plan workbook with the CLI, into a fresh SQLite database.

    python -m bench.imports [--rows 5000]

The workbook has a sheet per area of focus, as boards write them (Annex 2's columns), and
every row names its agencies, measure, lead (one of 200 people) and reporting month. Prints
one line and writes bench/results/import.json.
"""

from __future__ import annotations

import argparse
import random
import tempfile
from pathlib import Path
from time import perf_counter

from openpyxl import Workbook

from bench import write_results
from bench.generate import AREAS
from tracker import create_app
from tracker.extensions import db

HEADINGS = [
    "Actions",
    "Responsible Agencies",
    "How we will know this area of focus has improved",
    "Children's Trust Board Leads",
    "Reporting Timetable",
]
MONTHS = ["Jun 25", "Sep 25", "Dec 25", "Mar 26", "Jun 26", "Sep 26", "Dec 26", "Mar 27"]
FIRST = ["Alex", "Sam", "Jo", "Chris", "Pat", "Robin", "Kim", "Lee", "Ash", "Max"]
LAST = ["Clarke", "Patel", "Jones", "Khan", "Smith", "Brown", "Taylor", "Evans", "Wilson", "Shah"]


def workbook(rows: int, path: Path, seed: int = 1) -> None:
    rng = random.Random(seed)  # noqa: S311 (repeatable test data, not security)
    leads = [f"{f} {last}{n or ''}" for n in range(2) for f in FIRST for last in LAST]
    book = Workbook()
    book.remove(book.active)
    sheets = [book.create_sheet(name) for name in AREAS]
    for sheet, name in zip(sheets, AREAS, strict=True):
        sheet.append([f"{name.upper()} – Focus on what matters most"])
        sheet.append(HEADINGS)
    for n in range(rows):
        sheets[n % len(sheets)].append(
            [
                f"Action {n + 1}: improve outcomes for children and young people",
                f"Agency {rng.randrange(30) + 1}",
                f"Measure {n + 1} improves",
                rng.choice(leads),
                rng.choice(MONTHS),
            ]
        )
    book.save(path)


def bench_import(rows: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.xlsx"
        workbook(rows, path)
        app = create_app("test", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/i.sqlite"})
        with app.app_context():
            db.create_all()
            started = perf_counter()
            result = app.test_cli_runner().invoke(
                args=["plan", "import", str(path), "--board", "Bench", "--plan", "CYPP 2025–2028"]
            )
            seconds = perf_counter() - started
            assert result.exit_code == 0, (result.output, result.exception)
            assert f"Actions: {rows} new" in result.output, result.output
            db.engine.dispose()
    return {"measure": "import", "rows": rows, "seconds": seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=5_000)
    args = parser.parse_args()
    row = bench_import(args.rows)
    print(f"import  {row['rows']} rows of .xlsx  {row['seconds']:.2f}s")
    write_results("import", row)


if __name__ == "__main__":
    main()
