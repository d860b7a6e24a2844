"""Forms of the performance framework: indicators, readings, RAG by hand, what is being done."""

from __future__ import annotations

from typing import Any

from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import StringField, SubmitField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, Length, Optional

from tracker import clock
from tracker.actions.forms import RAG_CHOICES
from tracker.forms import ChoiceRadioField, ChoiceSelectField, Form, choices, strip
from tracker.indicators.framework import BadValue, parse_value, plain_number
from tracker.models import Direction, Frequency, IndicatorReading, IndicatorUnit
from tracker.rules import periods

MAX_NOTE = 2_000
MAX_COMMENTARY = 10_000


class NumberField(StringField):
    """A number as people type it ("6.8", "2,100", "75%"); ``.number`` is the Decimal.

    ``unit`` is read from the form's ``number_unit`` (the indicator's unit, or the unit
    chosen on the same form), so a percentage over 100 is refused beside the field.
    """

    def __init__(self, *args: Any, what: str, **kwargs: Any) -> None:
        kwargs.setdefault("filters", [strip])
        kwargs.setdefault("widget", GovTextInput())
        super().__init__(*args, **kwargs)
        self.what = what
        self.number = None

    def pre_validate(self, form: Any) -> None:
        if not self.data:
            raise ValidationError(f"Enter the {self.what} as a number, like 75 or 6.8")
        try:
            self.number = parse_value(self.data, form.number_unit())
        except BadValue as error:
            raise ValidationError(str(error).replace("The value", f"The {self.what}")) from error


class IndicatorForm(Form):
    number = StringField(
        "Number",
        widget=GovTextInput(),
        description="As in the performance framework, like 2.5",
        filters=[strip],
        validators=[
            DataRequired(message="Enter the indicator's number, like 2.5"),
            Length(max=20, message="Number must be 20 characters or fewer"),
        ],
    )
    title = TextAreaField(
        "Title",
        widget=GovTextArea(),
        filters=[strip],
        validators=[
            DataRequired(message="Enter the indicator's title"),
            Length(max=1_000, message="Title must be 1,000 characters or fewer"),
        ],
    )
    area = ChoiceSelectField(
        "Area of focus",
        widget=GovSelect(),
        coerce=lambda v: int(v) if v else None,
        message="Select an area of focus, or 'None'",
        validators=[Optional()],
    )
    unit = ChoiceRadioField(
        "Unit",
        widget=GovRadioInput(),
        choices=choices((u.value, u.label) for u in IndicatorUnit),
        message="Select the unit",
    )
    direction = ChoiceRadioField(
        "Which way is better",
        widget=GovRadioInput(),
        choices=choices((d.value, d.label) for d in Direction),
        message="Select whether higher or lower is better",
    )
    target = NumberField("Target", what="target")
    tolerance = NumberField(
        "Tolerance for Amber",
        what="tolerance",
        description="How far on the wrong side of the target a reading is still Amber, in "
        "the indicator's unit (for a percentage, in percentage points: 2 with a target of 75% "
        "makes 73% the edge of Amber). 0 for no Amber.",
        default="0",
    )
    frequency = ChoiceRadioField(
        "Reporting frequency",
        widget=GovRadioInput(),
        choices=choices((f.value, f.label) for f in Frequency),
        message="Select how often the indicator is reported",
    )
    owner = ChoiceSelectField(
        "Owner",
        widget=GovSelect(),
        coerce=lambda v: int(v) if v else None,
        description="Enters the readings and says what is being done when it is Red or Amber.",
        message="Select the owner",
    )
    submit = SubmitField("Save", widget=GovSubmitInput())

    def number_unit(self) -> IndicatorUnit | None:
        # An unknown unit is refused by its own field; number or rate checks are the loosest.
        return IndicatorUnit(self.unit.data) if self.unit.data in set(IndicatorUnit) else None


class ReadingForm(Form):
    period = StringField(
        "Period",
        widget=GovTextInput(),
        filters=[strip],
        validators=[Length(max=50, message="Period must be 50 characters or fewer")],
    )
    value = NumberField("Value", what="value")
    note = TextAreaField(
        "Note (optional)",
        widget=GovTextArea(),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=MAX_NOTE, message=f"Note must be {MAX_NOTE:,} characters or fewer"),
        ],
    )
    reason = TextAreaField(
        "Why the figure is corrected",
        widget=GovTextArea(),
        filters=[strip],
        validators=[
            Length(max=MAX_NOTE, message=f"Reason must be {MAX_NOTE:,} characters or fewer")
        ],
    )
    submit = SubmitField("Save reading", widget=GovSubmitInput())

    def __init__(
        self, *args: Any, indicator, correcting: IndicatorReading | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.indicator, self.correcting = indicator, correcting
        if correcting is not None and not self.is_submitted():
            self.period.data = periods.label(correcting.period_start, indicator.frequency)
            self.value.data = plain_number(correcting.value)
            self.note.data = correcting.note
        self.period.description = (
            f"The {indicator.frequency.value} period, like "
            f"'{periods.example(indicator.frequency, clock.today())}'"
        )
        self.period_start = None

    def number_unit(self) -> IndicatorUnit:
        return self.indicator.unit

    def validate_period(self, field: StringField) -> None:
        if not field.data:
            raise ValidationError(
                "Enter the period, like "
                f"'{periods.example(self.indicator.frequency, clock.today())}'"
            )
        try:
            self.period_start = periods.parse(
                field.data, self.indicator.frequency, today=clock.today()
            )
        except periods.NotAPeriod as error:
            raise ValidationError(str(error)) from error
        kept = self.correcting.period_start if self.correcting else self.period_start
        if self.period_start != kept:
            label = periods.label(kept, self.indicator.frequency)
            raise ValidationError(
                f"A correction keeps its period, {label}: add a new reading for another period"
            )

    def validate_reason(self, field: TextAreaField) -> None:
        if self.correcting and not field.data:
            raise ValidationError("Enter why the figure is corrected")


class ReadingRagForm(Form):
    rag = ChoiceRadioField(
        "RAG rating",
        widget=GovRadioInput(),
        choices=choices([*RAG_CHOICES, ("computed", "As the target gives")]),
        message="Select a RAG rating, or 'As the target gives'",
    )
    reason = TextAreaField(
        "Reason",
        widget=GovTextArea(),
        filters=[strip],
        description="Why the rating differs from the target's. It is kept in the audit trail.",
        validators=[
            DataRequired(message="Enter the reason for the rating"),
            Length(max=MAX_NOTE, message=f"Reason must be {MAX_NOTE:,} characters or fewer"),
        ],
    )
    submit = SubmitField("Set RAG rating", widget=GovSubmitInput())


class CommentaryForm(Form):
    text = TextAreaField(
        "What is being done to improve performance?",
        widget=GovTextArea(),
        filters=[strip],
        validators=[
            DataRequired(message="Enter what is being done to improve performance"),
            Length(
                max=MAX_COMMENTARY,
                message=f"What is being done must be {MAX_COMMENTARY:,} characters or fewer",
            ),
        ],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


class ImportForm(Form):
    file = FileField(
        "Readings file",
        widget=GovFileInput(),
        description="A CSV or Excel (.xlsx) file with the columns indicator number, period, "
        "value and, if you like, note.",
    )
    submit = SubmitField("Check the file", widget=GovSubmitInput())
