"""Who answers for an action, or an indicator's readings, on a given day.

Leading an action is what lets a person post on it, whatever their role on the board: a
named lead, and each contact person of a lead team. While a lead is away their deputy stands
in: the deputy gets the reminders and chasers, and may post on the lead's actions. The
reminders and chasers, My actions, the calendar and the right to post all ask
``answering_for``, so that whoever the scheduler chases can do what it asks.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.actions.standing import led_by, live_actions
from tracker.members import member_ids
from tracker.models import Action, Board, Person


def answering_for(lead: Person, today: date, members: Container[int]) -> tuple[Person, ...]:
    """Who answers on ``today`` for what ``lead`` leads (in person, or as the contact of a
    lead team), the one the reminders and chasers go to first: their deputy while they are
    away, then the lead themselves.

    ``members`` are the ids of the board's members (on it, active, with an e-mail address):
    only they answer. A lead taken off the board answers for nothing there, and a deputy who
    is not on this board does not stand in on it: the lead keeps their own reminders.
    """
    if lead.id not in members:
        return ()
    deputy = lead.deputy_on(today)
    if deputy is not None and deputy.id in members:
        return (deputy, lead)
    return (lead,)


def chased(lead: Person, today: date, members: Container[int]) -> Person | None:
    """Who gets the reminders and chasers for ``lead``'s actions on ``today``, if anyone."""
    return next(iter(answering_for(lead, today, members)), None)


def answers(person: Person, lead: Person, today: date, members: Container[int]) -> bool:
    """Whether ``person`` answers for what ``lead`` leads on ``today``."""
    return any(p.id == person.id for p in answering_for(lead, today, members))


def lead_people(action: Action) -> list[Person]:
    """The people who lead ``action``: its named leads and its lead teams' contacts."""
    return [person for lead in action.leads for person in lead.recipients]


def _around(people: Iterable[Person]) -> set[int]:
    """The ids of ``people`` and of their deputies: all that ``answering_for`` asks about."""
    return {i for person in people for i in (person.id, person.deputy_id) if i is not None}


def answers_for(session: Session, person: Person, action: Action, today: date) -> bool:
    """Whether ``person`` answers for ``action`` on ``today``: leads it, or stands in for a
    lead who is away."""
    leads = lead_people(action)
    members = member_ids(session, action.area.plan.board_id, _around(leads))
    return any(answers(person, lead, today, members) for lead in leads)


def answers_for_owner(
    session: Session, person: Person, owner: Person, board_id: int, today: date
) -> bool:
    """Whether ``person`` answers on ``today`` for the readings of indicators ``owner`` owns."""
    return answers(person, owner, today, member_ids(session, board_id, _around([owner])))


def answers_for_any(session: Session, person: Person, board: Board, today: date) -> bool:
    """Whether ``person`` answers for any of the board's live actions on ``today``."""
    led = led_by(*stood_in_for(session, person, board, today))
    return session.scalar(select(live_actions(board, Action.id).where(led).exists()))


def stood_in_for(session: Session, person: Person, board: Board, today: date) -> list[Person]:
    """The people whose actions on ``board`` ``person`` answers for on ``today``: themselves,
    then, by name, everyone away who chose them as deputy."""
    away = session.scalars(
        select(Person)
        .where(Person.deputy_id == person.id, Person.away_until >= today)
        .order_by(Person.name, Person.id)
    ).all()
    candidates = [person, *away]
    members = member_ids(session, board.id, _around(candidates))
    return [lead for lead in candidates if answers(person, lead, today, members)]
