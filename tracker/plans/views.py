"""The plan page: areas of focus and their actions, filterable, with counts."""

from __future__ import annotations

import re
from collections import Counter

from flask import Blueprint, Response, g, render_template, request
from sqlalchemy import select

from tracker import clock
from tracker.actions.standing import Standing, standings
from tracker.extensions import db
from tracker.forms import choices
from tracker.models import ActionStatus, AreaOfFocus, Plan
from tracker.permissions import board_scoped
from tracker.plans.export import FORMATS, export_plan
from tracker.plans.forms import ANY, PlanFilterForm
from tracker.rules.due import plan_year

bp = board_scoped(Blueprint("plans", __name__, url_prefix="/boards/<board_slug>"))


def _live_plans() -> list[Plan]:
    return list(
        db.session.scalars(
            select(Plan)
            .where(Plan.board_id == g.board.id, Plan.archived_at.is_(None))
            .order_by(Plan.start_year.desc(), Plan.id.desc())
        )
    )


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
        mimetype=FORMATS[file_format],
        headers={"Content-Disposition": f'attachment; filename="{name}.{file_format}"'},
    )


def _render_plan(plan: Plan, plans: list[Plan]):
    all_rows = standings(db.session, g.board, clock.today(), where=[AreaOfFocus.plan_id == plan.id])
    form = PlanFilterForm(request.args)
    _offer_choices(form, plan, all_rows)
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
    rows = [
        s
        for s in all_rows
        if ("year" not in chosen or str(s.action.plan_year) == chosen["year"])
        and ("area" not in chosen or str(s.action.area_id) == chosen["area"])
        and ("lead" not in chosen or chosen["lead"] in {lead.key for lead in s.action.leads})
        and ("month" not in chosen or chosen["month"] in {f"{m:%Y-%m}" for m in s.action.months})
        and ("status" not in chosen or s.action.status.value == chosen["status"])
    ]
    areas = db.session.scalars(
        select(AreaOfFocus)
        .where(AreaOfFocus.plan_id == plan.id, AreaOfFocus.archived_at.is_(None))
        .order_by(AreaOfFocus.position, AreaOfFocus.id)
    ).all()
    by_area = {area.id: [] for area in areas}
    for s in rows:
        by_area.setdefault(s.action.area_id, []).append(s)
    year = int(chosen["year"]) if "year" in chosen else _current_plan_year(plan)
    return render_template(
        "plans/show.html",
        plan=plan,
        plans=plans,
        form=form,
        filtered=bool(chosen),
        areas=areas,
        by_area=by_area,
        year=year,
        total=len(rows),
        overdue=sum(s.overdue for s in rows),
        status_counts=Counter(s.action.status for s in rows),
        statuses=list(ActionStatus),
    )


def _current_plan_year(plan: Plan) -> int:
    """The plan year running today (April to March), kept within the plan's years."""
    running = plan_year(clock.today())
    return min(max(running, plan.start_year), max(plan.end_year - 1, plan.start_year))


def _offer_choices(form: PlanFilterForm, plan: Plan, rows: list[Standing]) -> None:
    form.year.choices = choices(
        [ANY]
        + [(str(y), f"{y}/{(y + 1) % 100:02d}") for y in range(plan.start_year, plan.end_year + 1)]
    )
    form.area.choices = [ANY] + [(str(a.id), a.name) for a in plan.areas if not a.is_archived]
    leads = {}
    for s in rows:
        for lead in s.action.leads:
            leads[lead.key] = str(lead)
    form.lead.choices = choices([ANY] + sorted(leads.items(), key=lambda kv: kv[1].lower()))
    months = sorted({m for s in rows for m in s.action.months})
    form.month.choices = choices([ANY] + [(f"{m:%Y-%m}", f"{m:%B %Y}") for m in months])
    form.status.choices = choices([ANY] + [(s.value, s.label) for s in ActionStatus])
