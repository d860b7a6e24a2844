from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea
from wtforms import IntegerField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length
from wtforms.widgets import HiddenInput

from tracker.forms import ChoiceRadioField, Form, choices, strip
from tracker.models import ActionStatus, Rag

MAX_TEXT = 10_000

STATUS_CHOICES = [(s.value, s.label) for s in ActionStatus]
RAG_CHOICES = [(r.value, r.label) for r in Rag]


class VersionedForm(Form):
    """Carries the action's version from when the form was opened."""

    seen_version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])

    def refuse_stale(self, current_version: int, message: str) -> None:
        """Show ``message`` and carry the current version, keeping everything typed."""
        self.form_errors.append(message)
        # The hidden input renders what was posted unless raw_data changes too.
        self.seen_version.data = current_version
        self.seen_version.raw_data = [str(current_version)]


class ProgressUpdateForm(VersionedForm):
    status = ChoiceRadioField(
        "Status",
        widget=GovRadioInput(),
        choices=choices(STATUS_CHOICES),
        message="Select the status of the action",
    )
    rag = ChoiceRadioField(
        "RAG rating",
        widget=GovRadioInput(),
        choices=choices([*RAG_CHOICES, ("none", "No rating yet")]),
        message="Select a RAG rating, or 'No rating yet'",
    )
    text = TextAreaField(
        "Progress update",
        widget=GovTextArea(),
        description="What has happened since the last update, and what happens next.",
        filters=[strip],
        validators=[
            DataRequired(message="Enter the progress update"),
            Length(
                max=MAX_TEXT, message=f"Progress update must be {MAX_TEXT:,} characters or fewer"
            ),
        ],
    )
    submit = SubmitField("Post update", widget=GovSubmitInput())


class SetRagForm(VersionedForm):
    rag = ChoiceRadioField(
        "RAG rating",
        widget=GovRadioInput(),
        choices=choices(RAG_CHOICES),
        message="Select a RAG rating",
    )
    reason = TextAreaField(
        "Reason",
        widget=GovTextArea(),
        description="Why the rating changes. It is kept in the action's audit trail.",
        filters=[strip],
        validators=[
            DataRequired(message="Enter the reason for the rating"),
            Length(max=2000, message="Reason must be 2,000 characters or fewer"),
        ],
    )
    submit = SubmitField("Set RAG rating", widget=GovSubmitInput())
