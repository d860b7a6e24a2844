"""How dates and times read on the page: Europe/London, in the GOV.UK style."""

from __future__ import annotations

from datetime import date, datetime

from tracker.rules.due import LONDON, london_date, plan_year_label


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


def month_label(month: date | None) -> str:
    return "" if month is None else f"{month:%B %Y}"


def one_line(text: str) -> str:
    """Typed text on one line (its line breaks and runs of spaces as single spaces), for a
    plain-text e-mail that lists it as one item."""
    return " ".join(str(text).split())


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"


FILTERS = {
    "london_datetime": london_datetime,
    "london_date": london_date,
    "long_date": long_date,
    "weekday_date": weekday_date,
    "month_label": month_label,
    "plural": plural,
    "one_line": one_line,
    "plan_year_label": plan_year_label,
}
