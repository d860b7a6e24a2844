"""Helpers shared by every form page."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.main import wtforms_errors
from wtforms import DateField, IntegerField, RadioField, SelectField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from tracker.text import clean


def error_summary(form: FlaskForm, form_error_href: str = "#main-content") -> dict[str, Any]:
    """Parameters for govukErrorSummary: form-wide errors first, then each field's.

    govuk-frontend-wtf knows only field errors; a form-wide one (such as "someone else changed
    this action") would otherwise link to "#None".
    """
    params = wtforms_errors(form)
    field_errors = [e for e in params["errorList"] if e["href"] != "#None"]
    form_errors = [{"text": text, "href": form_error_href} for text in form.form_errors]
    return {**params, "errorList": form_errors + field_errors}


def strip(value: Any) -> Any:
    """A field filter: text without its outer spaces, so that DataRequired or InputRequired
    refuses an answer of only spaces."""
    return value.strip() if isinstance(value, str) else value


def typed_text(value: Any) -> Any:
    """A field filter: ``strip``, and without the characters no document can hold
    (``tracker.text.clean``), so what is typed can go into Word, PDF and the database."""
    return strip(clean(value)) if isinstance(value, str) else value


def choices(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """Select/radio options from (value, label) pairs, in the form WTForms 3.3 wants."""
    return [SelectChoice(value, label) for value, label in pairs]


class _ExplainedChoice:
    """A choice field whose "not one of the options" error says what to do, as GOV.UK asks."""

    def __init__(self, *args: Any, message: str, **kwargs: Any) -> None:
        kwargs.setdefault("validators", [InputRequired(message=message)])
        super().__init__(*args, **kwargs)
        self.choice_message = message

    def pre_validate(self, form: Any) -> None:
        try:
            super().pre_validate(form)
        except ValidationError as error:
            raise ValidationError(self.choice_message) from error


class ChoiceRadioField(_ExplainedChoice, RadioField):
    pass


class ChoiceSelectField(_ExplainedChoice, SelectField):
    pass


class WholeNumberField(IntegerField):
    """An integer field whose error for text that is not a number says what to type."""

    def __init__(self, *args: Any, message: str, **kwargs: Any) -> None:
        kwargs.setdefault("validators", [InputRequired(message=message)])
        super().__init__(*args, **kwargs)
        self.number_message = message

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(self.number_message) from error


class GovDateField(DateField):
    """GOV.UK's three boxes (day, month, year), whose error says what a real date looks like.
    All three left empty is no date, for optional fields."""

    def process_formdata(self, valuelist: list[str]) -> None:
        if not "".join(valuelist).strip():
            self.data = None
            return
        if len(valuelist) != 3:
            # Not sent by the three boxes; the widget shows back exactly three.
            self.raw_data = [*valuelist, "", "", ""][:3]
            raise ValueError("Enter a real date, like 12 9 2018")
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError("Enter a real date, like 12 9 2018") from error
