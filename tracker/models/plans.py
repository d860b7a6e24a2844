"""A plan: its areas of focus, actions, leads, reporting months and progress updates."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import Base
from tracker.models.base import ArchivableMixin, TimestampMixin, UTCDateTime, enum_type, utcnow
from tracker.models.boards import Agency, Board, Team
from tracker.models.people import Person
from tracker.rules.due import plan_years


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
        enum_type(ActionStatus), default=ActionStatus.NOT_STARTED
    )
    rag: Mapped[Rag | None] = mapped_column(enum_type(Rag))
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
    status: Mapped[ActionStatus] = mapped_column(enum_type(ActionStatus))
    rag: Mapped[Rag | None] = mapped_column(enum_type(Rag))
    # Posted by replying to a reminder or chaser (tracker.inbound), not through the form.
    by_email: Mapped[bool] = mapped_column(default=False, server_default="0")

    action: Mapped[Action] = relationship(back_populates="updates")
    author: Mapped[Person] = relationship()
