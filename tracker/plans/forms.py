from __future__ import annotations

from collections.abc import Mapping

from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from sqlalchemy.orm import Session
from wtforms import SelectField, SubmitField

from tracker.actions.forms import STATUS_CHOICES
from tracker.forms import Form, choices
from tracker.models import (
    AreaOfFocus,
    Board,
    Plan,
    Rag,
)
from tracker.plans import queries
from tracker.plans.queries import LeadLabel
from tracker.rules.due import plan_year_label

ANY = ("", "Any")


class PlanFilterForm(Form):
    """Narrows the plan page (and the public plan page). Sent by GET, so it changes nothing
    and needs no CSRF token. The pages render the selects with macros.html's select_field,
    in GOV.UK markup."""

    class Meta:
        csrf = False

    year = SelectField("Plan year", default="")
    area = SelectField("Area of focus", default="")
    lead = SelectField("Lead", default="")
    month = SelectField("Reporting month", default="")
    status = SelectField("Status", default="")
    rag = SelectField("RAG rating", default="")
    submit = SubmitField("Filter", widget=GovSubmitInput())

    def chosen(self, args: Mapping[str, str]) -> dict[str, str]:
        """The filters chosen, as tracker.plans.filter_conditions takes them. An unknown
        value (an old link, a hand-edited address) shows an error and is ignored."""
        if args and not self.validate():
            for field in self:
                if field.errors:
                    field.errors = [f"Choose one of the options for {_in_a_sentence(field)}"]
        return {
            name: field.data
            for name, field in self._fields.items()
            if name != "submit" and field.data and not field.errors
        }

    def offer(
        self,
        session: Session,
        board: Board,
        plan: Plan,
        areas: list[AreaOfFocus],
        lead_label: LeadLabel,
    ) -> None:
        """The choices of the plan's filters: its years, areas, leads, reporting months."""
        self.year.choices = choices([ANY] + [(str(y), plan_year_label(y)) for y in plan.plan_years])
        self.area.choices = [ANY] + [(str(a.id), a.name) for a in areas]
        self.lead.choices = choices([ANY] + queries.leads(session, board, plan, lead_label))
        months = queries.reporting_months(session, board, plan)
        self.month.choices = choices([ANY] + [(f"{m:%Y-%m}", f"{m:%B %Y}") for m in months])
        self.status.choices = choices([ANY, *STATUS_CHOICES])
        self.rag.choices = choices([ANY] + [(r.value, r.label) for r in Rag])


def _in_a_sentence(field) -> str:
    """The field's label within a sentence: "plan year", but "RAG rating"."""
    label = field.label.text
    return label if label[1:2].isupper() else label[0].lower() + label[1:]
