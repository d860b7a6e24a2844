"""E-mail: the outbox and its delivery attempts, and replies received."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    Column,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import Base
from tracker.models.base import UTCDateTime, enum_type, utcnow
from tracker.models.people import Person
from tracker.models.plans import Action, ProgressUpdate


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    # For people who asked for one e-mail a day: kept back, then sent inside that e-mail.
    HELD = "held"
    BUNDLED = "bundled"


outbox_action = Table(
    "outbox_action",
    Base.metadata,
    Column("message_id", ForeignKey("outbox_message.id"), primary_key=True),
    Column("action_id", ForeignKey("action.id"), primary_key=True, index=True),
)


class OutboxMessage(Base):
    """An e-mail the system decided to send, stored before it is sent.

    The key (kind, recipient, subject, period) is unique, so deciding twice to send the
    same message inserts it once.
    """

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(500), unique=True)
    board_id: Mapped[int | None] = mapped_column(ForeignKey("board.id"), index=True)
    kind: Mapped[str] = mapped_column(String(50))
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    # Where a reply goes: the reply address of the one action a reminder lists.
    reply_to: Mapped[str | None] = mapped_column(String(320))
    status: Mapped[OutboxStatus] = mapped_column(
        enum_type(OutboxStatus), default=OutboxStatus.PENDING, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # While the mail server is down, when to try this message again.
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)

    # The actions this message is about (reminders, chasers), shown on each action's page.
    actions: Mapped[list[Action]] = relationship(secondary=outbox_action)
    delivery_attempts: Mapped[list[DeliveryAttempt]] = relationship(
        back_populates="message", order_by="DeliveryAttempt.id"
    )


class DeliveryAttempt(Base):
    """One try at handing an outbox message to the mail server, and what it answered."""

    __tablename__ = "delivery_attempt"
    __append_only__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("outbox_message.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    delivered: Mapped[bool] = mapped_column(default=False)
    error: Mapped[str | None] = mapped_column(Text)

    message: Mapped[OutboxMessage] = relationship(back_populates="delivery_attempts")


class InboundStatus(enum.StrEnum):
    RECEIVED = "received"  # stored, not processed yet (or processing failed: retried)
    POSTED = "posted"
    REFUSED = "refused"
    AUTO_REPLY = "auto_reply"  # never posts, never answered

    @property
    def label(self) -> str:
        return {
            "received": "Waiting",
            "posted": "Posted",
            "refused": "Refused",
            "auto_reply": "Automatic reply",
        }[self.value]


class InboundMessage(Base):
    """An e-mail received at the updates address (a reply to a reminder or chaser), stored
    raw before anything is done with it; see tracker.inbound.

    The Message-ID is unique, so a message delivered twice (a mail server retrying, two
    fetchers at once) is stored, and processed, once. The raw message is deleted after
    INBOX_KEEP; the row stays, so a late copy is still recognised.
    """

    __tablename__ = "inbound_message"
    __audited__ = True
    __audit_redacted__ = frozenset({"raw"})

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(String(500), unique=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    via: Mapped[str] = mapped_column(String(10))  # "smtp", "lmtp" or "imap"
    # The envelope's MAIL FROM (empty for a bounce), the From header's address and the
    # updates address it was sent to.
    mail_from: Mapped[str | None] = mapped_column(String(320))
    sender: Mapped[str | None] = mapped_column(String(320))
    recipient: Mapped[str | None] = mapped_column(String(320))
    subject: Mapped[str | None] = mapped_column(String(300))
    size: Mapped[int] = mapped_column(Integer)
    # None once deleted after INBOX_KEEP; only the headers of a message over the size limit.
    raw: Mapped[bytes | None] = mapped_column(LargeBinary)
    status: Mapped[InboundStatus] = mapped_column(
        enum_type(InboundStatus), default=InboundStatus.RECEIVED, index=True
    )
    # Why it was refused or not answered (tracker.inbound.refusing.REASONS).
    reason: Mapped[str | None] = mapped_column(String(30))
    # From the reply address's token, when it is genuine (even if expired).
    board_id: Mapped[int | None] = mapped_column(ForeignKey("board.id"), index=True)
    action_id: Mapped[int | None] = mapped_column(ForeignKey("action.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    # Whoever has the sender's address, if anyone.
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    text: Mapped[str | None] = mapped_column(Text)  # the new text of the reply
    attachments: Mapped[int] = mapped_column(Integer, default=0)
    update_id: Mapped[int | None] = mapped_column(ForeignKey("progress_update.id"))
    # The secretariat member who posted a refused reply by hand.
    posted_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Tries at processing it: one that fails every time is given up after a few.
    attempts: Mapped[int] = mapped_column(Integer, default=0)

    action: Mapped[Action | None] = relationship()
    person: Mapped[Person | None] = relationship(foreign_keys=[person_id])
    sender_person: Mapped[Person | None] = relationship(foreign_keys=[sender_id])
    posted_by: Mapped[Person | None] = relationship(foreign_keys=[posted_by_id])
    update: Mapped[ProgressUpdate | None] = relationship()
