import pytest
from sqlalchemy import func, select

from config.settings import Config
from tests import factories
from tests.helpers import text
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


@pytest.fixture
def csrf_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


@pytest.mark.parametrize(
    ("role", "path", "data"),
    [
        (Role.LEAD, "/boards/{slug}/actions/{action}/updates/new", {"text": "Sneaked in"}),
        (Role.ADMIN, "/boards/{slug}/admin/people/new", {"email": "x@example.org", "name": "X"}),
        (Role.LEAD, "/account/password", {"current_password": factories.PASSWORD}),
        (Role.LEAD, "/sign-out", {}),
        (None, "/password-reset", {"email": "someone@example.org"}),
    ],
)
def test_real_forms_without_a_csrf_token_change_nothing(
    client_request, session, csrf_on, role, path, data
):
    from tracker.models import AuditEvent, ProgressUpdate

    board = factories.board()
    lead = factories.person(board, Role.LEAD)
    action = factories.action(factories.area(factories.plan(board)), leads=[lead])
    person = lead if role is Role.LEAD else factories.person(board, Role.ADMIN)
    session.commit()
    if role is not None:
        client_request.login(person)
    audit_before = session.scalar(select(func.count()).select_from(AuditEvent))
    response = client_request.client.post(path.format(slug=board.slug, action=action.id), data=data)
    assert response.status_code == 400
    assert "Nothing was saved" in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == audit_before
    assert session.scalars(select(ProgressUpdate)).all() == []
    assert session.scalars(select(OutboxMessage)).all() == []
    if role is not None:  # still signed in: sign-out was refused too
        assert client_request.client.get("/account/emails").status_code == 200


def test_inviting_an_address_answers_the_same_whether_or_not_it_has_an_account(
    client_request, session
):
    board, elsewhere = factories.board(), factories.board()
    admin = factories.person(board, Role.ADMIN)
    factories.person(elsewhere, Role.LEAD, email="known@example.org", name="Known Elsewhere")
    session.commit()
    client_request.login(admin)
    answers = []
    for email in ("known@example.org", "unknown@example.org"):
        response = client_request.client.post(
            f"/boards/{board.slug}/admin/people/new",
            data={"email": email, "name": "Given Name", "role": "lead"},
        )
        page = client_request.client.get(response.headers["Location"]).get_data(as_text=True)
        flash = page.split("govuk-notification-banner__heading", 1)[1].split("<", 1)[0]
        answers.append(
            (response.status_code, response.headers["Location"], flash.replace(email, ""))
        )
    assert answers[0] == answers[1]
    # Nor does the People page afterwards: both are invited by the name the board gave.
    people = client_request.get("admin.people", board_slug=board.slug)
    rows = {
        text(row.select("td")[1]): [text(cell) for cell in row.select("td")]
        for row in people.select("main table tbody tr")
    }
    assert rows["known@example.org"][0] == rows["unknown@example.org"][0] == "Given Name Invited"
    assert rows["known@example.org"][2:] == rows["unknown@example.org"][2:]
    invitations = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert [(m.kind, m.recipient) for m in invitations] == [
        ("invitation", "known@example.org"),
        ("invitation", "unknown@example.org"),
    ]


def multipart(filename: str, content: bytes) -> tuple[bytes, str]:
    """A form with one field and one file, as a browser would post it."""
    boundary = "tracker-test-boundary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="upload"; '
        f'filename="{filename}"\r\nContent-Type: text/html\r\n\r\n'
    ).encode()
    return body + content + f"\r\n--{boundary}--\r\n".encode(), (
        f"multipart/form-data; boundary={boundary}"
    )


def test_a_request_too_large_is_refused_and_nothing_is_stored(app, client_request, session):
    from config.settings import ROOT

    def files_under(*folders):
        return {p for folder in folders for p in (ROOT / folder).rglob("*")}

    board = factories.board()
    admin = factories.person(board, Role.ADMIN)
    session.commit()
    before = files_under("tracker/static", "templates", "instance")
    limit = app.config["MAX_CONTENT_LENGTH"]
    assert limit == 10 * 1024 * 1024
    too_large, content_type = multipart("evil.html", b"x" * limit)
    for path, person in (("/sign-in", None), (f"/boards/{board.slug}/admin/people/new", admin)):
        if person:
            client_request.login(person)
        response = client_request.client.post(path, data=too_large, content_type=content_type)
        body = response.get_data(as_text=True)
        assert response.status_code == 413
        assert "The file is too big" in body and "Nothing was saved" in body
        assert "Traceback" not in body
    # A small file posted to a form that takes none is ignored, and never written anywhere.
    small, content_type = multipart("evil.html", b"<script>alert(1)</script>")
    response = client_request.client.post(
        f"/boards/{board.slug}/admin/people/new", data=small, content_type=content_type
    )
    assert response.status_code == 200
    assert files_under("tracker/static", "templates", "instance") == before


def test_no_secret_or_personal_data_in_the_logs(app, client_request, session, caplog):
    """A sign-in, a reset, a reminder and a delivery (one refused): the logs name messages by
    id and mask addresses; no password, token, e-mail body or SMTP password appears."""
    import logging
    from datetime import UTC, date, datetime

    from jobs.schedule import run
    from tests.smtp_sink import SmtpSink
    from tracker.mail import SmtpSettings, flush

    caplog.set_level(logging.DEBUG)
    board = factories.board()
    lead = factories.person(board, Role.LEAD, email="david.clarke@example.org")
    factories.meeting(board, date(2021, 9, 8))
    factories.action(
        factories.area(factories.plan(board, "CYPP", 2021, 2022)),
        text="Action with a private detail",
        leads=[lead],
        months=[date(2021, 9, 1)],
    )
    session.commit()
    client_request.client.post("/sign-in", data={"email": lead.email, "password": "wrong-guess-1"})
    client_request.client.post(
        "/sign-in", data={"email": lead.email, "password": factories.PASSWORD}
    )
    client_request.client.post("/password-reset", data={"email": lead.email})
    run(session, "reminders", datetime(2021, 8, 10, 7, tzinfo=UTC))
    sink = SmtpSink().start()
    try:
        sink.handler.refuse[lead.email] = f"550 <{lead.email}> mailbox unavailable"
        settings = SmtpSettings(
            host="127.0.0.1", port=sink.port, mail_from="t@example.org", password="smtp-secret-pw"
        )
        flush(session, datetime(2021, 8, 10, 8, tzinfo=UTC), settings)
    finally:
        sink.stop()
    messages = session.scalars(select(OutboxMessage)).all()
    assert {m.kind for m in messages} == {"password_reset", "reminder"}
    assert {m.last_error is not None for m in messages} == {True}

    # The app's own logs and its libraries'; not the test SMTP server's.
    logs = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("mail.log"))
    assert "not delivered" in logs and "job reminders" in logs
    assert "d***@example.org" in logs
    assert lead.email not in logs
    secrets = [factories.PASSWORD, "wrong-guess-1", "smtp-secret-pw", app.config["SECRET_KEY"]]
    for message in messages:
        secrets += [message.body_text, message.body_html, message.subject]
        secrets += [line for line in message.body_text.splitlines() if "/password-reset/" in line]
    assert [s for s in secrets if s and s in logs] == []
