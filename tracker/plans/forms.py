from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput
from wtforms import SelectField, SubmitField

ANY = ("", "Any")


class PlanFilterForm(FlaskForm):
    """Narrows the plan page. Sent by GET, so it changes nothing and needs no CSRF token."""

    class Meta:
        csrf = False

    year = SelectField("Plan year", widget=GovSelect(), default="")
    area = SelectField("Area of focus", widget=GovSelect(), default="")
    lead = SelectField("Lead", widget=GovSelect(), default="")
    month = SelectField("Reporting month", widget=GovSelect(), default="")
    status = SelectField("Status", widget=GovSelect(), default="")
    submit = SubmitField("Filter", widget=GovSubmitInput())
