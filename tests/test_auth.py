import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests import factories
from tests.helpers import error_summary, h1
from tracker import clock
from tracker.auth.invitations import AlreadyMember, invite
from tracker.extensions import db
from tracker.models import Invitation, Membership, OutboxMessage, Person, Role


def sign_in(client_request, email, password=factories.PASSWORD, **kwargs):
    return client_request.post(
        "auth.sign_in", _data={"email": email, "password": password}, **kwargs
    )


def link_in(message: OutboxMessage) -> str:
    """The path of the link in an e-mail, checked to be in both the text and the HTML."""
    url = re.search(r"http://\S+", message.body_text).group(0)
    assert url in message.body_html
    return url.removeprefix("http://127.0.0.1:5000")


@pytest.fixture
def board(session):
    return factories.board()


@pytest.mark.parametrize(
    ("role", "landing"),
    [
        (Role.LEAD, "/my-actions"),
        (Role.CHAIR, "/overdue"),
        (Role.ADMIN, "/"),
        (Role.MEMBER, "/"),
    ],
)
def test_sign_in_lands_on_the_page_for_the_role(client_request, session, board, role, landing):
    person = factories.person(board, role)
    session.commit()
    sign_in(client_request, person.email.upper(), _expected_redirect="/")
    client_request.get("auth.home", _expected_redirect=f"/boards/{board.slug}{landing}")
    assert person.last_signed_in_at is not None


def test_person_on_several_boards_chooses_one(client_request, session):
    first, second = factories.board("Alpha"), factories.board("Beta")
    person = factories.person(first, Role.CHAIR)
    session.add(Membership(board=second, person=person, role=Role.MEMBER))
    session.commit()
    client_request.login(person)
    page = client_request.get("auth.home")
    assert h1(page) == "Your boards"
    assert [a.text for a in page.select("main li a")] == ["Alpha", "Beta"]


@pytest.mark.parametrize("password", ["wrong password!", ""])
def test_wrong_password_and_unknown_address_get_the_same_answer(client_request, board, password):
    person = factories.person(board)
    known = sign_in(client_request, person.email, password)
    unknown = sign_in(client_request, "nobody@example.org", password or "x")
    if password:
        assert (
            error_summary(known)
            == error_summary(unknown)
            == ["Enter a correct e-mail address and password"]
        )
    else:
        assert error_summary(known) == ["Enter your password"]


def test_invited_person_without_password_cannot_sign_in(client_request, board):
    person = factories.person(board, password=None)
    page = sign_in(client_request, person.email, "anything at all")
    assert error_summary(page) == ["Enter a correct e-mail address and password"]


def test_failures_slow_an_account_down_but_never_lock_out_the_right_password(
    app, client_request, session, board, clock
):
    """OWASP: a growing delay per account. Wrong passwords typed for someone make their next
    try wait seconds, then minutes at most; after the wait the right password works."""
    person = factories.person(board)
    session.commit()
    start = clock.set(clock.now())
    for _ in range(app.config["SIGN_IN_FREE_FAILURES"]):
        sign_in(client_request, person.email, "wrong password!")
    page = sign_in(client_request, person.email)
    assert error_summary(page) == [
        "Too many failed sign-ins for this address. Wait 2 seconds, then try again."
    ]
    for n in range(1, 8):  # each wrong try after its wait doubles the next wait
        start += app.config["SIGN_IN_DELAY"] * 2**n
        clock.set(start)
        sign_in(client_request, person.email, "wrong password!")
    page = sign_in(client_request, "Ghost@example.org".lower())
    assert error_summary(page) == ["Enter a correct e-mail address and password"]
    page = sign_in(client_request, person.email)
    assert error_summary(page) == [
        "Too many failed sign-ins for this address. Wait 2 minutes, then try again."
    ]
    clock.set(start + app.config["SIGN_IN_MAX_DELAY"])
    sign_in(client_request, person.email, _expected_redirect="/")


def test_an_unknown_address_is_slowed_down_like_a_known_one(app, client_request, session, board):
    factories.person(board, email="known@example.org")
    session.commit()
    answers = []
    for email in ("known@example.org", "ghost@example.org"):
        for _ in range(app.config["SIGN_IN_FREE_FAILURES"]):
            sign_in(client_request, email, "wrong password!")
        answers.append(error_summary(sign_in(client_request, email)))
    assert answers[0] == answers[1]


def test_one_client_address_is_stopped_however_many_accounts_it_tries(
    app, client_request, session, board, monkeypatch, clock
):
    """OWASP: a hard limit per client address, so one password cannot be sprayed across
    many accounts; other addresses, and the accounts' owners, are not held up."""
    monkeypatch.setitem(app.config, "SIGN_IN_CLIENT_MAX_FAILURES", 5)
    person = factories.person(board)
    session.commit()
    for n in range(5):
        sign_in(client_request, f"someone{n}@example.org", "Password1234")
    page = sign_in(client_request, person.email)
    assert error_summary(page) == [
        "Too many failed sign-ins from your network. Try again in 60 minutes."
    ]
    elsewhere = app.test_client()
    response = elsewhere.post(
        "/sign-in",
        data={"email": person.email, "password": factories.PASSWORD},
        environ_base={"REMOTE_ADDR": "192.0.2.7"},
    )
    assert response.status_code == 302
    clock.set(clock.now() + app.config["SIGN_IN_FAILURE_WINDOW"] + timedelta(seconds=1))
    sign_in(client_request, person.email, _expected_redirect="/")


def test_the_client_address_is_read_through_the_proxies_named(session, board, database_url):
    from tracker import create_app
    from tracker.models import SignInThrottle

    app = create_app(
        "test",
        {"SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": False, "PROXY_COUNT": 1},
    )
    session.commit()
    app.test_client().post(
        "/sign-in",
        data={"email": "a@example.org", "password": "wrong password!"},
        headers={"X-Forwarded-For": "203.0.113.9, 198.51.100.2"},
    )
    with app.app_context():
        db.engine.dispose()  # its own pool: left open, its connections warn when collected
    keys = set(session.scalars(select(SignInThrottle.key)))
    assert keys == {"account:a@example.org", "client:198.51.100.2"}


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/account/password", "/account/password"),
        ("//evil.example/", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_sign_in_returns_only_to_paths_on_this_site(client_request, board, next_url, expected):
    person = factories.person(board)
    response = client_request.client.post(
        "/sign-in?" + f"next={next_url}",
        data={"email": person.email, "password": factories.PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_signing_out_ends_sessions_everywhere(app, client_request, session, board):
    person = factories.person(board, Role.LEAD)
    session.commit()
    other_browser = app.test_client()
    with other_browser.session_transaction() as s:
        s["_user_id"] = person.get_id()
    client_request.login(person)
    client_request.post("auth.sign_out", _expected_redirect="/sign-in")
    response = other_browser.get("/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in")


def test_sign_out_needs_a_post(client_request, board):
    client_request.login(factories.person(board))
    assert client_request.client.get("/sign-out").status_code == 405


def test_password_change_keeps_this_browser_and_ends_others(app, client_request, session, board):
    person = factories.person(board, Role.CHAIR)
    session.commit()
    other_browser = app.test_client()
    with other_browser.session_transaction() as s:
        s["_user_id"] = person.get_id()
    client_request.login(person)
    client_request.post(
        "auth.change_password",
        _data={
            "current_password": factories.PASSWORD,
            "new_password": "a brand new passphrase",
            "confirm_password": "a brand new passphrase",
        },
        _expected_redirect="/",
    )
    assert client_request.client.get("/account/password").status_code == 200
    assert other_browser.get("/account/password").status_code == 302
    mail = session.scalars(select(OutboxMessage)).one()
    assert mail.kind == "password_changed" and mail.recipient == person.email


@pytest.mark.parametrize(
    ("current", "new", "confirm", "errors"),
    [
        (
            "wrong one",
            "a brand new passphrase",
            "a brand new passphrase",
            ["Your current password is not correct"],
        ),
        (factories.PASSWORD, "short", "short", ["Password must be 12 characters or more"]),
        (
            factories.PASSWORD,
            "a brand new passphrase",
            "something else",
            ["The two passwords do not match"],
        ),
        (
            "",
            "",
            "",
            ["Enter your current password", "Enter a new password", "Confirm your new password"],
        ),
    ],
)
def test_change_password_errors(client_request, session, board, current, new, confirm, errors):
    person = factories.person(board)
    before = person.password_hash
    client_request.login(person)
    page = client_request.post(
        "auth.change_password",
        _data={"current_password": current, "new_password": new, "confirm_password": confirm},
    )
    assert error_summary(page) == errors
    session.refresh(person)
    assert person.password_hash == before


def test_reset_answers_the_same_for_known_and_unknown(client_request, session, board):
    person = factories.person(board)
    session.commit()
    known = client_request.post("auth.request_reset", _data={"email": person.email})
    unknown = client_request.post("auth.request_reset", _data={"email": "nobody@example.org"})
    assert h1(known) == h1(unknown) == "Check your e-mail"
    # Both ways one e-mail goes to the address: a link, or word that it has no account.
    to_known, to_unknown = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
    assert (to_known.recipient, to_unknown.recipient) == (person.email, "nobody@example.org")
    assert to_known.subject == to_unknown.subject
    assert "/password-reset/" in to_known.body_text
    assert "no account uses it" in to_unknown.body_text
    assert "/password-reset/" not in to_unknown.body_text


def test_reset_link_works_once(client_request, session, board):
    person = factories.person(board, Role.LEAD)
    session.commit()
    client_request.post("auth.request_reset", _data={"email": person.email})
    client_request.post("auth.request_reset", _data={"email": person.email})
    message = session.scalars(select(OutboxMessage)).one()
    path = link_in(message)
    assert client_request.client.get(path).status_code == 200
    data = {"new_password": "my new passphrase", "confirm_password": "my new passphrase"}
    assert client_request.client.post(path, data=data).status_code == 302
    client_request.logout()
    assert client_request.client.post(path, data=data).status_code == 410
    sign_in(client_request, person.email, "my new passphrase", _expected_redirect="/")


def test_expired_and_garbage_reset_links(app, client_request, session, board, monkeypatch):
    person = factories.person(board)
    session.commit()
    client_request.post("auth.request_reset", _data={"email": person.email})
    path = link_in(session.scalars(select(OutboxMessage)).one())
    monkeypatch.setitem(app.config, "PASSWORD_RESET_MAX_AGE", timedelta(seconds=-1))
    assert client_request.client.get(path).status_code == 410
    assert client_request.client.get("/password-reset/not-a-token").status_code == 410


def test_invitation_is_accepted_by_a_post_from_its_page(client_request, session, board):
    admin = factories.person(board, Role.ADMIN)
    invite(
        session,
        board=board,
        email="New.Lead@Example.org",
        name="New Lead",
        role=Role.LEAD,
        invited_by=admin,
        now=clock.now(),
    )
    session.commit()
    message = session.scalars(select(OutboxMessage)).one()
    assert message.recipient == "new.lead@example.org" and message.board_id == board.id
    path = link_in(message)
    page = client_request.client.get(path)
    assert page.status_code == 200
    assert session.scalars(select(Invitation)).one().accepted_at is None
    response = client_request.client.post(
        path,
        data={
            "name": "Nia Lead",
            "new_password": "a long new passphrase",
            "confirm_password": "a long new passphrase",
        },
    )
    assert response.status_code == 302
    person = session.scalars(select(Person).where(Person.email == "new.lead@example.org")).one()
    assert person.name == "Nia Lead" and person.is_active
    assert client_request.client.get(path).status_code == 200  # "you already have an account"


def test_expired_invitation(client_request, session, board):
    invite(
        session,
        board=board,
        email="late@example.org",
        name="Late",
        role=Role.MEMBER,
        invited_by=None,
        now=datetime(2020, 1, 1, tzinfo=UTC),
    )
    session.commit()
    path = link_in(session.scalars(select(OutboxMessage)).one())
    assert client_request.client.get(path).status_code == 410
    assert client_request.client.get("/invitations/unknown").status_code == 404


def test_inviting_an_active_member_again_is_refused(session, board):
    person = factories.person(board)
    with pytest.raises(AlreadyMember):
        invite(
            session,
            board=board,
            email=person.email,
            name="x",
            role=Role.LEAD,
            invited_by=None,
            now=clock.now(),
        )


def test_a_link_from_an_email_leads_through_sign_in_back_to_the_form(client_request, session):
    from datetime import date

    board = factories.board()
    lead = factories.person(board, Role.LEAD)
    action = factories.action(
        factories.area(factories.plan(board)), leads=[lead], months=[date(2021, 9, 1)]
    )
    form = f"/boards/{board.slug}/actions/{action.id}/updates/new"
    response = client_request.client.get(form)
    assert response.status_code == 302
    sign_in_url = response.headers["Location"]
    assert sign_in_url.startswith("/sign-in?next=")
    response = client_request.client.post(
        sign_in_url, data={"email": lead.email, "password": factories.PASSWORD}
    )
    assert response.headers["Location"] == form
