"""The reference plan in every layout boards use reads as the same plan: every action, area,
lead, agency, measure and month of it."""

from __future__ import annotations

from datetime import date

import pytest

from tests import plan_layouts, reference_plan
from tracker.imports.plan_reader import read_plan
from tracker.imports.sources import read_tables


@pytest.mark.parametrize("layout", plan_layouts.LAYOUTS, ids=lambda layout: layout.__name__)
def test_the_reference_plan_reads_the_same_in_every_layout(layout):
    filename, data = layout()
    draft = read_plan(read_tables(filename, data))
    assert [str(p) for p in draft.problems] == []
    assert {name.casefold(): focus for name, focus in draft.areas.items()} == {
        area.name.casefold(): area.focus for area in reference_plan.AREAS
    }
    assert reference_plan.found_actions(draft) == reference_plan.expected_actions()
    # What a person should check: the agency "led by" two people, nothing else.
    assert [w.what.split(":")[0] for w in draft.warnings] == [
        f"'{reference_plan.SAFE_AGENCY_AS_WRITTEN}'"
    ]
    assert [a.text for a in draft.without_month] == [reference_plan.SUPPORTED.all_actions[0].text]


def _read(layout):
    draft = read_plan(read_tables(*layout()))
    assert [str(p) for p in draft.problems] == []
    return draft, [
        (a.area, a.text, a.agencies, a.measures, [str(lead) for lead in a.leads], a.months)
        for a in draft.actions
    ]


def test_another_officers_workbook():
    draft, actions = _read(plan_layouts.another_officers_workbook)
    assert draft.areas == {
        "Be Successful": "Children missing out on education",
        "Be Safe": "Domestic abuse",
    }
    assert actions == [
        (
            "Be Successful",
            "Relaunch the Learner Engagement Board",
            ["OCC Education", "Schools", "Early Help/LCSS", "TVP"],
            ["Fewer permanent exclusions (target 40)", "Persistent absence below 11%"],
            ["Kate Bradley"],
            [date(2021, 9, 1), date(2022, 3, 1)],
        ),
        (
            "Be Successful",
            "Publish the inclusion strategy",
            ["OCC Education"],
            ["Strategy published.", "Schools signed up."],
            ["Hayley Good", "Lucy Butler"],
            [date(2021, 12, 1)],
        ),
        (
            "Be Safe",
            "Embed the pathway in schools",
            ["Schools", "OSCB"],
            ["Referrals from schools rise"],
            ["Domestic abuse operational group"],
            [],
        ),
    ]
    assert draft.actions[2].leads[0].contacts == ("Sarah Breton", "Sarah Carter")
    assert [a.rag.value for a in draft.actions] == ["green", "amber", "green"]
    assert draft.actions[0].progress == "Terms of reference agreed in May."


def test_another_officers_document():
    draft, actions = _read(plan_layouts.another_officers_document)
    assert draft.areas == {"Be Successful": None, "Be Happy and Healthy": None}
    assert [(a[0], a[2], a[4], a[5]) for a in actions] == [
        (
            "Be Successful",
            ["Police", "Health", "Schools"],
            ["Early Help (OCC)", "Youth Justice (OCC)"],
            [date(2021, 12, 1)],
        ),
        (
            "Be Successful",
            ["Schools"],
            ["Emma Leaver", "Maria Godfrey", "Donna Husband"],
            [date(2022, 3, 1)],
        ),
        ("Be Happy and Healthy", ["Oxford Health", "Schools"], ["Public Health", "CAMHS"], []),
    ]


def test_another_officers_tracker():
    draft, actions = _read(plan_layouts.another_officers_tracker)
    assert [(a[0], a[2], a[4], a[5]) for a in actions] == [
        ("Be Safe", ["Thames Valley Police", "Schools"], ["Sarah Breton"], [date(2021, 9, 1)]),
        ("Be Safe", ["Police", "OCC"], ["Sarah Carter"], [date(2022, 3, 1)]),
        ("Be Supported", ["Carers Oxfordshire", "OCC"], [], []),
    ]
    assert [a.status.value for a in draft.actions] == ["on_track", "not_started", "off_track"]
    assert [str(w) for w in draft.warnings] == [
        "The file: column 'Objective' is not read",
        "The file: column 'Comments' is not read",
        "The file, row 4, Lead: 'TBC' names no lead: the action comes in without it",
        "The file, row 4, Due: 'Ongoing' names no month: the action comes in without a reporting "
        "month",
    ]
