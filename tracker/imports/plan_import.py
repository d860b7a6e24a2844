"""Writing a draft plan into the board's plan: all or nothing.

``write`` makes exactly the changes ``comparison.compare`` lists, and the caller commits (or
rolls back on any error). Existing areas, agencies, teams and people are matched by name,
not duplicated; an action is the same when its plan, area and text match, so importing the
same file twice adds nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.imports.drafts import DraftAction, DraftPlan
from tracker.imports.holdings import ACTION_CONTENT, Holdings, differences, key, plan_year_of
from tracker.imports.names import Lead
from tracker.models import (
    Action,
    ActionLead,
    ActionStatus,
    Agency,
    AreaOfFocus,
    AreaPriority,
    Board,
    Measure,
    Membership,
    Person,
    Plan,
    ProgressUpdate,
    ReportingMonth,
    Role,
    Team,
)
from tracker.rules.due import plan_year

# The plan's exports load each action with what a plan file holds of it.
__all__ = ["ACTION_CONTENT", "existing_plan", "plan_named", "write", "years_for_new_plan"]


def write(
    session: Session,
    board: Board,
    plan: Plan,
    draft: DraftPlan,
    *,
    author: Person | None,
    now: datetime,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Make the changes ``compare`` lists. The caller commits, or rolls back on any error."""
    known = Holdings(session, board, plan)
    for position, (name, focus) in enumerate(draft.areas.items(), start=len(known.areas) + 1):
        area = known.area(name)
        if area is None:
            area = AreaOfFocus(plan=plan, name=name, position=position)
            session.add(area)
            known.areas[key(name)] = area
        if focus and not any(p.text == focus for p in area.priorities):
            years = [plan_year_of(a, plan.plan_years) for a in draft.actions if a.area == name]
            year = min(years) if years else plan.plan_years[0]
            priority = next((p for p in area.priorities if p.plan_year == year), None)
            if priority is None:
                area.priorities.append(AreaPriority(plan_year=year, text=focus))
            else:
                priority.text = focus
    for lead in {lead for a in draft.actions for lead in a.leads if lead.contacts}:
        _team(session, known, lead)
    session.flush()
    for action_draft in draft.actions:
        _write_action(session, known, action_draft, author=author, now=now)
        if progress:
            progress(1)
    session.flush()


def _agency(session: Session, known: Holdings, name: str) -> Agency:
    if key(name) not in known.agencies:
        agency = Agency(board_id=known.board.id, name=name)
        session.add(agency)
        known.agencies[key(name)] = agency
    return known.agencies[key(name)]


def _person(session: Session, known: Holdings, name: str) -> Person:
    if key(name) not in known.people:
        # A named lead with no e-mail address yet: the secretariat invites them later.
        person = Person(name=name, email=None)
        session.add(person)
        session.add(Membership(board_id=known.board.id, person=person, role=Role.LEAD))
        known.people[key(name)] = person
    return known.people[key(name)]


def _team(session: Session, known: Holdings, lead: Lead) -> Team:
    """The team, with the contacts the file names added to those it has."""
    if key(lead.name) not in known.teams:
        team = Team(board_id=known.board.id, name=lead.name, contacts=[])
        session.add(team)
        known.teams[key(lead.name)] = team
    team = known.teams[key(lead.name)]
    for name in lead.contacts:
        contact = _person(session, known, name)
        if contact not in team.contacts:
            team.contacts.append(contact)
    return team


def _lead(session: Session, known: Holdings, lead: Lead, position: int) -> ActionLead:
    if known.is_team(lead):
        return ActionLead(position=position, team=_team(session, known, lead))
    return ActionLead(position=position, person=_person(session, known, lead.name))


def _write_action(
    session: Session, known: Holdings, draft: DraftAction, *, author: Person | None, now: datetime
) -> None:
    plan = known.plan
    area = known.area(draft.area)
    year = plan_year_of(draft, plan.plan_years)
    action = known.actions.get((area.id, key(draft.text))) if area.id else None
    if action is None:
        action = Action(
            area=area,
            text=draft.text,
            position=len(area.actions),
            leads=[_lead(session, known, n, i) for i, n in enumerate(draft.leads)],
            reporting_months=[ReportingMonth(month=m) for m in draft.months],
        )
        session.add(action)
        known.actions[(area.id, key(draft.text))] = action
    elif not differences(action, draft, year) and not draft.progress:
        return
    action.plan_year = year
    action.agencies = sorted(
        {_agency(session, known, n) for n in draft.agencies}, key=lambda a: a.name
    )
    if [m.text for m in action.measures] != draft.measures:
        action.measures = [Measure(position=i, text=t) for i, t in enumerate(draft.measures)]
    # An existing action's leads and months are replaced: the old rows must go before new
    # ones with the same unique keys come in, so each replacement is flushed in two steps.
    if [key(str(lead)) for lead in action.leads] != [key(n) for n in draft.lead_names]:
        action.leads = []
        session.flush()
        action.leads = [_lead(session, known, n, i) for i, n in enumerate(draft.leads)]
    if action.months != draft.months:
        action.reporting_months = []
        session.flush()
        action.reporting_months = [ReportingMonth(month=m) for m in draft.months]
    if draft.status:
        action.status = draft.status
    if draft.rag:
        action.rag = draft.rag
    if draft.progress and all(u.text != draft.progress for u in action.updates):
        action.updates.append(
            ProgressUpdate(
                author_id=author.id,
                created_at=now,
                text=draft.progress,
                status=draft.status or action.status or ActionStatus.NOT_STARTED,
                rag=draft.rag or action.rag,
            )
        )


def existing_plan(session: Session, board: Board | None, name: str) -> Plan | None:
    if board is None:
        return None
    return session.scalar(
        select(Plan).where(Plan.board_id == board.id, func.lower(Plan.name) == name.lower())
    )


def plan_named(session: Session, board: Board, name: str, years: tuple[int, int]) -> Plan:
    """The board's plan of that name to import into, or a new one of those years."""
    plan = existing_plan(session, board, name)
    if plan is None:
        plan = Plan(board=board, name=name.strip(), start_year=years[0], end_year=years[1])
        session.add(plan)
        session.flush()
    return plan


def years_for_new_plan(name: str, draft: DraftPlan) -> tuple[int, int] | None:
    """A new plan's years: from its name ("CYPP 2018–2021", "Plan 2025-28"), or else the plan
    years its reporting months fall in."""
    match = re.search(r"(20\d\d)\s*[–—\-/]\s*(20\d\d|\d\d)\b", name)
    if match:
        start, end = int(match.group(1)), int(match.group(2))
        end = end if end > 100 else start // 100 * 100 + end
        if end > start:
            return start, end
    months = [m for a in draft.actions for m in a.months]
    if months:
        return plan_year(min(months)), plan_year(max(months)) + 1
    return None
