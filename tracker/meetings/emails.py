"""Before each board meeting: its forward plan compiled and sent to the chair and the
secretariat, then its digest to every member, on the days tracker.rules.timetable gives.

Each function decides for one board on one day and returns the e-mails for
``tracker.outbox.enqueue_all``; the scheduler's jobs (jobs/meetings.py) queue them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.actions.standing import month_dues, standings
from tracker.links import absolute_url
from tracker.meetings import previous_meeting, updates_between
from tracker.meetings.forward_plan import (
    PlanItem,
    candidates,
    compile_draft,
    live_items,
)
from tracker.members import member_ids, members, officers
from tracker.models import (
    Action,
    AreaOfFocus,
    Board,
    ForwardPlanItem,
    Meeting,
    Person,
    Plan,
    ProgressUpdate,
    Rag,
    Role,
)
from tracker.rules.due import first_of_month
from tracker.rules.timetable import DIGEST_DAYS_BEFORE, FORWARD_PLAN_DAYS_BEFORE


def _meetings_within(session: Session, board: Board, today: date, days: int) -> list[Meeting]:
    return list(
        session.scalars(
            select(Meeting)
            .where(
                Meeting.board_id == board.id,
                Meeting.archived_at.is_(None),
                Meeting.held_on > today,
                Meeting.held_on <= today + timedelta(days=days),
            )
            .options(selectinload(Meeting.focus_area))
            .order_by(Meeting.held_on)
        )
    )


def forward_plans(
    session: Session, board: Board, today: date, now: datetime
) -> tuple[int, list[dict]]:
    """Compile the draft forward plan of each of the board's meetings coming up within
    FORWARD_PLAN_DAYS_BEFORE and not yet published: how many, and the e-mails that send
    each to the chair and the secretariat."""
    meetings = _meetings_within(session, board, today, FORWARD_PLAN_DAYS_BEFORE)
    if not meetings:
        return 0, []
    items = candidates(session, board, today, [first_of_month(m.held_on) for m in meetings])
    links = _action_links(board)
    chair_and_secretariat = officers(session, board)
    # Only the secretariat changes and publishes it (the meeting routes are theirs).
    secretariat = member_ids(session, board.id, roles=[Role.ADMIN])
    compiled, messages = 0, []
    for meeting in meetings:
        if meeting.forward_plan_published_at is not None:
            continue  # published: the secretariat's from now on
        plan = compile_draft(session, meeting, items, now)
        compiled += 1
        messages += [
            _message(
                board,
                person,
                meeting,
                plan,
                day=today,
                kind="forward_plan",
                subject=f"Forward plan for the board meeting on {meeting.held_on:%-d %B %Y}",
                template="forward_plan",
                action_link=links,
                shapes_it=person.id in secretariat,
            )
            for person in chair_and_secretariat
        ]
    return compiled, messages


def updates_since(session: Session, board: Board, since: date | None) -> list[ProgressUpdate]:
    """The board's newest progress updates since the meeting held on ``since``."""
    query = (
        select(ProgressUpdate)
        .join(ProgressUpdate.action)
        .join(Action.area)
        .join(AreaOfFocus.plan)
        .where(Plan.board_id == board.id, *updates_between(since))
        .options(selectinload(ProgressUpdate.action), selectinload(ProgressUpdate.author))
        .order_by(ProgressUpdate.created_at.desc())
    )
    return list(session.scalars(query.limit(200)))


def digests(session: Session, board: Board, today: date) -> list[dict]:
    """Every member's digest of each of the board's meetings within DIGEST_DAYS_BEFORE: its
    forward plan, what is overdue or rated red, and the updates since the meeting before."""
    meetings = _meetings_within(session, board, today, DIGEST_DAYS_BEFORE)
    if not meetings:
        return []
    dues = month_dues(session, board, today)
    items = standings(
        session,
        board,
        today,
        where=[dues.overdue() | (Action.rag == Rag.RED)],
        months_only=True,
        meetings=dues.meetings,
    )
    overdue = sorted((s for s in items if s.overdue), key=lambda s: -s.days_late)
    red = [s for s in items if s.is_red]
    links = _action_links(board)
    messages = []
    for meeting in meetings:
        before = previous_meeting(session, meeting)
        previous = before.held_on if before else None
        updates = updates_since(session, board, previous)
        messages += [
            _message(
                board,
                person,
                meeting,
                live_items(meeting),
                day=today,
                kind="digest",
                subject=f"Board meeting on {meeting.held_on:%-d %B %Y}: what comes to it",
                template="digest",
                action_link=links,
                overdue=overdue,
                red=red,
                updates=updates,
                previous=previous,
                report_link=absolute_url(
                    "reports.show", board_slug=board.slug, meeting_id=meeting.id
                ),
            )
            for person in session.scalars(members(board.id))
        ]
    return messages


def _action_links(board: Board) -> Callable[[int], str]:
    """Each action's address, worked out once however many of the board's e-mails list it."""
    return cache(
        lambda action_id: absolute_url("actions.show", board_slug=board.slug, action_id=action_id)
    )


def _message(
    board: Board,
    person: Person,
    meeting: Meeting,
    items: list[PlanItem] | list[ForwardPlanItem],
    *,
    day: date,
    kind: str,
    subject: str,
    template: str,
    **context,
) -> dict:
    """One person's e-mail about the meeting and its forward plan's live ``items``, for the
    job's run on ``day``, for ``enqueue_all``."""
    return dict(
        key=f"{kind}:{board.id}:{person.email}:meeting-{meeting.id}",
        kind=kind,
        recipient=person.email,
        subject=subject,
        template=template,
        board_id=board.id,
        # Listed on the page of each action the forward plan brings to the meeting.
        action_ids=[i.action_id for i in items if i.action_id is not None],
        day=day,
        board=board,
        person=person,
        meeting=meeting,
        items=items,
        meeting_link=absolute_url("meetings.show", board_slug=board.slug, meeting_id=meeting.id),
        **context,
    )
