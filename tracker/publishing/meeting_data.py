"""The board's meetings as an audience sees them (tracker.publishing.data), with the forward
plans and final reports it may read: all of them to a member's eyes, those approved to the
public."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.meetings import board_meetings
from tracker.meetings.forward_plan import live_items
from tracker.models import Meeting
from tracker.models.publishing import PaperKind, PublishedPaper
from tracker.publishing.data import Audience, shows


@dataclass(frozen=True)
class MeetingView:
    meeting: Meeting
    forward_plan: list[str] | None  # None: not published (or not public)
    report: bool  # its final report is there to read

    @property
    def id(self) -> int:
        return self.meeting.id


def meetings(session: Session, audience: Audience) -> list[MeetingView]:
    """The board's meetings, with the forward plans and final reports the audience sees."""
    if not shows(session, audience, "meetings"):
        return []
    found = session.scalars(
        board_meetings(audience.board.id).options(
            selectinload(Meeting.forward_plan), selectinload(Meeting.hwb_report)
        )
    ).all()
    papers = _public_papers(session, audience, [m.id for m in found])
    reports = shows(session, audience, "reports")
    return [
        MeetingView(
            m,
            [item.text for item in live_items(m)]
            if m.forward_plan_published_at and (m.id, PaperKind.FORWARD_PLAN) in papers
            else None,
            bool(
                reports
                and m.hwb_report is not None
                and m.hwb_report.is_final
                and (m.id, PaperKind.REPORT) in papers
            ),
        )
        for m in found
    ]


def _public_papers(
    session: Session, audience: Audience, meeting_ids: Iterable[int]
) -> set[tuple[int, PaperKind]]:
    if audience.internal:
        return {(m, kind) for m in meeting_ids for kind in PaperKind}
    return set(
        session.execute(
            select(PublishedPaper.meeting_id, PublishedPaper.kind).where(
                PublishedPaper.board_id == audience.board.id,
                PublishedPaper.withdrawn_at.is_(None),
            )
        ).all()
    )


def meeting(session: Session, audience: Audience, meeting_id: int) -> MeetingView | None:
    return next((m for m in meetings(session, audience) if m.id == meeting_id), None)
