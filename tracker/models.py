"""The board's nouns as SQLAlchemy 2.x typed models.

Times are stored in UTC (UTCDateTime) and turned into Europe/London only for display.
A reporting month is stored as the first day of that month.
"""

from __future__ import annotations

import enum
import secrets
from datetime import UTC, date, datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import Base
from tracker.rules.due import plan_years


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes in Python, naive UTC in the database (SQLite keeps no zone)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("refusing to store a naive datetime; pass an aware one")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def _enum(cls: type[enum.Enum]) -> Enum:
    return Enum(
        cls,
        native_enum=False,
        length=20,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


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


class ActionStatus(enum.StrEnum):
    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    COMPLETE = "complete"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Rag(enum.StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ArchivableMixin:
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


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
    role: Mapped[Role] = mapped_column(_enum(Role))

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
    role: Mapped[Role | None] = mapped_column(_enum(Role))
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


class Plan(TimestampMixin, ArchivableMixin, Base):
    """A Children and Young People's Plan, e.g. "CYPP 2018–2021"."""

    __tablename__ = "plan"
    __audited__ = True
    __table_args__ = (
        UniqueConstraint("board_id", "name"),
        CheckConstraint("end_year >= start_year", name="years_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    start_year: Mapped[int] = mapped_column(Integer)
    end_year: Mapped[int] = mapped_column(Integer)

    board: Mapped[Board] = relationship(back_populates="plans")
    areas: Mapped[list[AreaOfFocus]] = relationship(
        back_populates="plan", order_by="AreaOfFocus.position"
    )

    @property
    def plan_years(self) -> range:
        """Its plan years, by the year each starts in (tracker.rules.due.plan_years)."""
        return plan_years(self.start_year, self.end_year)

    def __str__(self) -> str:
        return self.name


class AreaOfFocus(TimestampMixin, ArchivableMixin, Base):
    """Be Successful, Be Happy and Healthy, Be Safe, Be Supported."""

    __tablename__ = "area_of_focus"
    __audited__ = True
    __table_args__ = (UniqueConstraint("plan_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(200))

    plan: Mapped[Plan] = relationship(back_populates="areas")
    outcomes: Mapped[list[Outcome]] = relationship(
        back_populates="area", order_by="Outcome.number", cascade="all, delete-orphan"
    )
    priorities: Mapped[list[AreaPriority]] = relationship(
        back_populates="area", order_by="AreaPriority.plan_year", cascade="all, delete-orphan"
    )
    actions: Mapped[list[Action]] = relationship(back_populates="area", order_by="Action.position")

    def priority_for(self, plan_year: int) -> AreaPriority | None:
        """The priority focus in force in ``plan_year``: that year's, or the latest before it."""
        earlier = [p for p in self.priorities if p.plan_year <= plan_year]
        return earlier[-1] if earlier else None

    def __str__(self) -> str:
        return self.name


class Outcome(Base):
    """A numbered outcome (1–16 across the plan), e.g. "1. Have the best start in life"."""

    __tablename__ = "outcome"
    __audited__ = True
    __table_args__ = (UniqueConstraint("area_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("area_of_focus.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)

    area: Mapped[AreaOfFocus] = relationship(back_populates="outcomes")


class AreaPriority(Base):
    """The priority focus of an area for one plan year ("Focus on domestic abuse")."""

    __tablename__ = "area_priority"
    __audited__ = True
    __table_args__ = (UniqueConstraint("area_id", "plan_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("area_of_focus.id"), index=True)
    plan_year: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)

    area: Mapped[AreaOfFocus] = relationship(back_populates="priorities")


action_agency = Table(
    "action_agency",
    Base.metadata,
    Column("action_id", ForeignKey("action.id"), primary_key=True),
    Column("agency_id", ForeignKey("agency.id"), primary_key=True),
)


class Action(TimestampMixin, ArchivableMixin, Base):
    __tablename__ = "action"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("area_of_focus.id"), index=True)
    plan_year: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[ActionStatus] = mapped_column(
        _enum(ActionStatus), default=ActionStatus.NOT_STARTED
    )
    rag: Mapped[Rag | None] = mapped_column(_enum(Rag))
    # Bumped on every change; a form that was opened on an older version is refused
    # instead of silently overwriting someone else's change.
    version: Mapped[int] = mapped_column(Integer, default=1)

    area: Mapped[AreaOfFocus] = relationship(back_populates="actions")
    agencies: Mapped[list[Agency]] = relationship(secondary=action_agency, order_by="Agency.name")
    measures: Mapped[list[Measure]] = relationship(
        back_populates="action", order_by="Measure.position", cascade="all, delete-orphan"
    )
    leads: Mapped[list[ActionLead]] = relationship(
        back_populates="action", order_by="ActionLead.position", cascade="all, delete-orphan"
    )
    reporting_months: Mapped[list[ReportingMonth]] = relationship(
        back_populates="action", order_by="ReportingMonth.month", cascade="all, delete-orphan"
    )
    updates: Mapped[list[ProgressUpdate]] = relationship(
        back_populates="action",
        order_by="ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc()",
        passive_deletes="all",
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def months(self) -> list[date]:
        return [r.month for r in self.reporting_months]

    def __str__(self) -> str:
        return self.text


class Measure(Base):
    """One line of "How we will know this area of focus has improved"."""

    __tablename__ = "measure"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)

    action: Mapped[Action] = relationship(back_populates="measures")

    def __str__(self) -> str:
        return self.text


class ActionLead(Base):
    """A Trust Board lead of an action: a named person or a team, never both."""

    __tablename__ = "action_lead"
    __audited__ = True
    __table_args__ = (
        CheckConstraint("(person_id IS NULL) <> (team_id IS NULL)", name="person_or_team"),
        UniqueConstraint("action_id", "person_id"),
        UniqueConstraint("action_id", "team_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), index=True)

    action: Mapped[Action] = relationship(back_populates="leads")
    person: Mapped[Person | None] = relationship()
    team: Mapped[Team | None] = relationship()

    @property
    def recipients(self) -> list[Person]:
        """Who hears about this lead's actions: the person, or the team's contacts."""
        if self.person is not None:
            return [self.person]
        return list(self.team.contacts) if self.team else []

    @property
    def key(self) -> str:
        return self.key_of(self.person_id, self.team_id)

    @staticmethod
    def key_of(person_id: int | None, team_id: int | None) -> str:
        """Who leads, the same on every action they lead: "person-3" or "team-7"."""
        return f"person-{person_id}" if person_id else f"team-{team_id}"

    def __str__(self) -> str:
        return str(self.person or self.team)


class ReportingMonth(Base):
    """A month in which the board reviews an action ("Sep 21"). An action may have several."""

    __tablename__ = "reporting_month"
    __audited__ = True
    __table_args__ = (UniqueConstraint("action_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id"), index=True)
    month: Mapped[date] = mapped_column(Date, index=True)

    action: Mapped[Action] = relationship(back_populates="reporting_months")

    def __str__(self) -> str:
        return self.month.strftime("%B %Y")


class ProgressUpdate(Base):
    """A lead's report on an action. Append-only: see tracker.audit for the guard."""

    __tablename__ = "progress_update"
    __append_only__ = True

    # "Is there an update for this action since then?", asked for every action by the overdue
    # rule, is answered from the (action_id, created_at) index alone.
    __table_args__ = (Index("ix_progress_update_action_id_created_at", "action_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[ActionStatus] = mapped_column(_enum(ActionStatus))
    rag: Mapped[Rag | None] = mapped_column(_enum(Rag))
    # Posted by replying to a reminder or chaser (tracker.inbound), not through the form.
    by_email: Mapped[bool] = mapped_column(default=False, server_default="0")

    action: Mapped[Action] = relationship(back_populates="updates")
    author: Mapped[Person] = relationship()


class Meeting(TimestampMixin, ArchivableMixin, Base):
    """A quarterly board meeting and the priority it reviews in depth."""

    __tablename__ = "meeting"
    __audited__ = True
    __table_args__ = (UniqueConstraint("board_id", "held_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date, index=True)
    focus_area_id: Mapped[int | None] = mapped_column(ForeignKey("area_of_focus.id"))

    # When the scheduler last compiled the forward plan's draft.
    forward_plan_compiled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Once published the scheduler leaves the forward plan alone; the secretariat's later
    # changes are shown as changes since publication (from the audit trail).
    forward_plan_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Recorded after the meeting: "Summary of other items discussed by the Board".
    summary_of_other_items: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Beside its date in the report: "Virtual meeting due to COVID-19 restrictions".
    note: Mapped[str | None] = mapped_column(String(300))

    board: Mapped[Board] = relationship(back_populates="meetings")
    focus_area: Mapped[AreaOfFocus | None] = relationship()
    forward_plan: Mapped[list[ForwardPlanItem]] = relationship(
        back_populates="meeting", order_by="ForwardPlanItem.position, ForwardPlanItem.id"
    )
    hwb_report: Mapped[HwbReport | None] = relationship(back_populates="meeting")

    def __str__(self) -> str:
        return f"Board meeting on {self.held_on:%-d %B %Y}"


class ForwardPlanKind(enum.StrEnum):
    """Why an item is on a forward plan. Until migration 0014 "carried_over" also stood for
    actions still overdue; it now means only what the previous meeting did not reach."""

    DUE = "due"  # the action's reporting month is the meeting's month
    FOCUS = "focus"  # the meeting's in-depth review of its focus area
    OVERDUE = "overdue"  # still overdue from an earlier reporting month
    CARRIED_OVER = "carried_over"  # on the previous meeting's forward plan, not reached there
    ADDED = "added"  # added by hand by the secretariat

    @property
    def label(self) -> str:
        return {
            "due": "Due for this meeting",
            "focus": "In-depth review",
            "overdue": "Still overdue from an earlier month",
            "carried_over": "Carried over: the last meeting did not reach it",
            "added": "Added by the secretariat",
        }[self.value]


class ForwardPlanItem(Base):
    """One item of a meeting's forward plan. The scheduler compiles the draft; items the
    secretariat added, or removed, by hand are kept as they left them."""

    __tablename__ = "forward_plan_item"
    __audited__ = True
    __table_args__ = (UniqueConstraint("meeting_id", "kind", "action_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[ForwardPlanKind] = mapped_column(_enum(ForwardPlanKind))
    action_id: Mapped[int | None] = mapped_column(ForeignKey("action.id"))
    text: Mapped[str] = mapped_column(Text)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_reason: Mapped[str | None] = mapped_column(Text)
    # Recorded after the meeting: True if the board reviewed it, False if it was carried
    # over to the next meeting, None until the meeting is recorded.
    reviewed: Mapped[bool | None] = mapped_column()

    meeting: Mapped[Meeting] = relationship(back_populates="forward_plan")
    action: Mapped[Action | None] = relationship()

    @property
    def board_id(self) -> int:
        return self.meeting.board_id


class HwbReport(TimestampMixin, Base):
    """What the secretariat writes into a meeting's report to the Health and Wellbeing Board,
    and, once they mark it final, the report's whole content as it went (see
    tracker.reports.hwb): later updates, plan changes or code do not change a final report."""

    __tablename__ = "hwb_report"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), unique=True)
    # None: the meeting's date.
    report_date: Mapped[date | None] = mapped_column(Date)
    # Section 2's opening note, before the notes per area.
    performance_summary: Mapped[str | None] = mapped_column(Text)
    final_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    final_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    final_content: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    meeting: Mapped[Meeting] = relationship(back_populates="hwb_report")
    final_by: Mapped[Person | None] = relationship()
    narratives: Mapped[list[HwbNarrative]] = relationship(
        back_populates="report", cascade="all, delete-orphan"
    )

    @property
    def board_id(self) -> int:
        return self.meeting.board_id

    @property
    def is_final(self) -> bool:
        return self.final_at is not None


class NarrativeKind(enum.StrEnum):
    PROGRESS = "progress"  # section 1: the progress report on a priority
    PERFORMANCE = "performance"  # section 2: what is being done in an area rated Red or Amber

    @property
    def label(self) -> str:
        return {
            "progress": "Progress report",
            "performance": "What is being done about Red and Amber",
        }[self.value]


class HwbNarrative(Base):
    """A narrative the secretariat wrote for one area of focus in one report."""

    __tablename__ = "hwb_narrative"
    __audited__ = True
    __table_args__ = (UniqueConstraint("report_id", "area_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("hwb_report.id"), index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("area_of_focus.id"), index=True)
    kind: Mapped[NarrativeKind] = mapped_column(_enum(NarrativeKind))
    text: Mapped[str] = mapped_column(Text)

    report: Mapped[HwbReport] = relationship(back_populates="narratives")

    @property
    def board_id(self) -> int:
        return self.report.meeting.board_id


class IndicatorUnit(enum.StrEnum):
    NUMBER = "number"
    PERCENT = "percent"
    RATE = "rate_per_10000"

    @property
    def label(self) -> str:
        return {"number": "Number", "percent": "%", "rate_per_10000": "Rate per 10,000"}[self.value]


class Direction(enum.StrEnum):
    HIGHER = "higher"
    LOWER = "lower"

    @property
    def label(self) -> str:
        return f"{self.value.capitalize()} is better"


class Frequency(enum.StrEnum):
    """How often an indicator is reported; see tracker.rules.periods for the periods."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    TERMLY = "termly"
    YEARLY = "yearly"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Indicator(TimestampMixin, ArchivableMixin, Base):
    """A numbered measure of the performance framework, e.g. "2.5 Reduce the persistent
    absence of children subject to a Child Protection plan"."""

    __tablename__ = "indicator"
    __audited__ = True
    __table_args__ = (
        UniqueConstraint("board_id", "number"),
        CheckConstraint("tolerance >= 0", name="tolerance_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id"), index=True)
    number: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(Text)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area_of_focus.id"), index=True)
    unit: Mapped[IndicatorUnit] = mapped_column(_enum(IndicatorUnit))
    direction: Mapped[Direction] = mapped_column(_enum(Direction))
    # Floats, compared as the decimals they were typed as: see tracker.rules.rag.
    target: Mapped[float] = mapped_column(Float)
    # How far on the wrong side of the target a reading may be and still be Amber.
    tolerance: Mapped[float] = mapped_column(Float, default=0)
    frequency: Mapped[Frequency] = mapped_column(_enum(Frequency))
    owner_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)

    area: Mapped[AreaOfFocus | None] = relationship()
    owner: Mapped[Person] = relationship()
    readings: Mapped[list[IndicatorReading]] = relationship(
        back_populates="indicator", order_by="IndicatorReading.period_start"
    )
    commentaries: Mapped[list[IndicatorCommentary]] = relationship(
        back_populates="indicator",
        order_by="IndicatorCommentary.created_at.desc(), IndicatorCommentary.id.desc()",
        passive_deletes="all",
    )

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class IndicatorReading(TimestampMixin, Base):
    """An indicator's value for one period (the period's first day; the indicator's
    frequency says how long it is).

    One row per period, corrected in place when a figure is revised: every correction is in
    the audit trail with the old and new value, who made it and why.
    """

    __tablename__ = "indicator_reading"
    __audited__ = True
    __table_args__ = (
        UniqueConstraint("indicator_id", "period_start"),
        CheckConstraint(
            "(rag_override IS NULL) = (rag_reason IS NULL)", name="override_has_reason"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id"), index=True)
    period_start: Mapped[date] = mapped_column(Date)
    value: Mapped[float] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    # Set by hand by the secretariat or the chair, instead of the rating from the target.
    rag_override: Mapped[Rag | None] = mapped_column(_enum(Rag))
    rag_reason: Mapped[str | None] = mapped_column(Text)

    indicator: Mapped[Indicator] = relationship(back_populates="readings")
    entered_by: Mapped[Person | None] = relationship()

    @property
    def board_id(self) -> int:
        return self.indicator.board_id


class IndicatorCommentary(Base):
    """The owner's "what is being done to improve performance". Append-only: the newest is
    shown beside the indicator and the older ones stay as its history."""

    __tablename__ = "indicator_commentary"
    __append_only__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    text: Mapped[str] = mapped_column(Text)

    indicator: Mapped[Indicator] = relationship(back_populates="commentaries")
    author: Mapped[Person] = relationship()


class AuditEvent(Base):
    """Who changed what, when, from what to what. Written by tracker.audit, never by hand."""

    __tablename__ = "audit_event"
    __append_only__ = True
    # A meeting's page reads the trail of its forward plan's items: the changes since it was
    # published. A public page reads its board's newest event (tracker.publishing.cache).
    __table_args__ = (
        Index("ix_audit_event_entity", "entity", "entity_id"),
        Index("ix_audit_event_board_id_id", "board_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int | None] = mapped_column(ForeignKey("board.id"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    entity: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[int] = mapped_column(Integer)
    # The action this change belongs to (the action itself or one of its measures, leads or
    # reporting months), so an action's page can show its whole trail.
    action_id: Mapped[int | None] = mapped_column(ForeignKey("action.id"), index=True)
    verb: Mapped[str] = mapped_column(String(20))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reason: Mapped[str | None] = mapped_column(Text)

    actor: Mapped[Person | None] = relationship()


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
        _enum(OutboxStatus), default=OutboxStatus.PENDING, index=True
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


class JobRun(Base):
    """When each scheduled job last ran, so a run missed while the machine was off is
    caught up (once) when the scheduler starts again."""

    __tablename__ = "job_run"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    scheduled_for: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime)


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
        _enum(InboundStatus), default=InboundStatus.RECEIVED, index=True
    )
    # Why it was refused or not answered (tracker.inbound.process.REASONS).
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
