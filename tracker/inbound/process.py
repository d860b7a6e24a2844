"""Every received message is stored first, then posted as a progress update or refused, once.

``store`` writes the raw message with its Message-ID and commits before the receiver
answers the mail server (or the fetcher moves it out of the mailbox), so a crash at any
later point loses nothing. ``process`` then decides, in one transaction that holds the
message's row locked: the update, the message's outcome and the e-mail telling the sender
are committed together or not at all, and a message already decided is left alone, so the
same Message-ID is never posted twice however many processes try at once. What is left
unprocessed (a crash, a database outage) is retried by the scheduler's inbox job.

Refusing: a reply from anyone but the token's person (or their deputy while they are away)
is refused without telling anyone anything; other refusals get one polite answer per sender
per day; automatic messages are never answered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import parseaddr

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tracker.actions.forms import MAX_TEXT
from tracker.actions.updates import ActionChanged, post_update
from tracker.audit import acting_as
from tracker.inbound import reading
from tracker.inbound.tokens import ReplyToken, TokenRefused, read_token, reply_address, token_in
from tracker.links import absolute_url
from tracker.models import (
    Action,
    ActionStatus,
    InboundMessage,
    InboundStatus,
    Membership,
    Person,
    ProgressUpdate,
    Rag,
)
from tracker.outbox import enqueue
from tracker.permissions import can_post_update
from tracker.rules.due import london_date
from tracker.text import clean

# Why a message was refused, or not answered, in the secretariat's words (Admin → Inbox).
REASONS = {
    "out_of_office": "Out-of-office reply",
    "automatic": "Automatic message",
    "delivery_report": "Delivery report from a mail server",
    "dmarc_fail": "Failed its domain's sender check (DMARC): it may be forged",
    "too_large": "Larger than the size limit",
    "no_token": "Not sent to a reply address of an action",
    "bad_token": "The reply address was altered or made up",
    "expired": "The reply address had expired",
    "not_the_lead": "Not sent by the lead (nor by their deputy while they are away)",
    "may_not_post": "The sender may not post on this action",
    "no_text": "No text in the message",
    "empty": "No new text above the quoted e-mail",
    "too_long": f"Longer than an update may be ({MAX_TEXT:,} characters)",
    "unreadable": "Could not be processed",
}
# Refusals whose sender is sent one polite answer a day. Not the others: a reply from
# someone other than the lead must tell nobody anything; a forged one (DMARC) or a machine's
# must not be answered; one that could not be read is for the secretariat to look at.
ANSWERED = frozenset(
    {
        "too_large",
        "no_token",
        "bad_token",
        "expired",
        "may_not_post",
        "no_text",
        "empty",
        "too_long",
    }
)
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
        return _refuse(session, row, "dmarc_fail", now)
    if row.size > current_app.config["INBOUND_MAX_BYTES"]:
        return _refuse(session, row, "too_large", now)
    if not isinstance(found, _Token):
        return _refuse(session, row, found, now)
    # As things stood when it was received, however much later a retry processes it.
    sent_by = _sent_by(found.person, row.sender, london_date(row.received_at))
    if sent_by is None:
        return _refuse(session, row, "not_the_lead", now)
    if found.token.expired(row.received_at):
        return _refuse(session, row, "expired", now, found.action)
    if not may_post(session, found.person, found.action, london_date(row.received_at)):
        return _refuse(session, row, "may_not_post", now)
    body = reading.body_of(message)
    row.attachments = body.attachments
    if body.text is None:
        return _refuse(session, row, "no_text", now, found.action)
    row.text = reading.new_text(body.text)
    if not row.text:
        return _refuse(session, row, "empty", now, found.action)
    wanted = reading.read_update(row.text)
    text = _with_attachments_note(wanted.text, row.attachments)
    if len(text) > MAX_TEXT:
        return _refuse(session, row, "too_long", now, found.action)
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
    _posted(session, row, posted, sent_by, now)
    return row.status


def _person_with_address(session: Session, address: str | None) -> int | None:
    if not address:
        return None
    return session.scalar(select(Person.id).where(func.lower(Person.email) == address.lower()))


def _sent_by(person: Person, sender: str | None, today: date) -> Person | None:
    """Who sent it, if allowed to: the token's person, or their deputy while they are away."""
    if not sender:
        return None
    deputy = person.deputy_on(today)
    for candidate in (person, deputy):
        if candidate is not None and candidate.email and candidate.email.lower() == sender:
            return candidate
    return None


def may_post(session: Session, person: Person, action: Action, today: date) -> bool:
    """Asked exactly as the web form asks it, of the person's membership of the board."""
    if person.deactivated_at is not None:
        return False
    membership = session.scalar(
        select(Membership).where(
            Membership.board_id == action.area.plan.board_id,
            Membership.person_id == person.id,
            Membership.archived_at.is_(None),
        )
    )
    return membership is not None and can_post_update(session, membership, action, today)


def _with_attachments_note(text: str, attachments: int) -> str:
    if not attachments:
        return text
    files = "1 attachment was" if attachments == 1 else f"{attachments} attachments were"
    return f"{text}\n\n({files} left off: updates keep text only.)"


def _posted(
    session: Session, row: InboundMessage, posted: ProgressUpdate, sent_by: Person, now: datetime
) -> None:
    row.status, row.reason, row.update = InboundStatus.POSTED, None, posted
    session.flush()
    action, person = posted.action, posted.author
    board = action.area.plan.board
    reply = reply_address(person, action, london_date(now))
    # The sender, and the person it is posted as when that is someone else (a deputy sent it).
    told = {p.email.lower(): p for p in (person, sent_by) if p.email}
    for recipient in told.values():
        enqueue(
            session,
            key=f"reply_posted:{row.id}:{recipient.email.lower()}",
            kind="reply_posted",
            recipient=recipient.email,
            subject=f"Your update is posted: {board.name}",
            template="reply_posted",
            board_id=board.id,
            action_ids=[action.id],
            reply_to=reply.address if reply and recipient is person else None,
            person=recipient,
            author=person,
            update=posted,
            action=action,
            board=board,
            link=absolute_url("actions.post_update", board_slug=board.slug, action_id=action.id),
            page=absolute_url("actions.show", board_slug=board.slug, action_id=action.id),
        )


def _refuse(
    session: Session,
    row: InboundMessage,
    reason: str,
    now: datetime,
    action: Action | None = None,
) -> InboundStatus:
    """Refuse the message for ``reason``; answer its sender if the reason allows, once a
    day. ``action`` is named in the answer only once the sender is known to be its lead."""
    row.status, row.reason = InboundStatus.REFUSED, reason
    if reason in ANSWERED and row.sender and not _ours(row.sender):
        board = action.area.plan.board if action is not None else None
        link = (
            absolute_url("actions.post_update", board_slug=board.slug, action_id=action.id)
            if action is not None
            else absolute_url("auth.home")
        )
        enqueue(
            session,
            key=f"reply_refused:{row.sender}:{london_date(now)}",
            kind="reply_refused",
            recipient=row.sender,
            subject="Your e-mail to Trust Tracker was not posted",
            template="reply_refused",
            board_id=board.id if board else None,
            reason=reason,
            action=action,
            link=link,
            limit=current_app.config["INBOUND_MAX_BYTES"],
        )
    return row.status


def _ours(address: str) -> bool:
    """One of the tracker's own addresses: never answered, so two robots cannot loop."""
    return (
        address == parseaddr(current_app.config["MAIL_FROM"])[1].lower()
        or token_in(address) is not None
    )


@dataclass(frozen=True)
class ByHand:
    action: Action
    status: ActionStatus
    rag: Rag | None
    text: str


def post_by_hand(
    session: Session, row: InboundMessage, *, by: Person, update: ByHand, now: datetime
) -> ProgressUpdate:
    """The secretariat posts a refused reply, after checking it, as the person who sent it.
    Audited as theirs (the secretariat's), with the reason saying so. Raises PermissionError
    when the sender may not post on the action, and ActionChanged as the form does."""
    sender = row.sender_person
    if row.status is not InboundStatus.REFUSED or sender is None:
        raise PermissionError("only a refused reply from a known person can be posted")
    if not may_post(session, sender, update.action, london_date(now)):
        raise PermissionError(f"{sender.name} may not post on this action")
    with acting_as(session, by.id, reason=f"Posted by hand from an e-mail reply ({row.id})"):
        posted = post_update(
            session,
            action=update.action,
            author=sender,
            status=update.status,
            rag=update.rag,
            text=update.text,
            seen_version=update.action.version,
            by_email=True,
            posted_at=row.received_at,
        )
        row.posted_by_id = by.id
        row.action_id = update.action.id
        row.board_id = update.action.area.plan.board_id
        _posted(session, row, posted, sender, now)
    return posted
