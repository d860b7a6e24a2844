"""Meetings, their forward plans and the report to the Health and Wellbeing Board."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import Base
from tracker.models.base import ArchivableMixin, TimestampMixin, UTCDateTime, enum_type
from tracker.models.boards import Board
from tracker.models.people import Person
from tracker.models.plans import Action, AreaOfFocus


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
    kind: Mapped[ForwardPlanKind] = mapped_column(enum_type(ForwardPlanKind))
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
    kind: Mapped[NarrativeKind] = mapped_column(enum_type(NarrativeKind))
    text: Mapped[str] = mapped_column(Text)

    report: Mapped[HwbReport] = relationship(back_populates="narratives")

    @property
    def board_id(self) -> int:
        return self.report.meeting.board_id
