"""What the Overdue and red page counts and lists: the board's late actions (by the rule the
database works out, tracker.actions.standing.MonthDues) and its actions rated Red."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import Integer, Row, case, func
from sqlalchemy.orm import Session

from tracker.actions.standing import (
    PLAN_ORDER,
    MonthDues,
    Standing,
    assess_actions,
    live_actions,
    table_query,
)
from tracker.members import member_id_select, members
from tracker.models import Action, ActionLead, AreaOfFocus, Board, Person, Rag, Team

RED = Action.rag == Rag.RED


def late_ids(session: Session, board: Board, dues: MonthDues) -> list[int]:
    """The live late actions, most late first. The rule is worked out by the database once,
    for the ids; the page of them is a slice."""
    return session.scalars(
        live_actions(board, Action.id)
        .where(dues.overdue())
        .order_by(dues.most_late_first(), *PLAN_ORDER)
    ).all()


def tallies(session: Session, board: Board, late: list[int]) -> tuple[Sequence[Row], Sequence[Row]]:
    """How many actions are late and how many Red, per area and per lead."""
    is_late = Action.id.in_(late)
    late_count, red_count = (case((condition, 1), else_=0) for condition in (is_late, RED))
    counts = (func.sum(late_count, type_=Integer), func.sum(red_count, type_=Integer))
    by_area = session.execute(
        live_actions(board, AreaOfFocus, *counts)
        .where(is_late | RED)
        .group_by(AreaOfFocus.id)
        .order_by(AreaOfFocus.position, AreaOfFocus.plan_id)
    ).all()
    by_lead = session.execute(
        live_actions(board, func.coalesce(Person.name, Team.name, "No lead"), *counts)
        .outerjoin(ActionLead, ActionLead.action_id == Action.id)
        .outerjoin(Person, Person.id == ActionLead.person_id)
        .outerjoin(Team, Team.id == ActionLead.team_id)
        .where(is_late | RED)
        .group_by(ActionLead.person_id, ActionLead.team_id, Person.name, Team.name)
    ).all()
    return by_area, by_lead


def red_ids(session: Session, board: Board, *, limit: int, offset: int) -> list[int]:
    """A page of the live actions rated Red, in plan order."""
    return session.scalars(
        live_actions(board, Action.id).where(RED).order_by(*PLAN_ORDER).limit(limit).offset(offset)
    ).all()


def standings_by_id(
    session: Session, board: Board, ids: list[int], today: date, dues: MonthDues
) -> dict[int, Standing]:
    """The standing of each action, loaded at once (an action both late and red is in both
    tables)."""
    actions = session.scalars(table_query(board).where(Action.id.in_(ids)))
    return {s.action.id: s for s in assess_actions(session, board, actions, today, dues.meetings)}


def away_with_deputy(session: Session, board: Board, today: date) -> list[Person]:
    """Who is away with a deputy standing in on this board: where else they are, and who
    deputises for them there, is another board's business."""
    on_board = member_id_select(board.id)
    return session.scalars(
        members(board.id).where(Person.away_until >= today, Person.deputy_id.in_(on_board))
    ).all()
