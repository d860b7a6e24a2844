"""A board and the agencies and teams of its partnership."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import (
    Column,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import Base
from tracker.models.base import ArchivableMixin, TimestampMixin

if TYPE_CHECKING:
    from tracker.models.meetings import Meeting
    from tracker.models.people import Membership, Person
    from tracker.models.plans import Plan


class Board(TimestampMixin, ArchivableMixin, Base):
    __tablename__ = "board"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    # Reminder and chaser timings, set by the secretariat (Admin → Reminders).
    first_reminder_days: Mapped[int] = mapped_column(Integer, default=10, server_default="10")
    second_reminder_days: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    chaser_weekday: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    chaser_every_weeks: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    escalate_after_chasers: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    # The header of its report to the Health and Wellbeing Board (Admin → Report to the HWB).
    # What it calls itself for short: "(September 2018 CTB meeting focus)".
    short_name: Mapped[str | None] = mapped_column(String(50))
    # "HWB Priorities addressed in this report", one a line: "A Healthy Start in Life".
    hwb_priorities: Mapped[str | None] = mapped_column(Text)
    # "Link to any published notes or reports": the address and the words it goes by.
    published_notes_url: Mapped[str | None] = mapped_column(String(2000))
    published_notes_text: Mapped[str | None] = mapped_column(String(300))
    # Its privacy notice (Admin → Data): who the controller is and whom to ask about it.
    controller: Mapped[str | None] = mapped_column(String(300))
    privacy_contact: Mapped[str | None] = mapped_column(String(300))
    # How long records about people are kept (tracker.privacy.retention), in days.
    keep_sent_emails_days: Mapped[int] = mapped_column(Integer, default=365, server_default="365")
    keep_sign_in_records_days: Mapped[int] = mapped_column(Integer, default=90, server_default="90")
    keep_sign_in_events_days: Mapped[int] = mapped_column(
        Integer, default=365, server_default="365"
    )

    memberships: Mapped[list[Membership]] = relationship(back_populates="board")
    plans: Mapped[list[Plan]] = relationship(back_populates="board", order_by="Plan.start_year")
    meetings: Mapped[list[Meeting]] = relationship(
        back_populates="board", order_by="Meeting.held_on"
    )

    @property
    def board_id(self) -> int:
        return self.id

    def __str__(self) -> str:
        return self.name


class Agency(TimestampMixin, ArchivableMixin, Base):
    __tablename__ = "agency"
    __audited__ = True
    __table_args__ = (UniqueConstraint("board_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))

    def __str__(self) -> str:
        return self.name


team_contact = Table(
    "team_contact",
    Base.metadata,
    Column("team_id", ForeignKey("team.id"), primary_key=True),
    # A person's teams are looked up by person (My actions, reminders): the key leads by team.
    Column("person_id", ForeignKey("person.id"), primary_key=True, index=True),
)


class Team(TimestampMixin, ArchivableMixin, Base):
    """A lead that is a team or service, such as "SEND (OCC)", with its contact people."""

    __tablename__ = "team"
    __audited__ = True
    __table_args__ = (UniqueConstraint("board_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))

    contacts: Mapped[list[Person]] = relationship(secondary=team_contact, order_by="Person.name")

    def __str__(self) -> str:
        return self.name
