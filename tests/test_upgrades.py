"""``flask --app tracker db upgrade`` (and ``check``) on a database migrated by newer code:
refused, saying what to do, and nothing is changed. On SQLite and PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade

from config.settings import ROOT
from tests.backup_helpers import rows
from tracker import create_app
from tracker.extensions import db

FLASK = Path(sys.executable).parent / "flask"


def test_db_upgrade_refuses_a_database_ahead_of_the_code(empty_database):
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": empty_database})
    with app.app_context():
        upgrade(revision="0012")
        # As a newer version would leave it: a migration this code has never heard of.
        db.session.execute(sa.text("UPDATE alembic_version SET version_num = '0099'"))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    before = rows(empty_database)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "TRACKER_"))}
    env["DATABASE_URL"] = empty_database

    result = subprocess.run(  # noqa: S603 (our own command, no shell)
        [str(FLASK), "--app", "tracker", "db", "upgrade"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert (
        "Error: the database is at revision 0099, which this version of Trust Tracker does not "
        "know (its newest is 00"
    ) in result.stderr
    assert "a newer version migrated it. Deploy that newer version again" in result.stderr
    assert "flask --app tracker restore FILE --replace" in result.stderr
    assert "Traceback" not in result.stderr
    assert rows(empty_database) == before, "nothing was changed"

    checked = create_app("test", {"SQLALCHEMY_DATABASE_URI": empty_database})
    answer = checked.test_cli_runner().invoke(args=["check"])
    assert answer.exit_code == 1
    assert "FAIL  database: " in answer.output
    assert "is at revision 0099, which this version of Trust Tracker does not know" in (
        answer.output
    )
    assert "run flask --app tracker db upgrade" not in answer.output
