"""How the audit trail reads: each change in the board's words, with the names of people and
things ("Lead: added David Clarke", "Status: Not started → On track").

Every audited model's fields are described once, in this package's module for the model's
area (boards, plans, meetings, mail, indicators, publishing: each a ``THINGS`` of a label for
the field and, where its type does not say enough, how its value reads; tracker.trail.fields
says what a description holds). Values are shown as the model says they are: an enum by its
label, a foreign key by the name of the row it points to, a date as a date. The action,
indicator and meeting pages all read their trails through ``describe_events``, and
tests/test_trail.py checks that every audited field of every audited model is described, so
a new column cannot reach a page under its database name.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Float, Integer, Text, TypeDecorator, inspect, select
from sqlalchemy import Enum as EnumType
from sqlalchemy.orm import RelationshipProperty, Session

from tracker.audit import _plain, audited_attributes
from tracker.formatting import london_datetime, long_date, shorten
from tracker.indicators.framework import plain_number
from tracker.models import AuditEvent
from tracker.trail import boards, indicators, mail, meetings, plans, publishing
from tracker.trail.fields import Field, Moment, Secret, Thing, Values, quoted

# How long a name may be in the first line of an entry ("Action: changed “Embed the…”").
NAME_WIDTH = 100

THINGS: dict[type, Thing] = {
    **boards.THINGS,
    **plans.THINGS,
    **meetings.THINGS,
    **mail.THINGS,
    **indicators.THINGS,
    **publishing.THINGS,
}


def described_fields(model: type) -> list[str]:
    """The audited fields of ``model`` the trail shows: all but the primary key, which is
    the event's entity_id rather than a change."""
    mapper = inspect(model)
    keys = {c.key for c in mapper.primary_key}
    return [a.key for a in audited_attributes(mapper) if a.key not in keys]


class Names:
    """The rows a page's events point to, loaded once per model, and their names."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._rows: dict[type, dict[int, Any]] = defaultdict(dict)

    def load(self, wanted: Mapping[type, set[int]]) -> None:
        for model, ids in wanted.items():
            missing = ids - self._rows[model].keys()
            if missing:
                found = self.session.scalars(select(model).where(model.id.in_(missing)))
                self._rows[model].update({row.id: row for row in found})
                for row_id in missing - self._rows[model].keys():
                    self._rows[model][row_id] = None

    def row(self, model: type, row_id: Any) -> Any:
        if not isinstance(row_id, int):
            return None
        if row_id not in self._rows[model]:
            self.load({model: {row_id}})
        return self._rows[model][row_id]

    def name(self, model: type, row_id: Any) -> str:
        row = self.row(model, row_id)
        thing = THINGS.get(model)
        if row is None:
            return "no longer on record"
        if thing is None:
            return str(row)
        values = Values(self, model, {key: _plain(getattr(row, key)) for key in thing.name})
        return _name(thing, values)


_MODELS_BY_TABLE: dict[str, type] = {}


def _model_of_table(table: str) -> type | None:
    if not _MODELS_BY_TABLE:
        from tracker.extensions import Base

        _MODELS_BY_TABLE.update({m.class_.__tablename__: m.class_ for m in Base.registry.mappers})
    return _MODELS_BY_TABLE.get(table)


def _target(model: type, key: str) -> type | None:
    """The model a foreign-key field of ``model`` points to."""
    attr = inspect(model).attrs.get(key)
    if attr is None or isinstance(attr, RelationshipProperty):
        return None
    for column in attr.columns:
        for foreign_key in column.foreign_keys:
            return _model_of_table(foreign_key.column.table.name)
    return None


def _enum_label(cls: type[Enum], value: Any) -> str:
    try:
        member = cls(value)
    except ValueError:  # a value since taken out of the model
        return str(value).replace("_", " ").capitalize()
    return getattr(member, "label", str(value).replace("_", " ").capitalize())


def _by_type(model: type, key: str, value: Any, values: Values) -> str:
    """A stored value as its column's type says it reads."""
    attr = inspect(model).attrs.get(key)
    if attr is None:
        return str(value)
    if isinstance(attr, RelationshipProperty):
        return ", ".join(value)
    target = _target(model, key)
    if target is not None:
        return values.names.name(target, value)
    column_type = attr.columns[0].type
    if isinstance(column_type, TypeDecorator):
        column_type = column_type.impl
    if isinstance(column_type, EnumType) and column_type.enum_class is not None:
        return _enum_label(column_type.enum_class, value)
    if isinstance(column_type, DateTime):
        return london_datetime(datetime.fromisoformat(value))
    if isinstance(column_type, Date):
        return long_date(date.fromisoformat(value))
    if isinstance(column_type, Boolean):
        return "Yes" if value else "No"
    if isinstance(column_type, Float):
        return plain_number(value)
    if isinstance(column_type, Integer):
        return str(value)
    if isinstance(column_type, Text):
        return quoted(value, values)
    return str(value)


def _is_empty(value: Any) -> bool:
    return value is None or value == []


def _field(thing: Thing, key: str) -> Field:
    # A field an old event holds and the model has since dropped reads as its words.
    return thing.fields.get(key) or Field(key.replace("_", " ").capitalize())


def _show(thing: Thing, key: str, value: Any, values: Values) -> str:
    described = _field(thing, key)
    if _is_empty(value):
        return described.empty
    if described.show is not None:
        return described.show(value, values)
    return _by_type(values.model, key, value, values)


def _name(thing: Thing, values: Values) -> str:
    # Cut before quoting, so a long action's name still ends with its closing quote.
    return " ".join(
        _show(thing, key, shorten(value, NAME_WIDTH) if isinstance(value, str) else value, values)
        for key in thing.name
        if (value := values[key])
    )


@dataclass(frozen=True)
class Entry:
    """One audit event as the trail shows it."""

    event: AuditEvent
    summary: str  # "Lead: added David Clarke"
    details: list[str] = field(default_factory=list)  # "Status: Not started → On track"

    @property
    def who(self) -> str:
        """Who made the change: nobody signed in means the scheduler or a command."""
        return self.event.actor.name if self.event.actor else "Trust Tracker"

    @property
    def sentence(self) -> str:
        """The entry on one line, for a list of changes."""
        return f"{self.summary} ({'; '.join(self.details)})" if self.details else self.summary


def _wanted(events: Iterable[AuditEvent]) -> dict[type, set[int]]:
    """The rows the events point to, to load them in one query per model."""
    wanted: dict[type, set[int]] = defaultdict(set)
    for event in events:
        model = _model_of_table(event.entity)
        if model is None:
            continue
        wanted[model].add(event.entity_id)
        for key, change in event.changes.items():
            target = _target(model, key)
            if target is not None:
                wanted[target].update(v for v in change if isinstance(v, int))
    return wanted


def _stored_values(names: Names, model: type, event: AuditEvent) -> Values:
    """The row's fields as they were at the event: what the event recorded, and for the
    rest the row as it is now (when it is still there)."""
    row = names.row(model, event.entity_id)
    values = {}
    if row is not None:
        values = {attr.key: _plain(getattr(row, attr.key)) for attr in inspect(model).column_attrs}
    side = 1 if event.verb == "created" else 0
    values.update({key: change[side] for key, change in event.changes.items()})
    return Values(names, model, values)


def _moment(thing: Thing, changes: Mapping[str, Sequence[Any]]) -> tuple[str, Moment]:
    for key in changes:
        described = _field(thing, key)
        if isinstance(described, Moment):
            return key, described
    return "", Moment("")


def _in_order(
    thing: Thing, model: type, changes: Mapping[str, Sequence[Any]]
) -> dict[str, Sequence[Any]]:
    """The changes to show, in the order the fields are described (the primary key is the
    event's own entity_id, not a change)."""
    primary = {c.key for c in inspect(model).primary_key}
    order = list(thing.fields)
    keys = sorted(
        (k for k in changes if k not in primary),
        key=lambda k: order.index(k) if k in order else len(order),
    )
    return {key: changes[key] for key in keys}


def _detail(thing: Thing, key: str, change: Sequence[Any], values: Values) -> str:
    described = _field(thing, key)
    old, new = change
    if isinstance(described, Secret):
        return f"{described.label}: changed"
    if isinstance(old, list) or isinstance(new, list):
        added = [n for n in new or [] if n not in (old or [])]
        removed = [o for o in old or [] if o not in (new or [])]
        parts = ([f"added {', '.join(added)}"] if added else []) + (
            [f"removed {', '.join(removed)}"] if removed else []
        )
        return f"{described.label}: {'; '.join(parts)}"
    shown_new = _show(thing, key, new, values)
    if _is_empty(old) and described.empty == "none":
        return f"{described.label}: {shown_new}"
    return f"{described.label}: {_show(thing, key, old, values)} → {shown_new}"


def _describe(names: Names, event: AuditEvent, implied: Collection[str]) -> Entry:
    model = _model_of_table(event.entity)
    thing = THINGS.get(model)
    if thing is None:  # a table since dropped
        return Entry(event, f"{event.entity.replace('_', ' ').capitalize()}: {event.verb}")
    values = _stored_values(names, model, event)
    name = _name(thing, values)

    def summary(verb: str) -> str:
        return f"{thing.label}: {verb} {name}".rstrip()

    shown = _in_order(thing, model, event.changes)
    if event.verb == "created":
        listed = {
            key: change
            for key, change in shown.items()
            if not _is_empty(change[1])
            and _field(thing, key).when_added
            and not isinstance(_field(thing, key), Secret)
            and key not in (*thing.name, *implied)
        }
        details = [
            f"{_field(thing, key).label}: {_show(thing, key, change[1], values)}"
            for key, change in listed.items()
        ]
        return Entry(event, summary("added"), details)
    if event.verb == "deleted":
        return Entry(event, summary(thing.removed))
    verb = "changed"
    moment_key, moment = _moment(thing, shown)
    if moment_key:
        cleared = shown[moment_key][1] is None
        verb = moment.cleared_verb if cleared else moment.set_verb
        hidden = {moment_key, *(moment.companions if cleared else ())}
        shown = {k: v for k, v in shown.items() if k not in hidden}
    details = [_detail(thing, key, change, values) for key, change in shown.items()]
    return Entry(event, summary(verb), details)


def describe_events(
    session: Session, events: Sequence[AuditEvent], implied: Collection[str] = ()
) -> list[Entry]:
    """The events as the trail shows them, in the order given. ``implied``: fields the page
    says already (a meeting's page need not say which meeting an item was added to)."""
    names = Names(session)
    names.load(_wanted(events))
    return [_describe(names, event, implied) for event in events]
