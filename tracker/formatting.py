"""How things read on the page: dates and times in Europe/London, in the GOV.UK style;
counts; addresses in typed text as links."""

from __future__ import annotations

import re
from datetime import date, datetime
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from tracker.outbox import kind_label
from tracker.rules.due import LONDON, london_date, plan_year_label
from tracker.text import one_line


def london_datetime(moment: datetime | None) -> str:
    if moment is None:
        return ""
    local = moment.astimezone(LONDON)
    hour = local.strftime("%-I:%M%p").lower().replace(":00", "")
    return f"{local:%-d %B %Y} at {hour}"


def long_date(day: date | None) -> str:
    return "" if day is None else f"{day:%-d %B %Y}"


def weekday_date(day: date | None) -> str:
    """A day with its weekday, as a reminder names it: "Thursday 3 December 2026"."""
    return "" if day is None else f"{day:%A %-d %B %Y}"


def ordinal_date(day: date) -> str:
    """As the board dates its reports: "24th May 2019", "1st June 2021"."""
    suffix = "th" if 11 <= day.day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day.day % 10, "th")
    return f"{day.day}{suffix} {day:%B %Y}"


def month_label(month: date | None) -> str:
    return "" if month is None else f"{month:%B %Y}"


def shorten(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters at most, with an ellipsis when cut."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def short_month(month: date) -> str:
    """A reporting month as the board's plans write it: "Sep 21"."""
    return f"{month:%b %y}"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"


# An address as people type one into an update: http(s) or mailto, up to the first space.
# Not inside a word ("xhttps://"), nor any other scheme (javascript:, data:).
_ADDRESS = re.compile(r"(?<![\w.@/])(?:https?://|mailto:)[^\s<>\"]+", re.IGNORECASE)
# What may follow an address in a sentence without being part of it.
_TRAILING = ".,;:!?'\"’”)]}>"
_OPENING = {")": "(", "]": "[", "}": "{"}


def _address_end(address: str) -> str:
    """The address without the punctuation after it ("…/plan)." in "(see …/plan)."); a
    closing bracket is kept when it closes one opened in the address (…/Foo_(bar))."""
    while address and address[-1] in _TRAILING:
        last = address[-1]
        if last in _OPENING and address.count(_OPENING[last]) >= address.count(last):
            break
        address = address[:-1]
    return address


def _linkable(address: str) -> bool:
    parts = urlsplit(address)
    if parts.scheme.lower() == "mailto":
        return bool(parts.path)
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def linkify(text: str | None) -> Markup:
    """Typed text, escaped, with each web or mailto address in it as a link. The one filter
    for text people write (progress updates, notes on indicators) wherever it is shown."""
    if not text:
        return Markup("")
    shown, position = [], 0
    for match in _ADDRESS.finditer(text):
        address = _address_end(match.group())
        if not _linkable(address):
            continue
        shown.append(escape(text[position : match.start()]))
        shown.append(
            Markup('<a class="govuk-link" href="{}" rel="noopener noreferrer">{}</a>').format(
                address, address
            )
        )
        position = match.start() + len(address)
    shown.append(escape(text[position:]))
    return Markup("").join(shown)


FILTERS = {
    "london_datetime": london_datetime,
    "london_date": london_date,
    "long_date": long_date,
    "weekday_date": weekday_date,
    "ordinal_date": ordinal_date,
    "month_label": month_label,
    "plural": plural,
    "one_line": one_line,
    "outbox_kind": kind_label,
    "linkify": linkify,
    "plan_year_label": plan_year_label,
}
