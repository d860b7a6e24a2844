"""Red, Amber or Green for an indicator's reading, and its trend. No database, no HTTP.

The rating compares a reading with the indicator's target, in the direction that is better,
allowing a tolerance (in the indicator's own unit) on the wrong side of the target:

Higher is better (e.g. "Increase the number of early help assessments to 2,100"):

- Green: value >= target. Exactly on target is Green.
- Amber: target - tolerance <= value < target. Exactly ``tolerance`` below is still Amber.
- Red:   value < target - tolerance.

Lower is better (e.g. "Reduce persistent absence to 11.5% or less"):

- Green: value <= target. Exactly on target is Green.
- Amber: target < value <= target + tolerance. Exactly ``tolerance`` above is still Amber.
- Red:   value > target + tolerance.

So both edges belong to the better rating, and a tolerance of 0 means there is no Amber: any
reading on the wrong side of the target is Red.

Numbers are compared as the decimals people typed, not as binary floats: a target of 6.8 with
a tolerance of 0.5 puts the Amber edge at exactly 7.3 (in floats, 6.8 + 0.5 is
7.3000000000000007), so a reading of 7.3 is Amber, as the person reading the table expects.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Decimal

from tracker.models import Direction, Rag

Number = Decimal | float | int


def as_decimal(value: Number) -> Decimal:
    """A float as the shortest decimal that reads back as it (6.8, not 6.79999…)."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


def rate(value: Number, *, target: Number, direction: Direction, tolerance: Number = 0) -> Rag:
    """The RAG rating of ``value`` against ``target``; see the module's docstring."""
    value, target, tolerance = as_decimal(value), as_decimal(target), as_decimal(tolerance)
    if tolerance < 0:
        raise ValueError("tolerance cannot be negative")
    # How far the value is on the better side of the target (negative: the wrong side).
    ahead = value - target if direction is Direction.HIGHER else target - value
    if ahead >= 0:
        return Rag.GREEN
    if -ahead <= tolerance:
        return Rag.AMBER
    return Rag.RED


class Movement(enum.StrEnum):
    UP = "up"
    DOWN = "down"
    FLAT = "flat"


class Verdict(enum.StrEnum):
    BETTER = "better"
    WORSE = "worse"
    SAME = "same"


@dataclass(frozen=True)
class Trend:
    movement: Movement
    verdict: Verdict

    @property
    def label(self) -> str:
        """ "Up, better", "Down, worse", "No change"."""
        if self.movement is Movement.FLAT:
            return "No change"
        return f"{self.movement.value.capitalize()}, {self.verdict.value}"


def trend(previous: Number | None, latest: Number | None, direction: Direction) -> Trend | None:
    """How the latest reading moved from the one before it, and whether that is better.

    None when there are not two readings to compare. Equal values are flat, and flat is
    neither better nor worse.
    """
    if previous is None or latest is None:
        return None
    previous, latest = as_decimal(previous), as_decimal(latest)
    if latest == previous:
        return Trend(Movement.FLAT, Verdict.SAME)
    movement = Movement.UP if latest > previous else Movement.DOWN
    better = (movement is Movement.UP) == (direction is Direction.HIGHER)
    return Trend(movement, Verdict.BETTER if better else Verdict.WORSE)
