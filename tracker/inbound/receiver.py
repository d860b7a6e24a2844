"""The mail receiver: ``flask --app tracker mail receive``, an SMTP (or LMTP) server for the
organisation's mail server to hand the ``updates+…`` addresses to.

Each message is stored and committed before the receiver answers 250, so once the mail
server is told it was delivered it cannot be lost; a receiver killed before that answer has
taken nothing, and the mail server sends the message again later. Processing follows the
answer, on a worker thread; if it fails (or the receiver stops first) the message waits in
the inbox for the scheduler's next run. SIGTERM stops it: it takes no new connections,
finishes what it has stored, and exits.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from concurrent.futures import Future, ThreadPoolExecutor
from email.utils import parseaddr

from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP, Envelope, Session
from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from tracker import clock
from tracker.extensions import db
from tracker.inbound.process import process, store
from tracker.inbound.tokens import token_in
from tracker.logs import mask_emails

log = logging.getLogger("tracker.inbound")

# Messages over INBOUND_MAX_BYTES are taken (headers kept, politely refused); only beyond
# this many times that does the receiver refuse them outright, to bound its memory.
HARD_LIMIT_FACTOR = 10


class Handler:
    """aiosmtpd's handler: accepts mail for the updates address only, and stores it."""

    def __init__(self, app: Flask, executor: ThreadPoolExecutor, *, lmtp: bool) -> None:
        self.app, self.executor, self.lmtp = app, executor, lmtp
        self.processing: set[Future] = set()

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's name)
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list
    ) -> str:
        with self.app.app_context():
            ours = token_in(address) is not None
        if not ours:
            return "550 5.1.1 No such user here: this server takes progress updates only"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(  # noqa: N802 (aiosmtpd's name)
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        loop = asyncio.get_running_loop()
        try:
            stored = await loop.run_in_executor(self.executor, self._store, envelope)
        except SQLAlchemyError as error:
            # Not stored, so not accepted: the mail server keeps it and tries again.
            log.error("message not stored, asking to try later: %s", error)
            return "451 4.3.0 Cannot store the message now: try again later"
        future = self.executor.submit(self._process, stored)
        self.processing.add(future)
        future.add_done_callback(self._processed)
        answer = f"250 2.0.0 Stored as {stored}"
        # LMTP answers once for each recipient (RFC 2033).
        return "\r\n".join([answer] * len(envelope.rcpt_tos)) if self.lmtp else answer

    def _store(self, envelope: Envelope) -> int:
        with self.app.app_context():
            try:
                row = store(
                    db.session,
                    envelope.original_content,
                    via="lmtp" if self.lmtp else "smtp",
                    recipients=envelope.rcpt_tos,
                    mail_from=parseaddr(envelope.mail_from or "")[1] or "",
                    now=clock.now(),
                )
                log.info(
                    "stored message %s (%s bytes) from %s",
                    row.id,
                    row.size,
                    mask_emails(row.sender or "nobody"),
                )
                return row.id
            finally:
                db.session.remove()

    def _process(self, message_id: int) -> None:
        with self.app.app_context():
            try:
                outcome = process(db.session, message_id, clock.now())
                if outcome is not None:
                    log.info("message %s: %s", message_id, outcome.value)
            finally:
                db.session.remove()

    def _processed(self, future: Future) -> None:
        self.processing.discard(future)
        if not future.cancelled() and future.exception() is not None:
            log.error(
                "a stored message was not processed (the scheduler retries it): %r",
                future.exception(),
            )


def workers(app: Flask) -> int:
    """Threads storing and processing messages: one on SQLite, which writes one transaction
    at a time anyway (more would only queue on its lock), a few on PostgreSQL."""
    return 1 if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite") else 4


async def start(
    app: Flask, executor: ThreadPoolExecutor, host: str, port: int, *, lmtp: bool = False
) -> tuple[asyncio.Server, Handler]:
    """The receiver listening on ``host``:``port`` in the running event loop."""
    handler = Handler(app, executor, lmtp=lmtp)
    server_class = LMTP if lmtp else SMTP
    limit = app.config["INBOUND_MAX_BYTES"] * HARD_LIMIT_FACTOR
    hostname = parseaddr(app.config["UPDATES_ADDRESS"] or "")[1].rpartition("@")[2]
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: server_class(
            handler,
            data_size_limit=limit,
            enable_SMTPUTF8=True,
            hostname=hostname or "trust-tracker",
            ident="Trust Tracker",
            loop=loop,
        ),
        host,
        port,
    )
    return server, handler


def serve(app: Flask, host: str, port: int, *, lmtp: bool = False) -> None:
    """Receive mail on ``host``:``port`` until SIGTERM or SIGINT."""
    # aiosmtpd logs every command at INFO, addresses and reply tokens and all.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    loop = asyncio.new_event_loop()
    executor = ThreadPoolExecutor(max_workers=workers(app), thread_name_prefix="inbound")
    server, _ = loop.run_until_complete(start(app, executor, host, port, lmtp=lmtp))
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, loop.stop)
    log.info("receiving %s on %s:%s", "LMTP" if lmtp else "SMTP", host, port)
    try:
        loop.run_forever()
    finally:
        server.close()
        try:
            # Connections still open are dropped: nothing they sent was answered 250.
            loop.run_until_complete(asyncio.wait_for(server.wait_closed(), timeout=5))
        except TimeoutError:
            pass
        # What was stored is processed before the receiver exits.
        executor.shutdown(wait=True)
        loop.close()
        log.info("receiver stopped")
