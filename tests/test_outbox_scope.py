"""An admin's outbox shows their own board's messages only, in every environment: a reset
link (of no board) or another board's invitation would let the admin in as that person."""

import pytest
from sqlalchemy import select

from config.settings import CONFIGS
from tests import factories
from tracker import clock
from tracker.auth.invitations import invite
from tracker.auth.resets import answer_reset_request
from tracker.models import OutboxMessage, Role


@pytest.mark.parametrize("env", sorted(CONFIGS))
def test_no_configuration_shows_messages_of_no_board(env):
    assert not hasattr(CONFIGS[env], "OUTBOX_SHOWS_UNSCOPED")


def test_an_admin_sees_no_reset_link_and_no_other_boards_invitation(client_request, session):
    mine, theirs = factories.board(), factories.board()
    admin = factories.person(mine, Role.ADMIN)
    victim = factories.person(theirs, Role.LEAD, email="victim@example.org")
    answer_reset_request(session, victim.email, clock.now())
    invite(
        session,
        board=theirs,
        email="newcomer@example.org",
        name="Newcomer",
        role=Role.LEAD,
        invited_by=None,
        now=clock.now(),
    )
    client_request.login(admin)
    page = client_request.get("admin.outbox", board_slug=mine.slug)
    assert "victim@example.org" not in page.text and "newcomer@example.org" not in page.text
    for message in session.scalars(select(OutboxMessage)):
        client_request.get(
            "admin.outbox_message",
            board_slug=mine.slug,
            message_id=message.id,
            _expected_status=404,
        )
        response = client_request.client.get(f"/boards/{mine.slug}/admin/outbox/{message.id}/html")
        assert response.status_code == 404


def test_an_operator_reads_any_message_from_the_command_line(app, session):
    answer_reset_request(session, "someone@example.org", clock.now())
    session.commit()
    message = session.scalars(select(OutboxMessage)).one()
    runner = app.test_cli_runner()
    shown = runner.invoke(args=["outbox", "show", str(message.id)])
    assert shown.exit_code == 0, shown.output
    assert "To: someone@example.org" in shown.output and message.body_text in shown.output
    missing = runner.invoke(args=["outbox", "show", str(message.id + 1)])
    assert missing.exit_code == 1 and "no message" in missing.output
