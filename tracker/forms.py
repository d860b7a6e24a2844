"""Helpers shared by every form page."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.main import wtforms_errors
from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from werkzeug.datastructures import MultiDict
from wtforms import DateField, IntegerField, RadioField, SelectField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange

from tracker import clock, examples
from tracker.text import clean


class Form(FlaskForm):
    """The base of every form in the app: what is posted is cleaned (``tracker.text.clean``)
    before any field or validator reads it. A pasted NUL would be refused by PostgreSQL, and
    a vertical tab would break every Word and Excel file the text went into; an answer of
    nothing but such characters is then an empty answer, refused like one."""

    class Meta:
        def wrap_formdata(self, form: FlaskForm, formdata: Any) -> MultiDict | None:
            formdata = super().wrap_formdata(form, formdata)
            if formdata is None:
                return None
            return MultiDict(
                (name, clean(value) if isinstance(value, str) else value)
                for name, value in formdata.items(multi=True)
            )


def error_summary(form: FlaskForm, form_error_href: str = "#main-content") -> dict[str, Any]:
    """Parameters for govukErrorSummary: form-wide errors first, then each field's.

    govuk-frontend-wtf knows only field errors; a form-wide one (such as "someone else changed
    this action") would otherwise link to "#None".
    """
    params = wtforms_errors(form)
    field_errors = [e for e in params["errorList"] if e["href"] != "#None"]
    form_errors = [{"text": text, "href": form_error_href} for text in form.form_errors]
    return {**params, "errorList": form_errors + field_errors}


# Characters that show nothing: Unicode's format characters (a zero-width space pasted from
# a document) and the letters that are drawn blank.
_BLANK_LETTERS = frozenset("\u115f\u1160\u2800\u3164\uffa0")


def _blank(character: str) -> bool:
    return (
        character.isspace()
        or unicodedata.category(character) == "Cf"
        or character in _BLANK_LETTERS
    )


def strip(value: Any) -> Any:
    """A field filter: text without the spaces, or characters that show nothing, around it.
    With DataRequired (which reads the filtered text; InputRequired reads what was posted)
    it refuses an answer with nothing in it to read."""
    if not isinstance(value, str):
        return value
    start, end = 0, len(value)
    while start < end and _blank(value[start]):
        start += 1
    while end > start and _blank(value[end - 1]):
        end -= 1
    return value[start:end]


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
            raise ValueError(str(self.number_message)) from error

    def validate(self, form: Any, extra_validators: Any = ()) -> bool:
        valid = super().validate(form, extra_validators)
        # A message may be a Hint, with an example from today: errors are text.
        self.errors = [str(error) for error in self.errors]
        return valid


def bounded_number(
    label: str, low: int, high: int, *, message: str, out_of_range: str, description: str = ""
) -> WholeNumberField:
    """A whole number from ``low`` to ``high``: ``message`` for anything else typed,
    ``out_of_range`` for a number outside them."""
    return WholeNumberField(
        label,
        widget=GovTextInput(),
        description=description,
        message=message,
        validators=[InputRequired(message=message), NumberRange(low, high, message=out_of_range)],
    )


YEARS = (1900, 2200)


class GovDateField(DateField):
    """GOV.UK's three boxes (day, month, year), whose error says what a real date looks like.
    All three left empty is no date, for optional fields."""

    def process_formdata(self, valuelist: list[str]) -> None:
        if not "".join(valuelist).strip():
            self.data = None
            return
        message = f"Enter a real date, like {examples.day(clock.today())}"
        if len(valuelist) != 3:
            # Not sent by the three boxes; the widget shows back exactly three.
            self.raw_data = [*valuelist, "", "", ""][:3]
            raise ValueError(message)
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(message) from error
        if not YEARS[0] <= self.data.year <= YEARS[1]:
            # Day arithmetic near year 9999 overflows (a preview, a reminder's due day).
            self.data = None
            raise ValueError(f"The year must be between {YEARS[0]} and {YEARS[1]}")
