"""STARTTLS to the mail server checks its certificate (the emails package alone would not)."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from datetime import UTC, datetime

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from tests.smtp_sink import _Handler, free_port
from tracker.mail import SmtpSettings, flush
from tracker.models import OutboxMessage, OutboxStatus
from tracker.outbox import enqueue

NOW = datetime(2021, 9, 1, 8, tzinfo=UTC)


@pytest.fixture
def tls_sink(tmp_path):
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("no openssl command to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(  # noqa: S603 (fixed arguments, no shell)
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    handler = _Handler()
    port = free_port()
    controller = Controller(
        handler, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True
    )
    controller.start()
    yield port, handler, cert
    controller.stop()


def queue_one(session):
    enqueue(
        session,
        key="tls",
        kind="test",
        recipient="lead@example.org",
        subject="Hello",
        template="password_reset",
        board_id=None,
        link="l",
        minutes=1,
    )
    session.commit()


def settings(port: int) -> SmtpSettings:
    return SmtpSettings(host="127.0.0.1", port=port, mail_from="t@example.org", tls=True)


def test_an_untrusted_certificate_is_refused(session, tls_sink):
    port, handler, _ = tls_sink
    queue_one(session)
    result = flush(session, NOW, settings(port))
    assert result.sent == 0 and handler.messages == []
    message = session.scalars(select(OutboxMessage)).one()
    assert message.status is OutboxStatus.PENDING
    assert "CERTIFICATE_VERIFY_FAILED" in message.last_error


def test_a_trusted_certificate_is_used(session, tls_sink, monkeypatch):
    port, handler, cert = tls_sink
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    queue_one(session)
    assert flush(session, NOW, settings(port)).sent == 1
    assert handler.messages[0]["Subject"] == "Hello"
