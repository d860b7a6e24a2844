"""Seconds to export a large plan in each format, against the CSV export of the same plan.

    python -m bench.exports [--actions 2000]

The plan is bench.imports' workbook (a sheet per area, every row with its agencies, measure,
lead and month), imported into a fresh SQLite database, with a progress update on every
action. Each export is timed as the download does it (reading the plan, then writing the
file). Prints a line per format and writes bench/results/export.json.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from time import perf_counter

from sqlalchemy import select

from bench import write_results
from bench.imports import workbook
from tracker import create_app
from tracker.extensions import db
from tracker.models import Action, ActionStatus, Person, Plan, ProgressUpdate
from tracker.plans.export import WRITERS, export_plan

UPDATE = (
    "Reviewed at the December meeting. Over 2,000 early help assessments are forecast for the "
    "year; the single point of access is monitored monthly.\nNext: report to the March board."
)


def bench_exports(actions: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.xlsx"
        workbook(actions, path)
        app = create_app("test", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/e.sqlite"})
        with app.app_context():
            db.create_all()
            result = app.test_cli_runner().invoke(
                args=["plan", "import", str(path), "--board", "Bench", "--plan", "CYPP 2025–2028"]
            )
            assert result.exit_code == 0, (result.output, result.exception)
            author = db.session.scalars(select(Person)).first()
            db.session.add_all(
                ProgressUpdate(action=a, author=author, text=UPDATE, status=ActionStatus.ON_TRACK)
                for a in db.session.scalars(select(Action))
            )
            db.session.commit()
            plan = db.session.scalars(select(Plan)).one()
            seconds = {}
            for file_format in WRITERS:
                started = perf_counter()
                export_plan(db.session, plan, file_format)
                seconds[file_format] = perf_counter() - started
            db.engine.dispose()
    return {"measure": "export", "actions": actions, "seconds": seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--actions", type=int, default=2_000)
    args = parser.parse_args()
    row = bench_exports(args.actions)
    baseline = row["seconds"]["csv"]
    for file_format, seconds in row["seconds"].items():
        print(
            f"export  {row['actions']} actions as {file_format:<4}  {seconds:6.2f}s"
            f"  ({seconds / baseline:.1f} × the CSV export)"
        )
    write_results("export", row)


if __name__ == "__main__":
    main()
