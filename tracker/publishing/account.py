"""Your public name: whether a person agrees to be named on the public pages of their boards.
Without it they are shown there by their role ("Lead officer") or their team."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from tracker import clock
from tracker.extensions import db
from tracker.models.publishing import PublicName
from tracker.permissions import with_board_navigation
from tracker.publishing.approvals import agree_to_be_named
from tracker.publishing.forms import PublicNameForm

bp = Blueprint("public_name", __name__, url_prefix="/account")


@bp.route("/public-name", methods=["GET", "POST"])
@login_required
@with_board_navigation
def edit():
    person = current_user._get_current_object()
    form = PublicNameForm()
    if not form.is_submitted():
        form.agreed.data = (
            db.session.scalar(select(PublicName.id).where(PublicName.person_id == person.id))
            is not None
        )
    if form.validate_on_submit():
        agree_to_be_named(db.session, person, form.agreed.data, clock.now())
        db.session.commit()
        flash(
            "Saved. Public pages show your name."
            if form.agreed.data
            else "Saved. Public pages show your role, not your name.",
            "success",
        )
        return redirect(url_for("public_name.edit"))
    return render_template("publishing/public_name.html", form=form)
