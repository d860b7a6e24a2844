"""Every received message is stored first, then posted as a progress update or refused, once.

``store`` writes the raw message with its Message-ID and commits before the receiver
answers the mail server (or the fetcher moves it out of the mailbox), so a crash at any
later point loses nothing. ``process`` then decides, in one transaction that holds the
message's row locked: the update, the message's outcome and the e-mail telling the sender
are committed together or not at all, and a message already decided is left alone, so the
same Message-ID is never posted twice however many processes try at once. What is left
unprocessed (a crash, a database outage) is retried by the scheduler's inbox job. Refusing
is in tracker.inbound.refusing, posting in tracker.inbound.posting.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tracker.actions.forms import MAX_TEXT
from tracker.actions.updates import ActionChanged, post_update
from tracker.inbound import posting, reading
from tracker.inbound.refusing import refuse
from tracker.inbound.tokens import ReplyToken, TokenRefused, read_token, token_in
from tracker.models import Action, InboundMessage, InboundStatus, Person
from tracker.rules.due import london_date
from tracker.text import clean

# A message that fails this many times is given up, for the secretariat to look at.
MAX_ATTEMPTS = 5


def store(
    session: Session,
    raw: bytes,
    *,
    via: str,
    recipients: Sequence[str],
    mail_from: str | None,
    now: datetime,
    size: int | None = None,
) -> InboundMessage:
    """Store a received message and commit; over INBOUND_MAX_BYTES only its headers are
    kept (``size`` is the whole message's, when ``raw`` is its headers already). A message
    whose Message-ID is stored already is not stored again: that row is returned."""
    kept = raw if len(raw) <= current_app.config["INBOUND_MAX_BYTES"] else reading.headers_only(raw)
    message = reading.parse(kept, headers_only=True)
    message_id = clean(reading.message_id_of(message, raw))
    _begin_writing(session)
    stored = _stored(session, message_id)
    if stored is not None:
        return stored
    addresses = [*recipients, *([] if recipients else reading.addressed_to(message))]
    tagged = [a for a in addresses if token_in(a) is not None]
    # Whatever a sender wrote in the headers is cleaned: PostgreSQL refuses NUL in text.
    row = InboundMessage(
        message_id=message_id,
        received_at=now,
        via=via,
        mail_from=_address(mail_from),
        sender=_address(reading.sender_of(message)),
        recipient=_address((tagged or addresses or [None])[0]),
        subject=clean(str(message.get("Subject", "")))[:300] or None,
        size=size if size is not None else len(raw),
        raw=kept,
    )
    try:
        # A savepoint: another process storing the same message first only undoes this.
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        session.rollback()
        return _stored(session, message_id)
    session.commit()
    return row


def _address(address: str | None) -> str | None:
    return None if address is None else clean(address)[:320]


def _stored(session: Session, message_id: str) -> InboundMessage | None:
    return session.scalar(select(InboundMessage).where(InboundMessage.message_id == message_id))


def process(session: Session, message_id: int, now: datetime) -> InboundStatus | None:
    """Post or refuse one stored message. Returns its outcome, or None when it was decided
    already (or another process is deciding it now)."""
    if not _count_attempt(session, message_id):
        return None
    for _ in range(3):
        row = _lock(session, message_id)
        if row is None:
            session.rollback()
            return None
        try:
            status = _decide(session, row, now)
        except ActionChanged:
            # Someone posted on the action meanwhile: the reply is still news, so it is
            # posted after theirs (post_update has rolled back).
            continue
        session.commit()
        return status
    return None


def _count_attempt(session: Session, message_id: int) -> bool:
    """Count a try at the message, committed before the try, so one that makes every try
    fail is given up after MAX_ATTEMPTS rather than retried for ever. False when it is
    decided already."""
    session.commit()
    waiting = (InboundMessage.id == message_id) & (InboundMessage.status == InboundStatus.RECEIVED)
    counted = session.execute(
        update(InboundMessage)
        .where(waiting, InboundMessage.attempts < MAX_ATTEMPTS)
        .values(attempts=InboundMessage.attempts + 1)
    ).rowcount
    if not counted:
        row = session.scalar(select(InboundMessage).where(waiting))
        if row is not None:
            row.status, row.reason = InboundStatus.REFUSED, "unreadable"
    session.commit()
    return bool(counted)


def _lock(session: Session, message_id: int) -> InboundMessage | None:
    """The message, still waiting, locked against other processes until the transaction
    ends; None when it is decided, or being decided elsewhere."""
    query = select(InboundMessage).where(
        InboundMessage.id == message_id, InboundMessage.status == InboundStatus.RECEIVED
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    _begin_writing(session)
    return session.scalar(query.execution_options(populate_existing=True))


def _begin_writing(session: Session) -> None:
    """A new transaction; on SQLite, which has no row locks, holding the database's write
    lock from the start, so that what it reads cannot change before it writes."""
    session.commit()
    if session.get_bind().dialect.name == "sqlite":
        session.connection(execution_options={"sqlite_immediate": True})


def process_pending(session: Session, now: datetime, limit: int = 1_000) -> str:
    """Process what is stored and not yet decided: what a crash or an outage left."""
    waiting = session.scalars(
        select(InboundMessage.id)
        .where(InboundMessage.status == InboundStatus.RECEIVED)
        .order_by(InboundMessage.attempts, InboundMessage.id)
        .limit(limit)
    ).all()
    decided = sum(process(session, message_id, now) is not None for message_id in waiting)
    return f"{decided} of {len(waiting)} waiting messages processed"


def delete_old(session: Session, now: datetime) -> str:
    """Delete the raw messages kept longer than INBOX_KEEP (the rows stay: what came in and
    what became of it, so a late copy is still recognised)."""
    cutoff = now - current_app.config["INBOX_KEEP"]
    old = session.scalars(
        select(InboundMessage).where(
            InboundMessage.received_at < cutoff,
            InboundMessage.raw.is_not(None),
            InboundMessage.status != InboundStatus.RECEIVED,
        )
    ).all()
    for row in old:
        row.raw = None
    session.commit()
    return f"{len(old)} stored messages deleted"


@dataclass(frozen=True)
class _Token:
    token: ReplyToken
    person: Person
    action: Action


def _token(session: Session, row: InboundMessage) -> _Token | str:
    """The genuine token the message was sent to, with its person and action, or why not."""
    tag = token_in(row.recipient or "")
    if not tag:
        return "no_token"
    try:
        token = read_token(tag)
    except TokenRefused:
        return "bad_token"
    person = session.get(Person, token.person_id)
    action = session.get(Action, token.action_id)
    if person is None or action is None:
        return "bad_token"
    return _Token(token, person, action)


def _decide(session: Session, row: InboundMessage, now: datetime) -> InboundStatus:
    message = reading.parse(row.raw or b"")
    found = _token(session, row)
    if isinstance(found, _Token):
        row.board_id = found.action.area.plan.board_id
        row.action_id, row.person_id = found.action.id, found.person.id
    row.sender_id = _person_with_address(session, row.sender)
    row.processed_at = now
    machine = reading.automatic(message, row.mail_from)
    if machine is not None:
        row.status, row.reason = InboundStatus.AUTO_REPLY, machine
        return row.status
    if reading.dmarc_failed(message, current_app.config.get("TRUSTED_AUTHSERV_ID")):
        return refuse(session, row, "dmarc_fail", now)
    if row.size > current_app.config["INBOUND_MAX_BYTES"]:
        return refuse(session, row, "too_large", now)
    if not isinstance(found, _Token):
        return refuse(session, row, found, now)
    # As things stood when it was received, however much later a retry processes it.
    sent_by = posting.sent_by(found.person, row.sender, london_date(row.received_at))
    if sent_by is None:
        return refuse(session, row, "not_the_lead", now)
    if found.token.expired(row.received_at):
        return refuse(session, row, "expired", now, found.action)
    if not posting.may_post(session, found.person, found.action, london_date(row.received_at)):
        return refuse(session, row, "may_not_post", now)
    body = reading.body_of(message)
    row.attachments = body.attachments
    if body.text is None:
        return refuse(session, row, "no_text", now, found.action)
    row.text = reading.new_text(body.text)
    if not row.text:
        return refuse(session, row, "empty", now, found.action)
    wanted = reading.read_update(row.text)
    text = posting.with_attachments_note(wanted.text, row.attachments)
    if len(text) > MAX_TEXT:
        return refuse(session, row, "too_long", now, found.action)
    posted = post_update(
        session,
        action=found.action,
        author=found.person,
        status=wanted.status or found.action.status,
        rag=wanted.rag or found.action.rag,
        text=text,
        seen_version=found.action.version,
        by_email=True,
        posted_at=row.received_at,
    )
    posting.record_posted(session, row, posted, sent_by, now)
    return row.status


def _person_with_address(session: Session, address: str | None) -> int | None:
    if not address:
        return None
    return session.scalar(select(Person.id).where(func.lower(Person.email) == address.lower()))
