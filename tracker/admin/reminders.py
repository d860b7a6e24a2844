"""The board's reminder timings, a preview of who would get what on a day, and "send now"."""

from __future__ import annotations

from datetime import datetime

from flask import flash, g, redirect, render_template, request, url_for
from govuk_frontend_wtf.wtforms_widgets import (
    GovDateInput,
    GovRadioInput,
    GovSubmitInput,
)
from sqlalchemy import select
from wtforms import SubmitField
from wtforms.validators import InputRequired

from tracker import clock
from tracker.admin.blueprint import bp
from tracker.extensions import db
from tracker.formatting import plural
from tracker.forms import (
    ChoiceRadioField,
    Form,
    GovDateField,
    WholeNumberField,
    bounded_number,
    choices,
)
from tracker.models import OutboxMessage
from tracker.permissions import Right, requires
from tracker.reminders import plan_day_chasers, plan_day_reminders, queue

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def _days(label: str, low: int, high: int, description: str = "") -> WholeNumberField:
    return bounded_number(
        label,
        low,
        high,
        message=f"Enter {label.lower()} as a whole number",
        out_of_range=f"{label} must be between {low} and {high}",
        description=description,
    )


class ReminderSettingsForm(Form):
    first_reminder_days = _days("First reminder", 1, 30, "Working days before the update is due.")
    second_reminder_days = _days(
        "Second reminder", 1, 30, "Working days before; only if no update has come in."
    )
    chaser_weekday = ChoiceRadioField(
        "Chasers go out on",
        widget=GovRadioInput(),
        choices=choices((str(i), day) for i, day in enumerate(WEEKDAYS)),
        coerce=int,
        message="Select the day chasers go out",
    )
    chaser_every_weeks = _days("Chase every", 1, 8, "In weeks: 1 for every week.")
    escalate_after_chasers = _days(
        "Escalate after", 1, 10, "How many chasers before the chair and secretariat are told."
    )
    submit = SubmitField("Save timings", widget=GovSubmitInput())


class PreviewForm(Form):
    class Meta:
        csrf = False  # sent by GET, and changes nothing

    day = GovDateField(
        "Preview a day",
        widget=GovDateInput(),
        format="%d %m %Y",
        validators=[InputRequired(message="Enter the day to preview")],
    )
    submit = SubmitField("Preview", widget=GovSubmitInput())


@bp.route("/reminders", methods=["GET", "POST"])
@requires(Right.ADMINISTER)
def reminders():
    board = g.board
    form = ReminderSettingsForm(obj=board)
    if form.validate_on_submit():
        form.populate_obj(board)
        db.session.commit()
        flash("Reminder timings saved.", "success")
        return redirect(url_for("admin.reminders"))
    day = clock.today()
    asked = "day" in request.args
    preview_form = PreviewForm(request.args if asked else None, day=day)
    if asked and preview_form.validate():
        day = preview_form.day.data
    planned = plan_day_reminders(db.session, board, day) + plan_day_chasers(db.session, board, day)
    db.session.rollback()  # planning reads only; nothing of it is kept
    return render_template(
        "admin/reminders.html",
        form=form,
        preview_form=preview_form,
        day=day,
        planned=planned,
        queued=_queued_at([item.key for item in planned]),
    )


def _queued_at(keys: list[str]) -> dict[str, datetime]:
    """Which of the planned e-mails the jobs already queued, and when: a run caught up after
    its day (the scheduler was down) queued that day's e-mails on a later one."""
    return dict(
        db.session.execute(
            select(OutboxMessage.key, OutboxMessage.created_at).where(OutboxMessage.key.in_(keys))
        ).all()
    )


@bp.post("/reminders/send-now")
@requires(Right.ADMINISTER)
def send_reminders_now():
    queued = queue(db.session, g.board, plan_day_reminders(db.session, g.board, clock.today()))
    db.session.commit()
    flash(
        f"{plural(queued, 'reminder e-mail')} queued for today; "
        "the scheduler delivers them within a minute.",
        "success",
    )
    return redirect(url_for("admin.reminders"))
