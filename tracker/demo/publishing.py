"""The demo board's public pages: what publishing.json says its secretariat made public,
through tracker.publishing.approvals as Admin → Publishing makes it, audited as theirs.

Each decision is taken once. One already there, or withdrawn since, is left as it is; the
chair agrees to be named only when the pages are first set up, so that withdrawing that
agreement (Your public name) stands when the demo is loaded again.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker import clock
from tracker.audit import acting_as
from tracker.demo.plans import person
from tracker.meetings import board_meetings
from tracker.models import Action, AreaOfFocus, Board, Indicator, Plan, ProgressUpdate
from tracker.models.publishing import (
    PaperKind,
    PublishedIndicator,
    PublishedPaper,
    PublishedReading,
    PublishedUpdate,
)
from tracker.publishing import approvals
from tracker.publishing.data import settings


def publish(session: Session, board: Board, held: dict, today: date) -> None:
    by = person(session, held["by"])
    now = clock.now()
    with acting_as(session, by.id, reason="demo data"):
        if settings(session, board) is None:
            pages = approvals.public_pages(session, board)
            pages.enabled = True
            for part in held["parts"]:
                setattr(pages, part, True)
            for email in held["named"]:
                approvals.agree_to_be_named(session, person(session, email), True, now)
        for entry in held["updates"]:
            update = _latest_update(session, board, held["plan"], entry["action"])
            if _undecided(session, PublishedUpdate, update_id=update.id):
                approvals.approve_update(session, update, by, now, entry.get("summary"))
        for number in held["indicators"]:
            indicator = session.scalars(
                select(Indicator).where(Indicator.board_id == board.id, Indicator.number == number)
            ).one()
            if _undecided(session, PublishedIndicator, indicator_id=indicator.id):
                approvals.publish_indicator(session, indicator, by, now)
            for reading in indicator.readings:
                if _undecided(session, PublishedReading, reading_id=reading.id):
                    approvals.approve_reading(session, reading, by, now)
        last = [m for m in session.scalars(board_meetings(board.id)) if m.held_on < today][-1]
        for kind in map(PaperKind, held["papers"]):
            if _undecided(session, PublishedPaper, meeting_id=last.id, kind=kind):
                approvals.publish_paper(session, last, kind, by, now)
        session.flush()


def _undecided(session: Session, model: type, **key) -> bool:
    # Flushed first: a decision added a moment ago is found too.
    session.flush()
    return session.scalar(select(model.id).filter_by(**key)) is None


def _latest_update(session: Session, board: Board, plan: str, action: str) -> ProgressUpdate:
    return session.scalars(
        select(ProgressUpdate)
        .join(Action, Action.id == ProgressUpdate.action_id)
        .join(AreaOfFocus, AreaOfFocus.id == Action.area_id)
        .join(Plan, Plan.id == AreaOfFocus.plan_id)
        .where(Plan.board_id == board.id, Plan.name == plan, Action.text == action)
        .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())
        .limit(1)
    ).one()
