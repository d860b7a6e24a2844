"""The board's people: invite someone, change a role, take someone off the board."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from tracker import clock
from tracker.admin.blueprint import bp
from tracker.admin.forms import AddressForm, InviteForm, RoleForm
from tracker.auth.addresses import offer_address, open_addresses
from tracker.auth.invitations import (
    AlreadyMember,
    awaiting_sign_in,
    cancel,
    invite,
    normalise_email,
    open_invitations,
    resend,
    resend_open,
)
from tracker.extensions import db
from tracker.models import Invitation, Membership, Role
from tracker.permissions import Right, requires


def membership_of_board(membership_id: int) -> Membership:
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.board_id != g.board.id:
        abort(404)
    return membership


def _is_last_admin(membership: Membership) -> bool:
    if membership.role is not Role.ADMIN or membership.archived_at is not None:
        return False
    admins = db.session.scalar(
        select(func.count()).where(
            Membership.board_id == g.board.id,
            Membership.role == Role.ADMIN,
            Membership.archived_at.is_(None),
        )
    )
    return admins <= 1


@bp.get("/people")
@requires(Right.ADMINISTER)
def people():
    memberships = db.session.scalars(
        select(Membership)
        .where(Membership.board_id == g.board.id)
        .options(selectinload(Membership.person))
    ).all()
    memberships = sorted(memberships, key=lambda m: m.person.name.lower())
    return render_template(
        "admin/people.html",
        invited=awaiting_sign_in(db.session, g.board.id),
        invitations=open_invitations(db.session, g.board.id),
        offered=open_addresses(db.session, g.board.id),
        now=clock.now(),
        live=[m for m in memberships if m.archived_at is None],
        archived=[m for m in memberships if m.archived_at is not None],
    )


@bp.route("/people/new", methods=["GET", "POST"])
@requires(Right.ADMINISTER)
def invite_person():
    form = InviteForm()
    if form.validate_on_submit():
        try:
            invite(
                db.session,
                board=g.board,
                email=form.email.data,
                name=form.name.data,
                role=Role(form.role.data),
                invited_by=current_user,
                now=clock.now(),
            )
        except AlreadyMember:
            db.session.rollback()
            form.email.errors.append("This person is already a member of the board")
        else:
            db.session.commit()
            flash(
                f"Invitation sent to {normalise_email(form.email.data)}. They join the board "
                "when they accept it.",
                "success",
            )
            return redirect(url_for("admin.people"))
    return render_template("admin/person_invite.html", form=form)


@bp.route("/people/<int:membership_id>", methods=["GET", "POST"])
@requires(Right.ADMINISTER)
def person_role(membership_id: int):
    membership = membership_of_board(membership_id)
    form = RoleForm(role=membership.role.value)
    if form.validate_on_submit():
        if Role(form.role.data) is not Role.ADMIN and _is_last_admin(membership):
            form.role.errors.append(
                "The board needs at least one admin: make someone else an admin first"
            )
        else:
            membership.role = Role(form.role.data)
            db.session.commit()
            flash(f"{membership.person.name} is now {membership.role.label.lower()}.", "success")
            return redirect(url_for("admin.people"))
    return render_template("admin/person_role.html", form=form, membership=membership)


@bp.post("/people/<int:membership_id>/remove")
@requires(Right.ADMINISTER)
def remove_person(membership_id: int):
    membership = membership_of_board(membership_id)
    if _is_last_admin(membership):
        flash("The board needs at least one admin: make someone else an admin first.", "error")
        return redirect(url_for("admin.people"))
    membership.archived_at = clock.now()
    db.session.commit()
    flash(f"{membership.person.name} is no longer on the board.", "success")
    return redirect(url_for("admin.people"))


@bp.post("/people/<int:membership_id>/restore")
@requires(Right.ADMINISTER)
def restore_person(membership_id: int):
    membership = membership_of_board(membership_id)
    membership.archived_at = None
    db.session.commit()
    flash(f"{membership.person.name} is back on the board.", "success")
    return redirect(url_for("admin.people"))


@bp.post("/people/<int:membership_id>/resend")
@requires(Right.ADMINISTER)
def resend_invitation(membership_id: int):
    membership = membership_of_board(membership_id)
    if membership.person_id not in awaiting_sign_in(db.session, g.board.id):
        flash(f"{membership.person.name} has already signed in.", "success")
    else:
        resend(db.session, membership=membership, invited_by=current_user, now=clock.now())
        db.session.commit()
        flash(f"A new invitation was sent to {membership.person.email}.", "success")
    return redirect(url_for("admin.people"))


def _open_invitation(invitation_id: int) -> Invitation:
    """An invitation of the board not accepted or cancelled: to join, or an offered address."""
    invitation = db.session.get(Invitation, invitation_id)
    board_id = g.board.id
    if invitation is None or not (
        invitation in open_invitations(db.session, board_id)
        or invitation in open_addresses(db.session, board_id).values()
    ):
        abort(404)
    return invitation


@bp.post("/people/invitations/<int:invitation_id>/resend")
@requires(Right.ADMINISTER)
def resend_open_invitation(invitation_id: int):
    """A fresh link for an invitation not yet accepted (the last may have expired)."""
    invitation = _open_invitation(invitation_id)
    resend_open(db.session, invitation=invitation, invited_by=current_user, now=clock.now())
    db.session.commit()
    flash(f"A new invitation was sent to {invitation.recipient}.", "success")
    return redirect(url_for("admin.people"))


@bp.post("/people/invitations/<int:invitation_id>/cancel")
@requires(Right.ADMINISTER)
def cancel_invitation(invitation_id: int):
    """Withdraw an invitation not yet accepted: its links (every one sent) stop working."""
    invitation = _open_invitation(invitation_id)
    cancel(db.session, board_id=g.board.id, person_id=invitation.person_id, now=clock.now())
    db.session.commit()
    flash(f"The invitation to {invitation.recipient} is cancelled.", "success")
    return redirect(url_for("admin.people"))


@bp.route("/people/<int:membership_id>/address", methods=["GET", "POST"])
@requires(Right.ADMINISTER)
def person_address(membership_id: int):
    """Offer a lead imported without an e-mail address one (tracker.auth.addresses)."""
    membership = membership_of_board(membership_id)
    if membership.person.email is not None:
        abort(404)
    form = AddressForm()
    if form.validate_on_submit():
        try:
            offer_address(
                db.session,
                membership=membership,
                email=form.email.data,
                invited_by=current_user,
                now=clock.now(),
            )
        except AlreadyMember:
            form.email.errors.append("A member of this board has this e-mail address already")
        else:
            db.session.commit()
            flash(f"Invitation sent to {normalise_email(form.email.data)}.", "success")
            return redirect(url_for("admin.people"))
    return render_template("admin/person_address.html", form=form, membership=membership)
