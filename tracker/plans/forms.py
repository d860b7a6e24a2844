from __future__ import annotations

from collections.abc import Callable, Mapping

from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from sqlalchemy.orm import Session
from wtforms import SelectField, SubmitField

from tracker.actions.forms import STATUS_CHOICES
from tracker.actions.standing import live_actions
from tracker.forms import Form, choices
from tracker.models import (
    Action,
    ActionLead,
    AreaOfFocus,
    Board,
    Person,
    Plan,
    Rag,
    ReportingMonth,
    Team,
)
from tracker.rules.due import plan_year_label

ANY = ("", "Any")
# How a lead is offered: (person id, team id, person's name, team's name) to the choice's
# label, or None to leave the lead out.
LeadLabel = Callable[[int | None, int | None, str | None, str | None], str | None]


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
        in_plan = AreaOfFocus.plan_id == plan.id
        self.year.choices = choices(
            [ANY]
            + [(str(y), plan_year_label(y)) for y in range(plan.start_year, plan.end_year + 1)]
        )
        self.area.choices = [ANY] + [(str(a.id), a.name) for a in areas]
        leads = session.execute(
            live_actions(board, ActionLead.person_id, ActionLead.team_id, Person.name, Team.name)
            .join(ActionLead, ActionLead.action_id == Action.id)
            .outerjoin(Person, Person.id == ActionLead.person_id)
            .outerjoin(Team, Team.id == ActionLead.team_id)
            .where(in_plan)
            .distinct()
        )
        named = {
            ActionLead.key_of(person_id, team_id): label
            for person_id, team_id, person, team in leads
            if (label := lead_label(person_id, team_id, person, team)) is not None
        }
        self.lead.choices = choices([ANY] + sorted(named.items(), key=lambda kv: kv[1].lower()))
        months = session.scalars(
            live_actions(board, ReportingMonth.month)
            .join(ReportingMonth, ReportingMonth.action_id == Action.id)
            .where(in_plan)
            .distinct()
            .order_by(ReportingMonth.month)
        )
        self.month.choices = choices([ANY] + [(f"{m:%Y-%m}", f"{m:%B %Y}") for m in months])
        self.status.choices = choices([ANY, *STATUS_CHOICES])
        self.rag.choices = choices([ANY] + [(r.value, r.label) for r in Rag])


def _in_a_sentence(field) -> str:
    """The field's label within a sentence: "plan year", but "RAG rating"."""
    label = field.label.text
    return label if label[1:2].isupper() else label[0].lower() + label[1:]
