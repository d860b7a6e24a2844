"""Faults: two schedulers at once, two senders at once, and a sender killed mid-flush."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from jobs.schedule import run
from tests import factories
from tests.smtp_sink import SmtpSink
from tracker.extensions import db
from tracker.mail import SmtpSettings, flush
from tracker.models import OutboxMessage, OutboxStatus, Role
from tracker.outbox import enqueue

NOW = datetime(2021, 9, 1, 8, tzinfo=UTC)
FLASK = Path(sys.executable).parent / "flask"


@pytest.fixture
def sink():
    server = SmtpSink().start()
    yield server
    server.stop()


def queue(session, n: int) -> None:
    for i in range(n):
        enqueue(
            session,
            key=f"fault:{i}",
            kind="test",
            recipient=f"p{i}@example.org",
            subject=f"Message {i}",
            template="password_reset",
            board_id=None,
            link="http://127.0.0.1:5000/x",
            minutes=60,
        )
    session.commit()


def in_threads(app, work, count: int = 2) -> list:
    """Run ``work(session)`` in ``count`` threads at once, each with its own app context."""
    results, errors = [], []
    barrier = threading.Barrier(count)

    def target():
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                results.append(work(db.session))
            except Exception as error:  # noqa: BLE001 (reported by the assertion below)
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=target) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


def test_two_schedulers_at_once_queue_each_reminder_once(app, session):
    board = factories.board()
    lead = factories.person(board, Role.LEAD)
    area = factories.area(factories.plan(board, "CYPP", 2021, 2022))
    factories.meeting(board, date(2021, 9, 8))
    for i in range(5):
        factories.action(area, text=f"Action {i}", leads=[lead], months=[date(2021, 9, 1)])
    session.commit()
    moment = datetime(2021, 8, 10, 7, tzinfo=UTC)
    results = in_threads(app, lambda s: run(s, "reminders", moment))
    assert sorted(results) == ["0 reminders queued", "1 reminder queued"]
    assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


def test_two_senders_at_once_deliver_each_message_once(app, session, sink):
    queue(session, 60)
    settings = SmtpSettings(host="127.0.0.1", port=sink.port, mail_from="t@example.org")
    results = in_threads(app, lambda s: flush(s, NOW, settings))
    assert sum(r.sent for r in results) == 60
    ids = [m["Message-ID"] for m in sink.messages]
    assert len(ids) == len(set(ids)) == 60


def test_a_sender_killed_mid_flush_loses_nothing(app, session, sink):
    total = 500
    queue(session, total)
    env = {
        **os.environ,
        "TRACKER_ENV": "development",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(sink.port),
    }
    sender = subprocess.Popen(  # noqa: S603 (our own command, no shell)
        [str(FLASK), "--app", "tracker", "outbox", "flush"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while len(sink.messages) < 20 and time.monotonic() < deadline and sender.poll() is None:
        time.sleep(0.005)
    sender.send_signal(signal.SIGKILL)
    sender.wait(timeout=10)
    delivered_before_restart = len(sink.messages)
    assert 0 < delivered_before_restart < total, "the sender was not stopped mid-flush"

    session.expire_all()
    settings = SmtpSettings(host="127.0.0.1", port=sink.port, mail_from="t@example.org")
    flush(session, NOW, settings)
    subjects = [m["Subject"] for m in sink.messages]
    assert set(subjects) == {f"Message {i}" for i in range(total)}
    assert len(subjects) - total <= 1  # at most the one in flight at the kill, twice
    statuses = session.scalars(select(OutboxMessage.status)).all()
    assert set(statuses) == {OutboxStatus.SENT}
