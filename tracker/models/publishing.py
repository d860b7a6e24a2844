"""The publishing decisions, one row per thing made public, and the read API's tokens.

A decision is withdrawn by setting ``withdrawn_at`` (kept, so the trail and the admin page
can say it was public once); approving again clears it. Every row here is audited.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import Base
from tracker.models.base import TimestampMixin, UTCDateTime, enum_type, utcnow
from tracker.models.indicators import Indicator, IndicatorReading
from tracker.models.meetings import Meeting
from tracker.models.people import Person
from tracker.models.plans import ProgressUpdate


class PublicPages(TimestampMixin, Base):
    """Admin → Publishing: whether the board has public pages, and what is on them."""

    __tablename__ = "public_pages"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id"), unique=True)
    enabled: Mapped[bool] = mapped_column(default=False)
    plan: Mapped[bool] = mapped_column(default=False)
    indicators: Mapped[bool] = mapped_column(default=False)
    meetings: Mapped[bool] = mapped_column(default=False)
    reports: Mapped[bool] = mapped_column(default=False)


class _Decision:
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    approved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_public(self) -> bool:
        return self.withdrawn_at is None


class PublishedUpdate(_Decision, Base):
    """A progress update approved for the public pages, with the public summary if the
    approver wrote one (the update itself stays as its author wrote it)."""

    __tablename__ = "published_update"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id"), index=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id"), index=True)
    update_id: Mapped[int] = mapped_column(ForeignKey("progress_update.id"), unique=True)
    summary: Mapped[str | None] = mapped_column(Text)

    update: Mapped[ProgressUpdate] = relationship()


class PublishedIndicator(_Decision, Base):
    __tablename__ = "published_indicator"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id"), index=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id"), unique=True)

    indicator: Mapped[Indicator] = relationship()


class PublishedReading(_Decision, Base):
    """A reading approved for one period. Readings are corrected in place, so the approved
    value is kept: a corrected figure is not public until it is approved again."""

    __tablename__ = "published_reading"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id"), index=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id"), index=True)
    reading_id: Mapped[int] = mapped_column(ForeignKey("indicator_reading.id"), unique=True)
    value: Mapped[float] = mapped_column(Float)

    reading: Mapped[IndicatorReading] = relationship()


class PaperKind(enum.StrEnum):
    FORWARD_PLAN = "forward_plan"
    REPORT = "report"

    @property
    def label(self) -> str:
        return {
            "forward_plan": "Forward plan",
            "report": "Report to the Health and Wellbeing Board",
        }[self.value]


class PublishedPaper(_Decision, Base):
    """A meeting's published forward plan, or its final report to the HWB, made public."""

    __tablename__ = "published_paper"
    __audited__ = True
    __table_args__ = (UniqueConstraint("meeting_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), index=True)
    kind: Mapped[PaperKind] = mapped_column(enum_type(PaperKind))

    meeting: Mapped[Meeting] = relationship()


class PublicName(Base):
    """A person's agreement (Your public name) to be named on public pages; without it they
    are shown by their role and team. Withdrawing it deletes the row."""

    __tablename__ = "public_name"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), unique=True)
    agreed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person: Mapped[Person] = relationship()


class ApiToken(Base):
    """A partner's read-only key to one board's internal data. Only its hash is kept; the
    token is shown once, when it is made."""

    __tablename__ = "api_token"
    __audited__ = True
    __audit_redacted__ = frozenset({"token_hash"})

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def is_live(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at


class ApiTokenWindow(Base):
    """How many calls a token has made in the current minute: the rate limit, shared by
    every worker. Bookkeeping, not audited."""

    __tablename__ = "api_token_window"

    token_id: Mapped[int] = mapped_column(ForeignKey("api_token.id"), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime)
    calls: Mapped[int] = mapped_column(Integer, default=0)
