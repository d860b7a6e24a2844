"""No file of the app over 400 lines: a reader can hold one, and a file that grows past it is
split by what it holds (see README, Layout)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 400


def test_no_file_of_the_app_is_over_400_lines():
    sizes = {
        path.relative_to(ROOT).as_posix(): len(path.read_text().splitlines())
        for package in ("tracker", "jobs", "config")
        for path in sorted((ROOT / package).rglob("*.py"))
    }
    offenders = {path: lines for path, lines in sizes.items() if lines > LIMIT}
    for path, lines in sorted(offenders.items(), key=lambda item: -item[1]):
        print(f"{lines:5} {path}")
    assert offenders == {}, f"over {LIMIT} lines: {offenders}"
