"""What every file reader makes: a file's tables, each as the cells it holds, or a refusal."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

MAX_ROWS = 6_000


class FileRejected(Exception):
    """The file as a whole cannot be read; the message says why and what to do."""


@dataclass
class Table:
    """One sheet of a workbook, one table of a document, or a whole CSV file, as text."""

    label: str  # how errors name it: "Sheet 'Be Safe'", "Table 2", "The file"
    titles: list[str] = field(default_factory=list)  # sheet name, heading above a table
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (row number, cells)
    # Rows whose one cell spans the whole width: headings between the actions.
    spanning: set[int] = field(default_factory=set)
    # A Word table may carry on the table before it, broken across a page; a sheet never.
    may_continue: bool = False


@dataclass
class Grid:
    """A table as its file holds it, before its cells become text: values (text, numbers,
    dates) row by row, read lazily so a reader can stop early."""

    label: str
    titles: list[str]
    rows: Iterable[tuple[int, Sequence[Any]]]
    spanning: set[int] = field(default_factory=set)  # filled in as the rows are read
    may_continue: bool = False


def too_many_rows(label: str) -> FileRejected:
    return FileRejected(
        f"{label} has more than {MAX_ROWS:,} rows, more than any plan holds: "
        "check it is the right file, or split it"
    )
