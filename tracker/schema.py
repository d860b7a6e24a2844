"""Where a database's schema stands against the code's migrations (migrations/versions/).

A database at a revision the code does not know was migrated by a newer version of Trust
Tracker: this code must not touch it. Upgrading would fail half-way, and running the older
code on it (a downgrade by accident) would read and write a schema it was not written for.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from flask import Flask


def scripts(app: Flask) -> ScriptDirectory:
    return ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())


def head(script: ScriptDirectory) -> str:
    return script.get_current_head()


def known(script: ScriptDirectory) -> set[str]:
    return {revision.revision for revision in script.walk_revisions()}


def current(connection: sa.Connection) -> str | None:
    """The database's revision, or None when it was never migrated."""
    return MigrationContext.configure(connection).get_current_revision()


def ahead_of_the_code(revision: str, newest: str) -> str:
    """What to tell the operator when the database is at a revision the code does not know."""
    return (
        f"the database is at revision {revision}, which this version of Trust Tracker does not "
        f"know (its newest is {newest}): a newer version migrated it. Deploy that newer version "
        "again rather than this one; to go back to this version, restore the backup taken "
        "before the upgrade (flask --app tracker restore FILE --replace)"
    )


def refuse_a_database_ahead_of_the_code(engine: sa.Engine, script: ScriptDirectory) -> None:
    """Stop a migration command before it starts on a database the code does not know.

    Called by migrations/env.py; a CommandError is printed by Flask-Migrate as one line.
    """
    with engine.connect() as connection:
        revision = current(connection)
    if revision is not None and revision not in known(script):
        raise CommandError(ahead_of_the_code(revision, head(script)))
