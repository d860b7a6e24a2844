"""Making things public and withdrawing them: the only way the publishing rows change.

Each function flushes nothing itself; the caller commits once, and tracker.audit writes the
trail entry for each decision (who approved or withdrew what, when).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import (
    Board,
    Indicator,
    IndicatorReading,
    Meeting,
    Person,
    ProgressUpdate,
)
from tracker.models.publishing import (
    PaperKind,
    PublicName,
    PublicPages,
    PublishedIndicator,
    PublishedPaper,
    PublishedReading,
    PublishedUpdate,
)

SUMMARY_LENGTH = 5000


class NotPublishable(ValueError):
    """The thing cannot be made public as it stands (a draft report, an unpublished plan)."""


def public_pages(session: Session, board: Board) -> PublicPages:
    """The board's settings, added (all off) the first time they are asked for."""
    pages = session.scalar(select(PublicPages).where(PublicPages.board_id == board.id))
    if pages is None:
        pages = PublicPages(
            board_id=board.id,
            enabled=False,
            plan=False,
            indicators=False,
            meetings=False,
            reports=False,
        )
        session.add(pages)
    return pages


def _decide(session: Session, model: type, key: dict, by: Person, now: datetime, **values):
    """Approve the thing ``key`` names: a new decision, or an old withdrawn one made public
    again with what is approved now."""
    row = session.scalar(select(model).filter_by(**key))
    if row is None:
        row = model(**key)
        session.add(row)
    row.approved_by_id, row.approved_at, row.withdrawn_at = by.id, now, None
    for name, value in values.items():
        setattr(row, name, value)
    return row


def approve_update(
    session: Session, update: ProgressUpdate, by: Person, now: datetime, summary: str | None
) -> PublishedUpdate:
    return _decide(
        session,
        PublishedUpdate,
        {"update_id": update.id},
        by,
        now,
        board_id=update.action.area.plan.board_id,
        action_id=update.action_id,
        summary=summary or None,
    )


def publish_indicator(
    session: Session, indicator: Indicator, by: Person, now: datetime
) -> PublishedIndicator:
    return _decide(
        session,
        PublishedIndicator,
        {"indicator_id": indicator.id},
        by,
        now,
        board_id=indicator.board_id,
    )


def approve_reading(
    session: Session, reading: IndicatorReading, by: Person, now: datetime
) -> PublishedReading:
    return _decide(
        session,
        PublishedReading,
        {"reading_id": reading.id},
        by,
        now,
        board_id=reading.indicator.board_id,
        indicator_id=reading.indicator_id,
        value=reading.value,
    )


def publish_paper(
    session: Session, meeting: Meeting, kind: PaperKind, by: Person, now: datetime
) -> PublishedPaper:
    if kind is PaperKind.FORWARD_PLAN and meeting.forward_plan_published_at is None:
        raise NotPublishable("Publish the forward plan on the meeting's page first.")
    if kind is PaperKind.REPORT and not (meeting.hwb_report and meeting.hwb_report.is_final):
        raise NotPublishable("Only a report marked final can be made public.")
    return _decide(
        session,
        PublishedPaper,
        {"meeting_id": meeting.id, "kind": kind},
        by,
        now,
        board_id=meeting.board_id,
    )


def withdraw(decision, now: datetime) -> None:
    """Take the thing off the public pages, from the next request on."""
    if decision.withdrawn_at is None:
        decision.withdrawn_at = now


def agree_to_be_named(session: Session, person: Person, agreed: bool, now: datetime) -> None:
    """Your public name: agreeing adds the row, withdrawing deletes it."""
    row = session.scalar(select(PublicName).where(PublicName.person_id == person.id))
    if agreed and row is None:
        session.add(PublicName(person_id=person.id, agreed_at=now))
    elif not agreed and row is not None:
        session.delete(row)
