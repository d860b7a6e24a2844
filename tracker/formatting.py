"""How dates and times read on the page: Europe/London, in the GOV.UK style."""

from __future__ import annotations

from datetime import date, datetime

from tracker.outbox import kind_label
from tracker.rules.due import LONDON, plan_year_label


def london_datetime(moment: datetime | None) -> str:
    if moment is None:
        return ""
    local = moment.astimezone(LONDON)
    hour = local.strftime("%-I:%M%p").lower().replace(":00", "")
    return f"{local:%-d %B %Y} at {hour}"


def long_date(day: date | None) -> str:
    return "" if day is None else f"{day:%-d %B %Y}"


def month_label(month: date | None) -> str:
    return "" if month is None else f"{month:%B %Y}"


def shorten(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters at most, with an ellipsis when cut."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"


FILTERS = {
    "london_datetime": london_datetime,
    "long_date": long_date,
    "month_label": month_label,
    "plural": plural,
    "outbox_kind": kind_label,
    "plan_year_label": plan_year_label,
}
