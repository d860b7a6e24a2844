from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovDateInput,
    GovPasswordInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import BooleanField, EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    Optional,
)

from tracker import examples
from tracker.auth.passwords import password_problem
from tracker.examples import Hint
from tracker.forms import ChoiceSelectField, Form, GovDateField, strip

EMAIL_FIELD = dict(
    widget=GovTextInput(),
    validators=[
        InputRequired(message="Enter your e-mail address"),
        Length(max=320, message="E-mail address must be 320 characters or fewer"),
        Email(
            message="Enter an e-mail address in the correct format, like name@example.org",
            check_deliverability=False,
        ),
    ],
)


class SignInForm(Form):
    email = EmailField("E-mail address", **EMAIL_FIELD)
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[InputRequired(message="Enter your password"), Length(max=200)],
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class CurrentPasswordMixin:
    # Declared before NewPasswordMixin: WTForms orders fields (and so the error summary)
    # by when they were created.
    current_password = PasswordField(
        "Current password",
        widget=GovPasswordInput(),
        validators=[InputRequired(message="Enter your current password"), Length(max=200)],
    )


class NewPasswordMixin:
    """A new password typed twice, checked against the rules in tracker.auth.passwords."""

    new_password = PasswordField(
        "New password",
        widget=GovPasswordInput(),
        description="At least 12 characters. A few unrelated words make a good password.",
        validators=[InputRequired(message="Enter a new password")],
    )
    confirm_password = PasswordField(
        "Confirm new password",
        widget=GovPasswordInput(),
        validators=[
            InputRequired(message="Confirm your new password"),
            EqualTo("new_password", message="The two passwords do not match"),
        ],
    )

    def check_new_password(self, email: str) -> bool:
        problem = password_problem(self.new_password.data or "", email)
        if problem:
            self.new_password.errors.append(problem)
            return False
        return True


class ChangePasswordForm(CurrentPasswordMixin, NewPasswordMixin, Form):
    submit = SubmitField("Change password", widget=GovSubmitInput())


class ResetRequestForm(Form):
    email = EmailField("E-mail address", **EMAIL_FIELD)
    submit = SubmitField("Send the link", widget=GovSubmitInput())


class ResetPasswordForm(NewPasswordMixin, Form):
    submit = SubmitField("Save new password", widget=GovSubmitInput())


class AcceptInvitationForm(NewPasswordMixin, Form):
    name = StringField(
        "Your name",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            DataRequired(message="Enter your name"),
            Length(max=200, message="Name must be 200 characters or fewer"),
        ],
    )
    submit = SubmitField("Accept and continue", widget=GovSubmitInput())


class JoinBoardForm(Form):
    """Accepting an invitation with an account already: nothing to type."""

    submit = SubmitField("Join the board", widget=GovSubmitInput())


class YourEmailsForm(Form):
    one_email_a_day = BooleanField(
        "Send me one e-mail a day",
        widget=GovCheckboxInput(),
        description="Your reminders, chasers and escalations together in one e-mail each "
        "morning, instead of one e-mail each.",
    )
    away_until = GovDateField(
        "Away until",
        widget=GovDateInput(),
        format="%d %m %Y",
        description=Hint(
            lambda today: (
                "The last day you are away, for example "
                f"{examples.day(today, weeks_ahead=2)}. Leave it empty when you are back."
            )
        ),
        validators=[Optional()],
    )
    deputy = ChoiceSelectField(
        "Deputy",
        widget=GovSelect(),
        coerce=lambda v: int(v) if v else None,
        message="Choose a deputy from the list",
        validators=[Optional()],
        description="They get your reminders and chasers while you are away.",
    )
    submit = SubmitField("Save", widget=GovSubmitInput())

    def validate(self, extra_validators=None) -> bool:
        # Checked here, not in validate_deputy: the Optional() validator stops the field's
        # own chain when it is empty, and empty is exactly the case to catch.
        if not super().validate(extra_validators):
            return False
        if self.away_until.data and not self.deputy.data:
            self.deputy.errors.append("Choose who deputises while you are away")
            return False
        return True
