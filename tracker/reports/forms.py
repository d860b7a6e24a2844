"""Forms of the report page: what the secretariat writes into the report, and marking it
final."""

from __future__ import annotations

from datetime import date

from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovSubmitInput, GovTextArea
from wtforms import SubmitField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from tracker.formatting import long_date
from tracker.forms import Form, GovDateField, strip
from tracker.models import AreaOfFocus

NARRATIVE_MAX = 20_000


def narrative(label: str, what: str, description: str = "") -> TextAreaField:
    return TextAreaField(
        label,
        widget=GovTextArea(),
        description=description,
        filters=[strip],
        validators=[
            Length(
                max=NARRATIVE_MAX,
                message=f"{what} must be {NARRATIVE_MAX:,} characters or fewer",
            )
        ],
    )


class ReportForm(Form):
    report_date = GovDateField(
        "Report date",
        widget=GovDateInput(),
        format="%d %m %Y",
        validators=[Optional()],
    )
    performance_summary = narrative(
        "Opening note",
        "The opening note of section 2",
        "Before the notes per area, for example on what affects all the figures.",
    )
    submit = SubmitField("Save the report", widget=GovSubmitInput())

    held_on: date  # the meeting's

    def validate_report_date(self, field: GovDateField) -> None:
        if field.data and not 2000 <= field.data.year <= 2100:
            raise ValidationError("The report date must be between the years 2000 and 2100")
        if field.data and field.data < self.held_on:
            raise ValidationError(
                "The report date must be on or after the day of the meeting, "
                f"{long_date(self.held_on)}"
            )


def progress_field(area: AreaOfFocus) -> str:
    return f"progress_{area.id}"


def performance_field(area: AreaOfFocus) -> str:
    return f"performance_{area.id}"


def report_form(held_on: date, areas: list[AreaOfFocus]) -> ReportForm:
    """The form for the report of a meeting held on ``held_on``, with a progress report and
    a note on performance for each area."""

    class Form(ReportForm):
        pass

    Form.held_on = held_on
    for area in areas:
        setattr(
            Form,
            progress_field(area),
            narrative(f"Progress report: {area.name}", f"The progress report for {area.name}"),
        )
        setattr(
            Form,
            performance_field(area),
            narrative(
                f"What is being done: {area.name}",
                f"The note on what is being done in {area.name}",
            ),
        )
    return Form()


class FinalForm(Form):
    submit = SubmitField("Mark the report final", widget=GovSubmitInput())
