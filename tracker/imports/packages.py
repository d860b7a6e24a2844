"""Excel and Word files are zip packages of XML parts. Before any parser loads one, the package
is checked (not damaged, not encrypted, not a zip bomb) and its parts are counted in one
streaming pass: rows, cells and merged ranges, by their tags. So a workbook of 20,000 rows is
refused after reading part of one part, in a fraction of a second and a few megabytes, and
a parser only ever loads a file of a size a plan can have.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from tracker.imports.tables import FileRejected

# An .xlsx or .docx is a zip: refuse one that would unpack to far more than it weighs.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_PACKING_RATIO = 200
_CHUNK = 1024 * 1024

# Flag bits of a zip entry that zipfile cannot read: encrypted, "compressed patched data",
# strong encryption. Office never writes them; a damaged header can.
_UNREADABLE_FLAGS = 0x01 | 0x20 | 0x40
_READABLE_COMPRESSION = {
    zipfile.ZIP_STORED,
    zipfile.ZIP_DEFLATED,
    zipfile.ZIP_BZIP2,
    zipfile.ZIP_LZMA,
}
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?ref="([A-Za-z]{1,3}\d+:[A-Za-z]{1,3}\d+)"')


@dataclass(frozen=True)
class Tags:
    """How a kind of part writes its rows and cells, without their namespace prefix: a sheet
    ends its rows with ``</row>`` and starts its cells with ``<c``, a Word document ends them
    with ``</w:tr>`` and ``</w:tc>``. Counted as bytes, not parsed; the prefix is the one the
    part's root element uses ("<x:worksheet" makes it "</x:row>")."""

    row_end: bytes
    cell: bytes


# "<c" also counts the few <col> and <cfRule> tags, and "<si" every shared string: a count a
# little high is safe. A Word cell is counted by its end, as "<w:tc" also starts "<w:tcPr".
SHEET = Tags(b"</{}row>", b"<{}c")
SHARED_STRINGS = Tags(b"", b"<{}si")
DOCUMENT = Tags(b"</{}tr>", b"</{}tc>")
_ROOT = re.compile(rb"<(?!\?|!)(\w+:)?\w+")


@dataclass
class Count:
    """What one part holds, as far as it was read (all of it unless a limit was passed)."""

    rows: int = 0
    cells: int = 0
    merges: list[str] = field(default_factory=list)  # "A1:E1"


def check_package(name: str, data: bytes) -> zipfile.ZipFile:
    """The open package, or FileRejected if it is damaged, encrypted or a zip bomb."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
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
    return archive


def _unreadable(member: zipfile.ZipInfo) -> bool:
    return bool(member.flag_bits & _UNREADABLE_FLAGS) or (
        member.compress_type not in _READABLE_COMPRESSION
    )


def count_part(
    archive: zipfile.ZipFile, member: str, tags: Tags, *, max_rows: int, max_cells: int
) -> Count:
    """Count a part's rows, cells and merged ranges, stopping as soon as either limit is
    passed: only a chunk of the part is ever in memory."""
    count, carry, row_end, cell = Count(), b"", b"", b""
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            # Cut after the last ">" so that no tag is split between two chunks.
            data = carry + chunk
            cut = data.rfind(b">") + 1
            data, carry = data[:cut], data[cut:]
            if not cell:
                root = _ROOT.search(data)
                prefix = (root.group(1) or b"") if root else b""
                row_end, cell = (
                    tags.row_end.replace(b"{}", prefix),
                    tags.cell.replace(b"{}", prefix),
                )
            count.rows += data.count(row_end) if row_end else 0
            count.cells += data.count(cell)
            if b"mergeCell" in data:
                count.merges += [ref.decode().upper() for ref in _MERGE.findall(data)]
            if count.rows > max_rows or count.cells + len(count.merges) > max_cells:
                break
    return count
