"""How a field of an audited model is described in the trail (its label, how its value reads,
whether it is listed when the thing is added), and the readers of values that several areas
share. The areas' descriptions are beside this module, one per area of the models."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tracker.trail import Names


class Values:
    """One audited row's fields as stored in its events (plain JSON values), and the names
    of the rows its foreign keys point to."""

    def __init__(self, names: Names, model: type, values: Mapping[str, Any]) -> None:
        self.names, self.model, self.values = names, model, values

    def __getitem__(self, key: str) -> Any:
        return self.values.get(key)

    def row(self, model: type, key: str) -> Any:
        """The row of ``model`` this one's ``key`` points to, or None."""
        return self.names.row(model, self[key])


Show = Callable[[Any, Values], str]


@dataclass(frozen=True)
class Field:
    label: str
    # How a stored value reads; by default as the column's type says.
    show: Show | None = None
    # Listed when the thing is added. False for what the page says already (the board, the
    # action) and for bookkeeping (its place in a list).
    when_added: bool = True
    # How no value reads, where "none" does not say it ("No RAG").
    empty: str = "none"


@dataclass(frozen=True)
class Moment(Field):
    """A time that marks a change of state; the change is the entry's verb ("archived")."""

    set_verb: str = ""
    cleared_verb: str = ""
    # Fields that go with it and are cleared with it (the reason for removing an item).
    companions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Secret(Field):
    """Kept out of the trail (tracker.audit records only that it changed)."""


@dataclass(frozen=True)
class Thing:
    label: str  # "Lead"
    name: tuple[str, ...]  # the fields that name one, joined by a space
    fields: dict[str, Field]
    removed: str = "removed"  # the verb when its row is deleted


def quoted(value: Any, values: Values) -> str:
    return f"“{value}”"


def plain_text(value: Any, values: Values) -> str:
    return str(value)


def position(value: Any, values: Values) -> str:
    """Lists are kept in order from 0; people count from 1."""
    return str(int(value) + 1)


def archived(label: str = "Archived") -> Moment:
    return Moment(label, set_verb="archived", cleared_verb="restored")


def board() -> Field:
    return Field("Board", when_added=False)
