import pytest
from sqlalchemy import select

from config.settings import Config
from tests import factories
from tracker.models import OutboxMessage, Person, Role


def test_every_page_sets_the_security_headers(client_request, session):
    response = client_request.client.get("/sign-in")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "unsafe-inline" not in csp.split("style-src")[0]
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"


def test_pages_have_no_inline_script(client_request):
    page = client_request.get("auth.sign_in")
    assert all(script.get("src") for script in page.find_all("script"))
    assert not page.select("[style]") and not page.select("[onclick]")


def test_production_cookies_are_secure():
    assert Config.SESSION_COOKIE_SECURE is True
    assert Config.SESSION_COOKIE_HTTPONLY is True
    assert Config.SESSION_COOKIE_SAMESITE == "Lax"
    assert Config.REMEMBER_COOKIE_SECURE is True


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    from tracker import create_app

    monkeypatch.setattr(Config, "SECRET_KEY", None)
    with pytest.raises(SystemExit, match="SECRET_KEY"):
        create_app("production")


def test_forms_without_a_csrf_token_are_refused(app, client_request, session, monkeypatch):
    board = factories.board()
    person = factories.person(board, Role.LEAD)
    session.commit()
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = client_request.client.post(
        "/sign-in", data={"email": person.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 400
    assert "Nothing was saved" in response.get_data(as_text=True)
    assert session.get(Person, person.id).last_signed_in_at is None


@pytest.mark.parametrize(
    ("role", "status"), [(Role.ADMIN, 200), (Role.CHAIR, 403), (Role.LEAD, 403), (Role.MEMBER, 403)]
)
def test_outbox_is_for_admins(client_request, session, role, status):
    board = factories.board()
    client_request.login(factories.person(board, role))
    client_request.get("admin.outbox", board_slug=board.slug, _expected_status=status)


def test_outbox_shows_a_message_with_its_html_sandboxed(client_request, session):
    from tracker import clock
    from tracker.auth.invitations import invite

    board = factories.board()
    admin = factories.person(board, Role.ADMIN)
    invite(
        session,
        board=board,
        email="new@example.org",
        name="New",
        role=Role.LEAD,
        invited_by=admin,
        now=clock.now(),
    )
    client_request.login(admin)
    page = client_request.get("admin.outbox", board_slug=board.slug)
    assert "new@example.org" in page.text
    message = session.scalars(select(OutboxMessage)).one()
    detail = client_request.get(
        "admin.outbox_message", board_slug=board.slug, message_id=message.id
    )
    assert "Accept the invitation" in detail.text
    html = client_request.client.get(f"/boards/{board.slug}/admin/outbox/{message.id}/html")
    assert html.headers["Content-Security-Policy"].startswith("sandbox")


def test_another_boards_outbox_is_not_found(client_request, session):
    mine, theirs = factories.board(), factories.board()
    client_request.login(factories.person(mine, Role.ADMIN))
    client_request.get("admin.outbox", board_slug=theirs.slug, _expected_status=404)
