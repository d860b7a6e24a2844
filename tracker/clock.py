"""The current moment, in one place, so tests can pin it (monkeypatch ``clock.now``)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from tracker.rules.due import london_date


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    """Today's date in Europe/London."""
    return london_date(now())
