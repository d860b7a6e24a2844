"""Uploaded files as plain tables of text: .xlsx (openpyxl), .docx (python-docx), .csv, and
the JSON the tracker exports (its list of objects read as rows under their keys).

Everything a person can upload is refused here, with a message that says what is wrong,
before anything else looks at it: an empty, truncated, password-protected or oversized file,
a zip bomb, a formula, or a sheet with more rows than a plan could have.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

# The exception class only, to catch what openpyxl's parser raises; it parses nothing.
from xml.etree.ElementTree import ParseError  # nosec B405

from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph
from lxml.etree import XMLSyntaxError
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from tracker.text import from_csv

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 6_000
# An .xlsx or .docx is a zip: refuse one that would unpack to far more than it weighs.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_PACKING_RATIO = 200
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


class FileRejected(Exception):
    """The file as a whole cannot be read; the message says why and what to do."""


@dataclass
class Table:
    """One sheet of a workbook, one table of a document, or a whole CSV file."""

    label: str  # how errors name it: "Sheet 'Be Safe'", "Table 2", "The file"
    titles: list[str] = field(default_factory=list)  # sheet name, heading above a table
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (row number, cells)


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
        return [_csv_table(name, data)]
    if extension == ".json":
        return [_json_table(name, data)]
    if data.startswith(_OLE_MAGIC):
        raise FileRejected(
            f"'{name}' is password-protected or in the old Office 97–2003 format: "
            f"remove the password or save it as {extension}, then upload it again"
        )
    _refuse_unreadable_or_bomb(name, data)
    try:
        tables = _xlsx_tables(data) if extension == ".xlsx" else _docx_tables(data)
    except _MALFORMED as error:
        kind = "an Excel workbook" if extension == ".xlsx" else "a Word document"
        raise FileRejected(f"'{name}' is not {kind} that can be read, or it is damaged") from error
    if not any(t.rows for t in tables):
        raise FileRejected(f"'{name}' has no rows to import")
    return tables


def _refuse_unreadable_or_bomb(name: str, data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError) as error:
        raise FileRejected(f"'{name}' is damaged or incomplete: it cannot be opened") from error
    if any(_unreadable(m) for m in members):
        raise FileRejected(f"'{name}' is damaged or password-protected: it cannot be opened")
    unpacked = sum(m.file_size for m in members)
    if unpacked > MAX_UNPACKED_BYTES or unpacked > MAX_PACKING_RATIO * max(len(data), 1):
        raise FileRejected(
            f"'{name}' would unpack to {unpacked / 1024 / 1024:.0f} MB, far more than a plan "
            "holds; it is refused as unsafe"
        )


# Flag bits of a zip entry that zipfile cannot read: encrypted, "compressed patched data",
# strong encryption. Office never writes them; a damaged header can.
_UNREADABLE_FLAGS = 0x01 | 0x20 | 0x40
_READABLE_COMPRESSION = {
    zipfile.ZIP_STORED,
    zipfile.ZIP_DEFLATED,
    zipfile.ZIP_BZIP2,
    zipfile.ZIP_LZMA,
}


def _unreadable(member: zipfile.ZipInfo) -> bool:
    return bool(member.flag_bits & _UNREADABLE_FLAGS) or (
        member.compress_type not in _READABLE_COMPRESSION
    )


def _text(value: Any) -> str:
    """A cell's value as the text a person sees; a date as its month ("2021-09")."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return f"{value:%Y-%m}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _too_many_rows(label: str) -> FileRejected:
    return FileRejected(
        f"{label} has more than {MAX_ROWS:,} rows, more than any plan holds: "
        "check it is the right file, or split it"
    )


def _xlsx_tables(data: bytes) -> list[Table]:
    # Not read-only: only a fully loaded sheet knows its merged cells.
    workbook = load_workbook(io.BytesIO(data), data_only=False)
    tables = []
    for sheet in workbook.worksheets:
        label = f"Sheet '{sheet.title}'"
        if sheet.max_row > MAX_ROWS * 2:
            raise _too_many_rows(label)
        merged = {}
        for cell_range in sheet.merged_cells.ranges:
            top_left = sheet.cell(cell_range.min_row, cell_range.min_col).value
            for row, col in cell_range.cells:
                merged[(row, col)] = top_left
        table = Table(label=label, titles=[sheet.title])
        for row in sheet.iter_rows():
            cells = []
            for cell in row:
                if cell.data_type == "f":
                    raise FileRejected(
                        f"{label}, cell {cell.coordinate}: holds a formula ({cell.value}); "
                        "copy the sheet and paste values only, then upload it again"
                    )
                value = merged.get((cell.row, cell.column), cell.value)
                if isinstance(value, int | float) and "%" in (cell.number_format or ""):
                    value = round(value * 100, 10)  # 75% is stored as 0.75; people read 75
                cells.append(_text(value))
            if any(cells):
                table.rows.append((row[0].row, cells))
        if len(table.rows) > MAX_ROWS:
            raise _too_many_rows(label)
        tables.append(table)
    return tables


def _docx_blocks(document: Any) -> Iterator[Paragraph | WordTable]:
    """Paragraphs and tables of the document body, in order."""
    for child in document.element.body.iterchildren():
        if child.tag.endswith("}p"):
            yield Paragraph(child, document)
        elif child.tag.endswith("}tbl"):
            yield WordTable(child, document)


def _docx_tables(data: bytes) -> list[Table]:
    document = Document(io.BytesIO(data))
    tables, heading = [], ""
    for block in _docx_blocks(document):
        if isinstance(block, Paragraph):
            heading = block.text.strip() or heading
            continue
        label = f"Table {len(tables) + 1}"
        table = Table(label=label, titles=[heading] if heading else [])
        for number, row in enumerate(block.rows, start=1):
            # python-docx repeats a merged cell in every row and column it spans.
            cells = [_text(cell.text) for cell in row.cells]
            if any(cells):
                table.rows.append((number, cells))
            if len(table.rows) > MAX_ROWS:
                raise _too_many_rows(label)
        tables.append(table)
    return tables


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
    table = Table(label="The file")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    # Rows are counted as a spreadsheet program shows them: one per record.
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            # A cell the tracker quoted so that it would not run as a formula reads as written.
            cells = [_text(from_csv(c)) for c in cells]
            if any(cells):
                table.rows.append((number, cells))
            if len(table.rows) > MAX_ROWS:
                raise _too_many_rows(f"'{name}'")
    except csv.Error as error:
        raise FileRejected(f"'{name}', row {number + 1}: {error}") from error
    if not table.rows:
        raise FileRejected(f"'{name}' has no rows to import")
    return table


def _json_table(name: str, data: bytes) -> Table:
    """``{"actions": [{key: value or list, …}, …]}``: each object a row under its keys."""
    try:
        document = json.loads(_decode(name, data))
    except json.JSONDecodeError as error:
        raise FileRejected(f"'{name}' is not valid JSON: {error}") from error
    records = document.get("actions") if isinstance(document, dict) else document
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise FileRejected(f"'{name}' has no list of actions (objects) to import")
    if len(records) > MAX_ROWS:
        raise _too_many_rows(f"'{name}'")
    keys = list(dict.fromkeys(key for record in records for key in record))
    table = Table(label="The file", rows=[(1, [str(k) for k in keys])])
    for number, record in enumerate(records, start=1):
        cells = []
        for key in keys:
            value = record.get(key)
            cells.append("\n".join(map(_text, value)) if isinstance(value, list) else _text(value))
        table.rows.append((number + 1, cells))
    return table
