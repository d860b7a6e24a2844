"""Where each action of a board stands on a given day: due, in, or overdue.

The rule itself is tracker.rules.due; this module only loads what it needs in a fixed
number of queries (however many actions there are) and applies it. Pages and the scheduler
both use it.

``MonthDues`` puts the same rule into SQL, so that a page or a job can pick out the overdue
actions (or those due on a day) among thousands without loading them: the due date of each of
the board's reporting months is worked out once in Python, and the database compares.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import (
    ColumnElement,
    Date,
    and_,
    case,
    exists,
    false,
    func,
    literal,
    select,
    union_all,
)
from sqlalchemy.orm import Session, aliased, contains_eager, joinedload, selectinload

from tracker.formatting import long_date, plural
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
    ReportingMonth,
    Team,
    UTCDateTime,
    team_contact,
)
from tracker.rules.due import LONDON, Due, assess, counting_from, due_date, london_date


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

    def coming_up(self) -> Due | None:
        """The update still to come, when the action is neither overdue nor complete."""
        if self.overdue or self.action.status is ActionStatus.COMPLETE:
            return None
        return self.next_due()

    def next_update(self) -> NextUpdate:
        """What is true of the action's next update, in words, for every page that shows it."""
        if self.overdue:
            return NextUpdate(f"{plural(self.days_late, 'day')} late", "red")
        if self.action.status is ActionStatus.COMPLETE:
            return NextUpdate("Complete", "blue")
        due = self.coming_up()
        if due is not None:
            return NextUpdate(f"Due {long_date(due.due_on)}")
        if not self.dues:
            return NextUpdate("No reporting month")
        return NextUpdate(f"Update received {long_date(self.dues[-1].received_on)}")


@dataclass(frozen=True)
class NextUpdate:
    """An action's next update as a page says it: "Due 15 January 2027", "No reporting month",
    "Update received 3 November 2026", "27 days late" (with the colour of its tag, if it is
    shown as one)."""

    text: str
    colour: str | None = None


PLAN_ORDER = (AreaOfFocus.position, AreaOfFocus.id, Action.position, Action.id)


def live_actions(board: Board, *columns):
    """The board's live actions (not archived, in live plans and areas): ``columns`` of them,
    or the actions themselves."""
    return (
        select(*(columns or [Action]))
        .select_from(Action)
        .join(Action.area)
        .join(AreaOfFocus.plan)
        .where(
            Plan.board_id == board.id,
            Plan.archived_at.is_(None),
            AreaOfFocus.archived_at.is_(None),
            Action.archived_at.is_(None),
        )
    )


def actions_query(board: Board):
    """The board's live actions, eagerly loaded, in plan order."""
    return (
        live_actions(board)
        .options(
            selectinload(Action.area).selectinload(AreaOfFocus.plan),
            selectinload(Action.leads).selectinload(ActionLead.person),
            selectinload(Action.leads).selectinload(ActionLead.team).selectinload(Team.contacts),
            selectinload(Action.reporting_months),
            selectinload(Action.agencies),
        )
        .order_by(*PLAN_ORDER)
    )


def table_query(board: Board, *, agencies: bool = False):
    """The board's live actions in plan order, with what a table of them shows and nothing
    more: their area and plan (from the query's own joins), their leads' names and reporting
    months, and their agencies if asked. Three queries in all, or four."""
    options = [
        contains_eager(Action.area).contains_eager(AreaOfFocus.plan),
        selectinload(Action.leads).options(
            joinedload(ActionLead.person), joinedload(ActionLead.team)
        ),
        selectinload(Action.reporting_months),
    ]
    if agencies:
        options.append(selectinload(Action.agencies))
    return live_actions(board).options(*options).order_by(*PLAN_ORDER)


def led_by(*people: Person):
    """A condition: one of ``people`` leads the action, directly or as a contact of a lead
    team."""
    # Found from the people's leads and teams by index, not by looking through every action's
    # leads; two lookups, as neither database can use both indexes for an OR with a subquery.
    ids = [person.id for person in people]
    directly = select(ActionLead.action_id).where(ActionLead.person_id.in_(ids))
    through_teams = (
        select(ActionLead.action_id)
        .join(team_contact, team_contact.c.team_id == ActionLead.team_id)
        .where(team_contact.c.person_id.in_(ids))
    )
    return Action.id.in_(union_all(directly, through_teams))


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
    session: Session,
    board: Board,
    today: date,
    *,
    where: Iterable = (),
    months_only=False,
    meetings: frozenset[date] | None = None,
) -> list[Standing]:
    """Every live action of the board (narrowed by ``where`` conditions) and where it stands.
    With ``months_only``, only what the rule needs is loaded with them, not their leads,
    agencies and area. ``meetings`` as for ``assess_actions``."""
    query = actions_query(board)
    if months_only:
        query = (
            live_actions(board).options(selectinload(Action.reporting_months)).order_by(*PLAN_ORDER)
        )
    actions = session.scalars(query.where(*where)).all()
    return assess_actions(session, board, actions, today, meetings)


def assess_actions(
    session: Session,
    board: Board,
    actions: Iterable[Action],
    today: date,
    meetings: frozenset[date] | None = None,
) -> list[Standing]:
    """Where ``actions`` stand; ``meetings`` are the board's meeting dates when the caller
    has them already (from ``MonthDues``)."""
    actions = list(actions)
    if meetings is None:
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


@dataclass(frozen=True)
class MonthDues:
    """The due date of each reporting month of a board's actions on ``today``, and SQL
    conditions on Action that apply tracker.rules.due the way ``assess`` does."""

    today: date
    due_on: dict[date, date]
    meetings: frozenset[date]

    def _counts_from(self, month: ColumnElement) -> ColumnElement:
        """The first moment (UTC) an update counts for ``month``."""
        return case(
            {
                m: literal(datetime.combine(counting_from(m), time(), tzinfo=LONDON), UTCDateTime)
                for m in self.due_on
            },
            value=month,
        )

    def _missing(self, rm: type[ReportingMonth], months: list[date]) -> list[ColumnElement]:
        """Conditions: ``rm`` is one of ``months`` of the action, with no update for it."""
        return [
            rm.action_id == Action.id,
            rm.month.in_(months),
            ~exists().where(
                ProgressUpdate.action_id == rm.action_id,
                ProgressUpdate.created_at >= self._counts_from(rm.month),
            ),
        ]

    def _waiting(self, months: Iterable[date]) -> ColumnElement[bool]:
        """Not complete, and one of ``months`` is a reporting month with no update for it."""
        months = list(months)
        if not months:
            return false()
        return and_(
            Action.status != ActionStatus.COMPLETE,
            exists().where(*self._missing(aliased(ReportingMonth), months)),
        )

    def _past(self) -> list[date]:
        return [m for m, due_on in self.due_on.items() if self.today > due_on]

    def overdue(self) -> ColumnElement[bool]:
        return self._waiting(self._past())

    def due_on_days(self, days: Iterable[date]) -> ColumnElement[bool]:
        """An update is due on one of ``days`` and not in yet."""
        days = set(days)
        return self._waiting(m for m, due_on in self.due_on.items() if due_on in days)

    def most_late_first(self) -> ColumnElement:
        """Orders overdue actions by how late they are, most late first."""
        past = self._past()
        if not past:
            return literal(None)
        rm = aliased(ReportingMonth)
        due_on = case({m: literal(self.due_on[m], Date) for m in past}, value=rm.month)
        return select(func.min(due_on)).where(*self._missing(rm, past)).scalar_subquery().asc()


def month_dues(session: Session, board: Board, today: date) -> MonthDues:
    """Due dates of the board's reporting months, in two small queries."""
    meetings = frozenset(meeting_dates(session, board))
    months = session.scalars(
        select(ReportingMonth.month)
        .distinct()
        .join(Action, Action.id == ReportingMonth.action_id)
        .join(Action.area)
        .join(AreaOfFocus.plan)
        .where(Plan.board_id == board.id)
    )
    return MonthDues(
        today=today, due_on={m: due_date(m, meetings) for m in months}, meetings=meetings
    )
