from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import SubmitField


class CalendarLinkForm(FlaskForm):
    """Makes a new feed address: the first, or one that replaces (and stops) the old."""

    submit = SubmitField("Create my calendar link", widget=GovSubmitInput())
