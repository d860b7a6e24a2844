"""The performance framework: indicators, their readings and commentary."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import Base
from tracker.models.base import ArchivableMixin, TimestampMixin, UTCDateTime, enum_type, utcnow
from tracker.models.people import Person
from tracker.models.plans import AreaOfFocus, Rag


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
    unit: Mapped[IndicatorUnit] = mapped_column(enum_type(IndicatorUnit))
    direction: Mapped[Direction] = mapped_column(enum_type(Direction))
    # Floats, compared as the decimals they were typed as: see tracker.rules.rag.
    target: Mapped[float] = mapped_column(Float)
    # How far on the wrong side of the target a reading may be and still be Amber.
    tolerance: Mapped[float] = mapped_column(Float, default=0)
    frequency: Mapped[Frequency] = mapped_column(enum_type(Frequency))
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
    rag_override: Mapped[Rag | None] = mapped_column(enum_type(Rag))
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
