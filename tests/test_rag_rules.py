"""The RAG and trend rules of the performance framework, and the periods readings are for."""

from datetime import date
from decimal import Decimal

import pytest

from tracker.models import Direction, Frequency, Rag
from tracker.rules import periods
from tracker.rules.rag import Movement, Verdict, rate, trend

HIGHER, LOWER = Direction.HIGHER, Direction.LOWER
R, A, G = Rag.RED, Rag.AMBER, Rag.GREEN


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (80, G),  # well above
        (75.0001, G),
        (75, G),  # exactly on target
        (74.9999, A),
        (72, A),
        (70, A),  # exactly the tolerance below: still Amber
        (69.9999, R),
        (0, R),
    ],
)
def test_higher_is_better_target_75_tolerance_5(value, expected):
    assert rate(value, target=75, direction=HIGHER, tolerance=5) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, G),
        (11.4999, G),
        (11.5, G),  # exactly on target
        (11.5001, A),
        (12, A),
        (12.5, A),  # exactly the tolerance above: still Amber
        (12.5001, R),
        (40, R),
    ],
)
def test_lower_is_better_target_11_5_tolerance_1(value, expected):
    assert rate(value, target=11.5, direction=LOWER, tolerance=1) is expected


@pytest.mark.parametrize(
    ("direction", "value", "expected"),
    [
        (HIGHER, 100, G),
        (HIGHER, 99.999, R),
        (LOWER, 100, G),
        (LOWER, 100.001, R),
    ],
)
def test_no_tolerance_means_no_amber(direction, value, expected):
    assert rate(value, target=100, direction=direction, tolerance=0) is expected


@pytest.mark.parametrize(
    ("direction", "target", "tolerance", "edge"),
    [
        # The edges fall where the decimals say, even where float sums do not.
        (LOWER, 6.8, 0.5, 7.3),  # 6.8 + 0.5 == 7.300000000000001 in floats
        (HIGHER, 0.3, 0.1, 0.2),  # 0.3 - 0.1 == 0.19999999999999998 in floats
        (LOWER, 0.1, 0.2, 0.3),  # 0.1 + 0.2 == 0.30000000000000004 in floats
    ],
)
def test_edges_are_exact_decimals(direction, target, tolerance, edge):
    assert rate(edge, target=target, direction=direction, tolerance=tolerance) is A
    beyond = Decimal(str(edge)) + (Decimal("0.001") if direction is LOWER else Decimal("-0.001"))
    assert rate(beyond, target=target, direction=direction, tolerance=tolerance) is R


@pytest.mark.parametrize("direction", [HIGHER, LOWER])
def test_edges_agree_for_integers_and_decimals(direction):
    for value in (672, 672.0, Decimal("672.00")):
        assert rate(value, target=672, direction=direction, tolerance=10) is G


def test_negative_tolerance_is_refused():
    with pytest.raises(ValueError, match="negative"):
        rate(1, target=1, direction=HIGHER, tolerance=-1)


@pytest.mark.parametrize(
    ("previous", "latest", "direction", "movement", "verdict", "label"),
    [
        (70, 72, HIGHER, Movement.UP, Verdict.BETTER, "Up, better"),
        (72, 70, HIGHER, Movement.DOWN, Verdict.WORSE, "Down, worse"),
        (794, 764, LOWER, Movement.DOWN, Verdict.BETTER, "Down, better"),
        (764, 794, LOWER, Movement.UP, Verdict.WORSE, "Up, worse"),
        (6.8, 6.8, LOWER, Movement.FLAT, Verdict.SAME, "No change"),
        (6.8, 6.8, HIGHER, Movement.FLAT, Verdict.SAME, "No change"),
        (0.1 + 0.2, 0.30000000000000004, HIGHER, Movement.FLAT, Verdict.SAME, "No change"),
    ],
)
def test_trend_from_the_last_two_readings(previous, latest, direction, movement, verdict, label):
    result = trend(previous, latest, direction)
    assert (result.movement, result.verdict, result.label) == (movement, verdict, label)


@pytest.mark.parametrize(("previous", "latest"), [(None, 5), (5, None), (None, None)])
def test_no_trend_without_two_readings(previous, latest):
    assert trend(previous, latest, HIGHER) is None


@pytest.mark.parametrize(
    ("frequency", "day", "start", "end", "label"),
    [
        (Frequency.MONTHLY, date(2021, 3, 17), date(2021, 3, 1), date(2021, 3, 31), "March 2021"),
        (Frequency.QUARTERLY, date(2021, 6, 30), date(2021, 4, 1), date(2021, 6, 30), "2021 Q2"),
        (Frequency.QUARTERLY, date(2021, 1, 1), date(2021, 1, 1), date(2021, 3, 31), "2021 Q1"),
        (
            Frequency.TERMLY,
            date(2021, 10, 5),
            date(2021, 9, 1),
            date(2021, 12, 31),
            "Autumn term 2021",
        ),
        (
            Frequency.TERMLY,
            date(2022, 2, 5),
            date(2022, 1, 1),
            date(2022, 3, 31),
            "Spring term 2022",
        ),
        (
            Frequency.TERMLY,
            date(2022, 8, 31),
            date(2022, 4, 1),
            date(2022, 8, 31),
            "Summer term 2022",
        ),
        (Frequency.YEARLY, date(2021, 3, 31), date(2020, 4, 1), date(2021, 3, 31), "2020/21"),
        (Frequency.YEARLY, date(2021, 4, 1), date(2021, 4, 1), date(2022, 3, 31), "2021/22"),
    ],
)
def test_periods_and_their_labels(frequency, day, start, end, label):
    assert periods.period_of(day, frequency) == start
    assert periods.period_end(start, frequency) == end
    assert periods.label(start, frequency) == label
    assert periods.parse(label, frequency, today=day) == start
    assert periods.previous_period(periods.next_period(start, frequency), frequency) == start


@pytest.mark.parametrize(
    ("frequency", "text", "start"),
    [
        (Frequency.MONTHLY, "Mar 21", date(2021, 3, 1)),
        (Frequency.MONTHLY, "2021-03", date(2021, 3, 1)),
        (Frequency.QUARTERLY, "q2 2021", date(2021, 4, 1)),
        (Frequency.QUARTERLY, "2021-Q4", date(2021, 10, 1)),
        (Frequency.TERMLY, "autumn 2021", date(2021, 9, 1)),
        (Frequency.TERMLY, "  Summer   Term 2019 ", date(2019, 4, 1)),
        (Frequency.YEARLY, "2020-21", date(2020, 4, 1)),
        (Frequency.YEARLY, "2020/2021", date(2020, 4, 1)),
        (Frequency.YEARLY, "1999/00", None),
    ],
)
def test_periods_as_people_write_them(frequency, text, start):
    if start is None:
        with pytest.raises(periods.NotAPeriod):
            periods.parse(text, frequency, today=date(2021, 9, 20))
    else:
        assert periods.parse(text, frequency, today=date(2021, 9, 20)) == start


@pytest.mark.parametrize(
    ("frequency", "text", "message"),
    [
        (Frequency.MONTHLY, "Smarch 2021", "'Smarch 2021' is not a month: write it like 'August"),
        (Frequency.QUARTERLY, "2021 Q5", "is not a quarter: write it like '2021 Q2'"),
        (Frequency.QUARTERLY, "March 2021", "is not a quarter"),
        (Frequency.TERMLY, "Winter term 2021", "is not a school term"),
        (Frequency.YEARLY, "2020/22", "is not a plan year: write it like '2020/21'"),
        (Frequency.YEARLY, "", "is not a plan year"),
    ],
)
def test_a_wrong_period_says_what_to_write(frequency, text, message):
    # The example is the period whose reading is due next: today is 20 September 2021.
    with pytest.raises(periods.NotAPeriod, match=message):
        periods.parse(text, frequency, today=date(2021, 9, 20))


def test_a_reading_is_due_ten_working_days_after_its_period_ends():
    # March 2021 ends on Wednesday 31st; Good Friday and Easter Monday are bank holidays.
    assert periods.reading_due_on(date(2021, 3, 1), Frequency.MONTHLY) == date(2021, 4, 16)
    # 2021 Q2 ends on Wednesday 30 June.
    assert periods.reading_due_on(date(2021, 4, 1), Frequency.QUARTERLY) == date(2021, 7, 14)


def test_every_period_between_two_days():
    assert list(periods.periods(date(2021, 8, 15), date(2022, 1, 1), Frequency.TERMLY)) == [
        date(2021, 4, 1),
        date(2021, 9, 1),
        date(2022, 1, 1),
    ]
