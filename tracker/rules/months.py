"""Reading reporting months the way people write them: "Sep 21", "September 2018", "09/2021".

Used by the admin forms now and by the plan importer later, so both accept the same things.
"""

from __future__ import annotations

import re
from datetime import date

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
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
        ],
        start=1,
    )
    for name in names
}

_WORDS = re.compile(r"^([a-z]+)\.?[\s\-']*(\d{2}|\d{4})$")
_NUMERIC = re.compile(r"^(\d{1,2})[/\-.](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})$")
_SEPARATORS = re.compile(r"\s*(?:,|;|/(?!\d)|\band\b|\n)\s*")


class NotAMonth(ValueError):
    """The text is not a month; the message quotes it for the person who typed it."""


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def parse_month(text: str) -> date:
    """The first day of the month written in ``text``."""
    cleaned = " ".join(text.strip().lower().split())
    for pattern, month_group, year_group in ((_WORDS, 1, 2), (_NUMERIC, 1, 2), (_ISO, 2, 1)):
        match = pattern.match(cleaned)
        if not match:
            continue
        raw_month = match.group(month_group)
        month = _MONTHS.get(raw_month) if raw_month.isalpha() else int(raw_month)
        year = _year(match.group(year_group))
        if month and 1 <= month <= 12 and 2000 <= year <= 2100:
            return date(year, month, 1)
    raise NotAMonth(f"'{text.strip()}' is not a month")


def parse_months(text: str) -> list[date]:
    """Every month in a list like "Sep 21 / Mar 22" or "September 2018, March 2019"."""
    parts = [p for p in _SEPARATORS.split(text.strip()) if p.strip()]
    months = sorted({parse_month(p) for p in parts})
    return months


def format_months(months: list[date]) -> str:
    return ", ".join(f"{m:%B %Y}" for m in months)
