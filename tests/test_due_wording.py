"""Every page that shows where an action's next update stands says what is true: when it is
due, how late it is, that it came in, or that the action has no reporting month."""

from datetime import UTC, date, datetime

import pytest

from tests import factories
from tests.helpers import text
from tracker.models import ActionStatus, ProgressUpdate, Rag, Role


@pytest.fixture
def red_actions(session, clock):
    """On 20 September 2021, three red actions: one with no lead and no reporting month, one
    whose September update came in on 3 August, one due at the end of January 2022."""
    clock.set(datetime(2021, 9, 20, 9, tzinfo=UTC))
    board = factories.board()
    chair = factories.person(board, Role.CHAIR)
    lead = factories.person(board, Role.LEAD)
    area = factories.area(factories.plan(board, "CYPP", 2021, 2022))
    factories.meeting(board, date(2021, 9, 8))
    nothing = factories.action(area, text="No lead and no month")
    received = factories.action(
        area, text="Update already in", leads=[lead], months=[date(2021, 9, 1)]
    )
    later = factories.action(area, text="Due in January", leads=[lead], months=[date(2022, 1, 1)])
    session.add(
        ProgressUpdate(
            action=received,
            author=lead,
            text="Done for September",
            status=ActionStatus.ON_TRACK,
            created_at=datetime(2021, 8, 3, 10, tzinfo=UTC),
        )
    )
    for action in (nothing, received, later):
        action.rag = Rag.RED
    session.commit()
    return dict(
        board=board, chair=chair, lead=lead, nothing=nothing, received=received, later=later
    )


EXPECTED = {
    "nothing": "No reporting month",
    "received": "Update received 3 August 2021",
    "later": "Due 31 January 2022",
}


def test_overdue_and_red_says_what_is_true_of_each_next_update(client_request, red_actions):
    client_request.login(red_actions["chair"])
    page = client_request.get("actions.overdue", board_slug=red_actions["board"].slug)
    table = page.find("caption", string="Rated red").parent
    assert [text(th) for th in table.select("thead th")][:2] == ["Action", "Next update"]
    cells = {
        text(row.select("td")[0].a): text(row.select("td")[1]) for row in table.select("tbody tr")
    }
    assert cells == {red_actions[name].text: words for name, words in EXPECTED.items()}


def test_the_action_and_plan_pages_say_the_same(client_request, red_actions):
    board = red_actions["board"]
    client_request.login(red_actions["lead"])
    for name, words in EXPECTED.items():
        action = red_actions[name]
        page = client_request.get("actions.show", board_slug=board.slug, action_id=action.id)
        row = page.find("dt", string="Next update").parent
        assert text(row.dd) == words
        assert "Update in" not in text(page)
    timetable = client_request.get(
        "actions.show", board_slug=board.slug, action_id=red_actions["received"].id
    ).find("caption", string="Reporting months and due dates")
    assert "Received 3 August 2021" in text(timetable.parent)
    plan = client_request.get(
        "plans.show", board_slug=board.slug, plan_id=red_actions["later"].area.plan_id
    )
    reporting = {
        text(row.select("td")[0]): text(row.select("td")[2]) for row in plan.select("tbody tr")
    }
    assert reporting == {
        "No lead and no month": "No reporting month",
        "Update already in": "September 2021 Update received 3 August 2021",
        "Due in January": "January 2022 Due 31 January 2022",
    }
