"""What the tracker keeps about itself: the audit trail and job runs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import Base
from tracker.models.base import UTCDateTime, utcnow
from tracker.models.people import Person


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


class JobRun(Base):
    """When each scheduled job last ran, so a run missed while the machine was off is
    caught up (once) when the scheduler starts again."""

    __tablename__ = "job_run"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    scheduled_for: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime)
