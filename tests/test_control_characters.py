"""Control characters typed or pasted anywhere are dropped where the text comes in (issue 13,
item 16; issue 12): PostgreSQL refuses NUL in a text column, and a vertical tab breaks every
Word and Excel file the text would go into.

The form test finds the forms as a person would, by following the links of every page from
the home page, and posts each with control characters in every field: so a form added
later is tried too.
"""

from __future__ import annotations

import io
import json
import re
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from flask_wtf import FlaskForm
from sqlalchemy import JSON, String, Text, select

from tests import factories
from tracker import clock
from tracker.auth.invitations import token_hash
from tracker.auth.resets import make_token
from tracker.calendars.feed import feed
from tracker.extensions import db
from tracker.forms import Form
from tracker.mail import SmtpSettings, flush
from tracker.models import (
    Action,
    Agency,
    AreaPriority,
    Board,
    ForwardPlanItem,
    ForwardPlanKind,
    Invitation,
    OutboxMessage,
    Person,
    Role,
)
from tracker.outbox import enqueue

# NUL, start of heading, vertical tab, form feed, escape, delete, next line (C1).
CONTROL = "\x00\x01\x0b\x0c\x1b\x7f\x85"
UNWANTED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
DOWNLOADS = re.compile(r"\.(xlsx|docx|csv|json|pdf|html|ics)$|/html$")
# Posted last: they take away what the other forms are on, or the session itself.
LAST = re.compile(r"/(archive|remove|sign-out)$")
IMPORTS = ("/admin/import", "/framework/import")
INVITATION_TOKEN = "an-invitation-token-for-the-test"  # noqa: S105


def _subclasses(cls: type) -> list[type]:
    return [c for sub in cls.__subclasses__() for c in (sub, *_subclasses(sub))]


def test_every_form_in_the_app_cleans_what_is_posted(app):
    forms = [f for f in _subclasses(FlaskForm) if f.__module__.startswith("tracker.")]
    assert len(forms) > 20
    assert [f"{f.__module__}.{f.__qualname__}" for f in forms if not issubclass(f, Form)] == []


def typed(value: str) -> str:
    """``value`` with control characters in the middle, where cleaning leaves it as it was."""
    return value[:1] + CONTROL + value[1:]


def _default(field) -> str:
    """Something a person might type in an empty text box of this kind."""
    name = field.get("name", "")
    if field.get("type") == "email" or "email" in name:
        return "new.person@example.org"
    if name.endswith("-year") or name.endswith("_year"):
        return f"{clock.today().year + 1}"
    if name.endswith("-month"):
        return "6"
    if name.endswith("-day"):
        return "15"
    if field.get("inputmode") == "numeric":
        return "3"
    if "password" in name:
        return "correct horse battery staple again"
    return "Words as typed"


def upload(path: str, text=lambda value: value) -> tuple[io.BytesIO, str]:
    """A file for the upload form at ``path``: indicator readings or a plan, its text as
    ``text`` makes it."""
    if path.endswith("/framework/import"):
        # A CSV file holding a NUL is refused as not text, so the other characters only.
        note = text("Note here").replace("\x00", "")
        body = f"indicator number,period,value,note\n2.5,2021 Q1,12,{note}\n"
        return io.BytesIO(body.encode()), "readings.csv"
    plan = {
        "actions": [
            {
                "area": text("Be Safe"),
                "text": text("Relaunch the pathway"),
                "agencies": [text("Thames Valley Police")],
                "measures": [text("Fewer repeat referrals")],
                "leads": [text("Sarah Breton")],
                "reporting_months": ["2021-09"],
                "progress": text("Launched in July"),
            }
        ]
    }
    return io.BytesIO(json.dumps(plan).encode()), "plan.json"


def fill(form, path: str, files=upload, typing=typed) -> dict[str, list]:
    """What a person would send with ``form``: every text field as ``typing`` makes it
    (with control characters), the first choice of every list, the first button, and
    ``files(path)`` for a file."""
    data: dict[str, list] = {}
    button = False
    for field in form.find_all(["input", "textarea", "select", "button"]):
        name = field.get("name")
        if not name or field.has_attr("disabled"):
            continue
        kind = field.get("type", "text") if field.name == "input" else field.name
        if kind in ("submit", "button", "image"):
            if not button:
                data.setdefault(name, []).append(field.get("value", ""))
                button = True
        elif kind == "select":
            options = field.find_all("option")
            picked = [o for o in options if o.has_attr("selected")]
            picked = picked or [o for o in options if o.get("value")][:1]
            data.setdefault(name, []).extend(o.get("value", o.text) for o in picked)
        elif kind == "radio":
            if field.has_attr("checked") or name not in data:
                data[name] = [field.get("value", "on")]
        elif kind == "checkbox":
            if field.has_attr("checked") or name not in data:
                data.setdefault(name, []).append(field.get("value", "on"))
        elif kind == "file":
            data[name] = [files(path)]
        elif kind == "hidden":
            data.setdefault(name, []).append(field.get("value", ""))
        elif kind == "textarea":
            data.setdefault(name, []).append(typing(field.text.strip() or "Words as typed"))
        else:
            data.setdefault(name, []).append(typing(field.get("value") or _default(field)))
    return data


@pytest.fixture
def everything(session):
    """A board with one of everything a form works on."""
    today = clock.today()
    board = factories.board("Children's Trust Board")
    admin = factories.person(board, Role.ADMIN, email="admin@example.org")
    factories.person(board, Role.CHAIR, email="chair@example.org")
    lead = factories.person(board, Role.LEAD, email="lead@example.org")
    member = factories.person(board, Role.MEMBER, email="member@example.org")
    invited = factories.person(board, Role.LEAD, email="invited@example.org", password=None)
    plan = factories.plan(board, "CYPP 2025–2028", today.year - 1, today.year + 2)
    area = factories.area(plan, "Be Safe", 1)
    area.priorities.append(AreaPriority(plan_year=today.year - 1, text="Focus on domestic abuse"))
    action = factories.action(
        area, text="Embed the pathway", leads=[lead], months=[today.replace(day=1)]
    )
    action.agencies = [factories.agency(board)]
    factories.team(board, contacts=[lead])
    factories.meeting(board, today - timedelta(days=30), focus=area)
    meeting = factories.meeting(board, today + timedelta(days=30), focus=area)
    session.add(
        ForwardPlanItem(
            meeting=meeting, position=0, kind=ForwardPlanKind.DUE, action=action, text=action.text
        )
    )
    factories.indicator(board, lead, area=area, readings={today.replace(month=1, day=1): 12})
    session.add(
        Invitation(
            board_id=board.id,
            person_id=invited.id,
            token_hash=token_hash(INVITATION_TOKEN),
            created_at=clock.now(),
            expires_at=clock.now() + timedelta(days=7),
        )
    )
    session.commit()
    return dict(board=board, admin=admin, member=member)


def _pages(client, start: str) -> list[tuple[str, BeautifulSoup]]:
    """Every page reachable by links from ``start``, without their query strings or the
    downloads, each with its parsed HTML."""
    seen, queue, pages = {start}, [start], []
    while queue:
        path = queue.pop(0)
        response = client.get(path, follow_redirects=True)
        assert response.status_code < 500, f"GET {path}: {response.status_code}"
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        path = response.request.path
        seen.add(path)
        page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        pages.append((path, page))
        for link in page.find_all("a", href=True):
            target = link["href"].split("#")[0].split("?")[0]
            if target.startswith("/") and not target.startswith("/static/"):
                if target not in seen and not DOWNLOADS.search(target):
                    seen.add(target)
                    queue.append(target)
    return pages


def _page(client, path: str) -> tuple[str, BeautifulSoup]:
    response = client.get(path)
    assert response.status_code == 200, f"GET {path}: {response.status_code}"
    return path, BeautifulSoup(response.get_data(as_text=True), "html.parser")


def _post_forms(client, pages, login, files=upload) -> list[str]:
    """Posts every form on ``pages`` (and the forms each answer shows, such as an import's
    confirmation), signed in afresh before each; returns the paths posted to."""
    forms = {}
    for path, page in pages:
        for form in page.find_all("form"):
            if form.get("method", "get").lower() == "post":
                forms.setdefault(form.get("action") or path, (form, path))
    posted = []
    for action in sorted(forms, key=lambda a: bool(LAST.search(a))):
        form, path = forms[action]
        pending = [(action, form)]
        while pending:
            action, form = pending.pop()
            login()
            response = client.post(action, data=fill(form, action, files), follow_redirects=True)
            assert response.status_code < 500, f"POST {action} (from {path})"
            posted.append(action)
            # An answer shown in place of a redirect may hold the next step's form.
            if not response.history and response.mimetype == "text/html":
                answer = BeautifulSoup(response.get_data(as_text=True), "html.parser")
                for follow in answer.find_all("form", method=re.compile("post", re.I)):
                    target = follow.get("action") or action
                    if target not in forms and target not in posted:
                        pending.append((target, follow))
    return posted


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = [*value, *value.values()]
    return [s for item in value for s in _strings(item)] if isinstance(value, list) else []


def stored_control_characters(session) -> list[tuple[str, str]]:
    """Every (table.column, value) in the database that holds a control character."""
    found = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, String | Text | JSON):
                for value in session.scalars(select(column).where(column.is_not(None))):
                    found += [(f"{column}", s) for s in _strings(value) if UNWANTED.search(s)]
    return found


def test_control_characters_posted_through_every_form_are_dropped(
    app, session, client_request, everything
):
    client = client_request.client
    admin = everything["admin"]

    def as_admin():
        session.refresh(admin)  # a new password gives the person a new session token
        client_request.login(admin)

    as_admin()
    pages = _pages(client, "/")
    paths = [path for path, _ in pages]
    assert any("/admin/actions/" in p for p in paths) and any("/meetings/" in p for p in paths)
    posted = _post_forms(client, pages, as_admin)

    client_request.logout()
    anonymous = _pages(client, "/sign-in") + [
        _page(client, path)
        for path in (
            "/password-reset",
            f"/password-reset/{make_token(everything['member'])}",
            f"/invitations/{INVITATION_TOKEN}",
        )
    ]
    posted += _post_forms(client, anonymous, client_request.logout)

    for form in (
        "/admin/agencies/new",
        "/admin/actions/new",
        "/admin/people/new",
        "/updates/new",
        "/framework/import",
        "/admin/import",
        "/admin/import/confirm",
        "/items",
        "/record",
        "/sign-in",
        "/password-reset",
        "/invitations/",
        "/account/password",
    ):
        assert any(form in path for path in posted), f"no form posted to …{form}"
    assert stored_control_characters(session) == []
    # What was typed is kept, without the control characters.
    assert session.scalar(select(Agency).where(Agency.name == "Words as typed")) is not None
    assert session.scalar(select(Action).where(Action.text == "Relaunch the pathway"))


def test_control_characters_in_imported_files_are_dropped(
    app, session, client_request, everything, tmp_path
):
    admin, slug = everything["admin"], everything["board"].slug
    client_request.login(admin)
    pages = [_page(client_request.client, f"/boards/{slug}{p}") for p in IMPORTS]
    posted = _post_forms(
        client_request.client,
        pages,
        lambda: client_request.login(admin),
        files=lambda path: upload(path, typed),
    )
    assert sum(path.endswith("/confirm") for path in posted) == 2
    data, _ = upload("plan.json", typed)
    path = tmp_path / "plan.json"
    path.write_bytes(data.getvalue())
    result = app.test_cli_runner().invoke(
        args=["plan", "import", str(path), "--board", "Children's Trust Board", "--plan", "CYPP"]
        + ["--by", admin.email]
    )
    assert result.exit_code == 0, result.output
    assert stored_control_characters(session) == []


def test_text_given_on_the_command_line_is_cleaned(app, session):
    result = app.test_cli_runner().invoke(
        args=["boards", "create", f"North{CONTROL} Board", "--admin-email", "sam@example.org"]
        + ["--admin-name", f"Sam{CONTROL} Patel"]
    )
    assert result.exit_code == 0, result.output
    assert session.scalar(select(Board.name)) == "North Board"
    assert session.scalar(select(Person.name)) == "Sam Patel"
    assert stored_control_characters(session) == []


def test_an_e_mail_queued_before_cleaning_is_still_delivered_clean(app, session, sink):
    # A row queued before the outbox cleaned what it was given (PostgreSQL never held a NUL).
    nul = "\x00" if session.get_bind().dialect.name == "sqlite" else ""
    session.add(
        OutboxMessage(
            key="old:1",
            kind="reminder",
            recipient="lead@example.org",
            subject="Updates due for Be\x0b Safe\nBcc: someone@example.org",
            body_text=f"Embed\x0c the{nul} pathway",
            body_html=f"<p>Embed\x0c the{nul} pathway</p>",
        )
    )
    session.commit()
    settings = SmtpSettings(host="127.0.0.1", port=sink.port, mail_from="tracker@example.org")
    assert flush(session, clock.now(), settings).sent == 1
    (received,) = sink.messages
    assert received["Subject"] == "Updates due for Be Safe Bcc: someone@example.org"
    assert received["Bcc"] is None
    bodies = [p.get_payload(decode=True).decode() for p in received.walk() if not p.is_multipart()]
    assert bodies == ["Embed the pathway", "<p>Embed the pathway</p>"]


def test_the_outbox_queues_e_mails_clean_whatever_their_templates_are_given(app, session):
    enqueue(
        session,
        key="new:1",
        kind="test",
        recipient="lead@example.org",
        subject="Reset\x0b your\u2028password",
        template="password_reset",
        board_id=None,
        link="http://127.0.0.1:5000/reset/\x1b[31mred",
        minutes=60,
    )
    session.commit()
    message = session.scalar(select(OutboxMessage))
    assert message.subject == "Reset your password"
    assert "\x1b" not in message.body_text and "\x1b" not in message.body_html
    assert "[31mred" in message.body_text


def test_the_calendar_feed_drops_control_characters_stored_before_cleaning(app, session):
    today = clock.today()
    board = factories.board("Children's\x0b Trust Board")
    lead = factories.person(board, Role.LEAD)
    plan = factories.plan(board, "CYPP", today.year - 1, today.year + 2)
    area = factories.area(plan, "Be Safe")
    factories.meeting(board, today + timedelta(days=40))
    factories.action(area, text="Embed\x0b the\x1f pathway", leads=[lead], months=[today])
    session.commit()
    body = feed(session, lead, clock.now()).to_ical().decode()
    assert not UNWANTED.search(body)
    unfolded = body.replace("\r\n ", "")
    assert "SUMMARY:Children's Trust Board meeting" in unfolded
    assert "Embed the pathway" in unfolded
