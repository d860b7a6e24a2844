"""Who hears about what: one rule for the reminders and chasers of actions and of readings.

Each thing has the people who answer for it (an action's leads, an indicator's owner). Each
of them hears through whoever answers for them on the day (tracker.leads.chased: their
deputy while they are away, or themselves), and only a member of the board does: on it, not
deactivated, with an e-mail address (tracker.members). Nobody hears twice of one thing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from typing import TypeVar

from sqlalchemy.orm import Session, selectinload

from tracker.actions.standing import PLAN_ORDER, Standing, assess_actions, live_actions
from tracker.leads import chased
from tracker.members import member_ids
from tracker.models import Action, ActionLead, Board, Person, Team

Thing = TypeVar("Thing")


def by_recipient(
    session: Session,
    board: Board,
    things: Iterable[Thing],
    answering: Callable[[Thing], Iterable[Person]],
    today: date,
) -> dict[Person, list[Thing]]:
    """``things`` grouped by each person who should hear about them on ``today``, by e-mail
    address; ``answering`` gives the people who answer for a thing."""
    members = member_ids(session, board.id)
    grouped: dict[Person, list[Thing]] = defaultdict(list)
    for thing in things:
        for person in answering(thing):
            recipient = chased(person, today, members)
            if recipient is not None and thing not in grouped[recipient]:
                grouped[recipient].append(thing)
    return dict(sorted(grouped.items(), key=lambda kv: kv[0].email))


def lead_standings(
    session: Session, board: Board, today: date, *, where, meetings: frozenset[date]
) -> list[Standing]:
    """Where the board's live actions meeting the ``where`` conditions stand, loaded with
    their leads, all that the reminders and chasers need of them (not their area, plan and
    agencies, as pages need); ``meetings`` are the board's meeting dates."""
    lead = selectinload(Action.leads)
    actions = session.scalars(
        live_actions(board)
        .where(*where)
        .options(
            selectinload(Action.reporting_months),
            lead.selectinload(ActionLead.person),
            lead.selectinload(ActionLead.team).selectinload(Team.contacts),
        )
        .order_by(*PLAN_ORDER)
    ).all()
    return assess_actions(session, board, actions, today, meetings)
