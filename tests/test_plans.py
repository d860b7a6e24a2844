from datetime import date

import pytest

from tests import factories
from tests.helpers import error_summary, h1, text
from tracker.models import ActionStatus, AreaPriority, Outcome, Role


@pytest.fixture
def plan_world(session):
    board = factories.board()
    member = factories.person(board, Role.MEMBER)
    lead = factories.person(board, Role.LEAD, name="David Clarke")
    send = factories.team(board, "SEND (OCC)")
    plan = factories.plan(board, "CYPP 2018–2021", 2018, 2021)
    successful = factories.area(plan, "Be Successful", 1)
    successful.outcomes.append(Outcome(number=1, text="Have the best start in life"))
    successful.priorities.append(
        AreaPriority(plan_year=2018, text="Focus on children missing out on education")
    )
    safe = factories.area(plan, "Be Safe", 2)
    factories.action(
        successful,
        text="Set up a Learner Engagement Board",
        leads=[lead],
        months=[date(2018, 9, 1)],
        status=ActionStatus.COMPLETE,
    )
    factories.action(
        successful, text="Draw up an Inclusion Strategy", leads=[send], months=[date(2018, 12, 1)]
    )
    factories.action(
        safe, text="Embed the domestic abuse pathway", leads=[lead], months=[date(2019, 3, 1)]
    )
    session.commit()
    return dict(board=board, member=member, plan=plan, successful=successful, lead=lead, send=send)


def action_texts(page):
    return [text(a) for a in page.select("main table tbody td:first-child a")]


def test_plan_page_lists_areas_priorities_and_actions(client_request, plan_world):
    client_request.login(plan_world["member"])
    page = client_request.get("plans.index", board_slug=plan_world["board"].slug)
    assert h1(page) == "CYPP 2018–2021"
    assert [text(h) for h in page.select("main h2")] == ["Be Successful", "Be Safe"]
    assert "Focus on children missing out on education" in text(page)
    assert "1. Have the best start in life" in text(page)
    assert len(action_texts(page)) == 3
    assert text(page.select_one("#counts")).startswith("3 actions")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=complete", ["Set up a Learner Engagement Board"]),
        ("month=2018-12", ["Draw up an Inclusion Strategy"]),
        ("lead=team-{send}", ["Draw up an Inclusion Strategy"]),
        (
            "lead=person-{lead}",
            ["Set up a Learner Engagement Board", "Embed the domestic abuse pathway"],
        ),
        ("area={area}&status=not_started", ["Draw up an Inclusion Strategy"]),
    ],
)
def test_filters(client_request, plan_world, query, expected):
    client_request.login(plan_world["member"])
    query = query.format(
        send=plan_world["send"].id, lead=plan_world["lead"].id, area=plan_world["successful"].id
    )
    url = f"/boards/{plan_world['board'].slug}/plans/{plan_world['plan'].id}?{query}"
    response = client_request.client.get(url)
    from bs4 import BeautifulSoup

    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert response.status_code == 200
    assert action_texts(page) == expected
    assert "match the filters" in text(page.select_one("#counts"))


@pytest.mark.parametrize("query", ["status=finished", "area=abc", "month=2018-13", "lead=x"])
def test_unknown_filter_values_are_explained_not_500(client_request, plan_world, query):
    client_request.login(plan_world["member"])
    url = f"/boards/{plan_world['board'].slug}/plans/{plan_world['plan'].id}?{query}"
    response = client_request.client.get(url)
    assert response.status_code == 200
    from bs4 import BeautifulSoup

    errors = error_summary(BeautifulSoup(response.get_data(as_text=True), "html.parser"))
    assert len(errors) == 1 and errors[0].startswith("Choose one of the options for")


def test_board_without_a_plan(client_request, session):
    board = factories.board()
    client_request.login(factories.person(board, Role.ADMIN))
    page = client_request.get("plans.index", board_slug=board.slug)
    assert "has no plan yet" in h1(page)


def test_another_boards_plan_is_not_found(client_request, plan_world, session):
    other = factories.board()
    client_request.login(factories.person(other, Role.ADMIN))
    client_request.get(
        "plans.show", board_slug=other.slug, plan_id=plan_world["plan"].id, _expected_status=404
    )


def test_meetings_list(client_request, plan_world, session):
    from tracker import clock

    factories.meeting(plan_world["board"], date(2018, 9, 12), focus=plan_world["successful"])
    factories.meeting(plan_world["board"], clock.today().replace(year=clock.today().year + 1))
    client_request.login(plan_world["member"])
    page = client_request.get("meetings.index", board_slug=plan_world["board"].slug)
    assert [text(c) for c in page.select("caption")] == ["Upcoming meetings", "Past meetings"]
    assert "12 September 2018" in text(page) and "Be Successful" in text(page)
