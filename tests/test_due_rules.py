"""tracker.rules.due on many dates: no database, no HTTP."""

from datetime import UTC, date, datetime

import pytest

from tracker.rules.due import (
    add_months,
    assess,
    counting_from,
    due_date,
    is_working_day,
    last_working_day_of_month,
    london_date,
    nearest_plan_year,
    next_working_day,
    plan_years,
    update_counts,
    working_days_before,
)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2021, 9, 20), True),  # Monday
        (date(2021, 9, 18), False),  # Saturday
        (date(2021, 9, 19), False),  # Sunday
        (date(2021, 8, 30), False),  # summer bank holiday
        (date(2021, 12, 27), False),  # Christmas Day substitute (25th a Saturday)
        (date(2021, 12, 28), False),  # Boxing Day substitute
        (date(2022, 4, 15), False),  # Good Friday
        (date(2022, 4, 18), False),  # Easter Monday
        (date(2022, 5, 2), False),  # early May bank holiday
        (date(2022, 6, 2), False),  # Platinum Jubilee bank holiday
        (date(2022, 6, 3), False),  # Platinum Jubilee
        (date(2022, 5, 30), True),  # the spring bank holiday moved to 2 June in 2022
        (date(2022, 9, 19), False),  # the Queen's state funeral
        (date(2023, 5, 8), False),  # the coronation of King Charles III
        (date(2023, 5, 29), False),  # spring bank holiday
        (date(2024, 1, 1), False),  # New Year's Day
        (date(2024, 3, 18), True),  # St Patrick's Day is not a holiday in England and Wales
        (date(2024, 8, 5), True),  # Scotland's summer holiday, not England's
        (date(2024, 8, 26), False),
    ],
)
def test_working_days(day, working):
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    ("day", "count", "expected"),
    [
        (date(2021, 9, 8), 10, date(2021, 8, 24)),  # over the summer bank holiday
        (date(2021, 9, 15), 10, date(2021, 9, 1)),
        (date(2022, 1, 12), 10, date(2021, 12, 24)),  # over Christmas and New Year substitutes
        (date(2022, 6, 15), 10, date(2022, 5, 30)),  # over the jubilee
        (date(2023, 5, 17), 10, date(2023, 5, 2)),  # over the coronation
        (date(2021, 9, 20), 1, date(2021, 9, 17)),  # Monday -> Friday
        (date(2021, 9, 20), 0, date(2021, 9, 20)),
    ],
)
def test_working_days_before(day, count, expected):
    assert working_days_before(day, count) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2021, 9, 18), date(2021, 9, 20)),
        (date(2021, 12, 25), date(2021, 12, 29)),
        (date(2021, 9, 20), date(2021, 9, 20)),
    ],
)
def test_next_working_day(day, expected):
    assert next_working_day(day) == expected


@pytest.mark.parametrize(
    ("month", "expected"),
    [
        (date(2021, 9, 1), date(2021, 9, 30)),  # Thursday
        (date(2021, 10, 1), date(2021, 10, 29)),  # 31st a Sunday
        (date(2021, 12, 1), date(2021, 12, 31)),
        (date(2022, 12, 1), date(2022, 12, 30)),  # 31st a Saturday
        (date(2023, 12, 1), date(2023, 12, 29)),  # 31st a Sunday; 25, 26 holidays earlier
        (date(2024, 8, 1), date(2024, 8, 30)),  # 31st a Saturday
        (date(2021, 5, 1), date(2021, 5, 28)),  # 31st the spring bank holiday
        (date(2024, 2, 1), date(2024, 2, 29)),  # leap year
    ],
)
def test_last_working_day_of_month(month, expected):
    assert last_working_day_of_month(month) == expected


@pytest.mark.parametrize(
    ("month", "meetings", "expected"),
    [
        # 10 working days before the first meeting held in the reporting month.
        (date(2021, 9, 1), [date(2021, 9, 8)], date(2021, 8, 24)),
        (date(2021, 9, 1), [date(2021, 9, 29), date(2021, 9, 8)], date(2021, 8, 24)),
        # Meetings in other months do not count.
        (date(2021, 9, 1), [date(2021, 6, 9), date(2021, 12, 8)], date(2021, 9, 30)),
        (date(2021, 10, 1), [], date(2021, 10, 29)),
        # Any day of the month names the month.
        (date(2021, 9, 17), [date(2021, 9, 8)], date(2021, 8, 24)),
        (date(2019, 3, 1), [date(2019, 3, 21)], date(2019, 3, 7)),
        (date(2023, 5, 1), [date(2023, 5, 17)], date(2023, 5, 2)),
    ],
)
def test_due_date(month, meetings, expected):
    assert due_date(month, meetings) == expected


@pytest.mark.parametrize(
    ("month", "expected"),
    [
        (date(2021, 9, 1), date(2021, 8, 1)),
        (date(2022, 1, 1), date(2021, 12, 1)),
        (date(2021, 3, 15), date(2021, 2, 1)),
    ],
)
def test_counting_from(month, expected):
    assert counting_from(month) == expected


@pytest.mark.parametrize(
    ("posted", "month", "counts"),
    [
        (date(2021, 8, 1), date(2021, 9, 1), True),
        (date(2021, 7, 31), date(2021, 9, 1), False),
        (date(2021, 12, 1), date(2022, 1, 1), True),
        (date(2021, 11, 30), date(2022, 1, 1), False),
        (date(2021, 10, 5), date(2021, 9, 1), True),  # late updates still count
    ],
)
def test_update_counts(posted, month, counts):
    assert update_counts(posted, month) is counts


def standing(today, *, complete=False, last_update=None, meetings=(date(2021, 9, 8),)):
    return assess(
        date(2021, 9, 1),
        today=today,
        meeting_dates=meetings,
        complete=complete,
        last_update_on=last_update,
    )


def test_not_overdue_on_the_due_date_but_the_day_after():
    assert not standing(date(2021, 8, 24)).overdue
    late = standing(date(2021, 8, 25))
    assert late.overdue and late.days_late == 1


def test_overdue_weeks_later():
    assert standing(date(2021, 9, 20)).days_late == 27


def test_complete_actions_are_never_overdue():
    assert not standing(date(2022, 9, 20), complete=True).overdue


def test_an_update_from_the_month_before_counts():
    result = standing(date(2021, 9, 20), last_update=date(2021, 8, 2))
    assert result.update_received and not result.overdue
    assert standing(date(2021, 9, 20), last_update=date(2021, 7, 30)).overdue


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2021, 7, 1, 23, 30, tzinfo=UTC), date(2021, 7, 2)),  # BST: already tomorrow
        (datetime(2021, 12, 1, 23, 30, tzinfo=UTC), date(2021, 12, 1)),  # GMT
        (datetime(2021, 3, 27, 23, 59, tzinfo=UTC), date(2021, 3, 27)),  # before the change
        (datetime(2021, 3, 28, 23, 30, tzinfo=UTC), date(2021, 3, 29)),  # first BST night
        (datetime(2021, 10, 31, 0, 30, tzinfo=UTC), date(2021, 10, 31)),  # clocks go back
        (datetime(2021, 10, 30, 23, 30, tzinfo=UTC), date(2021, 10, 31)),
    ],
)
def test_london_date(moment, expected):
    assert london_date(moment) == expected


@pytest.mark.parametrize(
    ("month", "count", "expected"),
    [
        (date(2021, 11, 1), 2, date(2022, 1, 1)),
        (date(2021, 1, 1), -1, date(2020, 12, 1)),
        (date(2021, 1, 1), -13, date(2019, 12, 1)),
    ],
)
def test_add_months(month, count, expected):
    assert add_months(month, count) == expected


@pytest.mark.parametrize(
    ("start", "end", "years"),
    [
        (2018, 2021, [2018, 2019, 2020]),  # "CYPP 2018–2021" ends in the spring of 2021
        (2025, 2026, [2025]),
        (2025, 2025, [2025]),  # named with one year: that year
    ],
)
def test_plan_years(start, end, years):
    assert list(plan_years(start, end)) == years


@pytest.mark.parametrize(
    ("year", "nearest"), [(2017, 2018), (2018, 2018), (2020, 2020), (2021, 2020), (2030, 2020)]
)
def test_nearest_plan_year(year, nearest):
    assert nearest_plan_year(plan_years(2018, 2021), year) == nearest
