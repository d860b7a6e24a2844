"""Reminders and chasers to the leads of actions, and escalations to the chair and the
secretariat."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.actions.standing import Standing, month_dues
from tracker.inbound.tokens import reply_address
from tracker.leads import lead_people
from tracker.links import absolute_url
from tracker.members import officers
from tracker.models import ActionStatus, Board, OutboxMessage, outbox_action
from tracker.reminders.planned import Planned
from tracker.reminders.recipients import by_recipient, lead_standings
from tracker.rules.due import Due, is_working_day, working_days_after
from tracker.rules.timetable import is_chaser_day


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
        session,
        board,
        [s for s in items if any(_due_on(s, day) for day in targets)],
        lambda s: lead_people(s.action),
        today,
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
        session,
        board,
        [
            s
            for s in lead_standings(
                session, board, today, where=[dues.overdue()], meetings=dues.meetings
            )
            if s.overdue
        ],
        lambda s: lead_people(s.action),
        today,
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
