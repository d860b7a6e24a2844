"""Forms of the admin sections. Choices that depend on the board are set by each section."""

from __future__ import annotations

from datetime import date
from typing import Any

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    EmailField,
    IntegerField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import HiddenInput

from tracker import clock, examples
from tracker.actions.forms import STATUS_CHOICES
from tracker.examples import Hint
from tracker.forms import (
    ChoiceRadioField,
    ChoiceSelectField,
    Form,
    GovDateField,
    WholeNumberField,
    choices,
    strip,
)
from tracker.models import Role
from tracker.rules.months import NotAMonth, parse_months

ROLE_CHOICES = choices((r.value, r.label) for r in Role)


def _name(label: str, what: str, max_length: int = 200) -> StringField:
    return StringField(
        label,
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            DataRequired(message=f"Enter the {what}"),
            Length(
                max=max_length,
                message=f"{what.capitalize()} must be {max_length} characters or fewer",
            ),
        ],
    )


def _year(label: str, description: str = "") -> WholeNumberField:
    message = Hint(
        lambda today: f"Enter the {label.lower()} as a number, like {examples.year(today)}"
    )
    return WholeNumberField(
        label,
        widget=GovTextInput(),
        description=description,
        message=message,
        validators=[
            InputRequired(message=message),
            NumberRange(min=2000, max=2100, message=f"{label} must be between 2000 and 2100"),
        ],
    )


class SubmitMixin:
    submit = SubmitField("Save", widget=GovSubmitInput())


class AgencyForm(SubmitMixin, Form):
    name = _name("Name", "agency's name")


class TeamForm(SubmitMixin, Form):
    name = _name("Name", "team's name")
    contacts = SelectMultipleField(
        "Contact people",
        widget=GovCheckboxesInput(),
        coerce=int,
        description="They get the reminders for the actions this team leads.",
    )


class PlanForm(SubmitMixin, Form):
    name = _name("Name", "plan's name")
    start_year = _year("First year")
    end_year = _year(
        "Last year",
        "The year the plan ends, in the spring: 2021 for CYPP 2018–2021, whose plan years "
        "are 2018/19 to 2020/21.",
    )

    def validate_end_year(self, field: IntegerField) -> None:
        if self.start_year.data and field.data and field.data < self.start_year.data:
            raise ValidationError("Last year must be the same as or after the first year")


def _numbered_lines(text: str, what: str) -> list[tuple[int, str]]:
    """Lines like "1. Have the best start in life", checked line by line."""
    result, seen = [], set()
    for line_number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        number, _, rest = line.partition(" ")
        number = number.rstrip(".):")
        if not number.isdigit() or not rest.strip():
            raise ValidationError(
                f"Line {line_number}: start with the {what} number, "
                "like '1. Have the best start in life'"
            )
        if int(number) in seen:
            raise ValidationError(f"Line {line_number}: {what} {number} is there twice")
        seen.add(int(number))
        result.append((int(number), rest.strip()))
    return result


def _priority_lines(text: str) -> list[tuple[int, str]]:
    """Lines like "2018: Focus on children missing out on education"."""
    result, seen = [], set()
    for line_number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        year, sep, rest = line.partition(":")
        year = year.strip().split("/")[0]
        if not sep or not year.isdigit() or not 2000 <= int(year) <= 2100 or not rest.strip():
            raise ValidationError(
                f"Line {line_number}: start with the plan year, "
                f"like '{examples.year(clock.today())}: Focus on domestic abuse'"
            )
        if int(year) in seen:
            raise ValidationError(f"Line {line_number}: {year} is there twice")
        seen.add(int(year))
        result.append((int(year), rest.strip()))
    return result


class AreaForm(SubmitMixin, Form):
    plan = ChoiceSelectField("Plan", widget=GovSelect(), coerce=int, message="Select the plan")
    name = _name("Name", "area's name", 200)
    position = WholeNumberField(
        "Position",
        widget=GovTextInput(),
        description="Areas are listed in this order: 1 first.",
        message="Enter the position as a number, like 1",
        validators=[
            InputRequired(message="Enter the position as a number, like 1"),
            NumberRange(min=1, max=99, message="Position must be between 1 and 99"),
        ],
    )
    outcomes = TextAreaField(
        "Outcomes",
        widget=GovTextArea(),
        description="One per line, with its number: 1. Have the best start in life",
        validators=[Optional(), Length(max=10_000)],
    )
    priorities = TextAreaField(
        "Priority focus by plan year",
        widget=GovTextArea(),
        description=Hint(
            lambda today: (
                "One per line, starting with the year the plan year begins: "
                f"{examples.year(today)}: Focus on children missing out on education"
            )
        ),
        validators=[Optional(), Length(max=10_000)],
    )

    def validate_outcomes(self, field: TextAreaField) -> None:
        self.parsed_outcomes = _numbered_lines(field.data or "", "outcome")

    def validate_priorities(self, field: TextAreaField) -> None:
        self.parsed_priorities = _priority_lines(field.data or "")


class MonthsField(StringField):
    """Reporting months as people write them; the parsed months are in ``.months``."""

    months: list[date]

    def pre_validate(self, form: Any) -> None:
        try:
            self.months = parse_months(self.data or "")
        except NotAMonth as error:
            today = clock.today()
            raise ValidationError(
                f"{error}. Write months like '{examples.month(today)}' or "
                f"'{examples.short_month(today)}'"
            ) from error
        if not self.months:
            raise ValidationError(
                f"Enter at least one reporting month, like '{examples.month(clock.today())}'"
            )


class ActionForm(SubmitMixin, Form):
    seen_version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    area = ChoiceSelectField(
        "Area of focus", widget=GovSelect(), coerce=int, message="Select the area of focus"
    )
    plan_year = WholeNumberField(
        "Plan year",
        widget=GovTextInput(),
        description=Hint(
            lambda today: (
                f"The year the plan year begins: {examples.year(today)} for "
                f"{examples.year_label(today)}."
            )
        ),
        message=Hint(lambda today: f"Enter the plan year, like {examples.year(today)}"),
    )
    text = TextAreaField(
        "Action",
        widget=GovTextArea(),
        filters=[strip],
        validators=[
            DataRequired(message="Enter what the action is"),
            Length(max=5_000, message="Action must be 5,000 characters or fewer"),
        ],
    )
    leads = SelectMultipleField(
        "Trust Board leads",
        widget=GovCheckboxesInput(),
        validators=[InputRequired(message="Select at least one lead")],
    )
    agencies = SelectMultipleField("Responsible agencies", widget=GovCheckboxesInput(), coerce=int)
    measures = TextAreaField(
        "How we will know this area of focus has improved",
        widget=GovTextArea(),
        description="One measure per line, in order.",
        validators=[Optional(), Length(max=10_000)],
    )
    reporting_months = MonthsField(
        "Reporting months",
        widget=GovTextInput(),
        description=Hint(
            lambda today: (
                f"When the board reviews the action, like '{examples.month(today)}' "
                f"or '{examples.short_months(today)}'."
            )
        ),
        validators=[Length(max=500)],
    )
    status = ChoiceRadioField(
        "Status",
        widget=GovRadioInput(),
        choices=choices(STATUS_CHOICES),
        message="Select the status of the action",
        default="not_started",
    )


class MeetingForm(SubmitMixin, Form):
    held_on = GovDateField(
        "Date",
        widget=GovDateInput(),
        format="%d %m %Y",
        description=Hint(lambda today: f"For example, {examples.day(today)}"),
        validators=[InputRequired(message="Enter the date of the meeting")],
    )
    focus_area = ChoiceSelectField(
        "Priority reviewed in depth",
        widget=GovSelect(),
        coerce=lambda v: int(v) if v else None,
        message="Select an area of focus, or 'Not chosen yet'",
        validators=[Optional()],
    )
    note = StringField(
        "Note for the report (optional)",
        widget=GovTextInput(),
        description="Shown beside the date in the report to the Health and Wellbeing Board, "
        "for example “Virtual meeting due to COVID-19 restrictions”.",
        filters=[strip],
        validators=[Length(max=300, message="The note must be 300 characters or fewer")],
    )

    def validate_held_on(self, field: GovDateField) -> None:
        if field.data and not 2000 <= field.data.year <= 2100:
            raise ValidationError("The date must be between the years 2000 and 2100")


def _email() -> EmailField:
    return EmailField(
        "E-mail address",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the person's e-mail address"),
            Length(max=320),
            Email(
                message="Enter an e-mail address like name@example.org", check_deliverability=False
            ),
        ],
    )


class InviteForm(Form):
    name = _name("Full name", "person's name")
    email = _email()
    role = ChoiceRadioField(
        "Role on the board", widget=GovRadioInput(), choices=ROLE_CHOICES, message="Select a role"
    )
    submit = SubmitField("Send invitation", widget=GovSubmitInput())


class AddressForm(Form):
    """For a lead imported with a name only."""

    email = _email()
    submit = SubmitField("Save and send invitation", widget=GovSubmitInput())


class RoleForm(Form):
    role = ChoiceRadioField(
        "Role on the board", widget=GovRadioInput(), choices=ROLE_CHOICES, message="Select a role"
    )
    submit = SubmitField("Save role", widget=GovSubmitInput())
