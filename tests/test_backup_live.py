"""A backup taken while a lead keeps posting updates holds every row written before it began.

As an operator runs it: the database filled through the app (``demo load``, the morning's
jobs), a second process posting progress updates through the app's forms, and
``flask --app tracker backup`` then ``restore`` as commands of their own, into a fresh
database. On SQLite and on PostgreSQL; the PostgreSQL backup is also restored on another
server of the same major version.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tarfile
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from config.settings import ROOT
from tests.backup_helpers import Databases, app_for, databases_of, rows
from tracker.extensions import db

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
LEAD, PASSWORD = "david.clarke@example.org", "trust-tracker-demo"


@pytest.fixture(params=["sqlite", "postgresql"])
def databases(request, tmp_path) -> Databases:
    return databases_of(request.param, tmp_path)


def flask(url: str, *args: str, timeout: float = 600) -> str:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("FLASK_", "DATABASE_", "TRACKER_", "BACKUP_"))
    } | {"DATABASE_URL": url}
    result = subprocess.run(  # noqa: S603 (our own command, no shell)
        [str(BIN / "flask"), "--app", "tracker", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, f"flask {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def fill(url: str, folder: Path) -> None:
    """Plans, actions, people, meetings and updates, then the morning's e-mails, by the
    commands (in this process: each command of its own costs seconds on a busy machine)."""
    app = app_for(url, folder)
    runner = app.test_cli_runner()
    with app.app_context():
        upgrade()
        for args in (
            ["demo", "load", "--today", "2026-03-02"],
            [
                "jobs",
                "run",
                "forward_plan",
                "digest",
                "reminders",
                "chasers",
                "daily_email",
                "--now",
                "2026-03-02T08:00",
            ],
        ):
            result = runner.invoke(args=args)
            assert result.exit_code == 0, result.output
        db.session.remove()
        db.engine.dispose()


class Writer:
    """The update writer as a process, and what it said it posted, with when."""

    def __init__(self, url: str) -> None:
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        with engine.connect() as connection:
            slug, action_id = connection.execute(
                sa.text(
                    "SELECT board.slug, action.id FROM action "
                    "JOIN action_lead ON action_lead.action_id = action.id "
                    "JOIN person ON person.id = action_lead.person_id "
                    "JOIN area_of_focus ON area_of_focus.id = action.area_id "
                    "JOIN plan ON plan.id = area_of_focus.plan_id "
                    "JOIN board ON board.id = plan.board_id "
                    "WHERE person.email = :email ORDER BY action.id"
                ),
                {"email": LEAD},
            ).first()
        engine.dispose()
        self.posted: list[tuple[float, str]] = []
        self.process = subprocess.Popen(  # noqa: S603 (our own module, no shell)
            [
                sys.executable,
                "-m",
                "tests.update_writer",
                url,
                slug,
                str(action_id),
                LEAD,
                PASSWORD,
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.posted.append((time.monotonic(), line.strip()))

    def wait_for(self, count: int, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while len(self.posted) < count:
            assert self.process.poll() is None, "the writer stopped"
            assert time.monotonic() < deadline, f"the writer posted {len(self.posted)}"
            time.sleep(0.1)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        assert self.process.wait(timeout=60) == 0, "the writer failed"
        self.reader.join(timeout=10)
        self.process.stdout.close()

    def between(self, start: float, end: float) -> list[str]:
        return [text for at, text in self.posted if start <= at <= end]


def test_a_backup_taken_while_a_lead_posts_holds_every_row_written_before_it(
    databases, tmp_path, request
):
    live, fresh = databases.new("live"), databases.new("fresh")
    fill(live, tmp_path)
    filled = rows(live)
    for table in ("plan", "action", "progress_update", "meeting", "outbox_message", "audit_event"):
        assert filled[table], f"the fill wrote no {table}"
    backup = tmp_path / "live.tar"

    writer = Writer(live)
    try:
        writer.wait_for(10)
        started = time.monotonic()
        flask(live, "backup", "-o", str(backup))
        ended = time.monotonic()
        writer.wait_for(len(writer.posted) + 5)
    finally:
        writer.stop()
    assert writer.between(started, ended), "the writer was held up by the backup"
    before = writer.between(0, started)

    flask(fresh, "restore", str(backup))
    restored, now = rows(fresh), rows(live)
    for table, written in filled.items():
        for key, row in written.items():
            assert key in restored[table], f"{table} {key} was written before and is missing"
            if now[table][key] == row:  # rows the writer changed since may have either value
                assert restored[table][key] == row, f"{table} {key} differs"
    texts = _update_texts(fresh)
    assert set(before) <= texts, "an update posted before the backup began is missing"
    after = writer.between(ended, float("inf"))
    assert not set(after) & texts, "an update posted after the backup ended is in it"
    with tarfile.open(backup) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["tables"] == {name: len(table) for name, table in restored.items()}
    assert "All checks passed." in _check(fresh, tmp_path)

    if databases.kind == "postgresql":
        # And on another server of the same major version, as on a new machine.
        server = request.getfixturevalue("private_postgres")
        elsewhere = _new_database(server.url, "tracker")
        said = flask(elsewhere, "restore", str(backup))
        assert "which was empty; every table holds the rows the backup counted" in said
        assert rows(elsewhere) == rows(fresh)
        assert manifest["database"]["server_version"].split(".")[0] == _major(elsewhere)
        assert "All checks passed." in _check(elsewhere, tmp_path)


def _check(url: str, folder: Path) -> str:
    app = app_for(url, folder)
    result = app.test_cli_runner().invoke(args=["check"])
    with app.app_context():
        db.engine.dispose()
    return result.output


def _update_texts(url: str) -> set[str]:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        texts = set(connection.scalars(sa.text("SELECT text FROM progress_update")))
    engine.dispose()
    return texts


def _new_database(server: str, name: str) -> str:
    engine = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return sa.make_url(server).set(database=name).render_as_string(hide_password=False)


def _major(url: str) -> str:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        number = int(connection.scalar(sa.text("SHOW server_version_num")))
    engine.dispose()
    return str(number // 10000)
