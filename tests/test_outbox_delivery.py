from datetime import UTC, datetime, timedelta
from email.header import decode_header, make_header

import pytest
from sqlalchemy import select

from tests.smtp_sink import free_port
from tracker.mail import _BOUNDARY, SmtpSettings, backoff, flush, message_id
from tracker.models import OutboxMessage, OutboxStatus
from tracker.outbox import enqueue

NOW = datetime(2021, 9, 1, 8, 0, tzinfo=UTC)


def settings(port: int) -> SmtpSettings:
    return SmtpSettings(
        host="127.0.0.1", port=port, mail_from="Trust Tracker <tracker@example.org>"
    )


def queue(session, n: int = 3, created_at: datetime = NOW):
    for i in range(n):
        enqueue(
            session,
            key=f"test:{i}",
            kind="test",
            recipient=f"lead{i}@example.org",
            subject=f"Reminder {i}",
            template="password_reset",
            board_id=None,
            link=f"http://127.0.0.1:5000/x/{i}",
            minutes=60,
        )
    for message in session.scalars(select(OutboxMessage)):
        message.created_at = created_at
    session.commit()


def test_delivers_text_and_html_with_a_message_id_from_the_key(session, sink):
    queue(session)
    result = flush(session, NOW, settings(sink.port))
    assert (result.sent, result.retrying, result.failed) == (3, 0, 0)
    assert sorted(m["X-Envelope-To"] for m in sink.messages) == [
        "lead0@example.org",
        "lead1@example.org",
        "lead2@example.org",
    ]
    first = next(m for m in sink.messages if m["X-Envelope-To"] == "lead0@example.org")
    assert first["Subject"] == "Reminder 0"
    assert first["Message-ID"] == message_id("test:0", "tracker@example.org")
    assert {part.get_content_type() for part in first.walk()} >= {"text/plain", "text/html"}
    assert all(m.status is OutboxStatus.SENT for m in session.scalars(select(OutboxMessage)))
    # A second flush has nothing left to send.
    assert flush(session, NOW, settings(sink.port)).sent == 0 and len(sink.messages) == 3


def test_words_beyond_ascii_arrive_intact(session, sink):
    enqueue(
        session,
        key="test:accents",
        kind="test",
        recipient="zoe@example.org",
        subject="Chased 3 times – still overdue: Children’s Trust Board",
        template="password_reset",
        board_id=None,
        link="http://127.0.0.1:5000/x/é",
        minutes=60,
    )
    session.commit()
    mail_from = "Children’s Trust <tracker@example.org>"
    result = flush(
        session, NOW, SmtpSettings(host="127.0.0.1", port=sink.port, mail_from=mail_from)
    )
    assert result.sent == 1
    received = sink.messages[0]
    assert str(make_header(decode_header(received["Subject"]))) == (
        "Chased 3 times – still overdue: Children’s Trust Board"
    )
    assert str(make_header(decode_header(received["From"]))) == (
        "Children’s Trust <tracker@example.org>"
    )
    bodies = {
        part.get_content_type(): part.get_payload(decode=True).decode()
        for part in received.walk()
        if part.get_content_maintype() == "text"
    }
    assert set(bodies) == {"text/plain", "text/html"}
    assert all("http://127.0.0.1:5000/x/é" in body for body in bodies.values())


def test_a_body_holding_the_mime_boundary_arrives_intact(session, sink):
    # Every e-mail has the same boundary between its parts: safe only because the parts go
    # base64-encoded, where the boundary's characters cannot all occur.
    link = f"http://127.0.0.1:5000/x\n--{_BOUNDARY}--\n"
    enqueue(
        session,
        key="test:boundary",
        kind="test",
        recipient="zoe@example.org",
        subject="Boundary",
        template="password_reset",
        board_id=None,
        link=link,
        minutes=60,
    )
    session.commit()
    assert flush(session, NOW, settings(sink.port)).sent == 1
    parts = [p for p in sink.messages[0].walk() if p.get_content_maintype() == "text"]
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    assert f"--{_BOUNDARY}--" in parts[0].get_payload(decode=True).decode()


def test_server_down_retries_with_back_off_then_gives_up_after_a_day(session):
    queue(session, 2)
    down = settings(free_port())
    result = flush(session, NOW, down)
    assert (result.sent, result.retrying) == (0, 1)  # the rest wait: the server is down
    first = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).first()
    assert first.attempts == 1 and first.next_attempt_at == NOW + timedelta(minutes=1)
    # Thirty seconds on, the first is not due again; the second gets its first try.
    flush(session, NOW + timedelta(seconds=30), down)
    second = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert first.attempts == 1 and second.attempts == 1
    flush(session, NOW + timedelta(minutes=1), down)
    assert first.attempts == 2 and first.next_attempt_at == NOW + timedelta(minutes=3)
    assert "Connection refused" in first.last_error
    flush(session, NOW + timedelta(hours=25), down)
    assert first.status is OutboxStatus.FAILED
    assert [a.delivered for a in first.delivery_attempts] == [False, False, False]
    assert all("Connection refused" in a.error for a in first.delivery_attempts)


def test_server_back_up_delivers_everything(session, sink):
    queue(session, 2)
    flush(session, NOW, settings(free_port()))
    result = flush(session, NOW + timedelta(minutes=5), settings(sink.port))
    assert result.sent == 2 and len(sink.messages) == 2


def test_a_5xx_answer_fails_at_once(session, sink):
    sink.handler.refuse["lead1@example.org"] = "550 5.1.1 No such user"
    queue(session, 3)
    result = flush(session, NOW, settings(sink.port))
    assert (result.sent, result.failed) == (2, 1)
    failed = session.scalars(
        select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.FAILED)
    ).one()
    assert failed.recipient == "lead1@example.org" and failed.last_error.startswith("550")


@pytest.mark.parametrize(
    ("attempts", "wait"),
    [
        (1, timedelta(minutes=1)),
        (2, timedelta(minutes=2)),
        (6, timedelta(minutes=32)),
        (7, timedelta(hours=1)),
        (20, timedelta(hours=1)),
    ],
)
def test_backoff(attempts, wait):
    assert backoff(attempts) == wait


def test_admin_retries_a_failed_message(client_request, session):
    from tests import factories
    from tracker.models import Role

    board = factories.board()
    admin = factories.person(board, Role.ADMIN)
    message = enqueue(
        session,
        key="k",
        kind="test",
        recipient="x@example.org",
        subject="S",
        template="password_reset",
        board_id=board.id,
        link="l",
        minutes=1,
    )
    message.status, message.last_error = OutboxStatus.FAILED, "550 no such user"
    session.commit()
    client_request.login(admin)
    page = client_request.get("admin.outbox_message", board_slug=board.slug, message_id=message.id)
    assert "550 no such user" in page.text and "Try sending it again" in page.text
    client_request.post(
        "admin.outbox_retry",
        board_slug=board.slug,
        message_id=message.id,
        _expected_redirect=f"/boards/{board.slug}/admin/outbox/{message.id}",
    )
    session.refresh(message)
    assert message.status is OutboxStatus.PENDING
