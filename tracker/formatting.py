"""How dates and times read on the page: Europe/London, in the GOV.UK style."""

from __future__ import annotations

from datetime import date, datetime

from tracker.rules.due import LONDON, plan_year_label


def london_datetime(moment: datetime | None) -> str:
    if moment is None:
        return ""
    local = moment.astimezone(LONDON)
    hour = local.strftime("%-I:%M%p").lower().replace(":00", "")
    return f"{local:%-d %B %Y} at {hour}"


def long_date(day: date | None) -> str:
    return "" if day is None else f"{day:%-d %B %Y}"


def ordinal_date(day: date) -> str:
    """As the board dates its reports: "24th May 2019", "1st June 2021"."""
    suffix = "th" if 11 <= day.day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day.day % 10, "th")
    return f"{day.day}{suffix} {day:%B %Y}"


def month_label(month: date | None) -> str:
    return "" if month is None else f"{month:%B %Y}"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"


FILTERS = {
    "london_datetime": london_datetime,
    "long_date": long_date,
    "ordinal_date": ordinal_date,
    "month_label": month_label,
    "plural": plural,
    "plan_year_label": plan_year_label,
}
