"""The Alembic migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

import re

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from config.settings import ROOT
from tracker import create_app
from tracker.extensions import db

VERSIONS = ROOT / "migrations" / "versions"


def test_migrations_match_the_models(empty_database):
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": empty_database})
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "render_as_batch": True}
            )
            assert compare_metadata(context, db.metadata) == []
        downgrade(revision="base")
        with db.engine.connect() as connection:
            tables = db.inspect(connection).get_table_names()
        assert set(tables) <= {"alembic_version"}
        db.engine.dispose()


def test_revisions_are_numbered_with_a_single_head():
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.app_context():
        script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
    assert len(script.get_heads()) == 1
    files = sorted(p.name for p in VERSIONS.glob("*.py"))
    numbers = [int(re.match(r"(\d{4})_", name).group(1)) for name in files]
    assert numbers == list(range(1, len(files) + 1))
    revisions = {r.revision for r in script.walk_revisions()}
    assert revisions == {f"{n:04d}" for n in numbers}
