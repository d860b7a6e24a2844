"""The header of the board's report to the Health and Wellbeing Board: what it calls itself
for short, the HWB priorities its reports address and the link to its published notes."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, g, redirect, render_template, url_for
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea, GovTextInput
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import Length, ValidationError

from tracker.admin.blueprint import bp
from tracker.extensions import db
from tracker.forms import Form, strip
from tracker.permissions import Right, requires


def _text(label: str, what: str, max_length: int, description: str, field=StringField):
    return field(
        label,
        widget=GovTextInput() if field is StringField else GovTextArea(),
        description=description,
        filters=[strip],
        validators=[
            Length(max=max_length, message=f"{what} must be {max_length:,} characters or fewer")
        ],
    )


class ReportSettingsForm(Form):
    short_name = _text(
        "Short name",
        "The short name",
        50,
        "As the report writes it in “(September 2018 CTB meeting focus)”. Left empty, the "
        "report says “board”.",
    )
    hwb_priorities = _text(
        "HWB priorities addressed in the report",
        "The HWB priorities",
        2000,
        "One a line, for example “A Healthy Start in Life”.",
        field=TextAreaField,
    )
    published_notes_url = _text(
        "Link to published notes or reports",
        "The link",
        2000,
        "The web address, for example of the current Children and Young People's Plan.",
    )
    published_notes_text = _text(
        "What the link is",
        "What the link is",
        300,
        "For example “Children & Young People's Plan 2018 - 2022”.",
    )
    submit = SubmitField("Save", widget=GovSubmitInput())

    def validate_published_notes_url(self, field: StringField) -> None:
        if not field.data:
            if self.published_notes_text.data:
                raise ValidationError("Enter the web address the link goes to")
            return
        parts = urlsplit(field.data)
        if parts.scheme not in ("https", "http") or not parts.netloc or " " in field.data:
            raise ValidationError(
                "Enter the link as a web address that starts with https://, like "
                "https://www.oxfordshire.gov.uk/cms/content/children-and-young-peoples-plan"
            )


@bp.route("/report", methods=["GET", "POST"])
@requires(Right.ADMINISTER)
def report_settings():
    board = g.board
    form = ReportSettingsForm(obj=board)
    if form.validate_on_submit():
        for name in ("short_name", "hwb_priorities", "published_notes_url", "published_notes_text"):
            setattr(board, name, form[name].data or None)
        db.session.commit()
        flash("The report's settings are saved.", "success")
        return redirect(url_for("admin.report_settings"))
    return render_template("admin/report_settings.html", form=form)
