"""The performance framework as an audience sees it (tracker.publishing.data): every live
indicator and reading to a member's eyes; to the public the indicators made public, with
the readings approved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.indicators.framework import number_order, reading_rag
from tracker.models import Indicator, Rag
from tracker.models.publishing import PublishedIndicator, PublishedReading
from tracker.publishing.data import Audience, shows


@dataclass(frozen=True)
class ReadingView:
    id: int
    period_start: date
    value: float
    rag: Rag


@dataclass(frozen=True)
class IndicatorView:
    indicator: Indicator
    readings: list[ReadingView]  # oldest first

    @property
    def id(self) -> int:
        return self.indicator.id


def indicators(
    session: Session, audience: Audience, indicator_id: int | None = None
) -> list[IndicatorView]:
    """The live indicators the audience sees, in number order, each with its readings: every
    one to a member; to the public the indicators made public, with the readings approved
    at the value they hold now (a corrected figure waits for approval again)."""
    if not shows(session, audience, "indicators"):
        return []
    query = (
        select(Indicator)
        .where(Indicator.board_id == audience.board.id, Indicator.archived_at.is_(None))
        .options(selectinload(Indicator.readings), selectinload(Indicator.area))
    )
    if indicator_id is not None:
        query = query.where(Indicator.id == indicator_id)
    approved: dict[int, float] = {}
    if not audience.internal:
        query = query.where(
            Indicator.id.in_(
                select(PublishedIndicator.indicator_id).where(
                    PublishedIndicator.board_id == audience.board.id,
                    PublishedIndicator.withdrawn_at.is_(None),
                )
            )
        )
        approved = dict(
            session.execute(
                select(PublishedReading.reading_id, PublishedReading.value).where(
                    PublishedReading.board_id == audience.board.id,
                    PublishedReading.withdrawn_at.is_(None),
                )
            ).all()
        )
    found = sorted(session.scalars(query), key=lambda i: number_order(i.number))
    return [
        IndicatorView(
            i,
            [
                ReadingView(r.id, r.period_start, r.value, reading_rag(i, r))
                for r in i.readings
                if audience.internal or approved.get(r.id) == r.value
            ],
        )
        for i in found
    ]
