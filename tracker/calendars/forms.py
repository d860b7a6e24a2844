from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import SubmitField

from tracker.forms import Form


class CalendarLinkForm(Form):
    """Makes a new feed address: the first, or one that replaces (and stops) the old."""

    submit = SubmitField("Create my calendar link", widget=GovSubmitInput())
