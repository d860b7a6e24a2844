"""Lists written in one cell, split at the strongest separator the cell uses.

From strongest to weakest: lines; list markers (bullets "•", "-" at the start of a line,
and numbers or letters that count up: "1.", "2)", "a.", "(i)"); semicolons; commas on one
line; slashes between short names ("Public Health/Youth Service/CAMHS"). Once a cell is
split at one of them, the weaker ones inside its items stay: "Early Help/LCSS" in a comma
list is one agency, "County Council - education and learning, LCSS" in a bulleted list one.

Which separators apply depends on what the cell holds: actions are split at lines and
markers only (an action is a sentence, commas and all), measures also at semicolons, names
of agencies and leads at all of them.
"""

from __future__ import annotations

import enum
import re
from functools import lru_cache

_BULLETS = "•◦▪▫●○■□‣⁃∙·➢➤►▸✓✔"
_BULLET = re.compile(rf"\s*[{_BULLETS}]\s*")
_DASH = re.compile(r"^[-*–—]\s+")
# A counted marker at the start of a line or after white space: "1.", "2)", "a.", "(iv)".
_MARKER = re.compile(r"(?:^|(?<=\s))(\()?(\d{1,2}|[ivx]{1,4}|[a-z])([.)])\s+", re.IGNORECASE)
_ROMAN = {"i": 1, "v": 5, "x": 10}
_SLASHED_NAME = re.compile(r"^[A-Z][^\s/]*(?:\s+[^\s/]+){0,3}$")
_MAX_SLASHED_NAME = 40


class Holds(enum.Enum):
    """What a cell's items are, which says where it may be split."""

    SENTENCES = ()  # actions
    MEASURES = (";",)
    NAMES = (";", ",", "/")


def _roman(token: str) -> int | None:
    values = [_ROMAN.get(c) for c in token.lower()]
    if None in values:
        return None
    total = sum(
        -v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values)
    )
    return total if 0 < total < 40 else None


def _readings(token: str) -> list[tuple[str, int]]:
    """What a marker's token may count: ("number", 3), ("letter", 9), ("roman", 1)."""
    if token.isdigit():
        return [("number", int(token))]
    found = []
    if _roman(token):
        found.append(("roman", _roman(token)))
    if len(token) == 1:
        found.append(("letter", ord(token.lower()) - ord("a") + 1))
    return found


def _marked(line: str) -> list[str] | None:
    """The items of a line that counts "1. … 2. …", "a. … b. …" or "(i) … (ii) …", cut only
    where the markers count up from the first (so "e.g. this" or "Plan B. Then" stay whole);
    None when the line has no such list."""
    cuts, kind, expected = [], None, None
    for marker in _MARKER.finditer(line):
        opening, token, closing = marker.groups()
        if opening and closing != ")":
            continue
        style = (bool(opening), closing)
        for reading, value in _readings(token):
            first = kind is None and (value == 1 or marker.start() == 0)
            if first or (kind == (reading, style) and value == expected):
                cuts.append(marker)
                kind, expected = (reading, style), value + 1
                break
    if not cuts or (cuts[0].start() != 0 and len(cuts) < 2):
        return None
    pieces = [line[: cuts[0].start()]] if cuts[0].start() else []
    for here, following in zip(cuts, [*cuts[1:], None], strict=True):
        pieces.append(line[here.end() : following.start() if following else len(line)])
    return pieces


def _marked_items(line: str) -> tuple[list[str], bool]:
    """A line's items at its bullets and counted markers, and whether it had any."""
    bulleted = _BULLET.split(line)
    marked = len(bulleted) > 1
    items = []
    for piece in bulleted:
        dashed = _DASH.sub("", piece.strip())
        marked = marked or dashed != piece.strip()
        counted = _marked(dashed)
        marked = marked or counted is not None
        items += counted if counted is not None else [dashed]
    return items, marked


def _split_outside_brackets(text: str, separator: str) -> list[str]:
    if "(" not in text and "[" not in text:
        return text.split(separator)
    pieces, depth, start = [], 0, 0
    for index, char in enumerate(text):
        depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(char, 0)
        if char == separator and depth <= 0:
            pieces.append(text[start:index])
            start = index + 1
    return [*pieces, text[start:]]


def _separated(line: str, separator: str) -> list[str]:
    pieces = [p.strip() for p in _split_outside_brackets(line, separator)]
    pieces = [p for p in pieces if p]
    if separator == "/" and not all(
        _SLASHED_NAME.match(p) and len(p) <= _MAX_SLASHED_NAME for p in pieces
    ):
        return [line]
    return pieces


def list_items(text: str, holds: Holds) -> list[str]:
    """The items of a list written in one cell, without their bullets or numbers, each once."""
    return list(_items(text, holds))


@lru_cache(maxsize=4096)  # a value carried down or merged is read once
def _items(text: str, holds: Holds) -> tuple[str, ...]:
    lines = [line for line in text.split("\n") if line.strip()]
    items, marked = [], False
    for line in lines:
        line_items, line_marked = _marked_items(line)
        items += line_items
        marked = marked or line_marked
    if len(lines) == 1 and not marked:
        for separator in holds.value:
            items = _separated(lines[0], separator)
            if len(items) > 1:
                break
    tidy = (" ".join(item.split()).strip(" ;") for item in items)
    if holds is Holds.NAMES:
        tidy = (item.strip(" ,.") for item in tidy)
    return tuple(dict.fromkeys(item for item in tidy if item))
