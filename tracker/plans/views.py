"""The plan page: areas of focus and their actions, filterable, with counts.

A plan may hold thousands of actions over the years: the filters and counts are worked out by
the database, and the page shows the actions PER_PAGE at a time, in plan order.
"""

from __future__ import annotations

import re

from flask import Blueprint, Response, g, render_template, request
from sqlalchemy import select

from tracker import clock
from tracker.actions.standing import assess_actions, month_dues
from tracker.extensions import db
from tracker.models import (
    ActionStatus,
    AreaOfFocus,
    Plan,
)
from tracker.pagination import Page
from tracker.permissions import board_scoped
from tracker.plans import filter_conditions, live_plans, queries
from tracker.plans.export import FORMATS, export_plan
from tracker.plans.forms import PlanFilterForm
from tracker.rules.due import nearest_plan_year, plan_year

bp = board_scoped(Blueprint("plans", __name__, url_prefix="/boards/<board_slug>"))

PER_PAGE = 25


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
    areas = queries.live_areas(db.session, plan)
    form = PlanFilterForm(request.args)
    form.offer(db.session, g.board, plan, areas, lambda _p, _t, person, team: person or team)
    chosen = form.chosen(request.args)
    where = [AreaOfFocus.plan_id == plan.id, *filter_conditions(chosen)]
    today = clock.today()
    dues = month_dues(db.session, g.board, today)
    counts = queries.counts(db.session, g.board, where, dues)
    page = Page.from_request(counts.total, PER_PAGE)
    actions = queries.actions(db.session, g.board, where, limit=PER_PAGE, offset=page.offset)
    return render_template(
        "plans/show.html",
        plan=plan,
        plans=plans,
        form=form,
        filtered=bool(chosen),
        areas=queries.areas_on_page(areas, counts.per_area, page),
        by_area=queries.by_area(
            areas, assess_actions(db.session, g.board, actions, today, dues.meetings)
        ),
        year=int(chosen["year"]) if "year" in chosen else _current_plan_year(plan),
        total=counts.total,
        overdue=counts.overdue,
        status_counts=counts.by_status,
        statuses=list(ActionStatus),
        page=page,
        pagination=page.params("Pages of actions"),
    )


def _current_plan_year(plan: Plan) -> int:
    """The plan year running today (April to March), kept within the plan's years."""
    return nearest_plan_year(plan.plan_years, plan_year(clock.today()))
