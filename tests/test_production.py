"""The production set-up end to end: gunicorn with several workers and one scheduler process,
on PostgreSQL, delivering a whole quarter of reminders to a real SMTP server.

Everything runs as the README tells an operator to run it: migrations, ``check``, gunicorn
with config/gunicorn.conf.py, ``flask --app tracker scheduler``. The scheduler keeps real
time, so the quarter is replayed with ``flask --app tracker jobs run ... --until ...`` while the
scheduler's own outbox job (every minute) delivers what that queues.
"""

from __future__ import annotations

import http.cookiejar
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from config.settings import ROOT
from tests import factories, quarter
from tests.conftest import POSTGRES_URL, postgres_unavailable, scratch_postgres_database
from tests.smtp_sink import SmtpSink, free_port
from tracker import create_app
from tracker.extensions import db
from tracker.mail import message_id
from tracker.models import OutboxMessage, OutboxStatus, ProgressUpdate

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
MAIL_FROM = "Trust Tracker <no-reply@example.org>"


def wait_for(what: str, condition: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout:.0f}s waiting for {what}")
        time.sleep(0.5)


class Processes:
    """Processes started by the test, each in a session of its own, all killed at the end."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.started: list[subprocess.Popen] = []

    def start(self, name: str, args: list[str], env: dict[str, str]) -> subprocess.Popen:
        with (self.logs / f"{name}.log").open("wb") as log:
            process = subprocess.Popen(  # noqa: S603 (our own commands, no shell)
                args,
                env=env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.started.append(process)
        return process

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def run(args: list[str], env: dict[str, str], timeout: float = 300) -> str:
    result = subprocess.run(  # noqa: S603 (our own commands, no shell)
        args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture
def production_database() -> Iterator[str]:
    reason = postgres_unavailable()
    if reason:
        pytest.skip(reason)
    name = f"tracker_production_{os.getpid()}"
    yield scratch_postgres_database(name)
    engine = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    server = SmtpSink().start()
    yield server
    server.stop()


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[Processes]:
    started = Processes(tmp_path)
    yield started
    started.stop_all()


class Browser:
    """A person at a browser: keeps cookies, reads forms and posts them with their token."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> tuple[str, BeautifulSoup]:
        with self.opener.open(self.base_url + path, timeout=30) as response:
            return response.url, BeautifulSoup(response.read(), "html.parser")

    def submit(self, path: str, **fields: str) -> tuple[str, BeautifulSoup]:
        """Open the form at ``path`` and post it with ``fields`` over what it holds."""
        _, page = self.get(path)
        # The form posting back to this page (not, say, the header's sign-out button).
        form = next(
            form
            for form in page.find_all("form", method="post")
            if urllib.parse.urlsplit(form.get("action") or path).path in ("", path)
        )
        data = {i["name"]: i.get("value", "") for i in form.find_all("input", type="hidden")}
        data.update(fields)
        body = urllib.parse.urlencode(data).encode()
        target = self.base_url + urllib.parse.urljoin(path, form.get("action") or path)
        with self.opener.open(target, data=body, timeout=30) as response:
            return response.url, BeautifulSoup(response.read(), "html.parser")


def children(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()


@pytest.fixture
def app(production_database):
    """The app in this process, to arrange the quarter and read the outcome."""
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": production_database})
    yield app
    with app.app_context():
        db.engine.dispose()


def test_gunicorn_and_the_scheduler_deliver_a_quarter_on_postgresql(
    production_database, app, sink, processes
):
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("FLASK_", "SMTP_", "SECRET_", "DATABASE_", "TRACKER_"))
    } | {
        "TRACKER_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": production_database,
        "BASE_URL": f"http://127.0.0.1:{port}",
        # Plain HTTP on the loopback here; behind the proxy in production it stays on.
        "SESSION_COOKIE_SECURE": "false",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(sink.port),
        "MAIL_FROM": MAIL_FROM,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
    }
    flask = [str(BIN / "flask"), "--app", "tracker"]
    run([*flask, "db", "upgrade"], env)
    checked = run([*flask, "check"], env, timeout=60)
    assert "All checks passed." in checked and "FAIL" not in checked

    # The scheduler starts on an empty board: nothing of real today to catch up.
    scheduler = processes.start("scheduler", [*flask, "scheduler"], env)
    gunicorn = processes.start(
        "gunicorn", [str(BIN / "gunicorn"), "-c", "config/gunicorn.conf.py"], env
    )
    wait_for("the scheduler", lambda: "scheduler started" in processes.log("scheduler"), 60)
    wait_for("gunicorn's two workers", lambda: len(children(gunicorn.pid)) == 2, 60)

    with app.app_context():
        board = quarter.build(db.session)
        slug, late_id = board["board"].slug, board["late"].id
        db.session.remove()

    replay = run(
        [
            *flask,
            *("jobs", "run", "forward_plan", "digest", "reminders", "chasers", "daily_email"),
            *("--now", f"{quarter.FIRST_DAY}", "--until", f"{quarter.LAST_DAY}T23:59"),
        ],
        env,
    )
    assert "2021-08-10 08:00 reminders: 2 reminders queued" in replay

    # Meanwhile a lead signs in over gunicorn and posts an update.
    browser = Browser(f"http://127.0.0.1:{port}")
    landed, page = browser.submit("/sign-in", email="lead@example.org", password=factories.PASSWORD)
    assert f"/boards/{slug}/" in landed and "Late action" in page.text
    shown, page = browser.submit(
        f"/boards/{slug}/actions/{late_id}/updates/new",
        status="on_track",
        rag="green",
        text="Posted through gunicorn during the quarter's replay.",
    )
    assert shown.endswith(f"/boards/{slug}/actions/{late_id}")
    assert "Your progress update has been posted." in page.text

    expected = Counter((kind, recipient) for _, kind, recipient in quarter.EXPECTED)
    wait_for(
        "the scheduler's outbox job to deliver the quarter",
        lambda: len(sink.messages) >= len(quarter.EXPECTED),
        timeout=240,
    )
    assert scheduler.poll() is None and gunicorn.poll() is None

    with app.app_context():
        messages = db.session.scalars(select_outbox()).all()
        assert Counter((m.kind, m.recipient) for m in messages) == expected
        assert {m.status for m in messages} == {OutboxStatus.SENT}
        assert {m.attempts for m in messages} == {1}
        ids = {message_id(m.key, MAIL_FROM): m.recipient for m in messages}
        updates = db.session.scalars(sa.select(ProgressUpdate.text)).all()
        db.session.remove()
    received = Counter((m["Message-ID"], m["X-Envelope-To"]) for m in sink.messages)
    assert received == Counter(ids.items()), "each message delivered exactly once"
    assert "Posted through gunicorn during the quarter's replay." in updates

    # Neither process logged a token, a password or a whole address.
    logs = processes.log("scheduler") + processes.log("gunicorn")
    assert "POST /sign-in" in logs and "outbox" in logs
    assert "@example.org" not in logs.replace("***@example.org", "")
    assert factories.PASSWORD not in logs and env["SECRET_KEY"] not in logs


def select_outbox() -> sa.Select:
    return sa.select(OutboxMessage).order_by(OutboxMessage.id)
