"""People, their roles on boards, invitations and sign-in throttling."""

from __future__ import annotations

import enum
from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import (
    Date,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import Base
from tracker.models.base import (
    ArchivableMixin,
    TimestampMixin,
    UTCDateTime,
    enum_type,
    new_session_token,
    utcnow,
)
from tracker.models.boards import Board


class Role(enum.StrEnum):
    ADMIN = "admin"
    CHAIR = "chair"
    LEAD = "lead"
    MEMBER = "member"

    @property
    def label(self) -> str:
        return {
            "admin": "Secretariat (admin)",
            "chair": "Chair",
            "lead": "Lead officer",
            "member": "Board member",
        }[self.value]


class Person(TimestampMixin, UserMixin, Base):
    __tablename__ = "person"
    __audited__ = True
    __audit_redacted__ = frozenset({"password_hash", "session_token", "calendar_token"})

    id: Mapped[int] = mapped_column(primary_key=True)
    # None for a lead named in an imported plan who has not been given an address yet:
    # they get no e-mail and cannot sign in until the secretariat adds one and invites them.
    email: Mapped[str | None] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    # flask-login's "alternative token": the cookie holds this, not the id, so rotating it
    # signs the person out everywhere.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_signed_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # While away (up to and including this day) their reminders and chasers go to the deputy.
    away_until: Mapped[date | None] = mapped_column(Date)
    deputy_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    # Reminders, chasers and escalations in one e-mail a day instead of one e-mail each.
    one_email_a_day: Mapped[bool] = mapped_column(default=False, server_default="0")
    # The secret in the address of their calendar feed (tracker.calendars), none until they
    # ask for one. Kept as it is, not hashed: see tracker.calendars.feed for why.
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Set when they were erased (tracker.privacy.erasure): their name is a pseudonym since.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    memberships: Mapped[list[Membership]] = relationship(back_populates="person")
    deputy: Mapped[Person | None] = relationship(remote_side="Person.id")

    def deputy_on(self, today: date) -> Person | None:
        """Who gets this person's reminders on ``today``: their deputy while they are away."""
        if self.away_until is not None and today <= self.away_until and self.deputy is not None:
            return self.deputy
        return None

    def get_id(self) -> str:
        return self.session_token

    @property
    def is_active(self) -> bool:
        return self.deactivated_at is None and self.password_hash is not None

    def rotate_session_token(self) -> None:
        self.session_token = new_session_token()

    def __str__(self) -> str:
        return self.name


class Membership(TimestampMixin, ArchivableMixin, Base):
    """A person's role on one board. A person sees only the boards they belong to."""

    __tablename__ = "membership"
    __audited__ = True
    __table_args__ = (UniqueConstraint("board_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    role: Mapped[Role] = mapped_column(enum_type(Role))

    board: Mapped[Board] = relationship(back_populates="memberships")
    person: Mapped[Person] = relationship(back_populates="memberships")

    def __str__(self) -> str:
        return f"{self.person} ({self.role.label})"


class Invitation(Base):
    """An e-mailed link to join a board (and, for a new person, to choose a password). Only
    its hash is kept. With a role, accepting it makes the person a member: until then the
    board has only the name its admin typed."""

    __tablename__ = "invitation"
    __audited__ = True
    __audit_redacted__ = frozenset({"token_hash"})

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # None on the invitation of someone already on the board (an imported lead given an
    # address): accepting it only sets their password.
    role: Mapped[Role | None] = mapped_column(enum_type(Role))
    name: Mapped[str | None] = mapped_column(String(200))
    # The address given to an imported lead (tracker.auth.addresses): theirs only once its
    # owner accepts, as it may be someone's account already.
    email: Mapped[str | None] = mapped_column(String(320))
    # Withdrawn by the board's admin: the link then says so and does nothing.
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    board: Mapped[Board] = relationship()
    person: Mapped[Person] = relationship(foreign_keys=[person_id])

    @property
    def recipient(self) -> str:
        return self.email or self.person.email


class SignInThrottle(Base):
    """Failed sign-ins for one account ("account:<address>", known or not) or one client
    address ("client:<address>"): tracker.auth.throttle."""

    __tablename__ = "sign_in_throttle"

    key: Mapped[str] = mapped_column(String(400), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    # Forgotten a while after the last: the throttle deletes old rows as it writes.
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
