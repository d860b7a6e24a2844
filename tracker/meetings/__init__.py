from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session, joinedload

from tracker.models import ForwardPlanItem, Meeting, ProgressUpdate
from tracker.rules.due import LONDON


def board_meetings(board_id: int) -> Select:
    """The board's meetings that are not archived, by date, with their focus areas. Their
    forward plans load when first asked for: most callers want one of them at most."""
    return (
        select(Meeting)
        .where(Meeting.board_id == board_id, Meeting.archived_at.is_(None))
        .options(joinedload(Meeting.focus_area))
        .order_by(Meeting.held_on)
    )


def plan_items(meeting_id: int, *columns) -> Select:
    """``columns`` of every item on the meeting's forward plan, removed ones too, in order:
    for pages, which only show them and need not load hundreds of objects."""
    return (
        select(*columns)
        .where(ForwardPlanItem.meeting_id == meeting_id)
        .order_by(ForwardPlanItem.position, ForwardPlanItem.id)
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


def end_of_meeting_day(held_on: date) -> datetime:
    """When the day of a meeting held on ``held_on`` ends (Europe/London)."""
    return datetime.combine(held_on + timedelta(days=1), time(), tzinfo=LONDON)


def updates_between(after: date | None, up_to: date | None = None) -> list[ColumnElement[bool]]:
    """Conditions on ProgressUpdate: posted since the meeting held on ``after`` (any time,
    if None) and, if given, by the meeting held on ``up_to``. A meeting's day is its own: an
    update posted that day is reported to that meeting, so both the digest and the report to
    the Health and Wellbeing Board count the next meeting's updates from the end of the day."""
    conditions = []
    if after is not None:
        conditions.append(ProgressUpdate.created_at >= end_of_meeting_day(after))
    if up_to is not None:
        conditions.append(ProgressUpdate.created_at < end_of_meeting_day(up_to))
    return conditions
