"""What importing a draft plan would change, read from the board and writing nothing: shown
as the web preview and printed by the CLI (``--dry-run`` stops there). ``plan_import.write``
makes exactly these changes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from tracker.imports.drafts import DraftAction, DraftPlan, Problem
from tracker.imports.holdings import Holdings, differences, key, plan_year_of
from tracker.imports.names import Lead
from tracker.models import Board, Plan
from tracker.rules.due import plan_years


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
    new_contacts: list[str] = field(default_factory=list)  # "Sarah Breton, of Domestic abuse …"
    new_updates: int = 0
    months: list[date] = field(default_factory=list)
    # How each lead is read: "person" or "team", by its name's key.
    kinds: dict[str, str] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def leads(self) -> list[str]:
        names = {lead.name for a in self.all_actions for lead in a.leads}
        return sorted(names, key=str.casefold)

    def reading(self, lead: Lead) -> str:
        """How the preview shows a lead: "SEND (OCC) (team)", "Group (team: A, B)"."""
        kind = self.kinds.get(key(lead.name), "team")
        if lead.contacts:
            return f"{lead.name} ({kind}: {', '.join(lead.contacts)})"
        return f"{lead.name} ({kind})"

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
            ("New team contacts", self.new_contacts),
        ):
            if names:
                # Names may hold commas ("County Council - education and learning, LCSS").
                lines.append(f"{label} ({len(names)}): {'; '.join(names)}")
        for written, existing in self.matched_areas.items():
            lines.append(f"Area '{written}' matched to the existing area '{existing}'")
        if self.months:
            lines.append("Reporting months: " + ", ".join(f"{m:%b %Y}" for m in self.months))
        without = [a for a in self.all_actions if not a.months]
        if without:
            lines.append(
                f"Without a reporting month ({len(without)}): "
                + "; ".join(f"{a.where} ({a.timetable or 'blank'})" for a in without)
            )
        if self.new_updates:
            lines.append(f"Progress updates from the Progress column: {self.new_updates}")
        for action, changes in self.changed_actions:
            lines.append(f"Changed ({action.where}): {action.text[:60]} — {', '.join(changes)}")
        return lines


def compare(
    session: Session,
    board: Board | None,
    plan: Plan | None,
    draft: DraftPlan,
    years: tuple[int, int],
) -> Comparison:
    """What importing ``draft`` into ``plan`` (both may not exist yet) would change."""
    result = Comparison()
    known = Holdings(session, board, plan)
    area_ids: dict[str, int | None] = {}
    for name, focus in draft.areas.items():
        area = known.area(name)
        area_ids[name] = area.id if area else None
        if area is None:
            result.new_areas.append(name)
        elif key(area.name) != key(name):
            result.matched_areas[name] = area.name
        if focus and (area is None or not any(p.text == focus for p in area.priorities)):
            result.new_priorities.append(f"{area.name if area else name}: {focus}")
    seen_agencies, seen_leads = set(), set()
    for action_draft in draft.actions:
        year = plan_year_of(action_draft, plan_years(*years))
        area_id = area_ids.get(action_draft.area)
        existing = known.actions.get((area_id, key(action_draft.text)))
        if existing is None:
            result.new_actions.append(action_draft)
        else:
            changes = differences(existing, action_draft, year)
            if changes:
                result.changed_actions.append((action_draft, changes))
            else:
                result.unchanged_actions.append(action_draft)
        if action_draft.progress and (
            existing is None or all(u.text != action_draft.progress for u in existing.updates)
        ):
            result.new_updates += 1
        for name in action_draft.agencies:
            if key(name) not in seen_agencies and key(name) not in known.agencies:
                result.new_agencies.append(name)
            seen_agencies.add(key(name))
        for lead in action_draft.leads:
            if key(lead.name) not in seen_leads:
                seen_leads.add(key(lead.name))
                _compare_lead(result, known, lead)
    result.months = sorted({m for a in draft.actions for m in a.months})
    _warn_about_new_leads(result, known)
    return result


def _compare_lead(result: Comparison, known: Holdings, lead: Lead) -> None:
    is_team = known.is_team(lead)
    result.kinds[key(lead.name)] = "team" if is_team else "person"
    if is_team and key(lead.name) not in known.teams:
        result.new_teams.append(lead.name)
    elif not is_team and key(lead.name) not in known.people:
        result.new_people.append(lead.name)
    team = known.teams.get(key(lead.name))
    having = {key(p.name) for p in team.contacts} if team else set()
    for contact in lead.contacts:
        if key(contact) not in having:
            result.new_contacts.append(f"{contact}, of {lead.name}")
        if key(contact) not in known.people and contact not in result.new_people:
            result.new_people.append(contact)


def _warn_about_new_leads(result: Comparison, known: Holdings) -> None:
    """A lead nobody on the board knows: said once, and a near miss of an existing name."""
    new = [*result.new_people, *result.new_teams]
    for name in new:
        nearly = known.similar(name)
        if nearly:
            result.warnings.append(
                Problem(f"Lead '{name}'", f"is new to the board: is it '{nearly}'?")
            )
    if new and (known.people or known.teams):
        result.warnings.append(
            Problem(
                "Leads",
                f"{len(new)} not yet on the board ({', '.join(new)}): they are added (people "
                "without an e-mail address), so check none is there under another spelling",
            )
        )
