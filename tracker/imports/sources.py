"""Uploaded files as plain tables of text: .xlsx (``workbooks``), .docx (``documents``), .csv,
and the JSON the tracker exports (its list of objects read as rows under their keys).

Everything a person can upload is refused here, with a message that says what is wrong,
before anything else looks at it: an empty, truncated, password-protected or oversized file,
a zip bomb, a formula, a JSON file nested past reading, or more rows than a plan could have.
Every cell becomes text in one place (``_text``), cleaned of the control characters no
document or database can hold.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

# The exception class only, to catch what openpyxl's parser raises; it parses nothing.
from xml.etree.ElementTree import ParseError  # nosec B405

from docx.opc.exceptions import PackageNotFoundError
from lxml.etree import XMLSyntaxError
from openpyxl.utils.exceptions import InvalidFileException

from tracker.imports import documents, packages, workbooks
from tracker.imports.tables import MAX_ROWS, FileRejected, Grid, Table, too_many_rows
from tracker.text import clean, from_csv

__all__ = ["MAX_ROWS", "FileRejected", "Table", "read_tables"]

MAX_BYTES = 10 * 1024 * 1024
EXTENSIONS = (".xlsx", ".docx", ".csv", ".json")
# Encrypted Office files, and the old binary formats, are OLE compound files.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# What openpyxl and python-docx raise on a malformed part: their parsers' own errors.
_MALFORMED = (
    InvalidFileException,
    PackageNotFoundError,
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    KeyError,
    ValueError,
    TypeError,
    IndexError,
    AttributeError,
    ParseError,
    XMLSyntaxError,
)


def read_tables(filename: str, data: bytes) -> list[Table]:
    """The tables in an uploaded file, or FileRejected."""
    name = PurePath(filename or "").name or "The file"
    extension = PurePath(name).suffix.lower()
    if extension not in EXTENSIONS:
        raise FileRejected(f"'{name}' is not a .xlsx, .docx, .csv or .json file")
    if not data:
        raise FileRejected(f"'{name}' is empty")
    if len(data) > MAX_BYTES:
        raise FileRejected(
            f"'{name}' is {len(data) / 1024 / 1024:.1f} MB; "
            f"the largest file that can be imported is {MAX_BYTES // 1024 // 1024} MB"
        )
    if extension == ".csv":
        tables = [_csv_table(name, data)]
    elif extension == ".json":
        tables = [_json_table(name, data)]
    else:
        tables = _office_tables(name, extension, data)
    if not any(t.rows for t in tables):
        raise FileRejected(f"'{name}' has no rows to import")
    return tables


def _office_tables(name: str, extension: str, data: bytes) -> list[Table]:
    if data.startswith(_OLE_MAGIC):
        raise FileRejected(
            f"'{name}' is password-protected or in the old Office 97–2003 format: "
            f"remove the password or save it as {extension}, then upload it again"
        )
    reader = workbooks if extension == ".xlsx" else documents
    try:
        with packages.check_package(name, data) as archive:
            return [_table(grid) for grid in reader.grids(name, archive, data)]
    except _MALFORMED as error:
        kind = "an Excel workbook" if extension == ".xlsx" else "a Word document"
        raise FileRejected(f"'{name}' is not {kind} that can be read, or it is damaged") from error


def _text(value: Any) -> str:
    """A cell's value as the text a person sees; a date as its month ("2021-09")."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return f"{value:%Y-%m}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean(str(value)).strip()


def _table(grid: Grid) -> Table:
    """A grid's rows as text, without the empty ones; too many is refused as they are read."""
    table = Table(label=grid.label, titles=[_text(t) for t in grid.titles])
    for number, values in grid.rows:
        cells = [_text(v) for v in values]
        if any(cells):
            table.rows.append((number, cells))
        if len(table.rows) > MAX_ROWS:
            raise too_many_rows(grid.label)
    table.spanning, table.may_continue = grid.spanning, grid.may_continue
    return table


def _decode(name: str, data: bytes) -> str:
    if b"\x00" in data:
        raise FileRejected(f"'{name}' is not a text file, so it cannot be read as CSV")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileRejected(f"'{name}' is neither UTF-8 nor Windows-1252 text: save it as CSV UTF-8")


def _csv_table(name: str, data: bytes) -> Table:
    text = _decode(name, data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    # Rows are counted as a spreadsheet program shows them: one per record.
    records = _Records(reader)
    try:
        return _table(Grid(label="The file", titles=[], rows=records))
    except csv.Error as error:
        raise FileRejected(f"'{name}', row {records.number + 1}: {error}") from error


class _Records:
    """A CSV file's records as numbered rows, remembering how far it got."""

    def __init__(self, reader: Iterable[Sequence[str]]) -> None:
        self.reader, self.number = reader, 0

    def __iter__(self) -> Iterator[tuple[int, Sequence[str]]]:
        for number, cells in enumerate(self.reader, start=1):
            self.number = number
            # A cell the tracker quoted so that it would not run as a formula reads as written.
            yield number, [from_csv(cell) for cell in cells]


def _json_table(name: str, data: bytes) -> Table:
    """``{"actions": [{key: value or list, …}, …]}``: each object a row under its keys."""
    try:
        document = json.loads(_decode(name, data))
    except json.JSONDecodeError as error:
        raise FileRejected(f"'{name}' is not valid JSON: {error}") from error
    except RecursionError as error:
        raise FileRejected(
            f"'{name}' is nested too deeply to read: a plan's JSON is a list of actions, each "
            "an object of text and lists of text"
        ) from error
    records = document.get("actions") if isinstance(document, dict) else document
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise FileRejected(f"'{name}' has no list of actions (objects) to import")
    if len(records) > MAX_ROWS:
        raise too_many_rows(f"'{name}'")
    keys = list(dict.fromkeys(key for record in records for key in record))
    rows = [(1, keys)]
    for number, record in enumerate(records, start=1):
        rows.append((number + 1, [_json_cell(name, number, key, record.get(key)) for key in keys]))
    return _table(Grid(label="The file", titles=[], rows=rows))


def _json_cell(name: str, number: int, key: str, value: Any) -> str:
    """A value as a cell: a list is one item a line, as the tracker's own lists are."""
    items = value if isinstance(value, list) else [value]
    if any(isinstance(item, dict | list) for item in items):
        raise FileRejected(
            f"'{name}', action {number}, '{key}': holds an object or a list of lists, where a "
            "plan has text or a list of text"
        )
    texts = [_text(item) for item in items]
    if isinstance(value, list):
        return "\n".join(documents.LIST_ITEM + text for text in texts if text)
    return texts[0]
