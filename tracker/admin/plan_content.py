"""Areas of focus and actions: the content of a plan."""

from __future__ import annotations

from flask import g
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.admin.forms import ActionForm, AreaForm
from tracker.admin.sections import Refused, Section, refuse_if_taken
from tracker.extensions import db
from tracker.formatting import shorten
from tracker.forms import choices
from tracker.members import members
from tracker.models import (
    Action,
    ActionLead,
    ActionStatus,
    Agency,
    AreaOfFocus,
    AreaPriority,
    Measure,
    Outcome,
    Person,
    Plan,
    ReportingMonth,
    Team,
)
from tracker.rules.due import plan_year_label
from tracker.rules.months import format_months

STALE_ACTION = (
    "Someone else changed this action while you were editing it. Your changes are below: "
    "check the action's page for what changed, then save again."
)


def _board_plans():
    return select(Plan).where(Plan.board_id == g.board.id)


def _areas_query():
    return (
        select(AreaOfFocus)
        .join(Plan)
        .where(Plan.board_id == g.board.id)
        .options(selectinload(AreaOfFocus.outcomes), selectinload(AreaOfFocus.priorities))
        .order_by(Plan.start_year.desc(), AreaOfFocus.position, AreaOfFocus.id)
    )


def _prepare_area(form: AreaForm, area) -> None:
    plans = db.session.scalars(_board_plans().where(Plan.archived_at.is_(None))).all()
    form.plan.choices = choices((p.id, p.name) for p in plans)


def _load_area(form: AreaForm, area: AreaOfFocus) -> None:
    form.plan.data, form.name.data, form.position.data = area.plan_id, area.name, area.position
    form.outcomes.data = "\n".join(f"{o.number}. {o.text}" for o in area.outcomes)
    form.priorities.data = "\n".join(f"{p.plan_year}: {p.text}" for p in area.priorities)


def _save_area(form: AreaForm, area: AreaOfFocus) -> None:
    refuse_if_taken(
        area,
        AreaOfFocus.plan_id == form.plan.data,
        AreaOfFocus.name == form.name.data,
        message=f"This plan already has an area called '{form.name.data}'",
        field="name",
    )
    area.plan_id, area.name, area.position = form.plan.data, form.name.data, form.position.data
    _replace_by_key(
        area.outcomes,
        form.parsed_outcomes,
        key=lambda o: o.number,
        make=lambda number, text: Outcome(number=number, text=text),
    )
    _replace_by_key(
        area.priorities,
        form.parsed_priorities,
        key=lambda p: p.plan_year,
        make=lambda year, text: AreaPriority(plan_year=year, text=text),
    )


def _replace_by_key(children: list, wanted: list[tuple], *, key, make) -> None:
    """Make ``children`` match (key, text) pairs, keeping the rows that stay (and so their
    audit trail quiet)."""
    by_key = {key(child): child for child in children}
    kept = []
    for child_key, text in wanted:
        child = by_key.get(child_key) or make(child_key, text)
        child.text = text
        kept.append(child)
    children[:] = kept


def _actions_query():
    return (
        select(Action)
        .join(Action.area)
        .join(AreaOfFocus.plan)
        .where(Plan.board_id == g.board.id)
        .options(
            selectinload(Action.area).selectinload(AreaOfFocus.plan),
            selectinload(Action.leads).selectinload(ActionLead.person),
            selectinload(Action.leads).selectinload(ActionLead.team),
            selectinload(Action.reporting_months),
        )
        .order_by(Plan.start_year.desc(), AreaOfFocus.position, Action.position, Action.id)
    )


def _lead_options() -> dict[str, Person | Team]:
    people = db.session.scalars(members(g.board.id))
    teams = db.session.scalars(
        select(Team)
        .where(Team.board_id == g.board.id, Team.archived_at.is_(None))
        .order_by(Team.name)
    )
    options = {f"person-{p.id}": p for p in people}
    options.update({f"team-{t.id}": t for t in teams})
    return options


def _prepare_action(form: ActionForm, action) -> None:
    areas = db.session.scalars(
        select(AreaOfFocus)
        .join(Plan)
        .where(
            Plan.board_id == g.board.id,
            Plan.archived_at.is_(None),
            AreaOfFocus.archived_at.is_(None),
        )
        .order_by(Plan.start_year.desc(), AreaOfFocus.position)
    ).all()
    form.area.choices = choices((a.id, f"{a.name} – {a.plan.name}") for a in areas)
    form.leads.choices = choices(
        (key, f"{lead} (team)" if isinstance(lead, Team) else str(lead))
        for key, lead in _lead_options().items()
    )
    agencies = db.session.scalars(
        select(Agency)
        .where(Agency.board_id == g.board.id, Agency.archived_at.is_(None))
        .order_by(Agency.name)
    )
    form.agencies.choices = choices((a.id, a.name) for a in agencies)
    if action is not None and form.seen_version.data is None:
        form.seen_version.data = action.version


def _load_action(form: ActionForm, action: Action) -> None:
    form.area.data, form.plan_year.data, form.text.data = (
        action.area_id,
        action.plan_year,
        action.text,
    )
    form.leads.data = [lead.key for lead in action.leads]
    form.agencies.data = [a.id for a in action.agencies]
    form.measures.data = "\n".join(m.text for m in action.measures)
    form.reporting_months.data = format_months(action.months)
    form.status.data = action.status.value
    form.seen_version.data = action.version


def _save_action(form: ActionForm, action: Action) -> None:
    if action.id is not None and form.seen_version.data != action.version:
        form.seen_version.data = action.version
        form.seen_version.raw_data = [str(action.version)]
        raise Refused(STALE_ACTION)
    area = db.session.get(AreaOfFocus, form.area.data)
    plan = area.plan
    if form.plan_year.data not in plan.plan_years:
        first, last = plan.plan_years[0], plan.plan_years[-1]
        raise Refused(
            f"The plan year must be one of the years of {plan.name}: {first} "
            f"({plan_year_label(first)}) to {last} ({plan_year_label(last)})",
            "plan_year",
        )
    action.area, action.plan_year = area, form.plan_year.data
    action.text = form.text.data.strip()
    action.status = ActionStatus(form.status.data)
    leads = _lead_options()
    existing = {lead.key: lead for lead in action.leads}
    action.leads = [
        existing.get(key)
        or (
            ActionLead(person=leads[key])
            if key.startswith("person-")
            else ActionLead(team=leads[key])
        )
        for key in form.leads.data
    ]
    for position, lead in enumerate(action.leads):
        lead.position = position
    agencies = {
        a.id: a for a in db.session.scalars(select(Agency).where(Agency.board_id == g.board.id))
    }
    action.agencies = [agencies[i] for i in form.agencies.data]
    lines = [line.strip() for line in (form.measures.data or "").splitlines() if line.strip()]
    _replace_by_key(
        action.measures,
        list(enumerate(lines)),
        key=lambda m: m.position,
        make=lambda position, text: Measure(position=position, text=text),
    )
    months = {r.month: r for r in action.reporting_months}
    action.reporting_months = [
        months.get(m) or ReportingMonth(month=m) for m in form.reporting_months.months
    ]


SECTIONS = [
    Section(
        name="areas",
        singular="area of focus",
        plural="Areas of focus",
        model=AreaOfFocus,
        form=AreaForm,
        query=_areas_query,
        save=_save_area,
        prepare=_prepare_area,
        load=_load_area,
        columns=[
            ("Area", lambda a: a.name),
            ("Plan", lambda a: a.plan.name),
            ("Position", lambda a: a.position),
            ("Outcomes", lambda a: len(a.outcomes)),
        ],
        hint="Be Successful, Be Happy and Healthy, Be Safe, Be Supported: each with its "
        "numbered outcomes and a priority focus for each plan year.",
    ),
    Section(
        name="actions",
        singular="action",
        plural="Actions",
        model=Action,
        form=ActionForm,
        query=_actions_query,
        save=_save_action,
        prepare=_prepare_action,
        load=_load_action,
        columns=[
            ("Action", lambda a: shorten(a.text, 120)),
            # The list holds every plan's actions, newest plan first.
            ("Plan", lambda a: f"{a.area.plan.name}, {plan_year_label(a.plan_year)}"),
            ("Area", lambda a: a.area.name),
            ("Leads", lambda a: ", ".join(str(lead) for lead in a.leads)),
            ("Reporting", lambda a: format_months(a.months)),
        ],
        title=lambda a: shorten(a.text, 60),
        hint="The implementation plan's actions, with their leads, agencies, measures and "
        "reporting months.",
    ),
]

for section in SECTIONS:
    section.register()
