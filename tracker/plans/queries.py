"""The plan page's queries, worked out by the database: the live areas, the counts, a page
of actions in plan order and the choices of lead and month."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Integer, case, func, select
from sqlalchemy.orm import Session, selectinload

from tracker.actions.standing import MonthDues, Standing, live_actions, table_query
from tracker.models import (
    Action,
    ActionLead,
    ActionStatus,
    AreaOfFocus,
    Board,
    Person,
    Plan,
    ReportingMonth,
    Team,
)
from tracker.pagination import Page

# How a lead is offered: (person id, team id, person's name, team's name) to the choice's
# label, or None to leave the lead out.
LeadLabel = Callable[[int | None, int | None, str | None, str | None], str | None]


def live_areas(session: Session, plan: Plan) -> list[AreaOfFocus]:
    return session.scalars(
        select(AreaOfFocus)
        .where(AreaOfFocus.plan_id == plan.id, AreaOfFocus.archived_at.is_(None))
        .options(selectinload(AreaOfFocus.outcomes), selectinload(AreaOfFocus.priorities))
        .order_by(AreaOfFocus.position, AreaOfFocus.id)
    ).all()


@dataclass(frozen=True)
class Counts:
    per_area: Counter[int]
    by_status: Counter[ActionStatus]
    overdue: int

    @property
    def total(self) -> int:
        return sum(self.per_area.values())


def counts(session: Session, board: Board, where: list, dues: MonthDues) -> Counts:
    """How many of the chosen actions there are per area and per status, and how many are
    overdue."""
    rows = session.execute(
        live_actions(
            board,
            Action.area_id,
            Action.status,
            func.count(),
            func.sum(case((dues.overdue(), 1), else_=0), type_=Integer),
        )
        .where(*where)
        .group_by(Action.area_id, Action.status)
    ).all()
    per_area: Counter[int] = Counter()
    by_status: Counter[ActionStatus] = Counter()
    for area_id, status, count, _ in rows:
        per_area[area_id] += count
        by_status[status] += count
    return Counts(per_area, by_status, sum(late for *_, late in rows))


def actions(session: Session, board: Board, where: list, *, limit: int, offset: int):
    """A page of the chosen actions, in plan order."""
    return session.scalars(
        table_query(board, agencies=True).where(*where).limit(limit).offset(offset)
    ).all()


def by_area(areas: list[AreaOfFocus], rows: Iterable[Standing]) -> dict[int, list[Standing]]:
    grouped: dict[int, list[Standing]] = {area.id: [] for area in areas}
    for standing in rows:
        grouped[standing.action.area_id].append(standing)
    return grouped


def areas_on_page(
    areas: list[AreaOfFocus], per_area: Counter[int], page: Page
) -> list[AreaOfFocus]:
    """The areas whose actions (in plan order) fall on this page; an area with none is shown
    on the page where its actions would be."""
    shown, start = [], 0
    for area in areas:
        end = start + per_area[area.id]
        if start < page.end and end > page.offset:
            shown.append(area)
        elif start == end and min(start // page.size + 1, page.pages) == page.number:
            shown.append(area)
        start = end
    return shown


def leads(session: Session, board: Board, plan: Plan, label: LeadLabel) -> list[tuple[str, str]]:
    """The plan's leads as filter choices (key, label), by label; those ``label`` gives None
    are left out."""
    rows = session.execute(
        live_actions(board, ActionLead.person_id, ActionLead.team_id, Person.name, Team.name)
        .join(ActionLead, ActionLead.action_id == Action.id)
        .outerjoin(Person, Person.id == ActionLead.person_id)
        .outerjoin(Team, Team.id == ActionLead.team_id)
        .where(AreaOfFocus.plan_id == plan.id)
        .distinct()
    )
    named = {
        ActionLead.key_of(person_id, team_id): shown
        for person_id, team_id, person, team in rows
        if (shown := label(person_id, team_id, person, team)) is not None
    }
    return sorted(named.items(), key=lambda kv: kv[1].lower())


def reporting_months(session: Session, board: Board, plan: Plan) -> list[date]:
    return session.scalars(
        live_actions(board, ReportingMonth.month)
        .join(ReportingMonth, ReportingMonth.action_id == Action.id)
        .where(AreaOfFocus.plan_id == plan.id)
        .distinct()
        .order_by(ReportingMonth.month)
    ).all()
