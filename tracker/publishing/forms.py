"""Forms of Admin → Publishing and of Your public name."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from tracker.forms import ChoiceRadioField, Form, choices, strip
from tracker.publishing.approvals import SUMMARY_LENGTH


def _switch(label: str, hint: str) -> BooleanField:
    return BooleanField(label, widget=GovCheckboxInput(), description=hint)


class PublicPagesForm(Form):
    enabled = _switch(
        "Turn on the board's public pages",
        "Anyone can read them, without signing in. Off, they are not found.",
    )
    plan = _switch(
        "The plan",
        "Its areas of focus and actions, each with only the progress updates approved for "
        "publication.",
    )
    indicators = _switch(
        "The performance framework",
        "Only the indicators made public, with their approved readings.",
    )
    meetings = _switch("Meetings", "Their dates, and the forward plans made public.")
    reports = _switch(
        "Reports to the Health and Wellbeing Board", "Only final reports made public."
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


class ApproveUpdateForm(Form):
    summary = TextAreaField(
        "Public summary (optional)",
        widget=GovTextArea(),
        description="Shown instead of the update on the public pages. Left empty, the update is "
        "shown as written. The update itself is not changed.",
        filters=[strip],
        validators=[
            Length(
                max=SUMMARY_LENGTH,
                message=f"The public summary must be {SUMMARY_LENGTH:,} characters or fewer",
            )
        ],
    )
    submit = SubmitField("Approve for publication", widget=GovSubmitInput())


class ButtonForm(Form):
    """A button that posts, with its CSRF token: publish, withdraw, revoke."""


TOKEN_LIFETIMES = [("30", "30 days"), ("90", "90 days"), ("365", "A year")]


class TokenForm(Form):
    name = StringField(
        "Name of the token",
        widget=GovTextInput(),
        description="Who it is for, for example “Public Health Power BI”. Calls with it are "
        "logged under this name.",
        filters=[strip],
        validators=[
            DataRequired(message="Enter a name for the token"),
            Length(max=100, message="The name must be 100 characters or fewer"),
        ],
    )
    lifetime = ChoiceRadioField(
        "Expires after",
        widget=GovRadioInput(),
        choices=choices(TOKEN_LIFETIMES),
        default="90",
        message="Choose when the token expires",
    )
    submit = SubmitField("Make the token", widget=GovSubmitInput())


class PublicNameForm(Form):
    agreed = BooleanField(
        "Show my name on the public pages of my boards",
        widget=GovCheckboxInput(),
        description="Left unticked, the public pages show your role and team instead, such "
        "as “Lead officer”. Your e-mail address is never shown.",
    )
    submit = SubmitField("Save", widget=GovSubmitInput())
