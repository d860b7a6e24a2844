"""The People page with invitations not yet accepted (to join, and an address offered to an
imported lead), cancelling one, and the page an invited person with an account joins on."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from tests import factories
from tests.browser.conftest import check_accessibility
from tests.browser.test_pages import sign_in
from tracker import clock
from tracker.auth.addresses import offer_address
from tracker.auth.invitations import invite
from tracker.extensions import db
from tracker.models import Membership, OutboxMessage, Person, Role


def _invitations_world():
    board, elsewhere = factories.board("Oxfordshire Children's Trust Board"), factories.board()
    admin = factories.person(board, Role.ADMIN, name="Secretariat", email="admin@example.org")
    known = factories.person(elsewhere, Role.LEAD, email="known@example.org", name="Real Name")
    lead = Person(name="Emma Leaver", email=None)
    imported = Membership(board=board, person=lead, role=Role.LEAD)
    db.session.add_all([lead, imported])
    db.session.flush()
    factories.action(factories.area(factories.plan(board)), leads=[lead], months=[date(2021, 9, 1)])
    for email, name in (("known@example.org", "Typed Name"), ("new@example.org", "New Person")):
        invite(
            db.session,
            board=board,
            email=email,
            name=name,
            role=Role.MEMBER,
            invited_by=admin,
            now=clock.now(),
        )
    offer_address(
        db.session,
        membership=imported,
        email="emma.leaver@example.org",
        invited_by=admin,
        now=clock.now(),
    )
    db.session.commit()
    return board, known


def _link(recipient: str) -> str:
    body = db.session.scalars(
        select(OutboxMessage.body_text).where(OutboxMessage.recipient == recipient)
    ).all()[-1]
    return re.search(r"/invitations/\S+", body).group(0)


def test_people_page_with_invitations_passes_axe_and_cancels_one(page, app):
    board, _ = _invitations_world()
    sign_in(page, "admin@example.org")
    page.goto(f"/boards/{board.slug}/admin/people")
    invited = page.get_by_role("region", name="Invited, not yet joined")
    assert invited.get_by_role("row").count() == 3  # the header and two invitations
    members = page.get_by_role("region", name=f"Members of {board.name}")
    assert "Emma Leaver Invited" in members.inner_text().replace("\t", " ")
    check_accessibility(page, "people-with-invitations")
    invited.get_by_role("button", name="Cancel invitation New Person").focus()
    # The page posts and comes back to the same address: wait for the new page itself.
    with page.expect_navigation(url=f"**/boards/{board.slug}/admin/people"):
        page.keyboard.press("Enter")
    assert "The invitation to new@example.org is cancelled." in page.inner_text("main")
    assert invited.get_by_role("row").count() == 2
    check_accessibility(page, "people-after-cancelling")
    page.get_by_role("button", name="Sign out").click()
    page.goto(_link("new@example.org"))
    assert page.get_by_role("heading", level=1).inner_text() == "This invitation was cancelled"
    check_accessibility(page, "invitation-cancelled")


def test_join_the_board_page_for_someone_with_an_account_passes_axe(page, app):
    board, known = _invitations_world()
    page.goto(_link("known@example.org"))
    assert page.get_by_role("heading", level=1).inner_text() == "Accept your invitation"
    check_accessibility(page, "join-the-board")
    page.get_by_role("button", name="Join the board").click()
    sign_in(page, "known@example.org")
    page.goto("/")
    assert board.name in page.inner_text("main")
    check_accessibility(page, "boards-after-joining")
