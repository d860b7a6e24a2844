"""The mail receiver as the operator runs it (``flask --app tracker mail receive``), in a
process of its own: it stops cleanly on SIGTERM, and killed with SIGKILL in the middle of
a message, or just after answering one, it loses nothing and posts nothing twice."""

from __future__ import annotations

import os
import signal
import smtplib
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from config.settings import ROOT
from tests import factories, replies
from tests.smtp_sink import free_port
from tracker import clock, create_app
from tracker.extensions import db
from tracker.inbound.tokens import reply_address
from tracker.models import InboundMessage, InboundStatus, ProgressUpdate, Role

pytestmark = pytest.mark.slow

FLASK = [str(Path(sys.executable).parent / "flask"), "--app", "tracker"]


@pytest.fixture
def setting(tmp_path):
    """A migrated SQLite database of its own, the environment the receiver runs with, and
    the app in this process to arrange and read it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "DATABASE_"))}
    env |= {
        "TRACKER_ENV": "test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'tracker.sqlite'}",
        "UPDATES_ADDRESS": "updates@example.org",
    }
    subprocess.run(  # noqa: S603 (our own command)
        [*FLASK, "db", "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True, timeout=120
    )
    app = create_app(
        "test",
        {"SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"], "UPDATES_ADDRESS": "updates@example.org"},
    )
    with app.app_context():
        board = factories.board()
        lead = factories.person(board, Role.LEAD, email="david.clarke@example.org")
        action = factories.action(factories.area(factories.plan(board)), leads=[lead])
        to = reply_address(lead, action, clock.today()).address
        db.session.commit()
        db.session.remove()
    yield dict(env=env, app=app, to=to, log=tmp_path / "receiver.log")
    with app.app_context():
        db.engine.dispose()


def start(setting) -> tuple[subprocess.Popen, int]:
    port = free_port()
    with setting["log"].open("ab") as log:
        process = subprocess.Popen(  # noqa: S603 (our own command)
            [*FLASK, "mail", "receive", "--port", str(port)],
            env=setting["env"],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process, port
        except OSError:
            assert process.poll() is None, setting["log"].read_text()
            assert time.monotonic() < deadline, "the receiver did not start"
            time.sleep(0.1)


def outcome(setting) -> tuple[list[str], list[InboundStatus]]:
    with setting["app"].app_context():
        texts = db.session.scalars(select(ProgressUpdate.text)).all()
        statuses = db.session.scalars(select(InboundMessage.status)).all()
        db.session.remove()
    return texts, statuses


def wait_for_posting(setting, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while InboundStatus.POSTED not in outcome(setting)[1]:
        assert time.monotonic() < deadline, setting["log"].read_text()
        time.sleep(0.1)


def test_the_receiver_posts_and_stops_cleanly_on_sigterm(setting):
    process, port = start(setting)
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        smtp.sendmail(
            "david.clarke@example.org", [setting["to"]], replies.plain(setting["to"], "Hi.")
        )
    wait_for_posting(setting)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=20) == 0
    log = setting["log"].read_text()
    assert "receiving SMTP on 127.0.0.1" in log and "receiver stopped" in log
    assert "david.clarke@example.org" not in log  # addresses are masked in the log
    assert outcome(setting) == (["Hi."], [InboundStatus.POSTED])


def test_killed_in_the_middle_of_a_message_nothing_is_lost_or_posted_twice(setting):
    raw = replies.plain(setting["to"], "Sent while the receiver died.")
    process, port = start(setting)
    connection = socket.create_connection(("127.0.0.1", port), timeout=10)
    lines = connection.makefile("rb")
    lines.readline()
    for command in (
        b"EHLO mx.example.org",
        b"MAIL FROM:<david.clarke@example.org>",
        f"RCPT TO:<{setting['to']}>".encode(),
        b"DATA",
    ):
        connection.sendall(command + b"\r\n")
        answer = lines.readline()
        while answer[3:4] == b"-":
            answer = lines.readline()
    assert answer.startswith(b"354")
    connection.sendall(raw[: len(raw) // 2])
    time.sleep(0.3)
    process.kill()
    process.wait(timeout=10)
    connection.close()
    # Not answered 250, so not taken: nothing was stored, and the mail server still has it.
    assert outcome(setting) == ([], [])

    # The mail server tries again; then again, as if our 250 had been lost on the way.
    process, port = start(setting)
    for _ in range(2):
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
            smtp.sendmail("david.clarke@example.org", [setting["to"]], raw)
    wait_for_posting(setting)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=20) == 0
    assert outcome(setting) == (["Sent while the receiver died."], [InboundStatus.POSTED])


def test_killed_just_after_answering_the_scheduler_posts_it_once(setting):
    raw = replies.plain(setting["to"], "Answered, then the receiver died.")
    process, port = start(setting)
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        smtp.sendmail("david.clarke@example.org", [setting["to"]], raw)
        process.kill()
    process.wait(timeout=10)
    texts, statuses = outcome(setting)
    assert len(statuses) == 1 and texts in ([], ["Answered, then the receiver died."])
    # The scheduler's inbox job (run here by hand, as `mail fetch` does) retries what waits.
    subprocess.run(  # noqa: S603 (our own command)
        [*FLASK, "mail", "fetch"], env=setting["env"], cwd=ROOT, check=True, timeout=60
    )
    assert outcome(setting) == (
        ["Answered, then the receiver died."],
        [InboundStatus.POSTED],
    )


def test_without_updates_address_the_receiver_says_what_to_set(setting):
    env = setting["env"] | {"UPDATES_ADDRESS": ""}
    result = subprocess.run(  # noqa: S603 (our own command)
        [*FLASK, "mail", "receive"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2 and "set UPDATES_ADDRESS" in result.stderr
