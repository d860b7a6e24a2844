"""Who hears about which action: shared by the reminder and chaser jobs."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Container, Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.actions.standing import PLAN_ORDER, Standing, assess_actions, live_actions
from tracker.leads import chased, lead_people
from tracker.members import members
from tracker.models import Action, ActionLead, Board, Person, Role, Team


def live_boards(session: Session) -> list[Board]:
    return list(
        session.scalars(select(Board).where(Board.archived_at.is_(None)).order_by(Board.id))
    )


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


def by_recipient(
    items: Iterable[Standing],
    wanted: Callable[[Standing], bool],
    today: date,
    members: Container[int],
) -> dict[Person, list[Standing]]:
    """The wanted actions, grouped by each person who should hear about them: whoever the
    reminders go to for each of its leads (tracker.leads.chased: the lead, or their deputy
    while they are away); ``members`` are the ids of the board's members."""
    grouped: dict[Person, list[Standing]] = defaultdict(list)
    for standing in items:
        if not wanted(standing):
            continue
        for lead in lead_people(standing.action):
            person = chased(lead, today, members)
            if person is not None and standing not in grouped[person]:
                grouped[person].append(standing)
    return dict(sorted(grouped.items(), key=lambda kv: kv[0].email))


def officers(session: Session, board: Board) -> list[Person]:
    """The chair and the secretariat: who hears about escalations and the forward plan."""
    return list(session.scalars(members(board.id, roles=[Role.CHAIR, Role.ADMIN])))
