"""Every plain-text e-mail, read as it arrives in a mail client: delivered through the outbox
to a real SMTP server, its text part decoded, each list item on a line of its own, every
address standing alone up to white space (as a client finds a link: to the end of the
non-blank run), and each address opening, for the person it was sent to, the action or
page its item names."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.message import Message
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from config.settings import ROOT
from jobs.daily_email import send_daily_emails
from jobs.meetings import compile_forward_plans, send_digests
from jobs.reminders import send_chasers, send_reminders
from tests import factories, replies
from tests.helpers import text
from tests.moments import london
from tests.smtp_sink import SmtpSink
from tracker import clock
from tracker.inbound.process import process_pending, store
from tracker.inbound.tokens import reply_address
from tracker.mail import SmtpSettings, flush
from tracker.meetings.forward_plan import record
from tracker.models import (
    ActionStatus,
    ForwardPlanItem,
    ForwardPlanKind,
    Person,
    ProgressUpdate,
    Rag,
    Role,
)

TEMPLATES = sorted(
    p.stem for p in (ROOT / "templates" / "emails").glob("*.txt") if not p.name.startswith("_")
)
# A mail client takes an address to the end of its run of non-blank characters.
ADDRESS = re.compile(r"https?://\S+")
ITEM = re.compile(r"^(?:- |\d+\. )(?P<title>.+)$")


@dataclass
class Item:
    """A list item as a reader sees it: its line, and the indented lines under it."""

    title: str
    lines: list[str] = field(default_factory=list)

    @property
    def addresses(self) -> list[str]:
        return [a for line in [self.title, *self.lines] for a in ADDRESS.findall(line)]


def items(body: str) -> list[Item]:
    """The list items of a plain-text body: a line starting "- " or "3. ", and the indented
    lines after it (an empty line, or one at the margin, ends it)."""
    found: list[Item] = []
    current = None
    for line in body.split("\n"):
        match = ITEM.match(line)
        if match:
            current = Item(match["title"])
            found.append(current)
        elif current is not None and line.startswith(" "):
            if line.strip():
                current.lines.append(line.strip())
        else:
            current = None
    return found


def plain_text(message: Message) -> str:
    (part,) = [p for p in message.walk() if p.get_content_type() == "text/plain"]
    return part.get_payload(decode=True).decode(part.get_content_charset()).replace("\r\n", "\n")


@pytest.fixture
def september(app, session, monkeypatch):
    """The board of the 8 September 2021 meeting (updates due 24 August), with one of
    everything its e-mails list: the 9 June meeting left an item unreached, an action is
    overdue since July, one is red, a reading is late, a lead wants one e-mail a day, and an
    action's text and an update's run over several lines."""
    monkeypatch.setitem(app.config, "UPDATES_ADDRESS", "updates@example.org")
    board = factories.board("Children's Trust Board")
    admin = factories.person(board, Role.ADMIN, name="Sam Patel", email="admin@example.org")
    chair = factories.person(board, Role.CHAIR, email="chair@example.org")
    lead = factories.person(board, Role.LEAD, name="David Clarke", email="lead@example.org")
    daily = factories.person(board, Role.LEAD, email="daily@example.org")
    daily.one_email_a_day = True
    factories.person(board, Role.MEMBER, email="member@example.org")
    plan = factories.plan(board, "CYPP", 2021, 2022)
    safe = factories.area(plan, "Be Safe")
    june = factories.meeting(board, date(2021, 6, 9))
    factories.meeting(board, date(2021, 9, 8), focus=safe)
    september = [date(2021, 9, 1)]
    actions = [
        factories.action(
            safe, text="Embed the domestic abuse pathway", leads=[lead], months=september
        ),
        factories.action(
            safe,
            text="Agree a multi-agency plan\nfor children on part-time timetables",
            leads=[lead],
            months=september,
        ),
        factories.action(safe, text="Overdue since July", leads=[lead], months=[date(2021, 7, 1)]),
        factories.action(safe, text="Review SEND support", leads=[daily], months=september),
    ]
    actions[0].rag = Rag.RED
    left = ForwardPlanItem(
        meeting=june, position=0, kind=ForwardPlanKind.ADDED, text="Update on the Youth Strategy"
    )
    session.add(left)
    session.add(
        ProgressUpdate(
            action=actions[0],
            author=lead,
            text="Training delivered:\n1. to 40 staff\n2. to the police\n\nMore in October.",
            status=ActionStatus.ON_TRACK,
            rag=Rag.RED,
            created_at=datetime(2021, 8, 2, 9, tzinfo=UTC),
        )
    )
    session.flush()
    record(june, summary="", reviewed_ids=set(), now=datetime(2021, 6, 10, tzinfo=UTC))
    factories.indicator(board, lead, readings={date(2021, 1, 1): 12.0})
    session.commit()
    return dict(
        board=board,
        admin=admin,
        lead=lead,
        actions=actions,
        people={p.email: p for p in (admin, chair, lead, daily)},
    )


def queue_one_of_each(client_request, session, clock, world) -> None:
    """Every kind of e-mail, from the jobs on their days and from the pages as people use
    them."""
    for day in (date(2021, 6, 30), date(2021, 8, 10)):  # reading; progress updates, daily
        send_reminders(session, clock.set(london(day)))
        send_daily_emails(session, clock.set(london(day, 9)))
    send_chasers(session, clock.set(london(date(2021, 7, 19))))  # the reading, 5 days late
    compile_forward_plans(session, clock.set(london(date(2021, 8, 18), 7)))
    for day in (date(2021, 8, 31), date(2021, 9, 6), date(2021, 9, 13)):  # escalated on the 3rd
        send_chasers(session, clock.set(london(day)))
    send_digests(session, clock.set(london(date(2021, 9, 1), 7)))
    session.commit()
    clock.set(london(date(2021, 9, 14), 10))
    client_request.login(world["admin"])
    client_request.post(
        "admin.invite_person",
        board_slug=world["board"].slug,
        _data={"email": "new.lead@example.org", "name": "New Lead", "role": "lead"},
        _expected_redirect=f"/boards/{world['board'].slug}/admin/people",
    )
    client_request.post(
        "auth.change_password",
        _data={
            "current_password": factories.PASSWORD,
            "new_password": "a new and long enough password",
            "confirm_password": "a new and long enough password",
        },
        _expected_redirect="/",
    )
    client_request.logout()
    for email in ("lead@example.org", "nobody@example.org"):
        client_request.post("auth.request_reset", _data={"email": email})
    reply_by_email(session, world, clock.now())


def reply_by_email(session, world, now) -> None:
    """A lead's reply to a reminder, posted and confirmed; and one with nothing new in it,
    answered with what to do instead."""
    lead, action = world["lead"], world["actions"][0]
    to = reply_address(lead, action, now.date()).address
    for reply in ("On track: the pathway is in every agency's induction.", "> quoted only"):
        store(
            session,
            replies.plain(to, reply, sender=f"{lead.name} <{lead.email}>"),
            via="smtp",
            recipients=[to],
            mail_from=lead.email,
            now=now,
        )
    process_pending(session, now)


def delivered(session) -> list[Message]:
    sink = SmtpSink().start()
    try:
        settings = SmtpSettings(host="127.0.0.1", port=sink.port, mail_from="tracker@example.org")
        result = flush(session, clock.now(), settings)
        assert result.failed == result.retrying == 0, result.errors
        return list(sink.messages)
    finally:
        sink.stop()


def open_as(client_request, person, address: str) -> BeautifulSoup:
    """The page at ``address`` as ``person`` (signed out: None) sees it; it must open."""
    if person is None:
        client_request.logout()
    else:
        client_request.login(person)
    response = client_request.client.get(urlsplit(address).path)
    assert response.status_code == 200, (address, response.status_code)
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def main_text(page: BeautifulSoup) -> str:
    return text(page.find("main"))


def test_every_plain_text_email_reads_as_a_mail_client_reads_it(
    client_request, session, september, clock
):
    queue_one_of_each(client_request, session, clock, september)
    messages = delivered(session)
    bodies: dict[str, list[tuple[str, str]]] = {}
    for message in messages:
        bodies.setdefault(_template(message), []).append((message["To"], plain_text(message)))
    assert sorted(bodies) == TEMPLATES, "an e-mail template with no reading test"

    people = {p.email: p for p in session.scalars(select(Person))}
    for template, sent in bodies.items():
        for recipient, body in sent:
            person = people.get(recipient)
            for address in ADDRESS.findall(body):
                # Each address ends where the white space after it starts: nothing of the
                # next item (".../actions/15" then "3. Increase..." reads ".../actions/153.").
                assert body[body.index(address) + len(address) :][:1] in ("", "\n", " "), address
                assert re.fullmatch(r"https?://[^\s]+[\w/=-]", address), address
                open_as(
                    client_request,
                    None
                    if template.startswith("password_reset") or template == "invitation"
                    else person,
                    address,
                )
            CHECKS.get(template, _no_items)(client_request, person, body)


def _template(message: Message) -> str:
    subject = str(message["Subject"])
    for start, template in (
        ("Progress updates due from you", "reminder"),
        ("Overdue progress updates", "chaser"),
        ("Chased ", "escalation"),
        ("Performance readings due", "reading_reminder"),
        ("Overdue performance readings", "reading_chaser"),
        ("Forward plan for", "forward_plan"),
        ("Board meeting on", "digest"),
        ("Your Trust Tracker e-mail for", "daily"),
        ("You are invited", "invitation"),
        ("Your Trust Tracker password was changed", "password_changed"),
        ("Your update is posted", "reply_posted"),
        ("Your e-mail to Trust Tracker was not posted", "reply_refused"),
    ):
        if subject.startswith(start):
            return template
    assert subject == "Reset your Trust Tracker password", subject
    return (
        "password_reset_no_account" if message["To"] == "nobody@example.org" else "password_reset"
    )


def _no_items(client_request, person, body):
    assert items(body) == []


def _each_item_opens_its_action(client_request, person, body):
    """Each item names an action and, on its own line, the address that opens it."""
    listed = items(body)
    assert listed
    for item in listed:
        if item.title.startswith(("In-depth review", "Update on the Youth Strategy")):
            assert item.addresses == []  # not an action: nothing to open
            continue
        (address,) = item.addresses
        page = open_as(client_request, person, address)
        named = page.select_one("p.govuk-body-l") or page.find("h1")
        assert item.title.startswith(text(named)), (item.title, text(named))


def _forward_plan(client_request, person, body):
    listed = items(body)
    assert [i.title for i in listed] == [
        "In-depth review: Be Safe",
        "Embed the domestic abuse pathway (due for this meeting)",
        "Agree a multi-agency plan for children on part-time timetables (due for this meeting)",
        "Review SEND support (due for this meeting)",
        "Update on the Youth Strategy (carried over: the last meeting did not reach it)",
        "Overdue since July (still overdue from an earlier month)",
    ]
    _each_item_opens_its_action(client_request, person, body)


def _digest(client_request, person, body):
    listed = items(body)
    assert [i.title for i in listed if "days late" in i.title] == [
        "Overdue since July (33 days late)",
        "Agree a multi-agency plan for children on part-time timetables (8 days late)",
        "Review SEND support (8 days late)",
    ]
    # The update's own lines, a list among them, stay inside its item.
    (update,) = [i for i in listed if i.lines and "by David Clarke" in i.lines[0]]
    assert update.lines == [
        update.lines[0],
        "Training delivered:",
        "1. to 40 staff",
        "2. to the police",
        "More in October.",
        update.addresses[0],
    ]
    for item in listed:
        if item.title.startswith(("In-depth", "Update on the Youth")):
            assert item.addresses == []
            continue
        (address,) = item.addresses
        named = text(open_as(client_request, person, address).find("h1"))
        assert item.title.startswith(named), (item.title, named)


def _readings(client_request, person, body):
    (item,) = items(body)
    assert item.title.startswith("2.5 Reduce the persistent absence")
    (address,) = item.addresses
    assert "2.5" in main_text(open_as(client_request, person, address))


def _daily(client_request, person, body):
    assert body.count("\n== ") == 1  # one part
    _each_item_opens_its_action(client_request, person, body)


CHECKS = {
    "reminder": _each_item_opens_its_action,
    "chaser": _each_item_opens_its_action,
    "escalation": _each_item_opens_its_action,
    "forward_plan": _forward_plan,
    "digest": _digest,
    "reading_reminder": _readings,
    "reading_chaser": _readings,
    "daily": _daily,
}
