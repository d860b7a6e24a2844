"""The board's meetings: upcoming and past, the forward plan and the record of each."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tracker import clock
from tracker.audit import acting_as
from tracker.extensions import db
from tracker.meetings import (
    board_meetings,
    forward_plan,
    next_meeting,
    plan_items,
    previous_meeting,
)
from tracker.meetings.forms import AddItemForm, ButtonForm, RecordForm, RemoveItemForm
from tracker.models import ForwardPlanItem, Meeting
from tracker.permissions import Right, board_scoped, requires

bp = board_scoped(Blueprint("meetings", __name__, url_prefix="/boards/<board_slug>/meetings"))

_STAND_IN = 987_654_321


def _urls_for(endpoint: str, key: str, **values) -> Callable[[int], str]:
    """``url_for(endpoint, key=value, **values)`` for any number of ids at the cost of one:
    werkzeug takes microseconds a link, which add up over a forward plan of hundreds of
    actions."""
    head, _, tail = url_for(endpoint, **values, **{key: _STAND_IN}).rpartition(str(_STAND_IN))
    return lambda value: f"{head}{value}{tail}"


def _links() -> dict[str, Callable[[int], str]]:
    return {
        "meeting_url": _urls_for("meetings.show", "meeting_id"),
        "action_url": _urls_for("actions.show", "action_id"),
    }


def _item_links(meeting: Meeting) -> dict[str, Callable[[int], str]]:
    """Links to change each item of the meeting's forward plan, by the item's id."""
    return {
        "up_url": _urls_for("meetings.move_item", "item_id", meeting_id=meeting.id, direction="up"),
        "down_url": _urls_for(
            "meetings.move_item", "item_id", meeting_id=meeting.id, direction="down"
        ),
        "remove_url": _urls_for("meetings.remove_item", "item_id", meeting_id=meeting.id),
        "restore_url": _urls_for("meetings.restore_item", "item_id", meeting_id=meeting.id),
    }


@bp.get("/")
def index():
    today = clock.today()
    meetings = db.session.scalars(board_meetings(g.board.id)).all()
    upcoming = [m for m in meetings if m.held_on >= today]
    past = [m for m in reversed(meetings) if m.held_on < today]
    items = (
        db.session.execute(
            plan_items(upcoming[0].id, ForwardPlanItem.action_id, ForwardPlanItem.text).where(
                ForwardPlanItem.removed_at.is_(None)
            )
        ).all()
        if upcoming
        else []
    )
    return render_template(
        "meetings/index.html", upcoming=upcoming, past=past, items=items, **_links()
    )


def _meeting(meeting_id: int) -> Meeting:
    """The board's meeting; its forward plan loads only if a change needs it."""
    return db.session.scalars(
        select(Meeting)
        .where(Meeting.id == meeting_id, Meeting.board_id == g.board.id)
        .options(joinedload(Meeting.focus_area))
    ).one()


def _item(meeting: Meeting, item_id: int) -> ForwardPlanItem:
    item = next((i for i in meeting.forward_plan if i.id == item_id), None)
    if item is None:
        abort(404)
    return item


def _show(meeting: Meeting, *, add_form: AddItemForm | None = None):
    items = db.session.execute(
        plan_items(
            meeting.id,
            ForwardPlanItem.id,
            ForwardPlanItem.kind,
            ForwardPlanItem.action_id,
            ForwardPlanItem.text,
            ForwardPlanItem.removed_at,
            ForwardPlanItem.removed_reason,
            ForwardPlanItem.reviewed,
        )
    ).all()
    return render_template(
        "meetings/show.html",
        meeting=meeting,
        items=[i for i in items if i.removed_at is None],
        removed=[i for i in items if i.removed_at is not None],
        changes=forward_plan.changes_since_published(db.session, meeting),
        previous=previous_meeting(db.session, meeting),
        following=next_meeting(db.session, meeting),
        is_past=meeting.held_on < clock.today(),
        add_form=add_form or AddItemForm(),
        **_links(),
        **_item_links(meeting),
    )


@bp.get("/<int:meeting_id>")
def show(meeting_id: int):
    return _show(_meeting(meeting_id))


@bp.post("/<int:meeting_id>/items")
@requires(Right.ADMINISTER)
def add_item(meeting_id: int):
    meeting = _meeting(meeting_id)
    form = AddItemForm()
    if not form.validate_on_submit():
        return _show(meeting, add_form=form)
    forward_plan.add_item(meeting, form.text.data)
    db.session.commit()
    flash(f"Added “{form.text.data}” to the forward plan.", "success")
    return redirect(url_for("meetings.show", meeting_id=meeting.id))


@bp.post("/<int:meeting_id>/items/<int:item_id>/<any(up, down):direction>")
@requires(Right.ADMINISTER)
def move_item(meeting_id: int, item_id: int, direction: str):
    meeting = _meeting(meeting_id)
    item = _item(meeting, item_id)
    if ButtonForm().validate_on_submit() and item.removed_at is None:
        with acting_as(db.session, current_user.id, reason=f"Moved “{item.text}” {direction}"):
            forward_plan.move(meeting, item, -1 if direction == "up" else 1)
            db.session.flush()
        db.session.commit()
    return redirect(url_for("meetings.show", meeting_id=meeting.id, _anchor=f"item-{item.id}"))


@bp.route("/<int:meeting_id>/items/<int:item_id>/remove", methods=["GET", "POST"])
@requires(Right.ADMINISTER)
def remove_item(meeting_id: int, item_id: int):
    meeting = _meeting(meeting_id)
    item = _item(meeting, item_id)
    if item.removed_at is not None:
        flash("That item is already off the forward plan.", "error")
        return redirect(url_for("meetings.show", meeting_id=meeting.id))
    form = RemoveItemForm()
    if form.validate_on_submit():
        forward_plan.remove_item(meeting, item, form.reason.data, clock.now())
        db.session.commit()
        flash(f"Removed “{item.text}” from the forward plan.", "success")
        return redirect(url_for("meetings.show", meeting_id=meeting.id))
    return render_template("meetings/remove_item.html", form=form, meeting=meeting, item=item)


@bp.post("/<int:meeting_id>/items/<int:item_id>/restore")
@requires(Right.ADMINISTER)
def restore_item(meeting_id: int, item_id: int):
    meeting = _meeting(meeting_id)
    item = _item(meeting, item_id)
    if ButtonForm().validate_on_submit() and item.removed_at is not None:
        forward_plan.restore_item(meeting, item)
        db.session.commit()
        flash(f"Put “{item.text}” back on the forward plan.", "success")
    return redirect(url_for("meetings.show", meeting_id=meeting.id))


@bp.post("/<int:meeting_id>/publish")
@requires(Right.ADMINISTER)
def publish(meeting_id: int):
    meeting = _meeting(meeting_id)
    if ButtonForm().validate_on_submit():
        try:
            forward_plan.publish(meeting, clock.now())
        except forward_plan.ForwardPlanError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(
                "The forward plan is published. Later changes are listed on this page.", "success"
            )
    return redirect(url_for("meetings.show", meeting_id=meeting.id))


@bp.route("/<int:meeting_id>/record", methods=["GET", "POST"])
@requires(Right.ADMINISTER)
def record(meeting_id: int):
    meeting = _meeting(meeting_id)
    if meeting.held_on > clock.today():
        flash("A meeting can be recorded on or after the day it is held.", "error")
        return redirect(url_for("meetings.show", meeting_id=meeting.id))
    items = forward_plan.live_items(meeting)
    form = RecordForm()
    form.reviewed.choices = [(i.id, i.text) for i in items]
    if not form.is_submitted():
        form.summary.data = meeting.summary_of_other_items
        form.reviewed.data = [i.id for i in items if i.reviewed is not False]
    if form.validate_on_submit():
        forward_plan.record(
            meeting,
            summary=form.summary.data or "",
            reviewed_ids=set(form.reviewed.data),
            now=clock.now(),
        )
        db.session.commit()
        flash("The record of the meeting is saved.", "success")
        return redirect(url_for("meetings.show", meeting_id=meeting.id))
    return render_template("meetings/record.html", form=form, meeting=meeting)
