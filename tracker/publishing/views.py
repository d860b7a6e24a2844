"""Admin → Publishing: the board's public pages on or off and what is on them (the
secretariat), and approving or withdrawing each update, indicator, reading, forward plan and
report (the secretariat and the chair). Also the board's API tokens (the secretariat)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from tracker import clock
from tracker.actions.standing import live_actions
from tracker.api import tokens
from tracker.extensions import db
from tracker.indicators.framework import indicators_query, number_order
from tracker.meetings import board_meetings
from tracker.models import Action, Indicator, IndicatorReading, Meeting, ProgressUpdate
from tracker.models.publishing import (
    ApiToken,
    PaperKind,
    PublishedIndicator,
    PublishedPaper,
    PublishedReading,
    PublishedUpdate,
)
from tracker.pagination import Page
from tracker.permissions import Right, board_scoped, requires
from tracker.publishing import approvals
from tracker.publishing.forms import (
    ApproveUpdateForm,
    ButtonForm,
    PublicPagesForm,
    TokenForm,
)

bp = board_scoped(
    Blueprint("publishing", __name__, url_prefix="/boards/<board_slug>/admin/publishing")
)

PER_PAGE = 25


@bp.route("", methods=["GET", "POST"])
@requires(Right.ADMINISTER)
def settings():
    pages = approvals.public_pages(db.session, g.board)
    form = PublicPagesForm(obj=pages)
    if form.validate_on_submit():
        for part in ("enabled", "plan", "indicators", "meetings", "reports"):
            setattr(pages, part, form[part].data)
        db.session.commit()
        flash("The public pages' settings are saved.", "success")
        return redirect(url_for("publishing.settings"))
    return render_template("publishing/settings.html", form=form)


@bp.get("/updates")
@requires(Right.PUBLISH)
def updates():
    query = live_actions(g.board, ProgressUpdate).join(
        ProgressUpdate, ProgressUpdate.action_id == Action.id
    )
    page = Page.from_request(db.session.scalar(_count(query)), PER_PAGE)
    found = db.session.scalars(
        query.options(selectinload(ProgressUpdate.author), selectinload(ProgressUpdate.action))
        .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())
        .limit(PER_PAGE)
        .offset(page.offset)
    ).all()
    return render_template(
        "publishing/updates.html",
        updates=found,
        decisions=_decisions(PublishedUpdate, "update_id", [u.id for u in found]),
        form=ButtonForm(),
        pagination=page.params("Pages of updates"),
    )


def _count(query):
    return select(func.count()).select_from(query.subquery())


def _decisions(model, key: str, ids: list[int]) -> dict[int, object]:
    column = getattr(model, key)
    return {getattr(d, key): d for d in db.session.scalars(select(model).where(column.in_(ids)))}


@bp.post("/updates/<int:update_id>/approve")
@requires(Right.PUBLISH)
def approve_update(update_id: int):
    update = _board_update(update_id)
    form = ApproveUpdateForm()
    if not form.validate_on_submit():
        for error in form.summary.errors:
            flash(error, "error")
        return redirect(url_for("publishing.updates"))
    approvals.approve_update(db.session, update, current_user, clock.now(), form.summary.data)
    db.session.commit()
    flash("The update is approved and shown on the public pages.", "success")
    return redirect(_back("publishing.updates"))


def _back(endpoint: str) -> str:
    """The page the button was on (a path of this site only), or the endpoint's."""
    page = request.form.get("next_page", "")
    return page if page.startswith("/") and not page.startswith("//") else url_for(endpoint)


def _board_update(update_id: int) -> ProgressUpdate:
    return db.session.scalars(
        live_actions(g.board, ProgressUpdate)
        .join(ProgressUpdate, ProgressUpdate.action_id == Action.id)
        .where(ProgressUpdate.id == update_id)
    ).one()


@bp.get("/indicators")
@requires(Right.PUBLISH)
def indicators():
    found = sorted(
        db.session.scalars(indicators_query(g.board)), key=lambda i: number_order(i.number)
    )
    return render_template(
        "publishing/indicators.html",
        indicators=found,
        public=_decisions(PublishedIndicator, "indicator_id", [i.id for i in found]),
        readings=_decisions(
            PublishedReading, "reading_id", [r.id for i in found for r in i.readings]
        ),
        form=ButtonForm(),
    )


@bp.get("/meetings")
@requires(Right.PUBLISH)
def meetings():
    found = db.session.scalars(board_meetings(g.board.id)).all()
    papers = {
        (p.meeting_id, p.kind): p
        for p in db.session.scalars(
            select(PublishedPaper).where(PublishedPaper.board_id == g.board.id)
        )
    }
    return render_template(
        "publishing/meetings.html",
        meetings=found,
        papers=papers,
        kinds=list(PaperKind),
        form=ButtonForm(),
    )


# What each kind of decision is about, how to find it on this board, and how to publish it.
_THINGS = {
    "update": (ProgressUpdate, PublishedUpdate, "update_id", "publishing.updates"),
    "indicator": (Indicator, PublishedIndicator, "indicator_id", "publishing.indicators"),
    "reading": (IndicatorReading, PublishedReading, "reading_id", "publishing.indicators"),
    "forward_plan": (Meeting, PublishedPaper, "meeting_id", "publishing.meetings"),
    "report": (Meeting, PublishedPaper, "meeting_id", "publishing.meetings"),
}


@bp.post(
    "/<any(update, indicator, reading, forward_plan, report):thing>/<int:thing_id>"
    "/<any(publish, withdraw):verb>"
)
@requires(Right.PUBLISH)
def decide(thing: str, thing_id: int, verb: str):
    if not ButtonForm().validate_on_submit():
        abort(400)
    model, decision_model, key, back = _THINGS[thing]
    row = _on_board(model, thing_id)
    now = clock.now()
    try:
        if verb == "withdraw":
            where = {key: row.id} | (
                {"kind": PaperKind(thing)} if decision_model is PublishedPaper else {}
            )
            decision = db.session.scalars(select(decision_model).filter_by(**where)).one()
            approvals.withdraw(decision, now)
        else:
            _publish(thing, row, now)
    except approvals.NotPublishable as error:
        flash(str(error), "error")
        return redirect(url_for(back))
    db.session.commit()
    flash("Withdrawn from the public pages." if verb == "withdraw" else "Made public.", "success")
    return redirect(_back(back))


def _publish(thing: str, row, now) -> None:
    if thing == "update":
        approvals.approve_update(db.session, row, current_user, now, None)
    elif thing == "indicator":
        approvals.publish_indicator(db.session, row, current_user, now)
    elif thing == "reading":
        approvals.approve_reading(db.session, row, current_user, now)
    else:
        approvals.publish_paper(db.session, row, PaperKind(thing), current_user, now)


def _on_board(model, thing_id: int):
    """The row of this board, or 404."""
    if model is ProgressUpdate:
        return _board_update(thing_id)
    if model is IndicatorReading:
        reading = db.session.get(IndicatorReading, thing_id)
        if reading is None or reading.indicator.board_id != g.board.id:
            abort(404)
        return reading
    return db.session.scalars(
        select(model).where(model.id == thing_id, model.board_id == g.board.id)
    ).one()


@bp.route("/tokens", methods=["GET", "POST"])
@requires(Right.ADMINISTER)
def api_tokens():
    form = TokenForm()
    secret = None
    if form.validate_on_submit():
        _token, secret = tokens.make_token(
            db.session, g.board, form.name.data, int(form.lifetime.data), current_user, clock.now()
        )
        db.session.commit()
        form = TokenForm(formdata=None)
    return render_template(
        "publishing/tokens.html",
        form=form,
        secret=secret,
        tokens=tokens.tokens_of(db.session, g.board),
        now=clock.now(),
        button=ButtonForm(),
    )


@bp.post("/tokens/<int:token_id>/revoke")
@requires(Right.ADMINISTER)
def revoke_token(token_id: int):
    if not ButtonForm().validate_on_submit():
        abort(400)
    token = db.session.scalars(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.board_id == g.board.id)
    ).one()
    tokens.revoke(token, clock.now())
    db.session.commit()
    flash(f"The token “{token.name}” is revoked: it opens nothing from now on.", "success")
    return redirect(url_for("publishing.api_tokens"))
