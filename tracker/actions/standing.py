"""Where each action of a board stands on a given day: due, in, or overdue.

The rule itself is tracker.rules.due; this module only loads what it needs in a fixed
number of queries (however many actions there are) and applies it. Pages and the scheduler
both use it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from tracker.models import (
    Action,
    ActionLead,
    ActionStatus,
    AreaOfFocus,
    Board,
    Meeting,
    Person,
    Plan,
    ProgressUpdate,
    Rag,
    Team,
    team_contact,
)
from tracker.rules.due import Due, assess, london_date


@dataclass(frozen=True)
class Standing:
    action: Action
    dues: tuple[Due, ...]

    @property
    def overdue(self) -> bool:
        return any(d.overdue for d in self.dues)

    @property
    def days_late(self) -> int:
        return max((d.days_late for d in self.dues), default=0)

    @property
    def is_red(self) -> bool:
        return self.action.rag is Rag.RED

    def next_due(self) -> Due | None:
        """The earliest reporting month whose update is not in yet."""
        return next((d for d in self.dues if not d.update_received), None)

    def due_between(self, first: date, last: date) -> list[Due]:
        return [d for d in self.dues if first <= d.due_on <= last]


def actions_query(board: Board):
    """The board's live actions (not archived, in live plans and areas), eagerly loaded."""
    return (
        select(Action)
        .join(Action.area)
        .join(AreaOfFocus.plan)
        .where(
            Plan.board_id == board.id,
            Plan.archived_at.is_(None),
            AreaOfFocus.archived_at.is_(None),
            Action.archived_at.is_(None),
        )
        .options(
            selectinload(Action.area).selectinload(AreaOfFocus.plan),
            selectinload(Action.leads).selectinload(ActionLead.person),
            selectinload(Action.leads).selectinload(ActionLead.team).selectinload(Team.contacts),
            selectinload(Action.reporting_months),
            selectinload(Action.agencies),
        )
        .order_by(AreaOfFocus.position, AreaOfFocus.id, Action.position, Action.id)
    )


def led_by(person: Person):
    """A condition: ``person`` leads the action, directly or as a contact of a lead team."""
    teams = select(team_contact.c.team_id).where(team_contact.c.person_id == person.id)
    return Action.leads.any((ActionLead.person_id == person.id) | ActionLead.team_id.in_(teams))


def meeting_dates(session: Session, board: Board) -> list[date]:
    return list(
        session.scalars(
            select(Meeting.held_on).where(
                Meeting.board_id == board.id, Meeting.archived_at.is_(None)
            )
        )
    )


def last_update_dates(session: Session, action_ids: Iterable[int]) -> dict[int, date]:
    """Each action's newest progress update, as a London date, in one query."""
    ids = list(action_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(ProgressUpdate.action_id, func.max(ProgressUpdate.created_at))
        .where(ProgressUpdate.action_id.in_(ids))
        .group_by(ProgressUpdate.action_id)
    )
    # max() keeps the column's type, so these come back as aware UTC datetimes.
    return {action_id: london_date(latest) for action_id, latest in rows}


def standings(
    session: Session, board: Board, today: date, *, where: Iterable = ()
) -> list[Standing]:
    """Every live action of the board (narrowed by ``where`` conditions) and where it stands."""
    actions = session.scalars(actions_query(board).where(*where)).all()
    return assess_actions(session, board, actions, today)


def assess_actions(
    session: Session, board: Board, actions: Iterable[Action], today: date
) -> list[Standing]:
    actions = list(actions)
    meetings = frozenset(meeting_dates(session, board))
    last_updates = last_update_dates(session, (a.id for a in actions))
    return [
        Standing(
            action=action,
            dues=tuple(
                assess(
                    month,
                    today=today,
                    meeting_dates=meetings,
                    complete=action.status is ActionStatus.COMPLETE,
                    last_update_on=last_updates.get(action.id),
                )
                for month in action.months
            ),
        )
        for action in actions
    ]
