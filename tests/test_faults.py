"""Faults: the mail server down for an hour, and PostgreSQL stopped under a running app.

(A sender killed mid-flush and two schedulers at once are in tests/test_outbox_faults.py.)
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from jobs.schedule import run
from tests import factories
from tests.helpers import assert_security_headers
from tests.smtp_sink import SmtpSink
from tests.test_outbox_faults import queue
from tracker import create_app
from tracker.extensions import db
from tracker.models import OutboxMessage, OutboxStatus, Role

START = datetime(2021, 9, 1, 8, tzinfo=UTC)


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
