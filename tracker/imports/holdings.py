"""What a board already holds of a plan, looked up by name once: its plan's areas and
actions, its agencies, teams and people. The import compares a file with it and adds to it,
matching by name (case and spacing aside) so that nothing is duplicated."""

from __future__ import annotations

from difflib import get_close_matches

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.imports.drafts import DraftAction
from tracker.imports.names import Lead, looks_like_person
from tracker.models import (
    Action,
    ActionLead,
    Agency,
    AreaOfFocus,
    Board,
    Membership,
    Person,
    Plan,
    Team,
)
from tracker.rules.due import nearest_plan_year, plan_year

# What a plan file holds of each action, loaded with it.
ACTION_CONTENT = (
    selectinload(Action.agencies),
    selectinload(Action.measures),
    selectinload(Action.leads).selectinload(ActionLead.person),
    selectinload(Action.leads).selectinload(ActionLead.team),
    selectinload(Action.reporting_months),
)


def key(name: str) -> str:
    return " ".join(name.split()).casefold()


class Holdings:
    """The board's existing things, looked up by name once, and those the import adds."""

    def __init__(self, session: Session, board: Board | None, plan: Plan | None) -> None:
        self.session, self.board, self.plan = session, board, plan
        self.areas = {key(a.name): a for a in (plan.areas if plan else [])}
        self.agencies: dict[str, Agency] = {}
        self.teams: dict[str, Team] = {}
        self.people: dict[str, Person] = {}
        if board is not None and board.id is not None:
            where = Agency.board_id == board.id
            self.agencies = {key(a.name): a for a in session.scalars(select(Agency).where(where))}
            teams = session.scalars(
                select(Team).where(Team.board_id == board.id).options(selectinload(Team.contacts))
            )
            self.teams = {key(t.name): t for t in teams}
            people = session.scalars(
                select(Person)
                .join(Membership, Membership.person_id == Person.id)
                .where(Membership.board_id == board.id)
            )
            self.people = {key(p.name): p for p in people}
        self.actions: dict[tuple[int, str], Action] = {}
        if plan is not None and plan.id is not None:
            for action in session.scalars(
                select(Action)
                .join(AreaOfFocus)
                .where(AreaOfFocus.plan_id == plan.id)
                .options(*ACTION_CONTENT, selectinload(Action.updates))
            ):
                self.actions[(action.area_id, key(action.text))] = action

    def area(self, name: str) -> AreaOfFocus | None:
        """The existing area with this name, or the one whose name holds all its words
        ("Be Healthy" is "Be Happy and Healthy")."""
        if key(name) in self.areas:
            return self.areas[key(name)]
        words = set(key(name).split())
        holding = [a for k, a in self.areas.items() if words <= set(k.split())]
        return holding[0] if len(holding) == 1 else None

    def is_team(self, lead: Lead) -> bool:
        if lead.contacts or key(lead.name) in self.teams:
            return True
        return key(lead.name) not in self.people and not looks_like_person(lead.name)

    def similar(self, name: str) -> str | None:
        """An existing person or team whose name is nearly this one: "Dave Clarke"."""
        names = {key(n.name): n.name for n in [*self.people.values(), *self.teams.values()]}
        close = get_close_matches(key(name), list(names), n=1, cutoff=0.8)
        return names[close[0]] if close else None


def plan_year_of(draft: DraftAction, years: range) -> int:
    if draft.plan_year is not None:
        year = draft.plan_year
    elif draft.plan_year_number is not None:
        year = years[0] + draft.plan_year_number - 1
    elif draft.months:
        year = plan_year(draft.months[0])
    else:
        year = years[0]
    return nearest_plan_year(years, year)


def differences(action: Action, draft: DraftAction, year: int) -> list[str]:
    changes = []
    # A set: the database orders an action's agencies by name, not as a file lists them.
    if {key(a.name) for a in action.agencies} != {key(a) for a in draft.agencies}:
        changes.append("agencies")
    if [m.text for m in action.measures] != draft.measures:
        changes.append("measures")
    if [key(str(lead)) for lead in action.leads] != [key(n) for n in draft.lead_names]:
        changes.append("leads")
    if action.months != draft.months:
        changes.append("reporting months")
    if action.plan_year != year:
        changes.append("plan year")
    if draft.status and action.status is not draft.status:
        changes.append("status")
    if draft.rag and action.rag is not draft.rag:
        changes.append("RAG")
    return changes
