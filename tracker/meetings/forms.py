"""Forms of the meeting pages: the forward plan and the record of the meeting."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from tracker.forms import Form, strip


class AddItemForm(Form):
    text = StringField(
        "Add an item",
        widget=GovTextInput(),
        description="For example, “Update on the Youth Strategy”.",
        filters=[strip],
        validators=[
            DataRequired(message="Enter the item to add to the forward plan"),
            Length(max=500, message="The item must be 500 characters or fewer"),
        ],
    )
    submit = SubmitField("Add to the forward plan", widget=GovSubmitInput())


class RemoveItemForm(Form):
    reason = TextAreaField(
        "Why is it coming off the forward plan?",
        widget=GovTextArea(),
        description="The reason is shown beside the item and kept in the audit trail.",
        filters=[strip],
        validators=[
            DataRequired(message="Enter why the item is coming off the forward plan"),
            Length(max=1000, message="The reason must be 1,000 characters or fewer"),
        ],
    )
    submit = SubmitField("Remove the item", widget=GovSubmitInput())


class _ForwardPlanItems(SelectMultipleField):
    def pre_validate(self, form: Form) -> None:
        known = {value for value, _label in self.choices}
        if any(value not in known for value in self.data or []):
            raise ValidationError("Choose only items on this meeting's forward plan")


class RecordForm(Form):
    reviewed = _ForwardPlanItems(
        "Which items did the board review?",
        widget=GovCheckboxesInput(),
        coerce=int,
        description="Items left unticked carry over to the next meeting's forward plan.",
    )
    summary = TextAreaField(
        "Summary of other items discussed by the Board",
        widget=GovTextArea(),
        filters=[strip],
        validators=[Length(max=10_000, message="The summary must be 10,000 characters or fewer")],
    )
    submit = SubmitField("Save the record of the meeting", widget=GovSubmitInput())


class ButtonForm(Form):
    """A button that posts, with its CSRF token: publish, move, put back."""
