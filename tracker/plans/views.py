"""The plan page: areas of focus and their actions, filterable, with counts.

A plan may hold thousands of actions over the years: the filters and counts are worked out by
the database, and the page shows the actions PER_PAGE at a time, in plan order.
"""

from __future__ import annotations

import re
from collections import Counter

from flask import Blueprint, Response, g, render_template, request
from sqlalchemy import Integer, case, func, select
from sqlalchemy.orm import selectinload

from tracker import clock
from tracker.actions.standing import assess_actions, live_actions, month_dues, table_query
from tracker.extensions import db
from tracker.forms import choices
from tracker.models import (
    Action,
    ActionLead,
    ActionStatus,
    AreaOfFocus,
    Person,
    Plan,
    ReportingMonth,
    Team,
)
from tracker.pagination import Page
from tracker.permissions import board_scoped
from tracker.plans import filter_conditions, live_plans
from tracker.plans.export import FORMATS, export_plan
from tracker.plans.forms import ANY, PlanFilterForm
from tracker.rules.due import nearest_plan_year, plan_year, plan_year_label

bp = board_scoped(Blueprint("plans", __name__, url_prefix="/boards/<board_slug>"))

PER_PAGE = 25

STATUS_CHOICES = choices([ANY] + [(s.value, s.label) for s in ActionStatus])


def _live_plans() -> list[Plan]:
    return list(db.session.scalars(live_plans(g.board.id)))


@bp.get("/")
def index():
    plans = _live_plans()
    if not plans:
        return render_template("plans/no_plan.html")
    return _render_plan(plans[0], plans)


@bp.get("/plans/<int:plan_id>")
def show(plan_id: int):
    plan = db.session.scalars(
        select(Plan).where(Plan.id == plan_id, Plan.board_id == g.board.id)
    ).one()
    return _render_plan(plan, _live_plans())


@bp.get("/plans/<int:plan_id>/export.<any(xlsx, docx, csv, json):file_format>")
def export(plan_id: int, file_format: str):
    plan = db.session.scalars(
        select(Plan).where(Plan.id == plan_id, Plan.board_id == g.board.id)
    ).one()
    name = re.sub(r"[^A-Za-z0-9]+", "-", f"{g.board.slug} {plan.name}").strip("-").lower()
    return Response(
        export_plan(db.session, plan, file_format),
        # As given: "mimetype" would add a second charset to a type that names its own.
        content_type=FORMATS[file_format],
        headers={"Content-Disposition": f'attachment; filename="{name}.{file_format}"'},
    )


def _render_plan(plan: Plan, plans: list[Plan]):
    today = clock.today()
    in_plan = AreaOfFocus.plan_id == plan.id
    areas = db.session.scalars(
        select(AreaOfFocus)
        .where(in_plan, AreaOfFocus.archived_at.is_(None))
        .options(selectinload(AreaOfFocus.outcomes), selectinload(AreaOfFocus.priorities))
        .order_by(AreaOfFocus.position, AreaOfFocus.id)
    ).all()
    form = PlanFilterForm(request.args)
    _offer_choices(form, plan, areas)
    # An unknown value (an old link, a hand-edited address) shows an error and is ignored.
    if request.args and not form.validate():
        for field in form:
            if field.errors:
                field.errors = [f"Choose one of the options for {field.label.text.lower()}"]
    chosen = {
        name: field.data
        for name, field in form._fields.items()
        if name != "submit" and field.data and not field.errors
    }
    where = [in_plan, *filter_conditions(chosen)]
    dues = month_dues(db.session, g.board, today)
    overdue = dues.overdue()
    counts = db.session.execute(
        live_actions(
            g.board,
            Action.area_id,
            Action.status,
            func.count(),
            func.sum(case((overdue, 1), else_=0), type_=Integer),
        )
        .where(*where)
        .group_by(Action.area_id, Action.status)
    ).all()
    per_area: Counter[int] = Counter()
    status_counts: Counter[ActionStatus] = Counter()
    for area_id, status, count, _ in counts:
        per_area[area_id] += count
        status_counts[status] += count
    total = sum(per_area.values())
    page = Page.from_request(total, PER_PAGE)
    actions = db.session.scalars(
        table_query(g.board, agencies=True).where(*where).limit(PER_PAGE).offset(page.offset)
    ).all()
    rows = assess_actions(db.session, g.board, actions, today, dues.meetings)
    by_area = {area.id: [] for area in areas}
    for s in rows:
        by_area[s.action.area_id].append(s)
    year = int(chosen["year"]) if "year" in chosen else _current_plan_year(plan)
    return render_template(
        "plans/show.html",
        plan=plan,
        plans=plans,
        form=form,
        filtered=bool(chosen),
        areas=_areas_on_page(areas, per_area, page),
        by_area=by_area,
        year=year,
        total=total,
        overdue=sum(late for *_, late in counts),
        status_counts=status_counts,
        statuses=list(ActionStatus),
        page=page,
        pagination=page.params("Pages of actions"),
    )


def _areas_on_page(
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


def _current_plan_year(plan: Plan) -> int:
    """The plan year running today (April to March), kept within the plan's years."""
    return nearest_plan_year(plan.plan_years, plan_year(clock.today()))


def _offer_choices(form: PlanFilterForm, plan: Plan, areas: list[AreaOfFocus]) -> None:
    in_plan = AreaOfFocus.plan_id == plan.id
    form.year.choices = choices([ANY] + [(str(y), plan_year_label(y)) for y in plan.plan_years])
    form.area.choices = [ANY] + [(str(a.id), a.name) for a in areas]
    leads = db.session.execute(
        live_actions(g.board, ActionLead.person_id, ActionLead.team_id, Person.name, Team.name)
        .join(ActionLead, ActionLead.action_id == Action.id)
        .outerjoin(Person, Person.id == ActionLead.person_id)
        .outerjoin(Team, Team.id == ActionLead.team_id)
        .where(in_plan)
        .distinct()
    )
    named = {
        ActionLead.key_of(person_id, team_id): person or team
        for person_id, team_id, person, team in leads
    }
    form.lead.choices = choices([ANY] + sorted(named.items(), key=lambda kv: kv[1].lower()))
    months = db.session.scalars(
        live_actions(g.board, ReportingMonth.month)
        .join(ReportingMonth, ReportingMonth.action_id == Action.id)
        .where(in_plan)
        .distinct()
        .order_by(ReportingMonth.month)
    )
    form.month.choices = choices([ANY] + [(f"{m:%Y-%m}", f"{m:%B %Y}") for m in months])
    form.status.choices = STATUS_CHOICES
