"""Another board's admin who invites an existing address learns nothing of its account and
adds nobody unasked: the person joins by accepting, and a board shows of them only what it
gave them (issue 13, item 10)."""

import re
from datetime import date, timedelta

from sqlalchemy import select

from tests import factories
from tests.factories import PASSWORD
from tests.helpers import error_summary, text
from tracker import clock
from tracker.auth.addresses import offer_address, take_up
from tracker.auth.invitations import invite
from tracker.extensions import db
from tracker.models import ActionLead, AuditEvent, Membership, OutboxMessage, Person, Role
from tracker.privacy.subject_access import person_data
from tracker.trail import describe_events


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


def _imported_lead(board, name: str, action_area) -> tuple[Person, Membership]:
    lead = Person(name=name, email=None)
    membership = Membership(board=board, person=lead, role=Role.LEAD)
    db.session.add_all([lead, membership])
    db.session.flush()
    factories.action(action_area, leads=[lead], months=[date(2018, 9, 1)])
    return lead, membership


def _without_links(session, recipient: str) -> str:
    body = session.scalars(
        select(OutboxMessage.body_text).where(OutboxMessage.recipient == recipient)
    ).all()[-1]
    return re.sub(r"/invitations/\S+", "", body)


def test_an_imported_lead_given_an_accounts_address_is_invited_as_at_a_new_one(
    client_request, session
):
    board, elsewhere = factories.board(), factories.board()
    admin = factories.person(board, Role.ADMIN)
    known = factories.person(elsewhere, Role.CHAIR, email="known@example.org", name="Real Name")
    area = factories.area(factories.plan(board))
    old_lead, old_membership = _imported_lead(board, "Lead Known", area)
    new_lead, new_membership = _imported_lead(board, "Lead New", area)
    session.commit()
    client_request.login(admin)
    for membership, email in ((old_membership, "Known@example.org"), (new_membership, "new@x.org")):
        client_request.post(
            "admin.person_address",
            board_slug=board.slug,
            membership_id=membership.id,
            _data={"email": email},
            _expected_redirect=f"/boards/{board.slug}/admin/people",
        )
    assert _without_links(session, "known@example.org") == _without_links(session, "new@x.org")
    page = text(client_request.get("admin.people", board_slug=board.slug))
    assert "Real Name" not in page
    assert "Lead Known Invited known@example.org" in page
    assert "Lead New Invited new@x.org" in page
    # Nothing changes until the address's owner accepts: no address, no member, no lead.
    session.expire_all()
    assert old_lead.email is None and new_lead.email is None
    assert (
        session.scalar(
            select(Membership).where(
                Membership.board_id == board.id, Membership.person_id == known.id
            )
        )
        is None
    )

    client_request.logout()
    path = _link(session, "known@example.org")
    joining = client_request.client.get(path).get_data(as_text=True)
    assert "Join the board" in joining and "Lead Known" in joining
    assert client_request.client.post(path).status_code == 302
    session.expire_all()
    role = session.scalar(
        select(Membership.role).where(
            Membership.board_id == board.id,
            Membership.person_id == known.id,
            Membership.archived_at.is_(None),
        )
    )
    assert role is Role.LEAD
    leads = session.scalars(select(ActionLead.person_id).order_by(ActionLead.action_id)).all()
    assert leads == [known.id, new_lead.id]
    assert session.scalar(select(Membership).where(Membership.person_id == old_lead.id)) is None

    path = _link(session, "new@x.org")
    page = client_request.client.get(path).get_data(as_text=True)
    assert "Choose a password" in page or "new_password" in page
    response = client_request.client.post(
        path,
        data={"name": "Lead New", "new_password": PASSWORD * 2, "confirm_password": PASSWORD * 2},
    )
    assert response.status_code == 302
    session.expire_all()
    assert new_lead.email == "new@x.org"
    client_request.login(admin)
    page = text(client_request.get("admin.people", board_slug=board.slug))
    assert "Invited" not in page  # both joined: neither shows as still invited


def test_an_address_of_a_member_of_the_board_is_refused(client_request, session):
    board = factories.board()
    admin = factories.person(board, Role.ADMIN)
    member = factories.person(board, Role.LEAD)
    _, membership = _imported_lead(board, "Lead", factories.area(factories.plan(board)))
    session.commit()
    client_request.login(admin)
    page = client_request.post(
        "admin.person_address",
        board_slug=board.slug,
        membership_id=membership.id,
        _data={"email": member.email},
    )
    assert error_summary(page) == ["A member of this board has this e-mail address already"]


def test_an_admin_cancels_an_invitation_and_its_links_refuse(client_request, session):
    board = factories.board()
    admin = factories.person(board, Role.ADMIN)
    for _ in range(2):  # sent twice: both links stop working
        invite(
            session,
            board=board,
            email="asked@example.org",
            name="Asked Person",
            role=Role.LEAD,
            invited_by=admin,
            now=clock.now(),
        )
    session.commit()
    paths = [
        re.search(r"/invitations/\S+", m.body_text).group(0)
        for m in session.scalars(
            select(OutboxMessage).where(OutboxMessage.recipient == "asked@example.org")
        )
    ]
    client_request.login(admin)
    page = client_request.get("admin.people", board_slug=board.slug)
    cancel = page.find("form", action=re.compile(r"/cancel$"))
    assert cancel.button.get_text(" ", strip=True) == "Cancel invitation Asked Person"
    response = client_request.client.post(cancel["action"])
    assert response.status_code == 302
    page = text(client_request.get("admin.people", board_slug=board.slug))
    assert "Asked Person" not in page and "Invited, not yet joined" not in page
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.entity == "invitation", AuditEvent.verb == "updated")
    ).all()
    assert len(events) == 2 and all(e.actor_id == admin.id for e in events)
    entry = describe_events(session, events)[0]
    assert entry.summary == "Invitation: cancelled Asked Person"
    client_request.logout()
    for path in paths:
        response = client_request.client.get(path)
        assert response.status_code == 410
        assert "This invitation was cancelled" in response.get_data(as_text=True)
        assert client_request.client.post(path).status_code == 410
    assert (
        session.scalar(
            select(Membership)
            .where(Membership.board_id == board.id)
            .where(Membership.person_id != admin.id)
        )
        is None
    )
    # Cancelled is not open: a second cancel or a resend finds nothing.
    client_request.login(admin)
    client_request.post(
        "admin.cancel_invitation",
        board_slug=board.slug,
        invitation_id=events[0].entity_id,
        _expected_status=404,
    )


def test_another_boards_admin_cannot_cancel_or_resend(client_request, session):
    board, other = factories.board(), factories.board()
    other_admin = factories.person(other, Role.ADMIN)
    invitation = invite(
        session,
        board=board,
        email="asked@example.org",
        name="Asked Person",
        role=Role.LEAD,
        invited_by=None,
        now=clock.now(),
    )
    session.commit()
    client_request.login(other_admin)
    for endpoint in ("admin.cancel_invitation", "admin.resend_open_invitation"):
        client_request.post(
            endpoint, board_slug=other.slug, invitation_id=invitation.id, _expected_status=404
        )
    session.refresh(invitation)
    assert invitation.cancelled_at is None


def test_a_persons_data_names_a_deputy_only_from_this_board(session):
    first, second = factories.board(), factories.board()
    away = factories.person(first, Role.LEAD, name="Away Person")
    session.add(Membership(board=second, person=away, role=Role.LEAD))
    away.deputy = factories.person(first, Role.LEAD, name="First Board Deputy")
    session.commit()
    deputies = [
        person_data(session, board, away)["Profile"][0]["Deputy"] for board in (first, second)
    ]
    assert deputies == ["First Board Deputy", None]


def test_an_owner_who_joined_meanwhile_keeps_their_role_and_takes_the_leads_actions(session):
    board = factories.board()
    area = factories.area(factories.plan(board))
    lead, membership = _imported_lead(board, "Lead Later", area)
    offered = offer_address(
        session, membership=membership, email="later@example.org", invited_by=None, now=clock.now()
    )
    owner = factories.person(board, Role.ADMIN, email="later@example.org")
    assert take_up(session, offered) is owner
    session.commit()
    roles = session.scalars(select(Membership.role).where(Membership.board_id == board.id)).all()
    assert roles == [Role.ADMIN]
    assert session.scalars(select(ActionLead.person_id)).all() == [owner.id]
