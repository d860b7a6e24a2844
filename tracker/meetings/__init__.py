from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from tracker.models import Meeting


def board_meetings(board_id: int) -> Select:
    """The board's meetings that are not archived, by date, with their forward plans."""
    return (
        select(Meeting)
        .where(Meeting.board_id == board_id, Meeting.archived_at.is_(None))
        .options(selectinload(Meeting.forward_plan), selectinload(Meeting.focus_area))
        .order_by(Meeting.held_on)
    )


def previous_meeting(session: Session, meeting: Meeting) -> Meeting | None:
    """The board's meeting before this one: whose report came last, whose leftovers carry."""
    return session.scalar(
        board_meetings(meeting.board_id)
        .where(Meeting.held_on < meeting.held_on)
        .order_by(None)
        .order_by(Meeting.held_on.desc())
        .limit(1)
    )


def next_meeting(session: Session, meeting: Meeting) -> Meeting | None:
    return session.scalar(
        board_meetings(meeting.board_id).where(Meeting.held_on > meeting.held_on).limit(1)
    )
