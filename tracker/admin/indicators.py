"""The indicators of the performance framework, set up by the secretariat."""

from __future__ import annotations

from flask import g

from tracker.admin.sections import Section, area_choices, on_this_board, refuse_if_taken
from tracker.extensions import db
from tracker.forms import choices
from tracker.indicators.forms import IndicatorForm
from tracker.indicators.framework import format_value, number_order, plain_number
from tracker.members import members
from tracker.models import Direction, Frequency, Indicator, IndicatorUnit


def _query():
    return on_this_board(Indicator).order_by(Indicator.number)


def _prepare(form: IndicatorForm, indicator) -> None:
    form.area.choices = area_choices("None")
    people = db.session.scalars(members(g.board.id))
    form.owner.choices = choices([("", "Select the owner")] + [(p.id, p.name) for p in people])


def _load(form: IndicatorForm, indicator: Indicator) -> None:
    form.number.data, form.title.data = indicator.number, indicator.title
    form.area.data, form.owner.data = indicator.area_id, indicator.owner_id
    form.unit.data, form.direction.data = indicator.unit.value, indicator.direction.value
    form.frequency.data = indicator.frequency.value
    form.target.data = plain_number(indicator.target)
    form.tolerance.data = plain_number(indicator.tolerance)


def _save(form: IndicatorForm, indicator: Indicator) -> None:
    refuse_if_taken(
        indicator,
        Indicator.board_id == g.board.id,
        Indicator.number == form.number.data,
        message=f"There is already an indicator numbered {form.number.data}",
        field="number",
    )
    indicator.board_id = g.board.id
    indicator.number, indicator.title = form.number.data, form.title.data
    indicator.area_id, indicator.owner_id = form.area.data, form.owner.data
    indicator.unit = IndicatorUnit(form.unit.data)
    indicator.direction = Direction(form.direction.data)
    indicator.frequency = Frequency(form.frequency.data)
    indicator.target = float(form.target.number)
    indicator.tolerance = float(form.tolerance.number)


SECTION = Section(
    name="indicators",
    singular="indicator",
    plural="Indicators",
    model=Indicator,
    form=IndicatorForm,
    query=_query,
    save=_save,
    prepare=_prepare,
    load=_load,
    columns=[
        ("Number", lambda i: i.number),
        ("Indicator", lambda i: i.title),
        ("Target", lambda i: format_value(i.target, i.unit)),
        ("Frequency", lambda i: i.frequency.label),
        ("Owner", lambda i: i.owner.name),
    ],
    title=lambda i: f"{i.number} {i.title}",
    sort_key=lambda i: number_order(i.number),
    hint="The performance framework: numbered indicators with their targets, tolerance for "
    "Amber, reporting frequency and owner.",
)
SECTION.register()
