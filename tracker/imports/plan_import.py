"""Comparing a draft plan with what the board holds, and writing it: all or nothing.

``compare`` only reads, so the preview (web) and ``--dry-run`` (CLI) write nothing; ``write``
makes exactly the changes ``compare`` listed. Existing areas, agencies, teams and people are
matched by name, not duplicated; an action is the same when its plan, area and text match, so
importing the same file twice adds nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from tracker.imports.cells import looks_like_person
from tracker.imports.plan_reader import DraftAction, DraftPlan
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

# What a plan file holds of each action, loaded with it.
ACTION_CONTENT = (
    selectinload(Action.agencies),
    selectinload(Action.measures),
    selectinload(Action.leads).selectinload(ActionLead.person),
    selectinload(Action.leads).selectinload(ActionLead.team),
    selectinload(Action.reporting_months),
)


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


@dataclass
class Comparison:
    """What an import would do (or did): shown as the preview and printed by the CLI."""

    new_areas: list[str] = field(default_factory=list)
    matched_areas: dict[str, str] = field(default_factory=dict)  # as written → existing
    new_actions: list[DraftAction] = field(default_factory=list)
    changed_actions: list[tuple[DraftAction, list[str]]] = field(default_factory=list)
    unchanged_actions: list[DraftAction] = field(default_factory=list)
    new_agencies: list[str] = field(default_factory=list)
    new_people: list[str] = field(default_factory=list)
    new_teams: list[str] = field(default_factory=list)
    new_priorities: list[str] = field(default_factory=list)
    new_updates: int = 0
    months: list[date] = field(default_factory=list)

    @property
    def leads(self) -> list[str]:
        return sorted({lead for a in self.all_actions for lead in a.leads}, key=str.casefold)

    @property
    def all_actions(self) -> list[DraftAction]:
        return self.new_actions + [a for a, _ in self.changed_actions] + self.unchanged_actions

    def summary_lines(self) -> list[str]:
        lines = [
            f"Actions: {len(self.new_actions)} new, {len(self.changed_actions)} changed, "
            f"{len(self.unchanged_actions)} unchanged",
        ]
        for label, names in (
            ("New areas of focus", self.new_areas),
            ("New priority focus", self.new_priorities),
            ("New agencies", self.new_agencies),
            ("New people (no e-mail yet: invite them under Admin → People)", self.new_people),
            ("New teams", self.new_teams),
        ):
            if names:
                lines.append(f"{label} ({len(names)}): {', '.join(names)}")
        for written, existing in self.matched_areas.items():
            lines.append(f"Area '{written}' matched to the existing area '{existing}'")
        if self.months:
            lines.append("Reporting months: " + ", ".join(f"{m:%b %Y}" for m in self.months))
        if self.new_updates:
            lines.append(f"Progress updates from the Progress column: {self.new_updates}")
        for action, changes in self.changed_actions:
            lines.append(f"Changed ({action.where}): {action.text[:60]} — {', '.join(changes)}")
        return lines


class _Board:
    """The board's existing things, looked up by name once, and those the import adds."""

    def __init__(self, session: Session, board: Board, plan: Plan | None) -> None:
        self.session, self.board, self.plan = session, board, plan
        self.areas = {_key(a.name): a for a in (plan.areas if plan else [])}
        self.agencies = {
            _key(a.name): a
            for a in session.scalars(select(Agency).where(Agency.board_id == board.id))
        }
        self.teams = {
            _key(t.name): t for t in session.scalars(select(Team).where(Team.board_id == board.id))
        }
        self.people = {
            _key(p.name): p
            for p in session.scalars(
                select(Person)
                .join(Membership, Membership.person_id == Person.id)
                .where(Membership.board_id == board.id)
            )
        }
        self.actions: dict[tuple[int, str], Action] = {}
        if plan is not None and plan.id is not None:
            for action in session.scalars(
                select(Action)
                .join(AreaOfFocus)
                .where(AreaOfFocus.plan_id == plan.id)
                .options(*ACTION_CONTENT, selectinload(Action.updates))
            ):
                self.actions[(action.area_id, _key(action.text))] = action

    def area(self, name: str) -> AreaOfFocus | None:
        """The existing area with this name, or the one whose name holds all its words
        ("Be Healthy" is "Be Happy and Healthy")."""
        if _key(name) in self.areas:
            return self.areas[_key(name)]
        words = set(_key(name).split())
        holding = [a for k, a in self.areas.items() if words <= set(k.split())]
        return holding[0] if len(holding) == 1 else None

    def is_team(self, name: str) -> bool:
        if _key(name) in self.people:
            return False
        return _key(name) in self.teams or not looks_like_person(name)


def _plan_year_of(draft: DraftAction, plan_start: int, plan_end: int) -> int:
    if draft.plan_year is not None:
        year = draft.plan_year
    elif draft.plan_year_number is not None:
        year = plan_start + draft.plan_year_number - 1
    elif draft.months:
        year = plan_year(draft.months[0])
    else:
        year = plan_start
    return min(max(year, plan_start), max(plan_end - 1, plan_start))


def _differences(action: Action, draft: DraftAction, year: int) -> list[str]:
    changes = []
    if [_key(a.name) for a in action.agencies] != sorted(_key(a) for a in draft.agencies):
        changes.append("agencies")
    if [m.text for m in action.measures] != draft.measures:
        changes.append("measures")
    if [_key(str(lead)) for lead in action.leads] != [_key(lead) for lead in draft.leads]:
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


def compare(
    session: Session,
    board: Board | None,
    plan: Plan | None,
    draft: DraftPlan,
    years: tuple[int, int],
) -> Comparison:
    """What importing ``draft`` into ``plan`` (both may not exist yet) would change."""
    result = Comparison()
    known = _Board(session, board, plan) if board is not None else None
    start, end = years
    area_ids: dict[str, int | None] = {}
    for name, focus in draft.areas.items():
        area = known.area(name) if known else None
        area_ids[name] = area.id if area else None
        if area is None:
            result.new_areas.append(name)
        elif _key(area.name) != _key(name):
            result.matched_areas[name] = area.name
        if focus and (area is None or not any(p.text == focus for p in area.priorities)):
            result.new_priorities.append(f"{area.name if area else name}: {focus}")
    seen_agencies, seen_leads = set(), set()
    for action_draft in draft.actions:
        year = _plan_year_of(action_draft, start, end)
        area_id = area_ids.get(action_draft.area)
        existing = known.actions.get((area_id, _key(action_draft.text))) if known else None
        if existing is None:
            result.new_actions.append(action_draft)
        else:
            changes = _differences(existing, action_draft, year)
            if changes:
                result.changed_actions.append((action_draft, changes))
            else:
                result.unchanged_actions.append(action_draft)
        if action_draft.progress and (
            existing is None or all(u.text != action_draft.progress for u in existing.updates)
        ):
            result.new_updates += 1
        for name in action_draft.agencies:
            if _key(name) not in seen_agencies and not (known and _key(name) in known.agencies):
                result.new_agencies.append(name)
            seen_agencies.add(_key(name))
        for name in action_draft.leads:
            if _key(name) in seen_leads:
                continue
            seen_leads.add(_key(name))
            is_team = known.is_team(name) if known else not looks_like_person(name)
            if is_team and not (known and _key(name) in known.teams):
                result.new_teams.append(name)
            elif not is_team and not (known and _key(name) in known.people):
                result.new_people.append(name)
    result.months = sorted({m for a in draft.actions for m in a.months})
    return result


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
    known = _Board(session, board, plan)
    for position, (name, focus) in enumerate(draft.areas.items(), start=len(known.areas) + 1):
        area = known.area(name)
        if area is None:
            area = AreaOfFocus(plan=plan, name=name, position=position)
            session.add(area)
            known.areas[_key(name)] = area
        if focus and not any(p.text == focus for p in area.priorities):
            years = [
                _plan_year_of(a, plan.start_year, plan.end_year)
                for a in draft.actions
                if a.area == name
            ]
            year = min(years) if years else plan.start_year
            priority = next((p for p in area.priorities if p.plan_year == year), None)
            if priority is None:
                area.priorities.append(AreaPriority(plan_year=year, text=focus))
            else:
                priority.text = focus
    session.flush()
    for action_draft in draft.actions:
        _write_action(session, known, action_draft, author=author, now=now)
        if progress:
            progress(1)
    session.flush()


def _agency(session: Session, known: _Board, name: str) -> Agency:
    if _key(name) not in known.agencies:
        agency = Agency(board_id=known.board.id, name=name)
        session.add(agency)
        known.agencies[_key(name)] = agency
    return known.agencies[_key(name)]


def _lead(session: Session, known: _Board, name: str, position: int) -> ActionLead:
    if known.is_team(name):
        if _key(name) not in known.teams:
            team = Team(board_id=known.board.id, name=name)
            session.add(team)
            known.teams[_key(name)] = team
        return ActionLead(position=position, team=known.teams[_key(name)])
    if _key(name) not in known.people:
        # A named lead with no e-mail address yet: the secretariat invites them later.
        person = Person(name=name, email=None)
        session.add(person)
        session.add(Membership(board_id=known.board.id, person=person, role=Role.LEAD))
        known.people[_key(name)] = person
    return ActionLead(position=position, person=known.people[_key(name)])


def _write_action(
    session: Session, known: _Board, draft: DraftAction, *, author: Person | None, now: datetime
) -> None:
    plan = known.plan
    area = known.area(draft.area)
    year = _plan_year_of(draft, plan.start_year, plan.end_year)
    action = known.actions.get((area.id, _key(draft.text))) if area.id else None
    if action is None:
        action = Action(
            area=area,
            text=draft.text,
            position=len(area.actions),
            leads=[_lead(session, known, n, i) for i, n in enumerate(draft.leads)],
            reporting_months=[ReportingMonth(month=m) for m in draft.months],
        )
        session.add(action)
        known.actions[(area.id, _key(draft.text))] = action
    elif not _differences(action, draft, year) and not draft.progress:
        return
    action.plan_year = year
    action.agencies = sorted(
        {_agency(session, known, n) for n in draft.agencies}, key=lambda a: a.name
    )
    if [m.text for m in action.measures] != draft.measures:
        action.measures = [Measure(position=i, text=t) for i, t in enumerate(draft.measures)]
    # An existing action's leads and months are replaced: the old rows must go before new
    # ones with the same unique keys come in, so each replacement is flushed in two steps.
    if [_key(str(lead)) for lead in action.leads] != [_key(n) for n in draft.leads]:
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
