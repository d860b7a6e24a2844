"""Rows for every step of the migrations, for tests/test_migration_steps.py.

At each revision from 0001 to head the test adds rows to every table, generated from the
table's columns as they are at that revision (so a new migration's tables and columns are
filled with no work here): text from the table and column names, numbers and dates from
the step and the row, a foreign key pointing at a row of its table, a choice from the
models' enum. It then checks that every value it put in reads the same at head, and after
each downgrade.

A new migration needs something here only when:

- a column needs a value its type does not tell (a check constraint across columns, a
  format): add it to ``VALUES``;
- the migration changes values on purpose: add to ``CHANGED`` how a value put in before
  it reads after it;
- the migration drops a table or column on purpose: add it to ``DROPPED``, so that losing
  those values is a decision, not an accident.

A migration that cannot be undone says so in its downgrade:
``raise CommandError("0014 cannot be undone: why; what to do instead")`` (alembic.util).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from tracker.extensions import db

ROWS_PER_STEP = 2

# (table, column) → a value, or a function of (step, row number) giving one.
VALUES: dict[tuple[str, str], Any] = {
    # person_or_team: a lead is a person or a team, never both.
    ("action_lead", "team_id"): None,
    # 0014 relabels "carried_over" and "added" items by what the meeting before left
    # unreached, which a value alone cannot say: tests/test_forward_plan_kinds.py checks it.
    ("forward_plan_item", "kind"): lambda step, row: ("due", "focus")[row % 2],
}

# revision → {(table, column): how a value put in before that revision reads after it}.
CHANGED: dict[str, dict[tuple[str, str], Callable[[Any], Any]]] = {}

# revision → the tables ("table") and columns ("table.column") it drops on purpose.
DROPPED: dict[str, set[str]] = {
    # Failure counts a few minutes old, kept by account and client address from 0018 on.
    "0018": {"sign_in_throttle"},
}


def value(table: sa.Table, column: sa.Column, step: int, row: int) -> Any:
    """What to put in ``column`` for row ``row`` of step ``step``; unique per step and row."""
    fixed = VALUES.get((table.name, column.name), _GENERATED)
    if fixed is not _GENERATED:
        return fixed(step, row) if callable(fixed) else fixed
    choices = _choices(table.name, column.name)
    if choices:
        return choices[(step + row) % len(choices)]
    kind = column.type.python_type
    n = step * ROWS_PER_STEP + row
    if kind is bool:
        return row % 2 == 0
    if kind is int:
        return 100 * step + row
    if kind is float:
        return step + row / 4
    if kind is Decimal:
        return Decimal(f"{step}.{row}")
    if kind is datetime:
        return datetime(2021, 1, 1, 8, 30) + timedelta(hours=n)
    if kind is date:
        return date(2021, 1, 1) + timedelta(days=n)
    if kind is dict:
        return {"step": step, "row": row, "text": "Café — “quoted”"}
    if kind is bytes:
        return f"{step}-{row} {table.name}.{column.name}: \x00 Café".encode()
    text = f"{step}-{row} {table.name}.{column.name}"
    length = getattr(column.type, "length", None)
    if length is None:
        return f"{text}: Café — “quoted”\ta tab and\na new line"
    return text[:length]


_GENERATED = object()


def _choices(table: str, column: str) -> list[str]:
    """The values of the models' enum for this column, if it is one."""
    model = db.metadata.tables.get(table)
    kind = model.columns[column].type if model is not None and column in model.columns else None
    return list(kind.enums) if isinstance(kind, sa.Enum) else []
