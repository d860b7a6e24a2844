from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import SelectField, SubmitField

from tracker.forms import Form

ANY = ("", "Any")


class PlanFilterForm(Form):
    """Narrows the plan page. Sent by GET, so it changes nothing and needs no CSRF token.
    The page renders the selects with macros.html's select_field, in GOV.UK markup."""

    class Meta:
        csrf = False

    year = SelectField("Plan year", default="")
    area = SelectField("Area of focus", default="")
    lead = SelectField("Lead", default="")
    month = SelectField("Reporting month", default="")
    status = SelectField("Status", default="")
    submit = SubmitField("Filter", widget=GovSubmitInput())

    def chosen(self) -> dict[str, str]:
        """The filters chosen, by field name. An unknown value (an old link, a hand-edited
        address) shows an error and is ignored."""
        if not self.validate():
            for field in self:
                if field.errors:
                    field.errors = [f"Choose one of the options for {field.label.text.lower()}"]
        return {
            name: field.data
            for name, field in self._fields.items()
            if name != "submit" and field.data and not field.errors
        }
