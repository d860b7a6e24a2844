"""Every migration, on a database holding data: nothing is lost going up from 0001 to head,
each downgrade gives back the schema and the data of the revision before, and a migration
that cannot be undone says so and changes nothing. On SQLite and PostgreSQL.

The migrations are found from migrations/versions/ and the rows come from
tests/migration_data.py, generated from each table's columns at each revision: a new
migration is tested with no change here (see the README's "Adding a migration").
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.util import CommandError
from flask import Flask

from tests import migration_data
from tests.conftest import postgres_unavailable, scratch_postgres_database
from tests.migration_data import CHANGED, DROPPED, ROWS_PER_STEP
from tracker import create_app, schema
from tracker.extensions import db

Key = tuple[str, tuple]  # (table, primary key)


@dataclass
class Walk:
    """A database taken from 0001 to head, with rows added at every step."""

    app: Flask
    revisions: list[str]
    # The schema after each revision, as the inspector reads it.
    schemas: dict[str, dict] = field(default_factory=dict)
    # What was put in each row, and at which revision.
    put: dict[Key, tuple[str, dict[str, Any]]] = field(default_factory=dict)

    def upgrade(self, revision: str) -> None:
        command.upgrade(_config(self.app), revision)

    def downgrade(self, revision: str) -> None:
        command.downgrade(_config(self.app), revision)

    def connect(self):
        return db.engine.begin()

    def expected(self, at: str) -> dict[Key, dict[str, Any]]:
        """The values of the rows put in up to revision ``at``, as they read at ``at``."""
        position = self.revisions.index(at)
        later = self.revisions[: position + 1]
        expected = {}
        for key, (revision, values) in self.put.items():
            if self.revisions.index(revision) > position:
                continue
            table = key[0]
            values = dict(values)
            for step in later[self.revisions.index(revision) + 1 :]:
                for (changed_table, column), change in CHANGED.get(step, {}).items():
                    if changed_table == table and column in values:
                        values[column] = change(values[column])
                gone = DROPPED.get(step, set())
                if table in gone:
                    values = None
                    break
                values = {c: v for c, v in values.items() if f"{table}.{c}" not in gone}
            if values is not None:
                expected[key] = values
        return expected

    def kept(self, at: str) -> dict[Key, dict[str, Any]]:
        """After downgrading to ``at``: also the rows put in later, in the tables there at
        ``at``, with the columns there (and not those a later migration changed)."""
        expected = self.expected(at)
        columns = {
            table: {c[0] for c in found["columns"]} for table, found in self.schemas[at].items()
        }
        for key, (revision, values) in self.put.items():
            table = key[0]
            if key in expected or table not in columns or self._dropped_by(table, revision, at):
                continue
            changed = {
                column
                for step in self.revisions[self.revisions.index(revision) + 1 :]
                for changed_table, column in CHANGED.get(step, {})
                if changed_table == table
            }
            expected[key] = {
                c: v for c, v in values.items() if c in columns[table] and c not in changed
            }
        # A table a later migration drops on purpose is empty once it is undone.
        dropped = {
            name
            for step in self.revisions[self.revisions.index(at) + 1 :]
            for name in DROPPED.get(step, set())
        }
        return {key: values for key, values in expected.items() if key[0] not in dropped}

    def _dropped_by(self, table: str, put_at: str, at: str) -> bool:
        """Whether a migration after ``put_at`` up to ``at`` dropped ``table`` (and any table
        of that name at ``at`` is a new one, without the rows put in before)."""
        start, end = self.revisions.index(put_at), self.revisions.index(at)
        return any(
            table in DROPPED.get(step, set()) for step in self.revisions[start + 1 : end + 1]
        )


def _config(app: Flask):
    return app.extensions["migrate"].migrate.get_config()


def _revisions(app: Flask) -> list[str]:
    script = schema.scripts(app)
    return [r.revision for r in reversed(list(script.walk_revisions("base", "heads")))]


def _schema(connection: sa.Connection) -> dict:
    inspector = sa.inspect(connection)
    return {
        table: {
            "columns": sorted(
                (c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)
            ),
            "indexes": sorted(
                (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                for i in inspector.get_indexes(table)
            ),
            "unique": sorted(
                (u["name"], tuple(u["column_names"]))
                for u in inspector.get_unique_constraints(table)
            ),
            "foreign keys": sorted(
                (f["name"], tuple(f["constrained_columns"]), f["referred_table"])
                for f in inspector.get_foreign_keys(table)
            ),
        }
        for table in sorted(inspector.get_table_names())
        if table != "alembic_version"
    }


def _seed(walk: Walk, revision: str, step: int) -> None:
    """Add ROWS_PER_STEP rows to every table, in the order their foreign keys need."""
    metadata = sa.MetaData()
    with walk.connect() as connection:
        metadata.reflect(connection)
        added: dict[str, list[dict[str, Any]]] = {}
        for table in metadata.sorted_tables:
            if table.name == "alembic_version":
                continue
            for row in range(ROWS_PER_STEP):
                values = {
                    column.name: _value(connection, table, column, step, row, added)
                    for column in table.columns
                    if not _assigned_by_the_database(table, column)
                }
                result = connection.execute(table.insert().values(values))
                key = tuple(result.inserted_primary_key)
                added.setdefault(table.name, []).append(
                    values | dict(zip((c.name for c in table.primary_key), key, strict=True))
                )
                walk.put[(table.name, key)] = (revision, values)


def _assigned_by_the_database(table: sa.Table, column: sa.Column) -> bool:
    primary = list(table.primary_key)
    return primary == [column] and column.type.python_type is int and not column.foreign_keys


def _value(connection, table, column, step, row, added) -> Any:
    """A foreign key points at the row of the same number added at this step (or, for a
    table pointing at itself, at a row already there); the rest is generated."""
    if not column.foreign_keys or (table.name, column.name) in migration_data.VALUES:
        return migration_data.value(table, column, step, row)
    target = next(iter(column.foreign_keys)).column
    rows = added.get(target.table.name)
    if target.table is table or not rows:
        return connection.scalar(sa.select(target).order_by(target).limit(1))
    return rows[row % len(rows)][target.name]


def _read(walk: Walk) -> tuple[Counter, dict[Key, dict[str, Any]]]:
    """Rows per table, and every row's values by its key."""
    metadata = sa.MetaData()
    counts: Counter = Counter()
    found = {}
    with walk.connect() as connection:
        metadata.reflect(connection)
        for table in metadata.tables.values():
            for row in connection.execute(table.select()).mappings():
                counts[table.name] += 1
                key = tuple(row[c.name] for c in table.primary_key)
                found[(table.name, key)] = dict(row)
    return counts, found


def _assert_carried(walk: Walk, expected: dict[Key, dict[str, Any]], at: str) -> None:
    counts, found = _read(walk)
    assert counts == Counter(table for table, _ in expected) + Counter({"alembic_version": 1}), (
        f"rows lost or added at {at}"
    )
    for key, values in expected.items():
        row = found[key]
        for column, value in values.items():
            assert column in row, f"{key[0]}.{column} is gone at {at}: declare it in DROPPED"
            assert row[column] == value, f"{key[0]} {key[1]} {column} at {at}"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def walk(request, tmp_path_factory):
    """A fresh database, migrated from 0001 to head with rows added at every step."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('steps') / 'steps.sqlite'}"
    elif reason := postgres_unavailable():
        pytest.skip(reason)
    else:
        url = scratch_postgres_database(f"tracker_steps_{os.getpid()}")
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        walked = Walk(app, _revisions(app))
        for step, revision in enumerate(walked.revisions, start=1):
            walked.upgrade(revision)
            with walked.connect() as connection:
                walked.schemas[revision] = _schema(connection)
            _seed(walked, revision, step)
        yield walked
        db.session.remove()
        db.engine.dispose()


def test_every_migration_carries_every_row_and_value_up_to_head(walk):
    assert walk.revisions[0] == "0001" and len(walk.revisions) >= 13
    _assert_carried(walk, walk.expected(walk.revisions[-1]), walk.revisions[-1])


def test_each_downgrade_gives_back_the_schema_and_data_of_the_revision_before(walk):
    """Down from head one step at a time (this test leaves the database at base)."""
    revisions = walk.revisions
    for position in range(len(revisions) - 1, 0, -1):
        revision, before = revisions[position], revisions[position - 1]
        try:
            walk.downgrade(before)
        except CommandError as refusal:
            assert str(refusal).startswith(f"{revision} cannot be undone"), refusal
            with walk.connect() as connection:
                assert schema.current(connection) == revision, "a refusal changes nothing"
            pytest.skip(f"{revision} cannot be undone: the downgrades below it are not tried")
        with walk.connect() as connection:
            assert schema.current(connection) == before
            assert _schema(connection) == walk.schemas[before], f"downgrading {revision}"
        _assert_carried(walk, walk.kept(before), before)


def test_0009_cannot_be_undone_while_a_person_has_no_email_address(empty_database):
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": empty_database})
    with app.app_context():
        command.upgrade(_config(app), "0009")
        with db.engine.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO person (name, email, session_token, created_at, updated_at)"
                    " VALUES ('Emma Leaver', NULL, 'token', '2021-01-01', '2021-01-01')"
                )
            )
        with pytest.raises(CommandError) as refusal:
            command.downgrade(_config(app), "0008")
        assert str(refusal.value) == (
            "0009 cannot be undone while 1 person has no e-mail address: give them one "
            "(Admin → People), or restore the backup taken before the upgrade to 0009"
        )
        with db.engine.connect() as connection:
            assert schema.current(connection) == "0009"
            assert connection.scalar(sa.text("SELECT count(*) FROM person")) == 1
        db.engine.dispose()
