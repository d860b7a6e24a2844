"""Faults: the mail server down for an hour, and PostgreSQL stopped under a running app.

(A sender killed mid-flush and two schedulers at once are in tests/test_outbox_faults.py.)
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from jobs.schedule import run
from tests import factories
from tests.helpers import assert_security_headers
from tests.smtp_sink import SmtpSink, free_port
from tests.test_outbox_faults import queue
from tracker import create_app
from tracker.extensions import db
from tracker.models import OutboxMessage, OutboxStatus, Role

START = datetime(2021, 9, 1, 8, tzinfo=UTC)
PG_BIN = Path("/usr/lib/postgresql/15/bin")


def test_mail_server_down_for_an_hour_then_everything_is_delivered_once(app, session, monkeypatch):
    queue(session, 12)
    sink = SmtpSink()  # its port is chosen, but nothing listens there yet
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", sink.port)

    # The scheduler's outbox job, every minute of an hour, with the server down.
    for minute in range(60):
        assert "0 sent" in run(session, "outbox", START + timedelta(minutes=minute))
    waiting = session.scalars(select(OutboxMessage)).all()
    assert {m.status for m in waiting} == {OutboxStatus.PENDING}
    assert sum(m.attempts for m in waiting) > len(waiting), "retried while down"

    sink.start()
    try:
        # Back up: the job goes on every minute until nothing is left (the longest back-off
        # is an hour).
        minute = 60
        while session.scalars(
            select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.PENDING)
        ).first():
            assert minute < 180, "messages still waiting two hours after the server came back"
            run(session, "outbox", START + timedelta(minutes=minute))
            minute += 1
    finally:
        sink.stop()
    subjects = Counter(m["Subject"] for m in sink.messages)
    assert subjects == Counter(f"Message {i}" for i in range(12)), "each delivered once"
    session.expire_all()
    assert {m.status for m in session.scalars(select(OutboxMessage))} == {OutboxStatus.SENT}


class PrivatePostgres:
    """A PostgreSQL server of the test's own, in a temporary directory, on a free port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="tracker-pg-"))
        self.data = self.directory / "data"
        self.as_postgres = os.geteuid() == 0  # initdb refuses to run as root
        if self.as_postgres:
            postgres = pwd.getpwnam("postgres")
            os.chown(self.directory, postgres.pw_uid, postgres.pw_gid)
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        command = [str(PG_BIN / args[0]), *args[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)  # noqa: S603

    def init(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1"
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.directory / "log"),
            "-w",
            "-t",
            "60",
            "start",
        )

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop")

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


@pytest.fixture
def private_postgres() -> Iterator[PrivatePostgres]:
    if not (PG_BIN / "initdb").exists():
        pytest.skip(f"no PostgreSQL server binaries in {PG_BIN}: cannot stop one of our own")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root with no postgres user to run a private PostgreSQL")
    server = PrivatePostgres()
    try:
        server.init()
        server.start()
        yield server
    finally:
        server.remove()


def test_postgresql_stopped_during_requests_gives_a_clear_page_and_recovers(private_postgres):
    app = create_app(
        "test", {"SQLALCHEMY_DATABASE_URI": private_postgres.url, "WTF_CSRF_ENABLED": False}
    )
    with app.app_context():
        db.create_all()
        board = factories.board()
        lead = factories.person(board, Role.LEAD)
        db.session.commit()
        slug, lead_id = board.slug, lead.get_id()
        db.session.remove()
    client = app.test_client()
    with client.session_transaction() as cookie:
        cookie["_user_id"], cookie["_fresh"] = lead_id, True
    page = f"/boards/{slug}/my-actions"
    try:
        assert client.get(page).status_code == 200

        private_postgres.stop()
        for path in (page, "/sign-in"):
            response = client.get(path)
            body = response.get_data(as_text=True)
            assert response.status_code == 503, body[:500]
            assert "Sorry, the service is unavailable" in body
            assert (
                "Traceback" not in body and "psycopg" not in body and "OperationalError" not in body
            )
            assert response.headers["Retry-After"] == "30"
            assert_security_headers(response)
        response = client.post("/sign-in", data={"email": "a@example.org", "password": "x"})
        assert response.status_code == 503

        private_postgres.start()
        response = client.get(page)
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
        assert "Sign out" in response.get_data(as_text=True)
    finally:
        with app.app_context():
            db.engine.dispose()
