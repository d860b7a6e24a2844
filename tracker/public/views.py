"""The public pages and files of a board that turned them on (Admin → Publishing), and the
list of those boards (/public/).

No sign-in. A board without public pages, and anything not made public, is not found.
Every answer carries its ETag, Last-Modified and Cache-Control (tracker.publishing.cache),
and a request for a version the caller already has is answered 304 without reading more.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    make_response,
    render_template,
    request,
    url_for,
)
from sqlalchemy import select

from tracker import clock
from tracker.extensions import db
from tracker.indicators.chart import Point, chart_svg
from tracker.indicators.framework import format_value
from tracker.models.publishing import PublicName
from tracker.pagination import Page
from tracker.plans.forms import PlanFilterForm
from tracker.public import opendata
from tracker.publishing import cache, data, indicator_data, meeting_data, plan_data
from tracker.reports import hwb, render
from tracker.reports.report import Report
from tracker.rules import periods

bp = Blueprint("public", __name__, url_prefix="/public")

PER_PAGE = 50


@bp.url_defaults
def _add_board_slug(endpoint: str, values: dict[str, Any]) -> None:
    if (
        "board_slug" not in values
        and getattr(g, "audience", None) is not None
        and current_app.url_map.is_endpoint_expecting(endpoint, "board_slug")
    ):
        values["board_slug"] = g.audience.board.slug


def public(view: Callable) -> Callable:
    """Find the board (404 unless its public pages are on), answer 304 when the caller has
    this version already, and stamp the answer with the version."""

    @wraps(view)
    def wrapped(board_slug: str, **kwargs: Any) -> Response:
        board = data.public_board(db.session, board_slug)
        if board is None:
            abort(404)
        version = cache.board_version(db.session, board, clock.now())
        if (unchanged := cache.not_modified(version)) is not None:
            return unchanged
        g.audience, g.version = data.Audience(board), version
        return cache.stamped(make_response(view(**kwargs)), version)

    return wrapped


def _page(template: str, **context: Any) -> str:
    return render_template(
        f"public/{template}",
        public_board=g.audience.board,
        shows={part: data.shows(db.session, g.audience, part) for part in data.PARTS},
        last_updated=g.version.last_modified,
        licence=data.LICENCE,
        licence_url=data.LICENCE_URL,
        **context,
    )


@bp.get("/")
def index():
    """The boards whose public pages are on; nothing of any other."""
    version = cache.site_version(db.session, clock.now())
    if (unchanged := cache.not_modified(version)) is not None:
        return unchanged
    page = render_template(
        "public/index.html",
        boards=data.public_boards(db.session),
        last_updated=version.last_modified,
        licence=data.LICENCE,
        licence_url=data.LICENCE_URL,
    )
    return cache.stamped(make_response(page), version)


@bp.get("/<board_slug>/")
@public
def home():
    return _page("home.html", plans=plan_data.plans(db.session, g.audience))


@bp.get("/<board_slug>/plans/<int:plan_id>")
@public
def plan(plan_id: int):
    found = plan_data.plan(db.session, g.audience, plan_id) or abort(404)
    areas = plan_data.areas(db.session, found)
    form = PlanFilterForm(request.args)
    names = data.Names(db.session, g.audience)
    form.offer(db.session, g.audience.board, found, areas, names.lead_choice)
    chosen = form.chosen(request.args)
    total = plan_data.count_actions(db.session, g.audience, found, chosen)
    page = Page.from_request(total, PER_PAGE)
    actions = db.session.scalars(
        plan_data.actions_select(g.audience, found, chosen).limit(PER_PAGE).offset(page.offset)
    ).all()
    return _page(
        "plan.html",
        plan=found,
        areas=areas,
        by_area=plan_data.by_area(plan_data.action_views(db.session, g.audience, actions)),
        form=form,
        filtered=bool(chosen),
        page=page,
        pagination=page.params("Pages of actions"),
    )


@bp.get("/<board_slug>/actions/<int:action_id>")
@public
def action(action_id: int):
    found = plan_data.action(db.session, g.audience, action_id) or abort(404)
    view = plan_data.action_views(db.session, g.audience, [found])[0]
    history = plan_data.history(db.session, g.audience, found)
    return _page("action.html", action=view, plan=found.area.plan, history=history)


@bp.get("/<board_slug>/indicators")
@public
def indicators():
    if not data.shows(db.session, g.audience, "indicators"):
        abort(404)
    return _page("indicators.html", indicators=indicator_data.indicators(db.session, g.audience))


@bp.get("/<board_slug>/indicators/<int:indicator_id>")
@public
def indicator(indicator_id: int):
    found = indicator_data.indicators(db.session, g.audience, indicator_id)
    if not found:
        abort(404)
    return _page("indicator.html", view=found[0], chart=_chart(found[0]))


def _chart(view: indicator_data.IndicatorView):
    indicator = view.indicator
    if not view.readings:
        return None
    points = [
        Point(periods.short_label(r.period_start, indicator.frequency), r.value, r.rag)
        for r in view.readings
    ]
    latest = view.readings[-1]
    return chart_svg(
        points,
        target=indicator.target,
        target_text=f"Target {format_value(indicator.target, indicator.unit)}",
        title=f"Readings of indicator {indicator.number} against its target",
        desc=(
            f"{len(points)} published readings against a target of "
            f"{format_value(indicator.target, indicator.unit)} "
            f"({indicator.direction.label.lower()}). Latest: "
            f"{format_value(latest.value, indicator.unit)}, {latest.rag.label}. "
            "The table below gives the same figures."
        ),
        id_prefix=f"chart-{indicator.id}",
    )


@bp.get("/<board_slug>/meetings")
@public
def meetings():
    if not data.shows(db.session, g.audience, "meetings"):
        abort(404)
    return _page("meetings.html", meetings=meeting_data.meetings(db.session, g.audience))


@bp.get("/<board_slug>/meetings/<int:meeting_id>")
@public
def meeting(meeting_id: int):
    view = meeting_data.meeting(db.session, g.audience, meeting_id) or abort(404)
    return _page("meeting.html", view=view)


@bp.get("/<board_slug>/meetings/<int:meeting_id>/report.<any(html, docx, pdf):file_format>")
@public
def report(meeting_id: int, file_format: str):
    view = meeting_data.meeting(db.session, g.audience, meeting_id)
    if view is None or not view.report:
        abort(404)
    try:
        content = render.RENDERERS[file_format](_public_report(view))
    except render.PdfUnavailable:
        abort(404)
    name = f"hwb-report-{g.audience.board.slug}-{view.meeting.held_on:%Y-%m-%d}.{file_format}"
    disposition = "inline" if file_format == "html" else "attachment"
    return Response(
        content,
        content_type=render.FORMATS[file_format],
        headers={"Content-Disposition": f'{disposition}; filename="{name}"'},
    )


def _public_report(view: meeting_data.MeetingView) -> Report:
    """The final report as it went, with the chair named only if they agreed to be."""
    report = hwb.build(db.session, view.meeting)
    agreed = db.session.scalars(
        select(PublicName).where(PublicName.person.has(name=report.chair))
    ).first()
    return report if agreed else dataclasses.replace(report, chair=None)


@bp.get("/<board_slug>/data")
@public
def open_data():
    return _page("data.html", datasets=opendata.DATASETS)


@bp.get("/<board_slug>/data/<any(actions, updates, readings):dataset>.<any(csv, json):file_format>")
@public
def download(dataset: str, file_format: str):
    if file_format == "csv":
        content = opendata.as_csv(db.session, g.audience, dataset)
    else:
        content = opendata.as_json(db.session, g.audience, dataset, g.version.last_modified)
    name = f"{g.audience.board.slug}-{dataset}.{file_format}"
    return Response(
        content,
        content_type=opendata.FORMATS[file_format],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/<board_slug>/updates.atom")
@public
def feed():
    content = opendata.atom(
        db.session,
        g.audience,
        feed_url=url_for("public.feed", _external=True),
        action_url=lambda action_id: url_for("public.action", action_id=action_id, _external=True),
        updated=g.version.last_modified,
    )
    return Response(content, content_type=opendata.ATOM)
