"""Every state change is audited, and progress updates are append-only.

Both are enforced here, once, on the session's flush, so no view or job can forget them:
each new, changed or deleted object of a model marked ``__audited__`` gets an AuditEvent
listing the fields that changed (old → new), and any attempt to change or delete a row of a
model marked ``__append_only__`` raises before it reaches the database.

Who made the change is read from ``session.info["actor_id"]`` (set per request from the
signed-in person, or by a CLI command), and an optional reason from
``session.info["audit_reason"]``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import Text, bindparam, cast, event, insert, inspect, or_, select, update
from sqlalchemy.orm import RelationshipProperty, Session, object_session

from tracker import clock
from tracker.extensions import Base
from tracker.models import AuditEvent


class AppendOnlyViolation(RuntimeError):
    """Raised when code tries to edit or delete a row that may only ever be added."""


@contextmanager
def acting_as(session: Session, actor_id: int | None, reason: str | None = None) -> Iterator[None]:
    """Attribute the changes flushed inside the block to ``actor_id``, with an optional reason."""
    previous = session.info.get("actor_id"), session.info.get("audit_reason")
    session.info["actor_id"], session.info["audit_reason"] = actor_id, reason
    try:
        yield
    finally:
        session.info["actor_id"], session.info["audit_reason"] = previous


def _plain(value: Any) -> Any:
    """A JSON-friendly rendering of a column or relationship value."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if isinstance(value, dict):  # a JSON column: kept as the JSON it is
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def _board_id(obj: Any) -> int | None:
    """The board an audited object belongs to, found by walking up its relationships."""
    for path in (
        ("board_id",),
        ("area", "plan", "board_id"),
        ("plan", "board_id"),
        ("action", "area", "plan", "board_id"),
    ):
        value = obj
        for attr in path:
            value = _parent(value, attr)
            if value is None:
                break
        if isinstance(value, int):
            return value
    return None


def _parent(obj: Any, attr: str) -> Any:
    """``obj.attr``, or for a row taken out of its parent's list (and so deleted) the parent
    it was in."""
    value = getattr(obj, attr, None)
    state = inspect(obj, raiseerr=False)
    if value is None and state is not None and attr in state.attrs:
        taken_from = state.attrs[attr].history.deleted
        value = taken_from[0] if taken_from else None
    return value


def _action_id(obj: Any) -> int | None:
    if type(obj).__tablename__ == "action":
        return inspect(obj).mapper.primary_key_from_instance(obj)[0]
    return getattr(obj, "action_id", None)


# Kept by the row itself, not listed as changes.
_UNAUDITED = frozenset({"created_at", "updated_at", "version"})


def audited_attributes(mapper: Any) -> list[Any]:
    """The attributes of an audited model whose changes its events list: its columns and its
    many-to-many collections. Many-to-one is covered by its foreign-key column; one-to-many
    children are audited as objects of their own."""
    return [
        attr
        for attr in mapper.attrs
        if attr.key not in _UNAUDITED
        and not (isinstance(attr, RelationshipProperty) and attr.secondary is None)
    ]


def _changes(obj: Any, *, new: bool) -> dict[str, list[Any]]:
    state = inspect(obj)
    redacted = getattr(obj, "__audit_redacted__", frozenset())
    changes: dict[str, list[Any]] = {}
    for attr in audited_attributes(state.mapper):
        key = attr.key
        is_relationship = isinstance(attr, RelationshipProperty)
        history = state.attrs[key].history
        if not history.has_changes():
            continue
        if key in redacted:
            changes[key] = ["(hidden)", "(changed)"]
            continue
        if is_relationship:
            before = [*history.unchanged, *history.deleted]
            after = [*history.unchanged, *history.added]
            changes[key] = [_plain(before), _plain(after)]
        else:
            old = None if new or not history.deleted else history.deleted[0]
            changes[key] = [_plain(old), _plain(history.added[0] if history.added else None)]
    return changes


def _removed(obj: Any) -> dict[str, list[Any]]:
    """What a deleted row held (old → nothing), so the trail can still name it: "Lead:
    removed David Clarke". Only what is loaded: a deleted row cannot be read again."""
    state = inspect(obj)
    redacted = getattr(obj, "__audit_redacted__", frozenset())
    return {
        attr.key: [_plain(state.dict[attr.key]), None]
        for attr in state.mapper.column_attrs
        if attr.key in state.dict and attr.key not in _UNAUDITED and attr.key not in redacted
    }


def _event(
    session: Session,
    *,
    entity: str,
    entity_id: int,
    board_id: int | None,
    action_id: int | None,
    verb: str,
    changes: dict[str, Any],
) -> dict:
    return {
        "board_id": board_id,
        "actor_id": session.info.get("actor_id"),
        "at": clock.now(),
        "entity": entity,
        "entity_id": entity_id,
        "action_id": action_id,
        "verb": verb,
        "changes": changes,
        "reason": session.info.get("audit_reason"),
    }


def _event_row(session: Session, obj: Any, verb: str, changes: dict[str, Any]) -> dict:
    return _event(
        session,
        entity=type(obj).__tablename__,
        entity_id=inspect(obj).mapper.primary_key_from_instance(obj)[0],
        board_id=_board_id(obj),
        action_id=_action_id(obj),
        verb=verb,
        changes=changes,
    )


def insert_audited(
    session: Session, model: type, rows: list[dict[str, Any]], *, board_id: int | None
) -> None:
    """Insert ``rows`` (column values, the same columns in each) of an audited model of
    ``board_id`` in one statement, each with the "created" event a flush of the same new
    object writes. For a job adding hundreds at once, which the unit of work inserts one by
    one."""
    if not rows:
        return
    redacted = getattr(model, "__audit_redacted__", frozenset())
    mapper = inspect(model)
    columns = [a for a in mapper.column_attrs if a.key in rows[0] and a.key not in _UNAUDITED]
    # The database gives no order to what an insert of many rows returns (SQLite), so each
    # event is written from the row as returned, in the order of the ids given.
    returned = session.execute(
        insert(model).returning(mapper.primary_key[0], *(a.expression for a in columns)), rows
    ).all()
    keys = [a.key for a in columns]
    events = []
    for new_id, *row in sorted(returned, key=lambda r: r[0]):
        values = dict(zip(keys, row, strict=True))
        events.append(
            _event(
                session,
                entity=model.__tablename__,
                entity_id=new_id,
                board_id=board_id,
                action_id=new_id if model.__tablename__ == "action" else values.get("action_id"),
                verb="created",
                changes={
                    key: ["(hidden)", "(changed)"] if key in redacted else [None, _plain(value)]
                    for key, value in values.items()
                },
            )
        )
    session.execute(insert(AuditEvent), events)


@event.listens_for(Session, "before_flush")
def _guard_append_only(session: Session, flush_context: Any, instances: Any) -> None:
    for obj in [*session.dirty, *session.deleted]:
        if getattr(obj, "__append_only__", False) and (
            obj in session.deleted or session.is_modified(obj, include_collections=False)
        ):
            raise AppendOnlyViolation(
                f"{type(obj).__name__} rows are append-only: add a new one instead"
            )


@event.listens_for(Session, "after_flush")
def _audit(session: Session, flush_context: Any) -> None:
    # Run after the flush so that new rows have their ids; the session still holds the
    # pre-flush history here. Written with Core so the unit of work is left alone.
    rows = []
    for obj in session.new:
        if getattr(obj, "__audited__", False):
            rows.append(_event_row(session, obj, "created", _changes(obj, new=True)))
    deleted = session.info.get(_DELETED, set())
    for obj in session.dirty:
        if (
            getattr(obj, "__audited__", False)
            and id(obj) not in deleted
            and session.is_modified(obj)
        ):
            changes = _changes(obj, new=False)
            if changes:
                rows.append(_event_row(session, obj, "updated", changes))
    if rows:
        session.connection().execute(insert(AuditEvent), rows)
    session.info.pop(_DELETED, None)


# Ids of the objects deleted in the flush under way, which are not also "updated".
_DELETED = "audit_deleted"


@event.listens_for(Base, "after_delete", propagate=True)
def _audit_deleted(mapper: Any, connection: Any, obj: Any) -> None:
    # A mapper event, not session.deleted: a row taken out of its parent's list
    # (delete-orphan: a lead, a measure, a reporting month) is deleted by the flush itself.
    if not getattr(obj, "__audited__", False):
        return
    session = object_session(obj)
    session.info.setdefault(_DELETED, set()).add(id(obj))
    connection.execute(insert(AuditEvent), [_event_row(session, obj, "deleted", _removed(obj))])


def swapped(value: Any, swaps: dict[str, str]) -> Any:
    """``value`` (a stored JSON value) with every string that is exactly a key of ``swaps``
    replaced by its value."""
    if isinstance(value, str):
        return swaps.get(value, value)
    if isinstance(value, list):
        return [swapped(v, swaps) for v in value]
    if isinstance(value, dict):
        return {k: swapped(v, swaps) for k, v in value.items()}
    return value


def rewrite_values(session: Session, swaps: dict[str, str]) -> int:
    """Replace values the trail holds (a person's name and address, when they are erased):
    the one change ever made to past events, because the law requires erasure and the trail
    would otherwise keep what was erased. Returns how many events changed.

    Only events whose stored JSON holds one of the values are read. The JSON is written
    with non-ASCII characters escaped, so the search is for the escaped form."""
    wanted = [json.dumps(old)[1:-1] for old in swaps]
    text = cast(AuditEvent.changes, Text)
    found = session.execute(
        select(AuditEvent.id, AuditEvent.changes).where(
            or_(*(text.contains(w, autoescape=True) for w in wanted))
        )
    ).all()
    changed = [
        {"event_id": event_id, "new_changes": new}
        for event_id, changes in found
        if (new := swapped(changes, swaps)) != changes
    ]
    if changed:
        session.execute(
            update(AuditEvent.__table__)
            .where(AuditEvent.__table__.c.id == bindparam("event_id"))
            .values(changes=bindparam("new_changes")),
            changed,
        )
    return len(changed)
