"""Time and memory to refuse a workbook far larger than a plan: 20,000 rows × 50 columns.

    python -m bench.refusals [--rows 20000] [--columns 50]

The workbook is written by openpyxl as Excel writes one (shared strings, a number and a
word in each row), then read in a fresh process for each of:

- ``refuse``: the importer's ``read_tables``, which counts the sheet's rows and cells from
  its XML and refuses it before loading it;
- ``load``: openpyxl loading it whole, as the importer did before it counted (the baseline);
- ``nothing``: a process that only imports the same modules (the floor of its memory).

Prints seconds and peak memory above the floor for each, and the ratios of ``refuse`` to
``load``; writes bench/results/refusals.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from openpyxl import Workbook

from bench import write_results

# Run in a child process, so that each figure is that process's own peak memory.
_MEASURE = """
import json, resource, sys, time
from openpyxl import load_workbook
from tracker.imports.sources import FileRejected, read_tables
data = open(sys.argv[1], "rb").read()
floor = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
message = ""
if sys.argv[2] == "refuse":
    try:
        read_tables("big.xlsx", data)
    except FileRejected as refused:
        message = str(refused)
elif sys.argv[2] == "load":
    load_workbook(__import__("io").BytesIO(data)).close()
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "megabytes": (peak - floor) / 1024, "message": message}))
"""


def workbook(rows: int, columns: int, path: Path) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Plan")
    for n in range(rows):
        sheet.append([f"Action {n}" if c == 0 else (n * 31 + c) % 1000 for c in range(columns)])
    book.save(path)


def measure(path: Path, how: str) -> dict:
    output = subprocess.run(  # noqa: S603 (our own interpreter, fixed arguments)
        [sys.executable, "-c", _MEASURE, str(path), how],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--columns", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.xlsx"
        workbook(args.rows, args.columns, path)
        size = path.stat().st_size / 1024 / 1024
        figures = {how: measure(path, how) for how in ("refuse", "load", "nothing")}
    refuse, load = figures["refuse"], figures["load"]
    print(f"workbook  {args.rows:,} rows × {args.columns} columns, {size:.1f} MB")
    for how, row in figures.items():
        print(f"{how:8}  {row['seconds']:6.2f}s  {row['megabytes']:7.1f} MB above the floor")
    print(
        f"refuse/load  time {refuse['seconds'] / load['seconds']:.3f}  "
        f"memory {refuse['megabytes'] / max(load['megabytes'], 0.1):.3f}"
    )
    print(f"refused with: {refuse['message']}")
    write_results("refusals", {"rows": args.rows, "columns": args.columns, "MB": size, **figures})


if __name__ == "__main__":
    main()
