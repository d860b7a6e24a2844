"""Whoever the scheduler chases can do what it asks: leading an action (in person, as a lead
team's contact, or as the deputy of a lead who is away) lets a person post on it, whatever
their role on the board, and puts it on their My actions."""

import re
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from jobs.reminders import send_chasers, send_reminders
from tests import factories
from tests.helpers import text
from tests.moments import london
from tracker.models import Membership, OutboxMessage, Person, ProgressUpdate, Role

URL = re.compile(r"https?://\S+")


@pytest.fixture
def board_of_leads(session):
    """The September 2021 board (meeting 8 September: updates due 24 August), whose actions
    are led by people of every role, through a team, and by leads who are away."""
    board = factories.board("Children's Trust Board")
    other_board = factories.board("Another board")
    factories.person(board, Role.ADMIN, email="admin@example.org")
    factories.person(board, Role.CHAIR, email="chair@example.org")
    voxy = factories.person(board, Role.MEMBER, name="Alex Morgan (VOXY)", email="voxy@example.org")
    contact = factories.person(board, Role.MEMBER, name="Team Contact", email="contact@example.org")
    away = factories.person(board, Role.LEAD, name="Away Lead", email="away@example.org")
    deputy = factories.person(board, Role.LEAD, name="The Deputy", email="deputy@example.org")
    # Away, with a deputy who is on another board only: the lead keeps their reminders.
    far = factories.person(board, Role.LEAD, name="Far Lead", email="far@example.org")
    elsewhere = factories.person(other_board, Role.LEAD, email="elsewhere@example.org")
    gone = factories.person(board, Role.LEAD, name="Gone Lead", email="gone@example.org")
    for person, stand_in in ((away, deputy), (far, elsewhere)):
        person.away_until, person.deputy = date(2021, 9, 20), stand_in
    session.scalars(
        select(Membership).where(Membership.person_id == gone.id)
    ).one().archived_at = datetime(2021, 7, 1, tzinfo=UTC)
    team = factories.team(board, "VOXY youth panel", contacts=[contact])
    plan = factories.plan(board, "CYPP", 2021, 2022)
    area = factories.area(plan, "Be Supported")
    factories.meeting(board, date(2021, 9, 8))
    september = [date(2021, 9, 1)]
    actions = {
        name: factories.action(area, text=f"Action led by {name}", leads=[lead], months=september)
        for name, lead in (
            ("voxy", voxy),
            ("team", team),
            ("away", away),
            ("far", far),
            ("gone", gone),
        )
    }
    # The away lead also owns an indicator whose 2021 Q2 reading is overdue from 14 July.
    factories.indicator(board, away, readings={date(2021, 1, 1): 12.0})
    session.commit()
    return dict(
        board=board,
        voxy=voxy,
        contact=contact,
        away=away,
        deputy=deputy,
        far=far,
        elsewhere=elsewhere,
        actions=actions,
    )


def test_whoever_the_scheduler_chases_can_do_what_it_asks(
    client_request, session, board_of_leads, clock
):
    # Reminders 10 and 3 working days before 24 August, then the chasers from the Tuesday
    # after the bank holiday, while the away lead is still away.
    for day in (date(2021, 8, 10), date(2021, 8, 19), date(2021, 8, 31), date(2021, 9, 6)):
        send_reminders(session, london(day))
        send_chasers(session, london(day))
        session.commit()
    messages = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert {m.recipient for m in messages if m.kind in ("reminder", "chaser")} == {
        "voxy@example.org",
        "contact@example.org",
        "deputy@example.org",  # for the away lead
        "far@example.org",  # their deputy is not on this board
    }
    assert {m.recipient for m in messages if m.kind == "reading_chaser"} == {"deputy@example.org"}
    people = {p.email: p for p in session.scalars(select(Person))}
    # Each link opens for its recipient, on the last of those days (the lead still away).
    clock.set(date(2021, 9, 6), 8)
    opened = 0
    for message in messages:
        client_request.login(people[message.recipient])
        for url in URL.findall(message.body_text):
            response = client_request.client.get(urlsplit(url).path)
            assert response.status_code == 200, (message.kind, message.recipient, url)
            opened += 1
    assert opened >= 10


def test_a_board_member_who_leads_an_action_posts_their_update(
    client_request, session, board_of_leads, clock
):
    clock.set(date(2021, 8, 20), 8)
    board, action = board_of_leads["board"], board_of_leads["actions"]["voxy"]
    client_request.login(board_of_leads["voxy"])
    # Signing in lands on My actions, which lists the action with its button.
    client_request.get("auth.home", _expected_redirect=f"/boards/{board.slug}/my-actions")
    mine = client_request.get("actions.mine", board_slug=board.slug)
    assert "Action led by voxy" in text(mine)
    assert mine.select_one(f"a[href$='/actions/{action.id}/updates/new']")
    page = client_request.get("actions.show", board_slug=board.slug, action_id=action.id)
    assert page.select_one(f"a[href$='/actions/{action.id}/updates/new']")
    client_request.post(
        "actions.post_update",
        board_slug=board.slug,
        action_id=action.id,
        _data={
            "seen_version": action.version,
            "status": "on_track",
            "rag": "green",
            "text": "Survey run with 400 young people.",
        },
        _expected_redirect=f"/boards/{board.slug}/actions/{action.id}",
    )
    assert session.scalar(select(ProgressUpdate.text)) == "Survey run with 400 young people."
    # A lead team's contact who is a board member posts on the team's action.
    client_request.login(board_of_leads["contact"])
    team_action = board_of_leads["actions"]["team"]
    client_request.get("actions.post_update", board_slug=board.slug, action_id=team_action.id)
    # ...and not on anyone else's.
    client_request.get(
        "actions.post_update", board_slug=board.slug, action_id=action.id, _expected_status=403
    )


def test_a_deputy_answers_for_the_lead_while_they_are_away(
    client_request, session, board_of_leads, clock
):
    board = board_of_leads["board"]
    action = board_of_leads["actions"]["away"]
    client_request.login(board_of_leads["deputy"])
    for day, status in ((date(2021, 9, 20), 200), (date(2021, 9, 21), 403)):
        clock.set(day, 8)
        client_request.get(
            "actions.post_update",
            board_slug=board.slug,
            action_id=action.id,
            _expected_status=status,
        )
        mine = text(client_request.get("actions.mine", board_slug=board.slug))
        assert ("Action led by away" in mine) is (status == 200)
        assert ("you stand in for Away Lead" in mine) is (status == 200)
        assert "Action led by far" not in mine
    # The deputy on another board stands in for nobody here: the far lead keeps theirs.
    clock.set(date(2021, 9, 20), 8)
    client_request.login(board_of_leads["far"])
    client_request.get(
        "actions.post_update", board_slug=board.slug, action_id=board_of_leads["actions"]["far"].id
    )


def test_only_while_away_does_the_deputy_get_the_reminders(session, board_of_leads):
    away = board_of_leads["away"]
    away.away_until = date(2021, 8, 9)
    session.commit()
    send_reminders(session, london(date(2021, 8, 10)))
    recipients = set(session.scalars(select(OutboxMessage.recipient)))
    assert "away@example.org" in recipients and "deputy@example.org" not in recipients
