"""Delivering the outbox over SMTP with the ``emails`` package's SMTP client.

Each message is taken, sent and recorded in a transaction of its own, so a crash loses
nothing and re-sends at most the one message in flight. On PostgreSQL a row is taken with
``FOR UPDATE SKIP LOCKED``, so two senders never take the same message; on SQLite, which has
no row locks, run one sender at a time (the scheduler is the only sender).

While the server is down a message is retried with exponential back-off (1 minute, doubling
to 1 hour) and given up after 24 hours. A 5xx answer is permanent: the message fails at once.
"""

from __future__ import annotations

import hashlib
import logging
import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import formataddr, formatdate, parseaddr
from typing import Any

from emails.backend.smtp.backend import SMTPBackend
from emails.backend.smtp.client import SMTPClientWithResponse
from sqlalchemy import Connection, Row, bindparam, insert, or_, select, update
from sqlalchemy.orm import Session

from tracker.logs import mask_emails
from tracker.models import DeliveryAttempt, OutboxMessage, OutboxStatus
from tracker.text import clean, one_line

log = logging.getLogger(__name__)

# The tracker's answers to e-mails it received (tracker.inbound).
ANSWERS_TO_EMAIL = frozenset({"reply_posted", "reply_refused"})

FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=1)
GIVE_UP_AFTER = timedelta(hours=24)


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    mail_from: str
    user: str | None = None
    password: str | None = None
    tls: bool = False

    @classmethod
    def from_config(cls, config) -> SmtpSettings | None:
        """The settings in the app's config, or None when no SMTP_HOST is set."""
        if not config.get("SMTP_HOST"):
            return None
        return cls(
            host=config["SMTP_HOST"],
            port=config["SMTP_PORT"],
            mail_from=config["MAIL_FROM"],
            user=config.get("SMTP_USER"),
            password=config.get("SMTP_PASSWORD"),
            tls=config.get("SMTP_TLS", False),
        )


class _VerifiedTLSClient(SMTPClientWithResponse):
    # The emails package calls starttls() without a context, which skips certificate
    # checks; give it Python's default (verifying) context instead.
    def initialize(self) -> None:
        if not self._initialized and self.tls:
            self.starttls(context=ssl.create_default_context())
            self.tls = False
        super().initialize()


class _Backend(SMTPBackend):
    connection_cls = _VerifiedTLSClient


@dataclass
class FlushResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.sent} sent, {self.retrying} to retry, {self.failed} failed"


def message_id(key: str, mail_from: str) -> str:
    """A Message-ID made from the outbox key, so a re-send is recognisably the same message."""
    return _message_id(key, parseaddr(mail_from)[1])


def _message_id(key: str, address: str) -> str:
    domain = address.rpartition("@")[2] or "trust-tracker.invalid"
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"


def backoff(attempts: int) -> timedelta:
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


# Lines end in CRLF on the wire: smtplib sends bytes as they are.
_SMTP_LINES = compat32.clone(linesep="\r\n")
# The parts go base64-encoded, and "_" is not a base64 character, so this boundary cannot
# occur inside them; fixing it spares the generator drawing one and searching the text for it.
_BOUNDARY = "=_tracker_alternative_="


@dataclass(frozen=True)
class Sender:
    """What every e-mail of a flush has in common, worked out once per flush."""

    address: str  # the envelope's MAIL FROM
    from_header: str

    @classmethod
    def of(cls, settings: SmtpSettings) -> Sender:
        name, address = parseaddr(settings.mail_from)
        return cls(address, formataddr((name, address), charset="utf-8"))

    def email(self, message: Any) -> MIMEMultipart:
        """The e-mail for an outbox row, text and HTML. Built with the standard library's
        classic MIME classes, which take half the time of the emails package's own message
        (that package is kept for its SMTP client). Bodies go base64-encoded, so no server
        needs to accept 8-bit data. Text is cleaned again here for rows queued before the
        outbox cleaned it: a line break in a subject would otherwise stop the sending."""
        email = MIMEMultipart("alternative", _BOUNDARY, policy=_SMTP_LINES)
        email["Subject"] = _header(one_line(message.subject))
        email["From"] = self.from_header
        email["To"] = message.recipient
        email["Date"] = formatdate(usegmt=True)
        email["Message-ID"] = _message_id(message.key, self.address)
        if message.reply_to:
            email["Reply-To"] = message.reply_to
        if message.kind in ANSWERS_TO_EMAIL:
            # RFC 3834: so that an out-of-office program does not answer the answer.
            email["Auto-Submitted"] = "auto-replied"
        email.attach(MIMEText(clean(message.body_text), "plain", "utf-8", policy=_SMTP_LINES))
        email.attach(MIMEText(clean(message.body_html), "html", "utf-8", policy=_SMTP_LINES))
        return email


# The sender works on the tables with Core statements built once, not the ORM: per message
# the ORM's object bookkeeping, and building the statements, cost more than the SQL itself.
_MESSAGES = OutboxMessage.__table__
_DUE = (
    select(
        _MESSAGES.c.id,
        _MESSAGES.c.key,
        _MESSAGES.c.kind,
        _MESSAGES.c.recipient,
        _MESSAGES.c.subject,
        _MESSAGES.c.body_text,
        _MESSAGES.c.body_html,
        _MESSAGES.c.reply_to,
        _MESSAGES.c.attempts,
        _MESSAGES.c.created_at,
    )
    .where(
        _MESSAGES.c.status == OutboxStatus.PENDING,
        or_(_MESSAGES.c.next_attempt_at.is_(None), _MESSAGES.c.next_attempt_at <= bindparam("now")),
    )
    .order_by(_MESSAGES.c.id)
    .limit(1)
)
_DUE_LOCKED = _DUE.with_for_update(skip_locked=True)
# The columns to set are the parameters given with it.
_CHANGE = update(_MESSAGES).where(_MESSAGES.c.id == bindparam("message_id"))
_ATTEMPT = insert(DeliveryAttempt.__table__)


def _take_next(session: Session, now: datetime) -> tuple[Connection, Row | None]:
    """Begin a transaction of its own and take the next message due, locked against other
    senders until that transaction ends."""
    if session.get_bind().dialect.name == "postgresql":
        connection, query = session.connection(), _DUE_LOCKED
    else:
        # SQLite has no row locks: take the database's write lock before reading.
        connection = session.connection(execution_options={"sqlite_immediate": True})
        query = _DUE
    return connection, connection.execute(query, {"now": now}).first()


def flush(
    session: Session, now: datetime, settings: SmtpSettings, limit: int = 10_000
) -> FlushResult:
    """Deliver what is pending, over one SMTP connection, committing after each message."""
    result = FlushResult()
    sender = Sender.of(settings)
    backend = _Backend(
        host=settings.host,
        port=settings.port,
        tls=settings.tls,
        user=settings.user,
        password=settings.password,
        timeout=30,
    )
    seen: set[int] = set()
    session.commit()
    try:
        while len(seen) < limit:
            connection, message = _take_next(session, now)
            if message is None or message.id in seen:
                break
            seen.add(message.id)
            reached_server = _deliver(connection, backend, message, now, sender, result)
            session.commit()
            if not reached_server:
                # The server is down: the rest wait for the next run rather than each
                # waiting for a connection time-out now.
                break
    finally:
        backend.close()
    return result


def _deliver(
    connection: Connection,
    backend: SMTPBackend,
    message: Row,
    now: datetime,
    sender: Sender,
    result: FlushResult,
) -> bool:
    """Send one message and record the outcome; False when the server could not be reached."""
    response = backend.sendmail(
        from_addr=sender.address, to_addrs=[message.recipient], msg=sender.email(message)
    )
    attempts = message.attempts + 1
    if response is not None and response.success:
        _record(connection, message, now, attempts=attempts, status=OutboxStatus.SENT, sent_at=now)
        result.sent += 1
        return True
    error = _describe(response)
    code = response.status_code if response is not None else None
    if (code is not None and 500 <= code < 600) or now - message.created_at >= GIVE_UP_AFTER:
        _record(connection, message, now, error, attempts=attempts, status=OutboxStatus.FAILED)
        result.failed += 1
    else:
        retry_at = now + backoff(attempts)
        _record(connection, message, now, error, attempts=attempts, next_attempt_at=retry_at)
        result.retrying += 1
    result.errors.append(f"{message.recipient}: {error}")
    log.warning(
        "outbox message %s to %s not delivered: %s",
        message.id,
        mask_emails(message.recipient),
        mask_emails(error),
    )
    return code is not None


def _header(text: str) -> str | Header:
    return text if text.isascii() else Header(text, "utf-8")


def _record(
    connection: Connection, message: Row, now: datetime, error: str | None = None, **changes: Any
) -> None:
    """The attempt, and the message's new state (by default: still pending, no retry time)."""
    changes = {"next_attempt_at": None, "last_error": error, **changes}
    connection.execute(_CHANGE, {"message_id": message.id, **changes})
    connection.execute(
        _ATTEMPT, {"message_id": message.id, "at": now, "delivered": error is None, "error": error}
    )


def _describe(response) -> str:
    if response is None:
        return "no answer from the mail server"
    error = response.error
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        (code, text), *_ = error.recipients.values()
        return f"{code} {text.decode(errors='replace')}"
    if response.status_code is not None:
        text = (response.status_text or b"").decode(errors="replace")
        return f"{response.status_code} {text}".strip()
    return str(error) or type(error).__name__
