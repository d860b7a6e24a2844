from datetime import date

import pytest

from tests import factories
from tests.helpers import error_summary, h1, text
from tracker.models import ActionStatus, AreaPriority, Outcome


@pytest.fixture
def plan_world(session, board_people):
    board, lead = board_people.board, board_people.lead
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
    return dict(board=board, plan=plan, successful=successful, lead=lead, send=send)


def action_texts(page):
    return [text(a) for a in page.select("main table tbody td:first-child a")]


def test_plan_page_lists_areas_priorities_and_actions(as_member, plan_world):
    page = as_member.get("plans.index", board_slug=plan_world["board"].slug)
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
def test_filters(as_member, plan_world, query, expected):
    query = query.format(
        send=plan_world["send"].id, lead=plan_world["lead"].id, area=plan_world["successful"].id
    )
    url = f"/boards/{plan_world['board'].slug}/plans/{plan_world['plan'].id}?{query}"
    response = as_member.client.get(url)
    from bs4 import BeautifulSoup

    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert response.status_code == 200
    assert action_texts(page) == expected
    matching = "1 action matches" if len(expected) == 1 else f"{len(expected)} actions match"
    assert text(page.select_one("#counts")).startswith(f"{matching} the filters")


@pytest.mark.parametrize("query", ["status=finished", "area=abc", "month=2018-13", "lead=x"])
def test_unknown_filter_values_are_explained_not_500(as_member, plan_world, query):
    url = f"/boards/{plan_world['board'].slug}/plans/{plan_world['plan'].id}?{query}"
    response = as_member.client.get(url)
    assert response.status_code == 200
    from bs4 import BeautifulSoup

    errors = error_summary(BeautifulSoup(response.get_data(as_text=True), "html.parser"))
    assert len(errors) == 1 and errors[0].startswith("Choose one of the options for")


def test_board_without_a_plan(as_admin, board_people):
    page = as_admin.get("plans.index", board_slug=board_people.board.slug)
    assert "has no plan yet" in h1(page)


def test_another_boards_plan_is_not_found(as_outsider, board_people, plan_world):
    other = board_people.other_board
    as_outsider.get(
        "plans.show", board_slug=other.slug, plan_id=plan_world["plan"].id, _expected_status=404
    )


def test_meetings_list(as_member, plan_world, session):
    from tracker import clock

    factories.meeting(plan_world["board"], date(2018, 9, 12), focus=plan_world["successful"])
    factories.meeting(plan_world["board"], clock.today().replace(year=clock.today().year + 1))
    page = as_member.get("meetings.index", board_slug=plan_world["board"].slug)
    assert [text(c) for c in page.select("caption")] == ["Upcoming meetings", "Past meetings"]
    assert "12 September 2018" in text(page) and "Be Successful" in text(page)


@pytest.fixture
def two_a_page(monkeypatch):
    from tracker.plans import views

    monkeypatch.setattr(views, "PER_PAGE", 2)


def plan_page(signed_in, plan_world, query=""):
    from bs4 import BeautifulSoup

    url = f"/boards/{plan_world['board'].slug}/plans/{plan_world['plan'].id}?{query}"
    response = signed_in.client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_a_long_plan_is_shown_a_page_at_a_time(as_member, plan_world, two_a_page):
    first = plan_page(as_member, plan_world)
    assert action_texts(first) == [
        "Set up a Learner Engagement Board",
        "Draw up an Inclusion Strategy",
    ]
    assert [text(h) for h in first.select("main h2")] == ["Be Successful"]
    # The counts are of the whole plan, not of the page.
    assert text(first.select_one("#counts")).startswith("3 actions")
    assert text(first.select_one("#showing")) == "Showing actions 1 to 2 of 3, page 1 of 2."
    nav = first.select_one("nav.govuk-pagination")
    assert nav["aria-label"] == "Pages of actions"
    assert nav.select_one("[aria-current=page]").get_text(strip=True) == "1"
    second = plan_page(
        as_member,
        plan_world,
        nav.select_one(".govuk-pagination__next a")["href"].split("?")[1],
    )
    assert action_texts(second) == ["Embed the domestic abuse pathway"]
    assert [text(h) for h in second.select("main h2")] == ["Be Safe"]
    assert second.select_one(".govuk-pagination__prev a")


@pytest.mark.parametrize(("asked", "shown"), [("page=9", "2"), ("page=abc", "1"), ("page=0", "1")])
def test_a_page_that_does_not_exist_shows_the_nearest(
    as_member, plan_world, two_a_page, asked, shown
):
    page = plan_page(as_member, plan_world, asked)
    assert page.select_one("[aria-current=page]").get_text(strip=True) == shown


def test_pages_keep_the_filters(as_member, plan_world, two_a_page, session):
    for n in range(3):
        factories.action(plan_world["successful"], text=f"Extra {n}", leads=[plan_world["lead"]])
    session.commit()
    query = f"lead=person-{plan_world['lead'].id}"
    first = plan_page(as_member, plan_world, query)
    assert text(first.select_one("#counts")).startswith("5 actions match the filters")
    next_link = first.select_one(".govuk-pagination__next a")["href"]
    assert query in next_link and "page=2" in next_link


def test_an_area_without_actions_is_shown_where_it_falls(as_member, plan_world, session):
    factories.area(plan_world["plan"], "Be Supported", 3)
    session.commit()
    page = plan_page(as_member, plan_world)
    assert [text(h) for h in page.select("main h2")] == ["Be Successful", "Be Safe", "Be Supported"]
    assert "No actions in this area yet." in text(page)
    assert not page.select("nav.govuk-pagination")


def test_overdue_count_and_filters_come_from_the_database(as_member, plan_world, clock):
    clock.set(date(2019, 1, 15))
    page = plan_page(as_member, plan_world, "status=not_started")
    # "Draw up an Inclusion Strategy" (December 2018, no update) is overdue; the pathway is
    # not due until March 2019.
    assert text(page.select_one("#counts")) == "2 actions match the filters, 1 overdue."
    assert "Not started: 2" in text(page)


def test_year_filter_offers_the_plans_years(as_member, plan_world):
    """CYPP 2018–2021 runs 2018/19 to 2020/21: 2021/22 is not one of its years."""
    page = as_member.get("plans.index", board_slug=plan_world["board"].slug)
    offered = [text(o) for o in page.select("select#year option")]
    assert offered[1:] == ["2018/19", "2019/20", "2020/21"]
