"""Reporting months the way boards write them, and what a timetable cell means for due dates.

A reporting month is a month ("Sep 21", "September 2021", "Sep-21", "09/2021"). A timetable
cell may also name:

- a quarter: with a financial year ("Q3 2021/22") the financial quarter (Q1 April–June …
  Q4 January–March), with a calendar year ("Q3 2021", "2021 Q3") the calendar quarter, as
  the performance framework writes it. The board reviews a quarter in its last month:
  "Q3 2021/22" is December 2021, "Q3 2021" September 2021;
- a school term, reviewed in the month the term ends: "Autumn term 2021" is December 2021,
  "Spring term 2022" March 2022, "Summer term 2022" July 2022 (with an academic year,
  "Spring term 2021/22" is March 2022);
- a date ("30/09/2021", "1 September 2021", a date cell of a workbook): its month;
- words with no month ("Ongoing", "Quarterly", "Termly", "TBC", "Every meeting"): no reporting
  month. Such an action has no due date, so nobody is reminded of it, until the secretariat
  gives it a month; the importer lets it in and lists it.

Used by the admin forms (``parse_months``) and the plan importer (``read_timetable``), so both
read the same things the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

_NAMES = [
    ("jan", "january"),
    ("feb", "february"),
    ("mar", "march"),
    ("apr", "april"),
    ("may",),
    ("jun", "june"),
    ("jul", "july"),
    ("aug", "august"),
    ("sep", "sept", "september"),
    ("oct", "october"),
    ("nov", "november"),
    ("dec", "december"),
]
_MONTHS = {name: number for number, names in enumerate(_NAMES, start=1) for name in names}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_TERM_ENDS = {"autumn": 12, "spring": 3, "summer": 7}


class NotAMonth(ValueError):
    """The text is not a month; the message quotes it for the person who typed it."""


@dataclass
class Timetable:
    """What a timetable cell says: its months, and what it says that names no month."""

    months: list[date] = field(default_factory=list)
    without_month: list[str] = field(default_factory=list)  # as written: "Ongoing", "March"


def _year(text: str) -> int:
    year = int(text.lstrip("'’"))
    return year + 2000 if year < 100 else year


def _month(year: int, month: int, written: str) -> date:
    if 1 <= month <= 12 and 2000 <= year <= 2100:
        return date(year, month, 1)
    raise NotAMonth(f"'{written}' is not a month")


def _start_of(first: str, second: str, written: str) -> int:
    """The calendar year a financial or academic year such as "2021/22" begins in."""
    start, end = _year(first), _year(second)
    if end % 100 != (start + 1) % 100:
        raise NotAMonth(f"'{written}' is not a year such as 2021/22")
    return start


def _financial_quarter(match: re.Match) -> date:
    quarter, start = int(match["quarter"]), _start_of(match["start"], match["end"], match[0])
    # Q1 is April–June, reviewed in June; Q4 is January–March of the year after.
    return _month(start + (quarter == 4), (quarter * 3 + 2) % 12 + 1, match[0])


def _calendar_quarter(match: re.Match) -> date:
    return _month(_year(match["year"]), int(match["quarter"]) * 3, match[0])


def _term(match: re.Match) -> date:
    term, year = match["term"].lower(), _year(match["year"])
    if match["end"]:
        year = _start_of(match["year"], match["end"], match[0]) + (term != "autumn")
    return _month(year, _TERM_ENDS[term], match[0])


def _named(match: re.Match) -> date:
    return _month(_year(match["year"]), _MONTHS[match["month"].lower()], match[0])


def _numbered(match: re.Match) -> date | None:
    month, year = int(match["month"]), _year(match["year"])
    if month > 12 and year == _year(match["month"]) + 1:
        return None  # "18/19": a school or financial year, not a month
    return _month(year, month, match[0])


def _years(match: re.Match) -> None:
    _start_of(match["start"], match["end"], match[0])


_FY = r"(?P<start>\d{4}|\d{2})\s*[/\-–]\s*(?P<end>\d{4}|\d{2})"
_YEAR = r"(?P<year>['’]?\d{2}|\d{4})"
_QUARTER = r"q(?:uarter)?\s*(?P<quarter>[1-4])"


@dataclass(frozen=True)
class _Reading:
    pattern: re.Pattern
    read: Callable[[re.Match], date | None]
    month: bool  # a month or a date, not a quarter or a term


def _reading(pattern: str, read: Callable[[re.Match], date | None], month: bool) -> _Reading:
    return _Reading(re.compile(pattern, re.IGNORECASE), read, month)


# Tried in order, each on what the ones before left: "01/09/2021" is a date before "09/2021"
# could be read as a month inside it, and "Q3 2021/22" a quarter before "2021/22" a year.
_READINGS = [
    _reading(rf"\b{_QUARTER}\s*(?:of\s+)?{_FY}\b", _financial_quarter, month=False),
    _reading(rf"\b{_FY}\s*{_QUARTER}\b", _financial_quarter, month=False),
    _reading(rf"\b{_QUARTER}\s*(?P<year>\d{{4}})\b", _calendar_quarter, month=False),
    _reading(rf"\b(?P<year>\d{{4}})\s*{_QUARTER}\b", _calendar_quarter, month=False),
    _reading(
        r"\b(?P<term>autumn|spring|summer)(?:\s+term)?\s+"
        r"(?P<year>\d{4}|\d{2})(?:\s*[/\-–]\s*(?P<end>\d{4}|\d{2}))?\b",
        _term,
        month=False,
    ),
    # Dates: ISO with an optional time, day/month/year, "1st September 2021".
    _reading(
        r"\b(?P<year>\d{4})-(?P<month>\d{1,2})-\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?\b",
        _numbered,
        month=True,
    ),
    _reading(
        r"\b\d{1,2}[/.\-](?P<month>\d{1,2})[/.\-](?P<year>\d{4}|\d{2})\b", _numbered, month=True
    ),
    _reading(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+{_YEAR}\b", _named, month=True),
    # Months: "Sep 21", "September 2021", "Sep-21", "Sept '21", "2021-09", "09/2021".
    _reading(rf"\b{_MONTH}[\s\-]*{_YEAR}\b", _named, month=True),
    _reading(r"\b(?P<year>\d{4})-(?P<month>0?[1-9]|1[0-2])\b", _numbered, month=True),
    _reading(r"\b(?P<start>\d{4})\s*[/\-–]\s*(?P<end>\d{4}|\d{2})\b", _years, month=False),
    _reading(r"\b(?P<month>\d{1,2})[/.\-](?P<year>\d{4}|\d{2})\b", _numbered, month=True),
]
# What may sit between and around the months: "Sep 21 and Mar 22", "Sep 21 / Mar 22".
_BETWEEN = re.compile(r"[\s,;/&+()\[\]–—\-:.]+|\b(?:and|or|then|to)\b", re.IGNORECASE)
_AROUND = " .,;:()[]/&+–—-"
_BARE_MONTH = re.compile(rf"^{_MONTH}$", re.IGNORECASE)
_YEAR_NUMBER = re.compile(r"^year\s+\d$", re.IGNORECASE)


@lru_cache(maxsize=4096)  # a plan writes the same few timetables on many rows
def _read(text: str) -> tuple[tuple[tuple[date, bool], ...], tuple[str, ...]]:
    """The months in ``text`` (each with whether it was written as a month or a date) and
    the pieces left between them."""
    found: list[tuple[date, bool]] = []
    # A line ends what is written on it: "Apr 21" over "Feb 23" is two months, not "21 Feb 23".
    rest = "|".join(" ".join(line.split()) for line in text.splitlines())
    for reading in _READINGS:
        for match in reading.pattern.finditer(rest):
            month = reading.read(match)
            if month is not None:
                found.append((month, reading.month))
        rest = reading.pattern.sub("|", rest)
    pieces = [p.strip(_AROUND) for p in rest.split("|")]
    for piece in pieces:
        if any(c.isdigit() for c in piece) and not _YEAR_NUMBER.match(piece):
            raise NotAMonth(f"'{piece}' is not a month")
    words = [w for w in (_BETWEEN.sub(" ", p).strip() for p in pieces) if w]
    return tuple(found), tuple(words)


def read_timetable(text: str) -> Timetable:
    """The months a timetable cell names. Raises NotAMonth for what looks like a month and is
    not one ("Jnu 22", "13/2021"); words with no month come back in ``without_month``."""
    found, words = _read(text)
    months = sorted({month for month, _ in found})
    if not months:
        written = " ".join(text.split())
        return Timetable(without_month=[written] if written else [])
    # "Sep 21 (interim)" names its month; only a month without its year is left unread.
    return Timetable(months, [w for w in words if _BARE_MONTH.match(w)])


def parse_month(text: str) -> date:
    """The first day of the one month (or date) written in ``text``: not a quarter or term."""
    try:
        found, words = _read(text)
    except NotAMonth:
        found, words = (), ()
    if len(found) == 1 and found[0][1] and not words:
        return found[0][0]
    raise NotAMonth(f"'{text.strip()}' is not a month")


def parse_months(text: str) -> list[date]:
    """Every month in a list like "Sep 21 / Mar 22" or "September 2018, March 2019"; anything
    else in it is refused."""
    found, words = _read(text)
    if words:
        raise NotAMonth(f"'{words[0]}' is not a month")
    return sorted({month for month, _ in found})


def format_months(months: list[date]) -> str:
    return ", ".join(f"{m:%B %Y}" for m in months)
