"""What people write in one cell of a plan, read as a person reads it: lists, leads, agencies
and timetables. No files, no database."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.imports.lists import Holds, list_items
from tracker.imports.names import Lead, looks_like_person, read_agencies, read_leads
from tracker.rules.months import NotAMonth, parse_month, parse_months, read_timetable

TEN_AGENCIES = (
    "Oxfordshire County Council, Thames Valley Police, Oxford Health NHS Foundation Trust, "
    "Oxford University Hospitals, Early Help/LCSS, City and District Councils, Schools, "
    "Public Health, Voluntary sector (including OXPIP, Barnardo's), Youth Justice Service"
)


@pytest.mark.parametrize(
    ("cell", "holds", "items"),
    [
        # Lines are the strongest separator: what is inside a line stays.
        ("Keep this; whole\nNext line", Holds.MEASURES, ["Keep this; whole", "Next line"]),
        ("- one\n- two\n\n- three", Holds.MEASURES, ["one", "two", "three"]),
        # Bullets and counted markers, on one line.
        (
            "• County Council - education and learning, LCSS • City and District Councils",
            Holds.NAMES,
            ["County Council - education and learning, LCSS", "City and District Councils"],
        ),
        (
            "1. Reduce exclusions to 44 in school year 18/19 2. All pupils placed",
            Holds.MEASURES,
            ["Reduce exclusions to 44 in school year 18/19", "All pupils placed"],
        ),
        (
            "a. Number of pupils excluded. b. Number of pupils excluded twice. c. Number placed.",
            Holds.MEASURES,
            ["Number of pupils excluded.", "Number of pupils excluded twice.", "Number placed."],
        ),
        ("(i) one (ii) two (iii) three", Holds.MEASURES, ["one", "two", "three"]),
        ("i) one ii) two", Holds.MEASURES, ["one", "two"]),
        # Markers count up from the first, so a full stop after a letter is not a list.
        ("Early identification of harm e.g. self-harm.", Holds.MEASURES, None),
        ("Plan B. Then C. again", Holds.MEASURES, None),
        ("Reduce to 44 in 18/19 2. and then", Holds.MEASURES, None),
        (
            "8. Carry on the list\n9. from the page before",
            Holds.MEASURES,
            ["Carry on the list", "from the page before"],
        ),
        # Semicolons, then commas, then slashes between short names.
        ("Schools; Police; NHS", Holds.NAMES, ["Schools", "Police", "NHS"]),
        (
            "County Council - education and learning, LCSS; Police",
            Holds.NAMES,
            ["County Council - education and learning, LCSS", "Police"],
        ),
        (
            "Public Health/Youth Service/CAMHS",
            Holds.NAMES,
            ["Public Health", "Youth Service", "CAMHS"],
        ),
        ("Schools and/or academies", Holds.NAMES, None),
        ("Children/young people", Holds.NAMES, None),
        # An action is a sentence: its commas and semicolons are its own.
        ("Draw up a strategy, its reasons; and more.", Holds.SENTENCES, None),
        ("Reduce A; reduce B", Holds.MEASURES, ["Reduce A", "reduce B"]),
    ],
)
def test_a_list_is_split_at_the_strongest_separator_it_uses(cell, holds, items):
    assert list_items(cell, holds) == (items if items is not None else [" ".join(cell.split())])


def test_ten_agencies_on_one_line_are_ten_agencies():
    agencies, notes = read_agencies(TEN_AGENCIES)
    assert agencies == [
        "Oxfordshire County Council",
        "Thames Valley Police",
        "Oxford Health NHS Foundation Trust",
        "Oxford University Hospitals",
        "Early Help/LCSS",  # a weaker separator inside a comma list stays
        "City and District Councils",
        "Schools",
        "Public Health",
        "Voluntary sector (including OXPIP, Barnardo's)",  # commas in brackets stay
        "Youth Justice Service",
    ]
    assert notes == []


@pytest.mark.parametrize(
    ("cell", "leads"),
    [
        (
            "Emma Leaver, Maria Godfrey and Donna Husband",
            [Lead("Emma Leaver"), Lead("Maria Godfrey"), Lead("Donna Husband")],
        ),
        (
            "Early Help (OCC) Youth Justice (OCC)",
            [Lead("Early Help (OCC)"), Lead("Youth Justice (OCC)")],
        ),
        (
            "Domestic abuse operational group – led by Sarah Breton and Sarah Carter",
            [Lead("Domestic abuse operational group", ("Sarah Breton", "Sarah Carter"))],
        ),
        (
            "Domestic abuse operational group (chaired by Sarah Breton)",
            [Lead("Domestic abuse operational group", ("Sarah Breton",))],
        ),
        ("SEND (OCC)", [Lead("SEND (OCC)")]),
        ("Education and Learning (OCC)", [Lead("Education and Learning (OCC)")]),
        ("SEND (OCC) & David Clarke", [Lead("SEND (OCC)"), Lead("David Clarke")]),
        ("Sarah Breton / Sarah Carter", [Lead("Sarah Breton"), Lead("Sarah Carter")]),
        ("• David Clarke\n• Cllr Steve Harrod", [Lead("David Clarke"), Lead("Cllr Steve Harrod")]),
    ],
)
def test_leads_are_read_as_a_person_reads_them(cell, leads):
    assert read_leads(cell) == (leads, [])


def test_a_lead_to_be_confirmed_is_no_lead_and_said_so():
    assert read_leads("TBC") == ([], ["'TBC' names no lead: the action comes in without it"])
    leads, notes = read_leads("Domestic abuse group – led by Public Health")
    assert leads == [Lead("Domestic abuse group")]
    assert notes == ["'Public Health' (who leads Domestic abuse group) is not read"]


def test_an_agency_led_by_people_is_the_agency():
    agencies, notes = read_agencies(
        "Domestic abuse operational group - Led by Sarah Breton and Sarah Carter"
    )
    assert agencies == ["Domestic abuse operational group"]
    assert notes == [
        "'Domestic abuse operational group - Led by Sarah Breton and Sarah Carter': the agency "
        "is Domestic abuse operational group; who leads it is not kept with an agency (name "
        "them in the leads column)"
    ]


def test_people_and_teams_are_told_apart():
    assert looks_like_person("David Clarke")
    assert looks_like_person("Cllr Steve Harrod")
    assert not looks_like_person("SEND (OCC)")
    assert not looks_like_person("Domestic abuse operational group")
    assert not looks_like_person("Early Help")


SEP_21, DEC_21, MAR_22 = date(2021, 9, 1), date(2021, 12, 1), date(2022, 3, 1)


@pytest.mark.parametrize(
    ("written", "months"),
    [
        ("Sep 21", [SEP_21]),
        ("September 2021", [SEP_21]),
        ("Sep-21", [SEP_21]),
        ("Sept '21", [SEP_21]),
        ("SEP 21", [SEP_21]),
        ("09/2021", [SEP_21]),
        ("2021-09", [SEP_21]),  # a date cell of a workbook
        ("30/09/2021", [SEP_21]),
        ("1st September 2021", [SEP_21]),
        ("2021-09-30 00:00:00", [SEP_21]),
        ("Sep 21 / Mar 22", [SEP_21, MAR_22]),
        ("Sep 21 and Mar 22", [SEP_21, MAR_22]),
        ("September 2021, March 2022", [SEP_21, MAR_22]),
        ("Sep 21\nMar 22", [SEP_21, MAR_22]),  # a month a line, as the Excel export writes them
        ("By end of September 2021 (interim report)", [SEP_21]),
        # A quarter is reviewed in its last month: financial with a financial year.
        ("Q3 2021/22", [DEC_21]),
        ("Q4 2021/22", [MAR_22]),
        ("2021/22 Q2", [SEP_21]),
        ("Quarter 2 2021/22", [SEP_21]),
        ("Q3 2021", [SEP_21]),  # a calendar quarter, as the performance framework writes it
        # A term is reviewed in the month it ends.
        ("Autumn term 2021", [DEC_21]),
        ("Spring term 2022", [MAR_22]),
        ("Summer term 2022", [date(2022, 7, 1)]),
        ("Spring term 2021/22", [MAR_22]),
    ],
)
def test_timetables_as_boards_write_them(written, months):
    assert read_timetable(written).months == months
    assert read_timetable(written).without_month == []


@pytest.mark.parametrize(
    "written", ["Ongoing", "Quarterly", "Termly", "TBC", "Every meeting", "2021/22", "18/19"]
)
def test_words_with_no_month_are_no_month_and_no_error(written):
    timetable = read_timetable(written)
    assert (timetable.months, timetable.without_month) == ([], [written])


def test_a_month_without_its_year_is_left_unread():
    timetable = read_timetable("March and Sep 21")
    assert (timetable.months, timetable.without_month) == ([SEP_21], ["March"])


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("Jnu 22", "'Jnu 22' is not a month"),
        ("13/2021", "'13/2021' is not a month"),
        ("Sep 2150", "'Sep 2150' is not a month"),
        ("Sep 21 / Jnu 22", "'Jnu 22' is not a month"),
        ("Q3 2021/25", "'Q3 2021/25' is not a year such as 2021/22"),
    ],
)
def test_a_month_that_is_no_month_is_an_error(written, message):
    with pytest.raises(NotAMonth, match=None) as error:
        read_timetable(written)
    assert str(error.value) == message


def test_the_forms_take_months_and_only_months():
    assert parse_months("Sep 21 / Q4 2021/22") == [SEP_21, MAR_22]
    assert parse_month("March 2021") == date(2021, 3, 1)
    for not_one_month in ("2021 Q1", "Autumn term 2021", "Sep 21 and Mar 22", "Ongoing"):
        with pytest.raises(NotAMonth):
            parse_month(not_one_month)
    with pytest.raises(NotAMonth, match="'Ongoing' is not a month"):
        parse_months("Ongoing")
