"""An action, posting an update, setting its RAG; my actions; overdue and red."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from tracker import clock
from tracker.actions import overdue_and_red
from tracker.actions.forms import ProgressUpdateForm, SetRagForm
from tracker.actions.standing import (
    assess_actions,
    led_by,
    month_dues,
    table_query,
)
from tracker.actions.updates import ActionChanged, post_update, set_rag
from tracker.extensions import db
from tracker.inbound.inbox import out_of_office_replies
from tracker.leads import lead_people, stood_in_for
from tracker.models import (
    Action,
    ActionStatus,
    AuditEvent,
    OutboxMessage,
    Person,
    Rag,
    outbox_action,
)
from tracker.pagination import Page
from tracker.permissions import board_scoped, can_post_update, can_set_rag, may
from tracker.trail import describe_events

# Rows in each table of Overdue and red.
PER_PAGE = 25

bp = board_scoped(Blueprint("actions", __name__, url_prefix="/boards/<board_slug>"))

CHANGED_MESSAGE = (
    "Someone else updated this action while you were writing. Check the latest update "
    "below, then post yours again."
)


def _load_action(action_id: int) -> Action:
    """The board's action (archived ones too); another board's is a 404."""
    action = db.session.get(Action, action_id)
    if action is None or action.area.plan.board_id != g.board.id:
        abort(404)
    return action


@bp.get("/actions/<int:action_id>")
def show(action_id: int):
    action = _load_action(action_id)
    standing = assess_actions(db.session, g.board, [action], clock.today())[0]
    audit = []
    if may().administer:
        audit = describe_events(
            db.session,
            db.session.scalars(
                select(AuditEvent)
                .where(AuditEvent.action_id == action.id)
                .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            ).all(),
        )
    emails = db.session.scalars(
        select(OutboxMessage)
        .join(outbox_action, outbox_action.c.message_id == OutboxMessage.id)
        .where(outbox_action.c.action_id == action.id)
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    ).all()
    return render_template(
        "actions/show.html",
        action=action,
        standing=standing,
        audit=audit,
        emails=emails,
    )


@bp.route("/actions/<int:action_id>/updates/new", methods=["GET", "POST"], endpoint="post_update")
def post_update_form(action_id: int):
    action = _load_action(action_id)
    if not can_post_update(db.session, g.membership, action, clock.today()):
        abort(403)
    form = ProgressUpdateForm(
        seen_version=action.version,
        status=action.status.value,
        rag=action.rag.value if action.rag else "none",
    )
    if form.validate_on_submit():
        try:
            post_update(
                db.session,
                action=action,
                author=current_user,
                status=ActionStatus(form.status.data),
                rag=None if form.rag.data == "none" else Rag(form.rag.data),
                text=form.text.data.strip(),
                seen_version=form.seen_version.data,
            )
        except ActionChanged:
            action = _load_action(action_id)
            form.refuse_stale(action.version, CHANGED_MESSAGE)
        else:
            db.session.commit()
            flash("Your progress update has been posted.", "success")
            return redirect(url_for("actions.show", action_id=action.id))
    return render_template("actions/post_update.html", action=action, form=form)


@bp.route("/actions/<int:action_id>/rag", methods=["GET", "POST"], endpoint="set_rag")
def set_rag_form(action_id: int):
    action = _load_action(action_id)
    if not can_set_rag(g.membership, action):
        abort(403)
    form = SetRagForm(seen_version=action.version, rag=action.rag.value if action.rag else None)
    if form.validate_on_submit():
        try:
            set_rag(
                db.session,
                action=action,
                rag=Rag(form.rag.data),
                reason=form.reason.data,
                by=current_user,
                seen_version=form.seen_version.data,
            )
        except ActionChanged:
            action = _load_action(action_id)
            form.refuse_stale(action.version, CHANGED_MESSAGE)
        else:
            db.session.commit()
            flash(f"The RAG rating is now {action.rag.label}.", "success")
            return redirect(url_for("actions.show", action_id=action.id))
    return render_template("actions/set_rag.html", action=action, form=form)


@bp.get("/my-actions")
def mine():
    """Everything the person answers for (tracker.leads), overdue first, then next due first,
    then what asks nothing of them now."""
    today = clock.today()
    answering = stood_in_for(db.session, current_user, g.board, today)
    actions = db.session.scalars(table_query(g.board).where(led_by(*answering))).all()
    mine = assess_actions(db.session, g.board, actions, today)
    overdue = sorted((s for s in mine if s.overdue), key=lambda s: -s.days_late)
    coming = sorted((s for s in mine if s.coming_up()), key=lambda s: s.coming_up().due_on)
    listed = {s.action.id for s in overdue + coming}
    away = [person for person in answering if person.id != current_user.id]
    return render_template(
        "actions/mine.html",
        today=today,
        total=len(mine),
        overdue=overdue,
        coming=coming,
        rest=[s for s in mine if s.action.id not in listed],
        away=away,
        standing_in=_standing_in(actions, away),
    )


def _standing_in(actions: list[Action], away: list[Person]) -> dict[int, str]:
    """For each action led by someone away whom the person stands in for, their names."""
    ids = {person.id for person in away}
    names = {}
    for action in actions if away else []:
        leads = [p.name for p in lead_people(action) if p.id in ids]
        if leads:
            names[action.id] = ", ".join(dict.fromkeys(leads))
    return names


@bp.get("/overdue")
def overdue():
    today = clock.today()
    dues = month_dues(db.session, g.board, today)
    late_ids = overdue_and_red.late_ids(db.session, g.board, dues)
    by_area, by_lead = overdue_and_red.tallies(db.session, g.board, late_ids)
    late_page = Page.from_request(len(late_ids), PER_PAGE, "overdue-page")
    red_page = Page.from_request(sum(n for *_, n in by_area), PER_PAGE, "red-page")
    late_ids = late_ids[late_page.offset : late_page.end]
    red_ids = overdue_and_red.red_ids(db.session, g.board, limit=PER_PAGE, offset=red_page.offset)
    standing = overdue_and_red.standings_by_id(db.session, g.board, late_ids + red_ids, today, dues)
    away = overdue_and_red.away_with_deputy(db.session, g.board, today)
    return render_template(
        "actions/overdue.html",
        out_of_office=out_of_office_replies(db.session, standing, today),
        today=today,
        away=away,
        late=[standing[i] for i in late_ids],
        late_page=late_page,
        red=[standing[i] for i in red_ids],
        red_page=red_page,
        by_area=by_area,
        several_plans=len({area.plan_id for area, *_ in by_area}) > 1,
        by_lead=sorted(by_lead),
    )
