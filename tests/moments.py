"""Moments for tests: London wall-clock times, and the pinned clock behind the ``clock``
fixture (tests/conftest.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tracker import clock
from tracker.rules.due import LONDON


def london(day: date, hour: int = 8, minute: int = 0) -> datetime:
    """The UTC moment of a London wall-clock time (08:00 by default, when the jobs run)."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON).astimezone(UTC)


class Clock:
    """The app's clock (tracker.clock), pinned by ``set`` until the test ends."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self._monkeypatch = monkeypatch

    def set(self, when: date | datetime, hour: int = 9, minute: int = 0) -> datetime:
        """Pin the clock to a moment, or to a day at a London time; returns the moment."""
        if isinstance(when, datetime):
            assert when.tzinfo is not None, f"pin an aware moment, not {when}"
            moment = when
        else:
            moment = london(when, hour, minute)
        self._monkeypatch.setattr(clock, "now", lambda: moment)
        return moment

    # So a test taking the fixture can still read the clock as tracker.clock does.
    @staticmethod
    def now() -> datetime:
        return clock.now()

    @staticmethod
    def today() -> date:
        return clock.today()
