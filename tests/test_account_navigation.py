"""The pages of a person's own account keep the menu of the board they came from."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests import factories
from tests.helpers import text
from tracker import clock
from tracker.models import Membership, Role

ACCOUNT_PAGES = [
    "auth.your_emails",
    "calendars.your_calendar",
    "auth.change_password",
    "public_name.edit",
]


def menu(page) -> list[str]:
    return [text(a) for a in page.select(".govuk-service-navigation a")]


@pytest.fixture
def boards(session):
    children = factories.board("Children's Trust Board")
    safeguarding = factories.board("Safeguarding Board")
    person = factories.person(children, Role.ADMIN, name="Sam Patel")
    factories.person(safeguarding)  # somebody else there
    session.commit()
    return dict(children=children, safeguarding=safeguarding, person=person)


@pytest.mark.parametrize("endpoint", ACCOUNT_PAGES)
def test_a_person_on_one_board_keeps_its_menu(client_request, boards, endpoint):
    client_request.login(boards["person"])
    page = client_request.get(endpoint)
    assert menu(page) == [
        "Children's Trust Board",
        "Plan",
        "My actions",
        "Overdue and red",
        "Meetings",
        "Performance",
        "Admin",
        "Publishing",
    ]


@pytest.mark.parametrize("endpoint", ACCOUNT_PAGES)
def test_the_menu_is_the_board_last_visited(client_request, boards, session, endpoint):
    person = boards["person"]
    session.add(Membership(board=boards["safeguarding"], person=person, role=Role.MEMBER))
    session.commit()
    client_request.login(person)
    # On two boards and straight from an e-mail's link: no board to choose, so no menu.
    assert menu(client_request.get(endpoint)) == []
    client_request.get("actions.overdue", board_slug=boards["safeguarding"].slug)
    page = client_request.get(endpoint)
    assert menu(page)[0] == "Safeguarding Board" and "Admin" not in menu(page)
    client_request.get("actions.overdue", board_slug=boards["children"].slug)
    assert menu(client_request.get(endpoint))[0] == "Children's Trust Board"
    # Taken off the board since: its menu goes, and the other (only) board's shows.
    membership = session.scalars(
        select(Membership).where(
            Membership.person_id == person.id, Membership.board_id == boards["children"].id
        )
    ).one()
    membership.archived_at = clock.now()
    session.commit()
    assert menu(client_request.get(endpoint))[0] == "Safeguarding Board"


@pytest.mark.parametrize("endpoint", ACCOUNT_PAGES)
def test_the_title_is_the_pages_heading(client_request, boards, endpoint):
    client_request.login(boards["person"])
    page = client_request.get(endpoint)
    assert page.title.text == f"{text(page.h1)} – Trust Tracker"
