"""Daily reminders and weekly chasers to leads, and escalations to the chair and secretariat.

Deciding (``plan_*``: who would get what, for one board on one day) is kept apart from
queueing, so the secretariat can preview a day without sending anything. Timings are each
board's own settings (Admin → Reminders).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jobs.leads import by_recipient, lead_standings, live_boards, officers
from tracker.actions.standing import Standing, month_dues
from tracker.formatting import plural
from tracker.inbound.tokens import reply_address
from tracker.links import absolute_url
from tracker.members import member_ids
from tracker.models import Action, ActionStatus, Board, OutboxMessage, Person, outbox_action
from tracker.outbox import enqueue_all
from tracker.rules.due import (
    Due,
    is_working_day,
    london_date,
    next_working_day,
    working_days_after,
)


@dataclass
class Planned:
    """One e-mail a job has decided to send."""

    kind: str
    key: str
    person: Person
    subject: str
    actions: list[Action]
    # The day it is for: a run caught up later says so in the e-mail (emails/_late.txt).
    day: date
    context: dict[str, Any] = field(default_factory=dict)
    reply_to: str | None = None


def _update_link(board: Board, standing: Standing) -> str:
    return absolute_url("actions.post_update", board_slug=board.slug, action_id=standing.action.id)


def _with_replies(planned: Planned, today: date) -> Planned:
    """``planned`` with a reply address for each of its actions (none without
    UPDATES_ADDRESS), and as its Reply-To when it lists one action."""
    replies = {a.id: reply_address(planned.person, a, today) for a in planned.actions}
    planned.context["replies"] = {i: r for i, r in replies.items() if r is not None}
    if len(replies) == 1 and planned.context["replies"]:
        planned.reply_to = next(iter(planned.context["replies"].values())).address
    return planned


def _due_on(standing: Standing, day: date) -> Due | None:
    if standing.action.status is ActionStatus.COMPLETE:
        return None
    return next((d for d in standing.dues if d.due_on == day and not d.update_received), None)


def plan_reminders(session: Session, board: Board, today: date) -> list[Planned]:
    """Each lead's one e-mail of the day: actions due in N and in M working days."""
    if not is_working_day(today):
        return []
    # By the day each is due, soonest first: a date reads true whenever the e-mail is read.
    targets = sorted(
        {
            working_days_after(today, n)
            for n in (board.first_reminder_days, board.second_reminder_days)
        }
    )
    # Only the actions with an update due on one of those days are loaded.
    dues = month_dues(session, board, today)
    due_then = dues.due_on_days(targets)
    items = lead_standings(session, board, today, where=[due_then], meetings=dues.meetings)
    due = by_recipient(
        items,
        lambda s: any(_due_on(s, day) for day in targets),
        today,
        member_ids(session, board.id),
    )
    planned = []
    for person, rows in due.items():
        sections = [
            (day, [(s, _due_on(s, day), _update_link(board, s)) for s in rows if _due_on(s, day)])
            for day in targets
        ]
        planned.append(
            _with_replies(
                Planned(
                    kind="reminder",
                    key=f"reminder:{board.id}:{person.email}:{today}",
                    person=person,
                    subject=f"Progress updates due from you: {board.name}",
                    actions=[s.action for s in rows],
                    day=today,
                    context={"sections": [(day, r) for day, r in sections if r]},
                ),
                today,
            )
        )
    return planned


def is_chaser_day(board: Board, today: date) -> bool:
    """The board's chaser weekday (or the next working day after it), in a chasing week."""
    weekday = today - timedelta(days=today.weekday()) + timedelta(days=board.chaser_weekday)
    week = today.isocalendar()[1]
    return next_working_day(weekday) == today and week % board.chaser_every_weeks == 0


def _weeks_chased(session: Session, action_ids: list[int]) -> dict[int, set[str]]:
    """For each action, the weeks in which it was chased (a chaser's key ends with its week),
    in one query."""
    weeks: dict[int, set[str]] = {action_id: set() for action_id in action_ids}
    rows = session.execute(
        select(outbox_action.c.action_id, OutboxMessage.key)
        .join(OutboxMessage, outbox_action.c.message_id == OutboxMessage.id)
        .where(outbox_action.c.action_id.in_(action_ids), OutboxMessage.kind == "chaser")
    )
    for action_id, key in rows:
        weeks[action_id].add(key.rsplit(":", 1)[1])
    return weeks


def plan_chasers(session: Session, board: Board, today: date) -> list[Planned]:
    """Each lead's overdue actions; from the Nth week an action is chased, an escalation to
    the chair and the secretariat."""
    if not is_chaser_day(board, today):
        return []
    year, week, _ = today.isocalendar()
    this_week = f"{year}-W{week}"
    dues = month_dues(session, board, today)
    late = by_recipient(
        lead_standings(session, board, today, where=[dues.overdue()], meetings=dues.meetings),
        lambda s: s.overdue,
        today,
        member_ids(session, board.id),
    )
    planned = []
    for person, rows in late.items():
        rows = sorted(rows, key=lambda s: -s.days_late)
        planned.append(
            _with_replies(
                Planned(
                    kind="chaser",
                    key=f"chaser:{board.id}:{person.email}:{this_week}",
                    person=person,
                    subject=f"Overdue progress updates: {board.name}",
                    actions=[s.action for s in rows],
                    day=today,
                    context={"rows": [(s, _update_link(board, s)) for s in rows]},
                ),
                today,
            )
        )
    chased = {s.action.id: s for rows in late.values() for s in rows}
    weeks = _weeks_chased(session, list(chased))
    escalated = sorted(
        (
            s
            for s in chased.values()
            if len(weeks[s.action.id] | {this_week}) >= board.escalate_after_chasers
        ),
        key=lambda s: -s.days_late,
    )
    if escalated:
        rows = [
            (s, absolute_url("actions.show", board_slug=board.slug, action_id=s.action.id))
            for s in escalated
        ]
        planned += [
            Planned(
                kind="escalation",
                key=f"escalation:{board.id}:{person.email}:{this_week}",
                person=person,
                subject=f"Chased {board.escalate_after_chasers} times and still overdue: "
                f"{board.name}",
                actions=[s.action for s in escalated],
                day=today,
                context={"rows": rows, "times": board.escalate_after_chasers},
            )
            for person in officers(session, board)
        ]
    return planned


def queue(session: Session, board: Board, planned: list[Planned]) -> int:
    """Put planned e-mails in the outbox; those already there (same key) are left alone."""
    messages = [
        dict(
            key=item.key,
            kind=item.kind,
            recipient=item.person.email,
            subject=item.subject,
            template=item.kind,
            board_id=board.id,
            action_ids=[action.id for action in item.actions],
            hold=item.person.one_email_a_day,
            reply_to=item.reply_to,
            board=board,
            person=item.person,
            day=item.day,
            **item.context,
        )
        for item in planned
    ]
    return sum(message is not None for message in enqueue_all(session, messages))


def plan_day_reminders(session: Session, board: Board, today: date) -> list[Planned]:
    """The day's reminders: progress updates to leads, readings to indicator owners."""
    # Imported here: jobs.readings builds on this module's Planned and chaser day.
    from jobs.readings import plan_reading_reminders

    return plan_reminders(session, board, today) + plan_reading_reminders(session, board, today)


def plan_day_chasers(session: Session, board: Board, today: date) -> list[Planned]:
    """The day's chasers and escalations, for actions and for indicator readings."""
    from jobs.readings import plan_reading_chasers

    return plan_chasers(session, board, today) + plan_reading_chasers(session, board, today)


def send_reminders(session: Session, now: datetime) -> str:
    today = london_date(now)
    if not is_working_day(today):
        return f"{today} is not a working day: nothing to send"
    queued = sum(
        queue(session, board, plan_day_reminders(session, board, today))
        for board in live_boards(session)
    )
    return f"{plural(queued, 'reminder')} queued"


def send_chasers(session: Session, now: datetime) -> str:
    today = london_date(now)
    if not is_working_day(today):
        return f"{today} is not a working day: no chasers"
    queued = sum(
        queue(session, board, plan_day_chasers(session, board, today))
        for board in live_boards(session)
    )
    return f"{plural(queued, 'chaser or escalation', 'chasers and escalations')} queued"
