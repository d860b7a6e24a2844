"""Data protection from the secretariat's side: the board's privacy settings and retention
periods (Admin → Data), a person's data (subject access) and erasing someone who has left."""

from __future__ import annotations

from flask import Response, abort, flash, g, redirect, render_template, url_for
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import StringField, SubmitField
from wtforms.validators import Length

from tracker import clock
from tracker.admin.blueprint import bp
from tracker.admin.people import membership_of_board
from tracker.audit import acting_as
from tracker.extensions import db
from tracker.forms import Form, WholeNumberField, bounded_number, strip
from tracker.models import JobRun
from tracker.permissions import Right, requires
from tracker.privacy.erasure import erase, other_boards, pseudonym
from tracker.privacy.retention import PENDING_IMPORTS_KEPT
from tracker.privacy.subject_access import as_json, person_data

SETTINGS = (
    "controller",
    "privacy_contact",
    "keep_sent_emails_days",
    "keep_sign_in_records_days",
    "keep_sign_in_events_days",
)


def _text(label: str, what: str, description: str) -> StringField:
    return StringField(
        label,
        widget=GovTextInput(),
        description=description,
        filters=[strip],
        validators=[Length(max=300, message=f"{what} must be 300 characters or fewer")],
    )


def _days(label: str, low: int, high: int, description: str) -> WholeNumberField:
    return bounded_number(
        f"Keep {label.lower()} for (days)",
        low,
        high,
        message=f"Enter how many days to keep {label.lower()}, as a whole number",
        out_of_range=f"Keep {label.lower()} between {low} and {high} days",
        description=description,
    )


class DataSettingsForm(Form):
    controller = _text(
        "Controller",
        "The controller",
        "Who decides what the board's records are for, as the privacy notice names them, "
        "for example “Oxfordshire County Council on behalf of the Children's Trust Board”.",
    )
    privacy_contact = _text(
        "Whom to contact about data protection",
        "The contact",
        "For example “Data Protection Officer, dpo@oxfordshire.gov.uk”.",
    )
    keep_sent_emails_days = _days(
        "Delivered e-mails", 30, 3650, "Reminders, chasers and digests, once sent. 365 is a year."
    )
    keep_sign_in_records_days = _days(
        "Records of failed sign-ins", 1, 365, "Used to slow down password guessing."
    )
    keep_sign_in_events_days = _days(
        "Sign-ins in the audit trail", 30, 3650, "When each person signed in and out."
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


class EraseForm(Form):
    submit = SubmitField("Erase this person", widget=GovSubmitInput())


@bp.route("/data", methods=["GET", "POST"])
@requires(Right.ADMINISTER)
def data_settings():
    form = DataSettingsForm(obj=g.board)
    if form.validate_on_submit():
        for name in SETTINGS:
            setattr(g.board, name, form[name].data or None)
        db.session.commit()
        flash("The data protection settings are saved.", "success")
        return redirect(url_for("admin.data_settings"))
    return render_template(
        "admin/data.html",
        form=form,
        pending_imports_kept=PENDING_IMPORTS_KEPT,
        last_run=db.session.get(JobRun, "retention"),
    )


@bp.get("/people/<int:membership_id>/data")
@requires(Right.ADMINISTER)
def person_data_page(membership_id: int):
    membership = membership_of_board(membership_id)
    sections = person_data(db.session, g.board, membership.person)
    return render_template("admin/person_data.html", membership=membership, sections=sections)


@bp.get("/people/<int:membership_id>/data.json")
@requires(Right.ADMINISTER)
def person_data_json(membership_id: int):
    person = membership_of_board(membership_id).person
    body = as_json(g.board, person, person_data(db.session, g.board, person), clock.now())
    filename = f"person-{person.id}-{g.board.slug}.json"
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/people/<int:membership_id>/erase", methods=["GET", "POST"])
@requires(Right.ADMINISTER)
def erase_person(membership_id: int):
    membership = membership_of_board(membership_id)
    if membership.person.erased_at is not None:
        abort(404)
    form = EraseForm()
    elsewhere = other_boards(db.session, membership)
    on_board = membership.archived_at is None
    if not (on_board or elsewhere) and form.validate_on_submit():
        with acting_as(db.session, g.membership.person_id, reason=f"erased by {g.board}"):
            new_name = erase(db.session, membership, clock.now())
        db.session.commit()
        flash(f"Erased: they now read as “{new_name}”.", "success")
        return redirect(url_for("admin.people"))
    return render_template(
        "admin/person_erase.html",
        form=form,
        membership=membership,
        new_name=pseudonym(membership.person, membership.role),
        on_board=on_board,
        elsewhere=elsewhere,
    )
