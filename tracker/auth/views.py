"""Signing in and out, changing and resetting a password, accepting an invitation."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from tracker import clock
from tracker.auth import throttle
from tracker.auth.addresses import owner_of, take_up
from tracker.auth.forms import (
    AcceptInvitationForm,
    ChangePasswordForm,
    JoinBoardForm,
    ResetPasswordForm,
    ResetRequestForm,
    SignInForm,
    YourEmailsForm,
)
from tracker.auth.invitations import accept, find_invitation, find_person, normalise_email
from tracker.auth.passwords import check_password, hash_password
from tracker.auth.resets import answer_reset_request, person_for_token
from tracker.extensions import db
from tracker.forms import choices
from tracker.leads import answers_for_any
from tracker.links import absolute_url
from tracker.models import Invitation, Membership, Person, Role
from tracker.outbox import enqueue
from tracker.permissions import with_board_navigation

bp = Blueprint("auth", __name__)

LANDING_PAGES = {
    Role.LEAD: "actions.mine",
    Role.CHAIR: "actions.overdue",
    Role.ADMIN: "plans.index",
    Role.MEMBER: "plans.index",
}


@bp.get("/")
@login_required
def home():
    memberships = db.session.scalars(
        select(Membership)
        .where(Membership.person_id == current_user.id, Membership.archived_at.is_(None))
        .join(Membership.board)
        .order_by(Membership.board_id)
    ).all()
    memberships = [m for m in memberships if not m.board.is_archived]
    if len(memberships) == 1:
        only = memberships[0]
        return redirect(url_for(_landing_page(only), board_slug=only.board.slug))
    landing = {m.id: _landing_page(m) for m in memberships}
    return render_template("auth/boards.html", memberships=memberships, landing=landing)


def _landing_page(membership: Membership) -> str:
    """The role's page; a board member who answers for an action (tracker.leads) lands on
    My actions, as lead officers do."""
    if membership.role is Role.MEMBER and answers_for_any(
        db.session, membership.person, membership.board, clock.today()
    ):
        return "actions.mine"
    return LANDING_PAGES[membership.role]


def _safe_next(target: str | None) -> str | None:
    """A path on this site to go on to after signing in, or None.

    flask-login passes the full address of the page asked for (as from a link in an e-mail);
    only its path is used, and only when it names this site. Any other host, including a
    scheme-relative //host, is refused.
    """
    if not target or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.netloc and (parts.netloc != request.host or parts.scheme not in ("http", "https")):
        return None
    if parts.scheme and not parts.netloc:
        return None
    path = parts.path
    if not path.startswith("/") or path.startswith("//"):
        return None
    return path + (f"?{parts.query}" if parts.query else "")


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")) or url_for("auth.home"))
    form = SignInForm()
    if form.validate_on_submit():
        email = normalise_email(form.email.data)
        now = clock.now()
        limits = throttle.Limits.from_config(current_app.config)
        seen = dict(email=email, client=request.remote_addr or "unknown", now=now)
        wait = throttle.wait_for(db.session, **seen, limits=limits)
        person = None if wait else find_person(db.session, email)
        if wait:
            throttle.record_refusal(db.session, client=seen["client"], now=now)
            db.session.commit()
            form.email.errors.append(_wait_message(wait))
        elif check_password(person, form.password.data) and person.is_active:
            throttle.clear(db.session, email)
            person.last_signed_in_at = now
            db.session.commit()
            login_user(person)
            return redirect(_safe_next(request.args.get("next")) or url_for("auth.home"))
        else:
            throttle.record_failure(db.session, **seen, limits=limits)
            db.session.commit()
            form.email.errors.append("Enter a correct e-mail address and password")
    return render_template("auth/sign_in.html", form=form)


def _wait_message(wait: throttle.Wait) -> str:
    seconds = max(1, round(wait.remaining.total_seconds()))
    when = (
        f"{seconds} second{'s' if seconds != 1 else ''}"
        if seconds < 120
        else f"{round(seconds / 60)} minutes"
    )
    if wait.client:
        return f"Too many failed sign-ins from your network. Try again in {when}."
    return f"Too many failed sign-ins for this address. Wait {when}, then try again."


@bp.post("/sign-out")
@login_required
def sign_out():
    # A new token invalidates the cookie in every browser this person is signed in on.
    current_user.rotate_session_token()
    db.session.commit()
    logout_user()
    flash("You have signed out.", "success")
    return redirect(url_for("auth.sign_in"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@with_board_navigation
def change_password():
    form = ChangePasswordForm()
    person = current_user._get_current_object()
    if form.validate_on_submit():
        if not check_password(person, form.current_password.data):
            form.current_password.errors.append("Your current password is not correct")
        elif form.check_new_password(person.email):
            _set_password(person, form.new_password.data)
            enqueue(
                db.session,
                key=f"password-changed:{person.email}:{clock.now().isoformat()}",
                kind="password_changed",
                recipient=person.email,
                subject="Your Trust Tracker password was changed",
                template="password_changed",
                board_id=None,
                changed_at=clock.now(),
                link=absolute_url("auth.request_reset"),
            )
            db.session.commit()
            login_user(person)
            flash("Your password has been changed. You were signed out everywhere else.", "success")
            return redirect(url_for("auth.home"))
    return render_template("auth/change_password.html", form=form)


def _set_password(person: Person, password: str) -> None:
    person.password_hash = hash_password(password)
    person.rotate_session_token()


@bp.route("/password-reset", methods=["GET", "POST"])
def request_reset():
    form = ResetRequestForm()
    if form.validate_on_submit():
        email = normalise_email(form.email.data)
        answer_reset_request(db.session, email, clock.now())
        db.session.commit()
        return render_template("auth/reset_sent.html", email=email)
    return render_template("auth/request_reset.html", form=form)


@bp.route("/password-reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    person = person_for_token(db.session, token)
    if person is None:
        return render_template("auth/link_expired.html"), 410
    form = ResetPasswordForm()
    if form.validate_on_submit() and form.check_new_password(person.email):
        _set_password(person, form.new_password.data)
        db.session.commit()
        login_user(person)
        flash("Your new password is saved and you are signed in.", "success")
        return redirect(url_for("auth.home"))
    return render_template("auth/reset_password.html", form=form)


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    invitation = find_invitation(db.session, token)
    if invitation is None:
        abort(404)
    if invitation.accepted_at is not None:
        return render_template("auth/invitation_used.html", invitation=invitation)
    if invitation.cancelled_at is not None:
        return render_template("auth/invitation_cancelled.html", invitation=invitation), 410
    if invitation.expires_at <= clock.now():
        return render_template("auth/invitation_expired.html", invitation=invitation), 410
    account = owner_of(db.session, invitation) if invitation.email else invitation.person
    if account is not None and account.password_hash is not None:
        return _join_with_account(invitation)
    form = AcceptInvitationForm(name=invitation.name or invitation.person.name)
    if form.validate_on_submit() and form.check_new_password(invitation.recipient):
        person = _taken_up_by(invitation)
        person.name = form.name.data
        _set_password(person, form.new_password.data)
        person.last_signed_in_at = clock.now()
        db.session.commit()
        login_user(person)
        flash(f"Welcome to {invitation.board.name}.", "success")
        return redirect(url_for("auth.home"))
    return render_template("auth/accept_invitation.html", form=form, invitation=invitation)


def _taken_up_by(invitation: Invitation) -> Person:
    """Accept ``invitation``; the person it is now, an offered address taken up included."""
    person = take_up(db.session, invitation) if invitation.email else invitation.person
    accept(db.session, invitation, clock.now())
    return person


def _join_with_account(invitation: Invitation):
    """Someone who already has an account joins by saying so here. The link does not sign
    them in: the board is on their home page once they sign in as they always do."""
    form = JoinBoardForm()
    if form.validate_on_submit():
        _taken_up_by(invitation)
        db.session.commit()
        flash(f"You have joined {invitation.board.name}.", "success")
        return redirect(url_for("auth.home"))
    return render_template("auth/join_board.html", form=form, invitation=invitation)


@bp.route("/account/emails", methods=["GET", "POST"])
@login_required
@with_board_navigation
def your_emails():
    """One e-mail a day or one each; away, and who deputises meanwhile."""
    person = current_user._get_current_object()
    form = YourEmailsForm(obj=person) if request.method == "GET" else YourEmailsForm()
    colleagues = _colleagues(person)
    form.deputy.choices = choices(
        [("", "Nobody")] + [(p.id, f"{p.name} ({p.email})") for p in colleagues]
    )
    if request.method == "GET":
        form.deputy.data = person.deputy_id
    if form.validate_on_submit():
        if form.away_until.data and form.away_until.data < clock.today():
            form.away_until.errors.append("The date must be today or in the future")
        else:
            person.one_email_a_day = form.one_email_a_day.data
            person.away_until = form.away_until.data
            person.deputy_id = form.deputy.data if form.away_until.data else None
            db.session.commit()
            flash(
                f"Saved. Your reminders go to {person.deputy.name} until "
                f"{person.away_until:%-d %B %Y}."
                if person.away_until
                else "Saved. Your reminders come to you.",
                "success",
            )
            return redirect(url_for("auth.home"))
    return render_template("auth/your_emails.html", form=form)


def _colleagues(person: Person) -> list[Person]:
    """Active people who share a board with ``person``: who may deputise for them."""
    boards = select(Membership.board_id).where(
        Membership.person_id == person.id, Membership.archived_at.is_(None)
    )
    return list(
        db.session.scalars(
            select(Person)
            .join(Membership)
            .where(
                Membership.board_id.in_(boards),
                Membership.archived_at.is_(None),
                Person.id != person.id,
                Person.deactivated_at.is_(None),
            )
            .distinct()
            .order_by(Person.name)
        )
    )
