"""Another board's admin who invites an existing address learns nothing of its account and
adds nobody unasked: the person joins by accepting, and a board shows of them only what it
gave them (issue 13, item 10)."""

import re
from datetime import date, timedelta

from sqlalchemy import select

from tests import factories
from tests.helpers import text
from tracker import clock
from tracker.auth.invitations import invite
from tracker.models import Membership, OutboxMessage, Role


def _link(session, recipient: str) -> str:
    message = session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient == recipient)
    ).all()[-1]
    return re.search(r"/invitations/\S+", message.body_text).group(0)


def test_an_existing_account_joins_only_by_accepting(client_request, session):
    first, second = factories.board(), factories.board()
    known = factories.person(first, Role.LEAD, name="Real Name")
    invite(
        session,
        board=second,
        email=known.email,
        name="Typed Name",
        role=Role.CHAIR,
        invited_by=None,
        now=clock.now(),
    )
    session.commit()
    member_of = lambda: set(  # noqa: E731
        session.scalars(
            select(Membership.board_id).where(
                Membership.person_id == known.id, Membership.archived_at.is_(None)
            )
        )
    )
    assert member_of() == {first.id}
    client_request.login(known)
    client_request.get("auth.home", _expected_redirect=f"/boards/{first.slug}/my-actions")
    path = _link(session, known.email)
    page = client_request.client.get(path)
    assert "Join the board" in page.get_data(as_text=True) and member_of() == {first.id}
    response = client_request.client.post(path)
    assert response.status_code == 302 and member_of() == {first.id, second.id}
    role = session.scalar(
        select(Membership.role).where(
            Membership.board_id == second.id, Membership.person_id == known.id
        )
    )
    assert role is Role.CHAIR
    assert "already" in client_request.client.get(path).get_data(as_text=True)


def test_the_invitation_e_mail_and_page_are_the_same_for_a_new_address(client_request, session):
    board, elsewhere = factories.board(), factories.board()
    admin = factories.person(board, Role.ADMIN)
    factories.person(elsewhere, Role.LEAD, email="known@example.org", name="Real Name")
    for email in ("known@example.org", "new@example.org"):
        invite(
            session,
            board=board,
            email=email,
            name="Typed Name",
            role=Role.LEAD,
            invited_by=admin,
            now=clock.now(),
        )
    session.commit()
    messages = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    bodies = [re.sub(r"/invitations/\S+", "", m.body_text) for m in messages]
    assert bodies[0] == bodies[1] and "Real Name" not in bodies[0]
    client_request.login(admin)
    page = text(client_request.get("admin.people", board_slug=board.slug))
    assert "Real Name" not in page and page.count("Typed Name Invited") == 2


def test_a_board_shows_no_away_notice_or_deputy_from_another_board(client_request, session):
    first, second = factories.board(), factories.board()
    away = factories.person(first, Role.LEAD, name="Away Person")
    session.add(Membership(board=second, person=away, role=Role.LEAD))
    deputy = factories.person(first, Role.LEAD, name="First Board Deputy")
    chair = factories.person(second, Role.CHAIR)
    first_chair = factories.person(first, Role.CHAIR)
    away.away_until, away.deputy = clock.today() + timedelta(days=7), deputy
    for board in (first, second):
        area = factories.area(factories.plan(board))
        factories.action(area, leads=[away], months=[date(2018, 9, 1)])
    session.commit()
    client_request.login(chair)
    page = text(client_request.get("actions.overdue", board_slug=second.slug))
    assert "First Board Deputy" not in page and "is away until" not in page
    client_request.login(first_chair)
    page = text(client_request.get("actions.overdue", board_slug=first.slug))
    assert "Away Person is away until" in page and "First Board Deputy gets their" in page
