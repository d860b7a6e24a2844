"""Daily reminders and weekly chasers to leads, and escalations to the chair and secretariat."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from jobs.leads import by_recipient, live_boards, officers
from tracker.actions.standing import Standing, standings
from tracker.links import absolute_url
from tracker.models import ActionStatus, Board, OutboxMessage, Person, outbox_action
from tracker.outbox import enqueue
from tracker.rules.due import (
    Due,
    first_working_day_of_week,
    is_working_day,
    london_date,
    working_days_after,
)

FIRST_REMINDER_WORKING_DAYS = 10
SECOND_REMINDER_WORKING_DAYS = 3
ESCALATE_FROM_CHASER = 3


def _update_link(board: Board, standing: Standing) -> str:
    return absolute_url("actions.post_update", board_slug=board.slug, action_id=standing.action.id)


def _due_on(standing: Standing, day: date) -> Due | None:
    if standing.action.status is ActionStatus.COMPLETE:
        return None
    return next((d for d in standing.dues if d.due_on == day and not d.update_received), None)


def send_reminders(session: Session, now: datetime) -> str:
    """One e-mail a day to each lead listing their actions due in 10 and in 3 working days."""
    today = london_date(now)
    if not is_working_day(today):
        return f"{today} is not a working day: nothing to send"
    first = working_days_after(today, FIRST_REMINDER_WORKING_DAYS)
    second = working_days_after(today, SECOND_REMINDER_WORKING_DAYS)
    queued = 0
    for board in live_boards(session):
        items = standings(session, board, today)
        due = by_recipient(items, lambda s: bool(_due_on(s, first) or _due_on(s, second)))
        for person, rows in due.items():
            sections = [
                (
                    heading,
                    [(s, _due_on(s, day), _update_link(board, s)) for s in rows if _due_on(s, day)],
                )
                for heading, day in (
                    ("Due in 3 working days", second),
                    ("Due in 10 working days", first),
                )
            ]
            queued += _queue(
                session,
                board,
                person,
                key=f"reminder:{board.id}:{person.email}:{today}",
                kind="reminder",
                subject=f"Progress updates due from you: {board.name}",
                template="reminder",
                actions=[s.action for s in rows],
                sections=[(h, r) for h, r in sections if r],
            )
    return f"{queued} reminders queued"


def _chaser_weeks(session: Session, action_id: int) -> int:
    """In how many different weeks this action has been chased (the week ends each key)."""
    keys = session.scalars(
        select(OutboxMessage.key)
        .join(outbox_action, outbox_action.c.message_id == OutboxMessage.id)
        .where(outbox_action.c.action_id == action_id, OutboxMessage.kind == "chaser")
    )
    return len({key.rsplit(":", 1)[1] for key in keys})


def send_chasers(session: Session, now: datetime) -> str:
    """On the first working day of each week, chase every lead's overdue actions; from the
    third week an action is chased, tell the chair and the secretariat."""
    today = london_date(now)
    if not first_working_day_of_week(today):
        return f"{today} is not the week's first working day: no chasers"
    year, week, _ = today.isocalendar()
    queued = 0
    for board in live_boards(session):
        items = standings(session, board, today)
        late = by_recipient(items, lambda s: s.overdue)
        for person, rows in late.items():
            rows = sorted(rows, key=lambda s: -s.days_late)
            queued += _queue(
                session,
                board,
                person,
                key=f"chaser:{board.id}:{person.email}:{year}-W{week}",
                kind="chaser",
                subject=f"Overdue progress updates: {board.name}",
                template="chaser",
                actions=[s.action for s in rows],
                rows=[(s, _update_link(board, s)) for s in rows],
            )
        chased = {s.action.id: s for rows in late.values() for s in rows}
        escalated = sorted(
            (
                s
                for s in chased.values()
                if _chaser_weeks(session, s.action.id) >= ESCALATE_FROM_CHASER
            ),
            key=lambda s: -s.days_late,
        )
        if escalated:
            for person in officers(session, board):
                queued += _queue(
                    session,
                    board,
                    person,
                    key=f"escalation:{board.id}:{person.email}:{year}-W{week}",
                    kind="escalation",
                    subject=f"Chased three times and still overdue: {board.name}",
                    template="escalation",
                    actions=[s.action for s in escalated],
                    rows=[
                        (
                            s,
                            absolute_url(
                                "actions.show", board_slug=board.slug, action_id=s.action.id
                            ),
                        )
                        for s in escalated
                    ],
                )
    return f"{queued} chasers and escalations queued"


def _queue(
    session: Session,
    board: Board,
    person: Person,
    *,
    key: str,
    kind: str,
    subject: str,
    template: str,
    actions,
    **context,
) -> int:
    message = enqueue(
        session,
        key=key,
        kind=kind,
        recipient=person.email,
        subject=subject,
        template=template,
        board_id=board.id,
        actions=actions,
        board=board,
        person=person,
        **context,
    )
    return 0 if message is None else 1
