"""``flask --app tracker check``: one line per check, and a failure for each thing wrong."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask_migrate import upgrade

from tests.smtp_sink import SmtpSink, free_port
from tracker import create_app
from tracker.backup import archive
from tracker.backup.rotation import name_for
from tracker.check import last_backup
from tracker.extensions import db

FLASK = Path(sys.executable).parent / "flask"
GOOD_KEY = "a" * 20 + "-random-enough-for-a-test-" + "z" * 20


def check(database_url: str, **config):
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": database_url, **config})
    result = app.test_cli_runner().invoke(args=["check"])
    with app.app_context():
        db.engine.dispose()
    return result


def migrated(database_url: str, revision: str = "head") -> str:
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        upgrade(revision=revision)
        db.engine.dispose()
    return database_url


@pytest.fixture
def sink():
    server = SmtpSink().start()
    yield server
    server.stop()


def test_everything_right_passes_with_one_line_per_check(empty_database, sink):
    result = check(
        migrated(empty_database), SMTP_HOST="127.0.0.1", SMTP_PORT=sink.port, SMTP_TLS=False
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "ok    secret key: set (test instance)"
    assert lines[1].startswith("ok    database: ") and "migrated to 00" in lines[1]
    assert lines[2] == f"ok    mail server: 127.0.0.1:{sink.port} answers"
    assert lines[3] == "All checks passed."


def test_a_database_not_migrated_fails(empty_database):
    result = check(empty_database)
    assert result.exit_code == 1
    assert "FAIL  database: " in result.output
    assert (
        "is at no migration" in result.output
        and "run flask --app tracker db upgrade" in result.output
    )
    assert "Error: configuration check failed: database" in result.output


def test_a_database_behind_the_newest_migration_fails(empty_database):
    result = check(migrated(empty_database, "0006"))
    assert result.exit_code == 1
    assert "is at 0006, the newest is" in result.output


def test_a_database_that_does_not_answer_fails():
    url = f"postgresql+psycopg://tracker:hunter2-secret@127.0.0.1:{free_port()}/tracker"
    result = check(url)
    assert result.exit_code == 1
    assert "FAIL  database: postgresql+psycopg://tracker:***@127.0.0.1" in result.output
    assert "did not answer" in result.output
    assert "hunter2" not in result.output


def test_no_mail_server_set_is_fine(tmp_path):
    result = check(migrated(f"sqlite:///{tmp_path / 'db.sqlite'}"), SMTP_HOST=None)
    assert result.exit_code == 0, result.output
    assert "ok    mail server: no SMTP_HOST: e-mails stay in the outbox" in result.output


def test_a_mail_server_that_does_not_answer_fails(tmp_path):
    port = free_port()
    result = check(
        migrated(f"sqlite:///{tmp_path / 'db.sqlite'}"), SMTP_HOST="127.0.0.1", SMTP_PORT=port
    )
    assert result.exit_code == 1
    assert f"FAIL  mail server: 127.0.0.1:{port} could not be reached" in result.output
    assert "Error: configuration check failed: mail server" in result.output


def test_a_mail_server_without_starttls_fails_when_tls_is_asked(tmp_path, sink):
    result = check(
        migrated(f"sqlite:///{tmp_path / 'db.sqlite'}"),
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=sink.port,
        SMTP_TLS=True,
    )
    assert result.exit_code == 1
    assert "FAIL  mail server" in result.output and "STARTTLS" in result.output


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        ("development-only-not-secret", "SECRET_KEY is a published example"),
        ("change-me-to-a-long-random-string", "SECRET_KEY is a published example"),
        ("short", "SECRET_KEY has 5 characters: use 32 or more"),
    ],
)
def test_a_weak_secret_key_fails_in_production(tmp_path, key, problem):
    result = check(
        migrated(f"sqlite:///{tmp_path / 'db.sqlite'}"), ENV_NAME="production", SECRET_KEY=key
    )
    assert result.exit_code == 1
    assert f"FAIL  secret key: {problem}" in result.output


def test_a_good_secret_key_passes_in_production(tmp_path):
    result = check(
        migrated(f"sqlite:///{tmp_path / 'db.sqlite'}"), ENV_NAME="production", SECRET_KEY=GOOD_KEY
    )
    assert "ok    secret key: set (66 characters)" in result.output
    assert GOOD_KEY not in result.output


def test_no_secret_key_in_production_stops_with_a_clear_message(tmp_path):
    env = {
        key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "FLASK_APP"}
    } | {"TRACKER_ENV": "production", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}"}
    result = subprocess.run(  # noqa: S603 (our own command, no shell)
        [str(FLASK), "--app", "tracker", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "SECRET_KEY must be set in production" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_warning_passes_and_says_so(tmp_path):
    result = check(
        migrated(f"sqlite:///{tmp_path / 'db.sqlite'}"), ENV_NAME="production", SECRET_KEY=GOOD_KEY
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[-2].startswith("WARN  backup: BACKUP_DIR is not set: nothing checks")
    assert lines[-1] == "All checks passed. Read the warning above."


def test_check_reports_the_newest_backups_age_and_warns_when_it_is_too_old(tmp_path):
    folder = tmp_path / "backups"
    config = {"ENV_NAME": "production", "BACKUP_DIR": None, "BACKUP_MAX_AGE_HOURS": 26}
    now = datetime(2026, 3, 3, 9, tzinfo=UTC)
    unset = last_backup(config, now)
    assert unset.warn and "BACKUP_DIR is not set" in unset.detail
    assert last_backup(config | {"ENV_NAME": "development"}, now) is None

    config["BACKUP_DIR"] = str(folder)
    none_yet = last_backup(config, now)
    assert none_yet.warn and "no backup in" in none_yet.detail

    folder.mkdir()
    taken = datetime(2026, 3, 2, 8, tzinfo=UTC)
    _manifest_only(folder / name_for(taken), taken)
    fresh = last_backup(config, now)
    assert fresh.ok and not fresh.warn
    assert str(fresh) == (
        f"ok    backup: the newest, {folder / name_for(taken)}, is 1 day 1 hour old (schema 0013)"
    )
    stale = last_backup(config, now + timedelta(days=2))
    assert stale.ok and stale.warn
    assert str(stale).startswith("WARN  backup: the newest, ")
    assert "is 3 days 1 hour old, more than BACKUP_MAX_AGE_HOURS (26)" in stale.detail

    (folder / name_for(now)).write_bytes(b"not a backup")
    unreadable = last_backup(config, now)
    assert unreadable.warn and "the newest backup cannot be read" in unreadable.detail


def _manifest_only(path: Path, taken: datetime) -> None:
    manifest = archive.Manifest(
        created_at=taken,
        tracker_version="0.1.0",
        schema_revision="0013",
        database={"engine": "sqlite"},
        tables={"board": 1},
        files={},
    )
    archive.write(path, manifest, {})
