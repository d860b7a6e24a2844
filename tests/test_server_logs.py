"""The access logs of both servers, for real: gunicorn with config/gunicorn.conf.py, and the
development server (``flask run``). Neither may write a token from a link (a password reset,
an invitation, a calendar feed) or an e-mail address."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from config.settings import ROOT
from tests.smtp_sink import free_port
from tracker import create_app
from tracker.extensions import db
from tracker.models import Person

BIN = Path(sys.executable).parent
CALENDAR_TOKEN = "calendarTokenXyZ0123456789abcdefghijklmnopqr"
PATHS = [
    f"/calendar/{CALENDAR_TOKEN}.ics",
    "/calendar/guessedTokenAbc987.ics",
    "/password-reset/resetTokenAbc123.signature456",
    "/invitations/invitationTokenDef789?from=mail",
    "/sign-in?next=/calendar/nextTokenGhi654.ics",
]
SECRETS = [CALENDAR_TOKEN, "guessedTokenAbc987", "resetTokenAbc123", "invitationTokenDef789"]


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('logs') / 'tracker.sqlite'}"
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.create_all()
        db.session.add(Person(email="p@example.org", name="P", calendar_token=CALENDAR_TOKEN))
        db.session.commit()
        db.engine.dispose()
    return url


def _serve(args: list[str], port: int, database: str, log: Path) -> Iterator[str]:
    env = {
        **os.environ,
        "TRACKER_ENV": "development",
        "DATABASE_URL": database,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
    }
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 (our own commands, no shell)
            args, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + "/sign-in", timeout=5).close()  # noqa: S310
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise AssertionError(log.read_text()) from None
                time.sleep(0.3)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


def _request_every_path(base: str) -> None:
    for path in PATHS:
        request = urllib.request.Request(  # noqa: S310
            base + path, headers={"Referer": base + PATHS[0]}
        )
        try:
            urllib.request.urlopen(request, timeout=10).close()  # noqa: S310
        except urllib.error.HTTPError as error:
            assert error.code < 500, path


def _check(log_text: str) -> None:
    assert "/calendar/[token]" in log_text and "/invitations/[token]" in log_text
    assert "/password-reset/[token]" in log_text
    assert [secret for secret in SECRETS if secret in log_text] == []


def _wait_for_lines(log: Path, count: int) -> str:
    deadline = time.monotonic() + 10
    while log.read_text().count("/calendar/") < count and time.monotonic() < deadline:
        time.sleep(0.2)
    return log.read_text()


@pytest.mark.parametrize(
    "server",
    [
        ["gunicorn", "-c", "config/gunicorn.conf.py"],
        ["flask", "--app", "tracker", "run", "--port", "{port}"],
    ],
    ids=["gunicorn", "development-server"],
)
def test_the_access_log_masks_every_token(server, database, tmp_path):
    port = free_port()
    args = [str(BIN / server[0]), *(a.format(port=port) for a in server[1:])]
    log = tmp_path / "server.log"
    for base in _serve(args, port, database, log):
        _request_every_path(base)
    _check(_wait_for_lines(log, 3))
