"""The performance framework's pages and forms: indicators, readings, RAG by hand, and what
is being done to improve performance."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests import factories
from tests.helpers import error_summary, field_error, h1, text
from tracker.audit import AppendOnlyViolation
from tracker.indicators.framework import ReadingRefused, add_reading
from tracker.models import (
    AuditEvent,
    Direction,
    Frequency,
    Indicator,
    IndicatorCommentary,
    IndicatorReading,
    IndicatorUnit,
    Rag,
    Role,
)

TODAY = date(2021, 9, 20)


@pytest.fixture
def world(session, board_people, clock):
    """Three indicators of the May 2019 report: one Red, one Amber, one Green."""
    clock.set(TODAY)
    board, people = board_people.board, board_people.people
    owner = people[Role.LEAD]
    plan = factories.plan(board, "CYPP 2021", 2021, 2022)
    successful = factories.area(plan, "Be Successful", 1)
    safe = factories.area(plan, "Be Safe", 3)
    absence = factories.indicator(
        board,
        owner,
        number="2.5",
        area=successful,
        target=11.5,
        tolerance=1,
        readings={date(2021, 1, 1): 12.0, date(2021, 4, 1): 13.1},
    )
    assessments = factories.indicator(
        board,
        owner,
        number="1.4",
        title="Increase the number of early help assessments",
        area=successful,
        unit=IndicatorUnit.NUMBER,
        direction=Direction.HIGHER,
        target=2100,
        tolerance=100,
        readings={date(2021, 1, 1): 1900, date(2021, 4, 1): 2050},
    )
    looked_after = factories.indicator(
        board,
        people[Role.CHAIR],
        number="3.14",
        title="Reduce the number of looked after children",
        area=safe,
        unit=IndicatorUnit.NUMBER,
        target=800,
        tolerance=20,
        frequency=Frequency.MONTHLY,
        readings={date(2021, 7, 1): 794, date(2021, 8, 1): 764},
    )
    session.add(
        IndicatorCommentary(
            indicator=absence, author=owner, text="Attendance helpline for schools launched."
        )
    )
    session.commit()
    return dict(
        board=board,
        slug=board.slug,
        people=people,
        owner=owner,
        absence=absence,
        assessments=assessments,
        looked_after=looked_after,
    )


def row_of(page, number):
    link = page.find("a", string=lambda s: s and s.startswith(f"{number} "))
    return link.find_parent("tr")


def test_framework_lists_indicators_by_area_with_rag_trend_and_what_is_being_done(as_member, world):
    page = as_member.get("indicators.index", board_slug=world["slug"])
    assert h1(page) == "Performance framework"
    assert text(page.select_one("#framework-counts")) == "3 indicators: 1 Red, 1 Amber, 1 Green."
    headings = [text(h) for h in page.select("main h2")]
    assert headings == ["Be Successful", "Be Safe"]
    # Number order within an area: 1.4 before 2.5.
    successful = page.select("main section")[0]
    assert [text(a) for a in successful.select("th a")] == [
        "1.4 Increase the number of early help assessments",
        "2.5 Reduce the persistent absence of children subject to a Child Protection plan",
    ]
    absence = [text(td) for td in row_of(page, "2.5").select("td")]
    assert absence[:4] == ["13.1% 2021 Q2", "11.5%", "Red", "↑ Up, worse"]
    assert "Attendance helpline for schools launched." in absence[4]
    assessments = [text(td) for td in row_of(page, "1.4").select("td")]
    assert assessments[:4] == ["2,050 2021 Q2", "2,100", "Amber", "↑ Up, better"]
    assert "Not recorded yet" in assessments[4]
    looked_after = [text(td) for td in row_of(page, "3.14").select("td")]
    assert looked_after[:4] == ["764 August 2021", "800", "Green", "↓ Down, better"]
    assert looked_after[4] == "Not needed: –"
    # The board's navigation links here.
    nav = {text(a): a["href"] for a in page.select(".govuk-service-navigation__link")}
    assert nav["Performance"] == as_member.url("indicators.index", board_slug=world["slug"])


def test_indicator_page_has_an_accessible_chart_and_the_same_numbers_in_a_table(as_member, world):
    page = as_member.get(
        "indicators.show", board_slug=world["slug"], indicator_id=world["absence"].id
    )
    svg = page.select_one("figure svg")
    assert svg["role"] == "img"
    title_id, desc_id = svg["aria-labelledby"].split()
    assert text(svg.find("title", id=title_id)) == "Readings of indicator 2.5 against its target"
    assert text(svg.find("desc", id=desc_id)) == (
        "2 readings from 2021 Q1 to 2021 Q2, against a target of 11.5% (lower is better). "
        "Latest: 13.1%, Red."
    )
    assert len(svg.select("circle")) == 2
    assert "Target 11.5%" in text(svg)
    # No inline style and no script: the CSP forbids both.
    assert not page.find(style=True) and not page.select("main script")
    table = page.find("caption", string=lambda s: s and "Readings of 2.5" in s).parent
    rows = [[text(c) for c in tr.select("th, td")][:3] for tr in table.select("tbody tr")]
    assert rows == [["2021 Q2", "13.1%", "Red"], ["2021 Q1", "12%", "Amber"]]
    # A member may read, not change.
    assert not page.find("a", string="Add a reading")
    assert not page.find("a", string="Set the RAG rating")


def test_another_boards_indicator_is_not_found(as_admin, world, session):
    other_board = factories.board()
    other = factories.indicator(other_board, factories.person(other_board, Role.ADMIN))
    session.commit()
    as_admin.get(
        "indicators.show", board_slug=world["slug"], indicator_id=other.id, _expected_status=404
    )


def readings(session, indicator):
    return session.scalars(
        select(IndicatorReading)
        .where(IndicatorReading.indicator_id == indicator.id)
        .order_by(IndicatorReading.period_start)
    ).all()


def test_owner_adds_a_reading(as_lead, world, session, clock):
    indicator = world["absence"]
    page = as_lead.get(
        "indicators.add_reading", board_slug=world["slug"], indicator_id=indicator.id
    )
    # 2021 Q3 has not ended yet, so no period waits for its reading.
    assert not page.select_one("#period").get("value")
    clock.set(date(2021, 10, 20))
    page = as_lead.get(
        "indicators.add_reading", board_slug=world["slug"], indicator_id=indicator.id
    )
    assert page.select_one("#period")["value"] == "2021 Q3"
    as_lead.post(
        "indicators.add_reading",
        board_slug=world["slug"],
        indicator_id=indicator.id,
        _data={"period": "Q3 2021", "value": "11.2", "note": "Provisional"},
        _expected_redirect=as_lead.url(
            "indicators.show", board_slug=world["slug"], indicator_id=indicator.id
        ),
    )
    latest = readings(session, indicator)[-1]
    assert (latest.period_start, latest.value, latest.note) == (
        date(2021, 7, 1),
        11.2,
        "Provisional",
    )
    assert latest.entered_by_id == world["owner"].id


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"period": "", "value": "1"}, "period", "Enter the period, like '2021 Q2'"),
        (
            {"period": "Q5 2021", "value": "1"},
            "period",
            "'Q5 2021' is not a quarter: write it like '2021 Q2'",
        ),
        ({"period": "2021 Q4", "value": "1"}, "period", "2021 Q4 has not started yet"),
        (
            {"period": "2021 Q1", "value": "1"},
            "period",
            "There is already a reading for 2021 Q1: correct it from the indicator's page",
        ),
        (
            {"period": "2021 Q3", "value": ""},
            "value",
            "Enter the value as a number, like 75 or 6.8",
        ),
        ({"period": "2021 Q3", "value": "lots"}, "value", "'lots' is not a number"),
        ({"period": "2021 Q3", "value": "NaN"}, "value", "Enter the value as a number"),
        ({"period": "2021 Q3", "value": "Infinity"}, "value", "Enter the value as a number"),
        ({"period": "2021 Q3", "value": "-1"}, "value", "The value cannot be negative"),
        ({"period": "2021 Q3", "value": "101"}, "value", "A percentage must be between 0 and 100"),
        (
            {"period": "2021 Q3", "value": "5", "note": "x" * 2001},
            "note",
            "Note must be 2,000 characters or fewer",
        ),
    ],
)
def test_bad_readings_are_refused(as_admin, world, session, data, field, message):
    page = as_admin.post(
        "indicators.add_reading",
        board_slug=world["slug"],
        indicator_id=world["absence"].id,
        _data=data,
    )
    assert message in field_error(page, field)
    assert any(message in e for e in error_summary(page))
    assert page.title.text.startswith("Error: ")
    assert len(readings(session, world["absence"])) == 2


def test_a_correction_needs_a_reason_and_keeps_the_old_figure_in_the_audit_trail(
    client_request, world, session
):
    indicator = world["absence"]
    reading = readings(session, indicator)[-1]
    client_request.login(world["owner"])
    values = dict(board_slug=world["slug"], indicator_id=indicator.id, reading_id=reading.id)
    page = client_request.get("indicators.correct_reading", **values)
    assert page.select_one("#value")["value"] == "13.1"
    page = client_request.post(
        "indicators.correct_reading", **values, _data={"period": "2021 Q2", "value": "12.9"}
    )
    assert field_error(page, "reason") == "Enter why the figure is corrected"
    page = client_request.post(
        "indicators.correct_reading",
        **values,
        _data={"period": "2021 Q1", "value": "12.9", "reason": "Final figures"},
    )
    assert "A correction keeps its period, 2021 Q2" in field_error(page, "period")
    client_request.post(
        "indicators.correct_reading",
        **values,
        _data={"period": "2021 Q2", "value": "12.9", "reason": "Final figures"},
        _expected_redirect=client_request.url(
            "indicators.show", board_slug=world["slug"], indicator_id=indicator.id
        ),
    )
    session.expire_all()
    assert readings(session, indicator)[-1].value == 12.9
    event = session.scalars(
        select(AuditEvent).where(
            AuditEvent.entity == "indicator_reading",
            AuditEvent.entity_id == reading.id,
            AuditEvent.verb == "updated",
        )
    ).one()
    assert event.changes["value"] == [13.1, 12.9]
    assert event.reason == "Final figures" and event.actor_id == world["owner"].id
    assert event.board_id == world["board"].id
    client_request.login(world["people"][Role.ADMIN])
    page = client_request.get(
        "indicators.show", board_slug=world["slug"], indicator_id=indicator.id
    )
    trail = page.find("h2", string="Audit trail").find_next("table")
    assert "Value: 13.1% → 12.9%" in text(trail) and "Reason: Final figures" in text(trail)


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.ADMIN, 200), (Role.LEAD, 200), (Role.CHAIR, 403), (Role.MEMBER, 403)],
)
def test_readings_by_the_owner_and_the_secretariat_only(client_request, world, role, status):
    client_request.login(world["people"][role])
    for endpoint in ("indicators.add_reading", "indicators.add_commentary"):
        client_request.get(
            endpoint,
            board_slug=world["slug"],
            indicator_id=world["absence"].id,
            _expected_status=status,
        )


def test_a_lead_who_does_not_own_the_indicator_may_not_enter_readings(as_lead, world):
    as_lead.get(
        "indicators.add_reading",
        board_slug=world["slug"],
        indicator_id=world["looked_after"].id,
        _expected_status=403,
    )


def test_chair_sets_the_rag_by_hand_with_a_reason_and_can_go_back(as_chair, world, session):
    indicator = world["assessments"]
    values = dict(board_slug=world["slug"], indicator_id=indicator.id)
    page = as_chair.get("indicators.set_rag", **values)
    assert "which gives Amber" in text(page.select_one("main p"))
    page = as_chair.post("indicators.set_rag", **values, _data={"rag": "green"})
    assert field_error(page, "reason") == "Enter the reason for the rating"
    page = as_chair.post("indicators.set_rag", **values, _data={"rag": "purple", "reason": "x"})
    assert field_error(page, "rag") == "Select a RAG rating, or 'As the target gives'"
    as_chair.post(
        "indicators.set_rag",
        **values,
        _data={"rag": "green", "reason": "Q3 figures already show 2,150"},
        _expected_redirect=as_chair.url("indicators.show", **values),
    )
    page = as_chair.get("indicators.show", **values)
    assert "Set by hand: Q3 figures already show 2,150" in text(page)
    framework = as_chair.get("indicators.index", board_slug=world["slug"])
    assert [text(td) for td in row_of(framework, "1.4").select("td")][2] == "Green"
    as_chair.post(
        "indicators.set_rag",
        **values,
        _data={"rag": "computed", "reason": "Q3 figures not confirmed"},
        _expected_redirect=as_chair.url("indicators.show", **values),
    )
    session.expire_all()
    reading = readings(session, indicator)[-1]
    assert reading.rag_override is None and reading.rag_reason is None
    reasons = session.scalars(
        select(AuditEvent.reason)
        .where(
            AuditEvent.entity == "indicator_reading",
            AuditEvent.entity_id == reading.id,
            AuditEvent.verb == "updated",
        )
        .order_by(AuditEvent.id)
    ).all()
    assert reasons == ["Q3 figures already show 2,150", "Q3 figures not confirmed"]


def test_what_is_being_done_is_kept_with_its_history(as_lead, world, session):
    indicator = world["absence"]
    values = dict(board_slug=world["slug"], indicator_id=indicator.id)
    page = as_lead.get("indicators.add_commentary", **values)
    assert text(page.select_one("#text")) == "Attendance helpline for schools launched."
    page = as_lead.post("indicators.add_commentary", **values, _data={"text": "  "})
    assert field_error(page, "text") == "Enter what is being done to improve performance"
    as_lead.post(
        "indicators.add_commentary",
        **values,
        _data={"text": "Working with CAMHS on the Oxford City pilot."},
        _expected_redirect=as_lead.url("indicators.show", **values),
    )
    page = as_lead.get("indicators.show", **values)
    assert "Working with CAMHS on the Oxford City pilot." in text(
        page.select_one(".govuk-inset-text")
    )
    assert "Attendance helpline" in text(page.select_one("details"))
    framework = as_lead.get("indicators.index", board_slug=world["slug"])
    cell = text(row_of(framework, "2.5").select("td")[4])
    assert "Oxford City pilot" in cell and "helpline" not in cell
    # Append-only: an earlier note cannot be rewritten.
    first = session.scalars(select(IndicatorCommentary).order_by(IndicatorCommentary.id)).first()
    first.text = "Rewritten"
    with pytest.raises(AppendOnlyViolation):
        session.flush()


ADD = dict(
    number="4.2",
    title="Increase the % of children reaching a good level of development",
    area="",
    unit="percent",
    direction="higher",
    target="75",
    tolerance="2.5",
    frequency="yearly",
)


def test_secretariat_adds_changes_and_archives_an_indicator(as_admin, world, session):
    slug = world["slug"]
    data = {**ADD, "owner": str(world["owner"].id)}
    as_admin.post(
        "admin.indicators_new",
        board_slug=slug,
        _data=data,
        _expected_redirect=as_admin.url("admin.indicators", board_slug=slug),
    )
    indicator = session.scalars(select(Indicator).where(Indicator.number == "4.2")).one()
    assert (indicator.target, indicator.tolerance, indicator.frequency) == (
        75,
        2.5,
        Frequency.YEARLY,
    )
    page = as_admin.get("admin.indicators_edit", board_slug=slug, object_id=indicator.id)
    assert page.select_one("#target")["value"] == "75"
    assert page.select_one("#tolerance")["value"] == "2.5"
    as_admin.post(
        "admin.indicators_archive",
        board_slug=slug,
        object_id=indicator.id,
        _expected_redirect=as_admin.url("admin.indicators", board_slug=slug),
    )
    framework = as_admin.get("indicators.index", board_slug=slug)
    assert "Increase the % of children" not in text(framework.select_one("main section"))


def test_the_secretariats_list_puts_indicators_in_number_order(as_admin, world, session):
    for number in ("2.10", "10.1", "2.9"):
        factories.indicator(world["board"], world["owner"], number=number, title=f"No. {number}")
    session.commit()
    page = as_admin.get("admin.indicators", board_slug=world["slug"])
    numbers = [text(row.select_one("td")) for row in page.select("main table tbody tr")]
    assert [n for n in numbers if n in {"2.9", "2.10", "10.1"}] == ["2.9", "2.10", "10.1"]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"number": ""}, "number", "Enter the indicator's number, like 2.5"),
        ({"number": "2.5"}, "number", "There is already an indicator numbered 2.5"),
        ({"title": ""}, "title", "Enter the indicator's title"),
        ({"unit": "furlongs"}, "unit", "Select the unit"),
        ({"direction": ""}, "direction", "Select whether higher or lower is better"),
        ({"target": ""}, "target", "Enter the target as a number, like 75 or 6.8"),
        ({"target": "seventy"}, "target", "'seventy' is not a number"),
        ({"target": "120"}, "target", "A percentage must be between 0 and 100"),
        ({"tolerance": "-1"}, "tolerance", "The tolerance cannot be negative"),
        ({"frequency": "hourly"}, "frequency", "Select how often the indicator is reported"),
        ({"owner": ""}, "owner", "Select the owner"),
        ({"owner": "99999"}, "owner", "Select the owner"),
        ({"area": "99999"}, "area", "Select an area of focus, or 'None'"),
    ],
)
def test_bad_indicators_are_refused(as_admin, world, session, overrides, field, message):
    data = {**ADD, "owner": str(world["owner"].id), **overrides}
    page = as_admin.post("admin.indicators_new", board_slug=world["slug"], _data=data)
    assert message in field_error(page, field)
    assert session.scalar(select(func.count()).select_from(Indicator)) == 3


def test_rag_is_the_targets_until_set_by_hand(world, session):
    # The rating of a stored reading follows the indicator's current target.
    indicator = world["absence"]
    indicator.target = 13.5
    session.commit()
    from tracker.indicators.framework import assess

    standing = assess([indicator], TODAY)[0]
    assert standing.rag is Rag.GREEN
    assert standing.trend.label == "Up, worse"


def test_a_reading_is_added_only_for_a_period_that_has_started_and_has_none(world, session):
    """The rules are the framework's own, so the page and the import cannot differ, and a
    period's reading is never overwritten but corrected, with a reason."""
    absence = world["absence"]
    entry = dict(indicator=absence, value=Decimal("1"), note=None, by=world["owner"], today=TODAY)
    with pytest.raises(ReadingRefused, match="^2021 Q4 has not started yet$"):
        add_reading(session, period_start=date(2021, 10, 1), **entry)
    with pytest.raises(ReadingRefused, match="^There is already a reading for 2021 Q1"):
        add_reading(session, period_start=date(2021, 1, 1), **entry)
    session.rollback()
    assert [r.value for r in readings(session, absence)] == [12.0, 13.1]
