"""Replies by e-mail, sent over SMTP to the real receiver: reply addresses in the reminders,
the reply's new text becoming the update, and every refusal."""

from __future__ import annotations

import email
import smtplib
import socket
from datetime import UTC, date, datetime, timedelta
from email import policy

import pytest
from sqlalchemy import func, select

from jobs.reminders import send_chasers, send_reminders
from tests import factories, replies
from tests.helpers import text
from tests.receiver import Receiver
from tracker import clock
from tracker.actions.standing import assess_actions
from tracker.inbound import reading
from tracker.inbound.process import delete_old, process, process_pending, store
from tracker.inbound.tokens import TokenRefused, make_token, read_token, reply_address
from tracker.mail import SmtpSettings, flush
from tracker.models import (
    ActionStatus,
    AuditEvent,
    InboundMessage,
    InboundStatus,
    OutboxMessage,
    ProgressUpdate,
    Rag,
    Role,
)

# A working Tuesday, ten working days before the update for September 2021 is due.
NOW = datetime(2021, 8, 10, 9, 14, tzinfo=UTC)
MAIL_FROM = "Trust Tracker <no-reply@example.org>"


@pytest.fixture
def board_people(session):
    """The shared board_people, with the names and addresses the e-mails below carry."""
    people = factories.board_with_people(
        "Oxfordshire Children's Trust Board",
        names={Role.ADMIN: "Clerk", Role.CHAIR: "Steve Harrod", Role.LEAD: "David Clarke"},
        emails={
            Role.ADMIN: "clerk@example.org",
            Role.CHAIR: "chair@example.org",
            Role.LEAD: "david.clarke@example.org",
        },
    )
    session.commit()
    return people


@pytest.fixture
def world(app, session, monkeypatch, clock, board_people):
    monkeypatch.setitem(app.config, "UPDATES_ADDRESS", "updates@example.org")
    clock.set(NOW)
    board, lead = board_people.board, board_people.lead
    deputy = factories.person(board, Role.LEAD, name="Maria Godfrey", email="maria@example.org")
    stranger = factories.person(board, Role.LEAD, name="Emma Leaver", email="emma@example.org")
    plan = factories.plan(board, "CYPP 2021–2022", 2021, 2022)
    area = factories.area(plan, "Be Safe")
    factories.meeting(board, date(2021, 9, 8))
    september = [date(2021, 9, 1)]
    action = factories.action(
        area, text="Embed the young people's domestic abuse pathway", leads=[lead], months=september
    )
    other = factories.action(
        area, text="Launch the parenting offer", leads=[lead], months=september
    )
    session.commit()
    return dict(
        board=board,
        lead=lead,
        deputy=deputy,
        stranger=stranger,
        admin=board_people.admin,
        chair=board_people.chair,
        action=action,
        other=other,
    )


@pytest.fixture
def receiver(app):
    with Receiver(app) as running:
        yield running


def address(world, person="lead", action="action", issued=NOW) -> str:
    return reply_address(world[person], world[action], issued.date()).address


def deliver(session, sink) -> list[email.message.EmailMessage]:
    """Send the outbox to the sink; the messages as the recipients' programs see them."""
    settings = SmtpSettings(host="127.0.0.1", port=sink.port, mail_from=MAIL_FROM)
    flush(session, clock.now(), settings)
    session.commit()
    return [email.message_from_bytes(m.as_bytes(), policy=policy.default) for m in sink.messages]


def inbox(session) -> list[InboundMessage]:
    # A new transaction: one begun before the message came would not see it.
    session.commit()
    return session.scalars(select(InboundMessage).order_by(InboundMessage.id)).all()


def updates(session, action) -> list[ProgressUpdate]:
    session.commit()
    return session.scalars(
        select(ProgressUpdate).where(ProgressUpdate.action_id == action.id)
    ).all()


def answers(session, kind="reply_refused") -> list[OutboxMessage]:
    session.commit()
    return session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind)).all()


# Reply addresses in the reminders and chasers.


def test_each_action_of_a_reminder_has_its_own_reply_address(session, world, sink):
    send_reminders(session, NOW)
    session.commit()
    [reminder] = deliver(session, sink)
    lead, action, other = world["lead"], world["action"], world["other"]
    body = reminder.get_body(("plain",)).get_content()
    rich = reminder.get_body(("html",)).get_content()
    for each in (action, other):
        reply = reply_address(lead, each, NOW.date())
        token = read_token(reply.address.split("+")[1].split("@")[0])
        assert (token.person_id, token.action_id) == (lead.id, each.id)
        assert f"Reply by e-mail: {reply.mailto}\n" in body
        assert f'<a href="{reply.mailto}">Reply by e-mail</a>' in rich
    assert reply.mailto.startswith("mailto:updates+") and "?subject=Progress%20update%3A%20" in (
        reply.mailto
    )
    # Two actions listed: replying to the e-mail itself goes to the sender, not one action.
    assert reminder["Reply-To"] is None
    assert len(reply.address.split("@")[0]) <= 64


def test_a_reminder_of_one_action_replies_to_it_and_a_deputy_gets_their_own(session, world, sink):
    world["other"].status = ActionStatus.COMPLETE
    lead, deputy = world["lead"], world["deputy"]
    lead.away_until, lead.deputy = date(2021, 8, 31), deputy
    session.commit()
    send_reminders(session, NOW)
    session.commit()
    [reminder] = deliver(session, sink)
    assert reminder["X-Envelope-To"] == deputy.email
    assert reminder["Reply-To"] == address(world, "deputy")
    assert address(world, "lead") not in reminder.get_body(("plain",)).get_content()


def test_chasers_carry_reply_addresses_too(session, world, sink):
    monday = datetime(2021, 9, 6, 7, tzinfo=UTC)
    send_chasers(session, monday)
    session.commit()
    [chaser] = deliver(session, sink)
    for each in ("action", "other"):
        reply = reply_address(world["lead"], world[each], monday.date())
        assert reply.mailto in chaser.get_body(("plain",)).get_content()


def test_no_reply_addresses_without_updates_address_or_for_a_lead_without_one(
    app, session, world, sink, monkeypatch
):
    no_address = factories.person()
    no_address.email = None
    assert reply_address(no_address, world["action"], NOW.date()) is None
    monkeypatch.setitem(app.config, "UPDATES_ADDRESS", None)
    assert reply_address(world["lead"], world["action"], NOW.date()) is None
    send_reminders(session, NOW)
    session.commit()
    [reminder] = deliver(session, sink)
    assert "Reply by e-mail" not in reminder.get_body(("plain",)).get_content()
    assert reminder["Reply-To"] is None


def test_tokens_cannot_be_altered_or_made_up(app, world):
    token = make_token(world["lead"].id, world["action"].id, NOW)
    assert read_token(token.upper()).action_id == world["action"].id  # case is not kept by all
    altered = make_token(world["lead"].id, world["other"].id, NOW)[:20] + token[20:]
    for bad in (altered, token[:-1] + ("a" if token[-1] != "a" else "b"), "", "abc", "0" * 32):
        with pytest.raises(TokenRefused):
            read_token(bad)


# From a reminder to an update, as a lead does it.


def test_a_lead_replies_to_the_reminder_in_outlook_and_the_action_shows_it(
    session, world, sink, receiver, as_lead
):
    world["other"].status = ActionStatus.COMPLETE
    session.commit()
    send_reminders(session, NOW)
    session.commit()
    [reminder] = deliver(session, sink)
    typed = (
        "At risk: the training venue fell through.\n\nWe have rebooked for 14 October and "
        "the pathway launches after that."
    )
    reply = replies.outlook(reminder, typed)
    receiver.send(reply, to=reminder["Reply-To"])

    [update] = updates(session, world["action"])
    assert update.text == (
        "The training venue fell through.\n\nWe have rebooked for 14 October and the pathway "
        "launches after that."
    )
    assert (update.status, update.rag, update.by_email) == (ActionStatus.AT_RISK, None, True)
    assert update.author_id == world["lead"].id and update.created_at == NOW
    page = as_lead.get("actions.show", board_slug=world["board"].slug, action_id=world["action"].id)
    card = text(page.select_one(".govuk-summary-card"))
    assert "David Clarke, by e-mail" in card and "We have rebooked for 14 October" in card
    assert "At risk" in text(page.select_one(".govuk-summary-list"))
    # It counts for September's update: no longer due.
    standing = assess_actions(session, world["board"], [world["action"]], NOW.date())[0]
    assert standing.dues[0].update_received

    # The lead is told what was posted, with a link to post a correction.
    [confirmation] = answers(session, "reply_posted")
    assert confirmation.recipient == world["lead"].email
    assert "We have rebooked for 14 October" in confirmation.body_text
    assert f"/actions/{world['action'].id}/updates/new" in confirmation.body_text
    assert confirmation.reply_to == address(world)
    sink.messages.clear()
    [sent] = deliver(session, sink)
    assert sent["Auto-Submitted"] == "auto-replied"


@pytest.mark.parametrize(
    ("program", "typed", "expected"),
    [
        (
            lambda o, t: replies.outlook(o, t),
            "On track. Two family support workers started in July.\n\n- one in Banbury\n"
            "- one in Oxford",
            ("Two family support workers started in July.\n\n- one in Banbury\n- one in Oxford"),
        ),
        (
            lambda o, t: replies.outlook(o, t, html_only=True),
            "Off track\nThe contract was not signed.\n\nWe will re-tender in the autumn.",
            "The contract was not signed.\n\nWe will re-tender in the autumn.",
        ),
        (
            lambda o, t: replies.gmail(o, t),
            "Amber: recruitment is slower than planned.\nTwo of five posts are filled.",
            "Recruitment is slower than planned.\nTwo of five posts are filled.",
        ),
        (
            lambda o, t: replies.apple_mail(o, t),
            "complete, green. The pathway went live on 1 September.",
            "The pathway went live on 1 September.",
        ),
        (
            lambda o, t: replies.apple_mail(o, t, iphone=False),
            "Sessions in all five districts are booked.",
            "Sessions in all five districts are booked.",
        ),
    ],
    ids=["outlook", "outlook-html-only", "gmail", "iphone", "mac-mail"],
)
def test_only_the_new_text_of_each_mail_programs_reply_is_posted(
    session, world, sink, receiver, program, typed, expected
):
    world["other"].status = ActionStatus.COMPLETE
    session.commit()
    send_reminders(session, NOW)
    session.commit()
    [reminder] = deliver(session, sink)
    receiver.send(program(reminder, typed), to=reminder["Reply-To"])
    [update] = updates(session, world["action"])
    assert update.text == expected
    for leftover in ("Kind regards", "From:", "wrote:", "Dear David", "confidential", "iPhone"):
        assert leftover not in update.text


@pytest.mark.parametrize(
    ("typed", "status", "rag", "rest"),
    [
        ("On track\nAll going well.", ActionStatus.ON_TRACK, None, "All going well."),
        ("ON TRACK: all going well.", ActionStatus.ON_TRACK, None, "All going well."),
        ("at risk - funding ends in March", ActionStatus.AT_RISK, None, "Funding ends in March"),
        (
            "Not started; waiting for the data",
            ActionStatus.NOT_STARTED,
            None,
            "Waiting for the data",
        ),
        ("Status: Complete. Done.", ActionStatus.COMPLETE, None, "Done."),
        ("Red. Off track. Behind.", ActionStatus.OFF_TRACK, Rag.RED, "Behind."),
        ("RAG: amber\nSlower than hoped.", None, Rag.AMBER, "Slower than hoped."),
        ("Complete.", ActionStatus.COMPLETE, None, "Complete."),
        ("Green light from the council.", None, None, "Green light from the council."),
        ("Completed the survey.", None, None, "Completed the survey."),
        ("On track we think.", None, None, "On track we think."),
    ],
)
def test_a_first_word_or_line_sets_the_status_and_rag(typed, status, rag, rest):
    assert reading.read_update(typed) == reading.Update(rest, status, rag)


def test_status_and_rag_stay_as_they_were_unless_named(session, world, receiver):
    world["action"].status, world["action"].rag = ActionStatus.AT_RISK, Rag.AMBER
    session.commit()
    receiver.send(replies.plain(address(world), "Still waiting for the contract."), address(world))
    [update] = updates(session, world["action"])
    assert (update.status, update.rag) == (ActionStatus.AT_RISK, Rag.AMBER)


def test_posted_through_the_forms_function_audited_and_after_a_web_update(
    session, world, receiver, as_lead
):
    as_lead.post(
        "actions.post_update",
        board_slug=world["board"].slug,
        action_id=world["action"].id,
        _data={"seen_version": 1, "status": "on_track", "rag": "green", "text": "From the web."},
        _expected_redirect=f"/boards/{world['board'].slug}/actions/{world['action'].id}",
    )
    receiver.send(replies.plain(address(world), "Off track: by e-mail."), address(world))
    texts = [u.text for u in updates(session, world["action"])]
    assert sorted(texts) == ["By e-mail.", "From the web."]
    session.refresh(world["action"])
    assert world["action"].status is ActionStatus.OFF_TRACK and world["action"].version == 3
    trail = session.scalars(
        select(AuditEvent).where(AuditEvent.action_id == world["action"].id)
    ).all()
    assert [e.changes.get("status") for e in trail if e.entity == "action"][-1] == [
        "on_track",
        "off_track",
    ]


def test_the_same_message_twice_posts_once(session, world, receiver):
    reply = replies.plain(address(world), "Once only.", message_id="<one@example.org>")
    receiver.send(reply, address(world))
    receiver.send(reply, address(world))
    assert len(updates(session, world["action"])) == 1 and len(inbox(session)) == 1


def test_a_message_stored_but_not_processed_is_processed_by_the_scheduler_once(session, world):
    # As if the receiver died between storing the message and processing it.
    stored = store(
        session,
        replies.plain(address(world), "Stored before the crash."),
        via="smtp",
        recipients=[address(world)],
        mail_from="david.clarke@example.org",
        now=NOW,
    )
    assert stored.status is InboundStatus.RECEIVED
    # Retried long after, when the address has expired: judged as of when it came in.
    later = NOW + timedelta(days=90)
    assert process_pending(session, later) == "1 of 1 waiting messages processed"
    assert process_pending(session, later) == "0 of 0 waiting messages processed"
    assert process(session, stored.id, later) is None
    assert [u.text for u in updates(session, world["action"])] == ["Stored before the crash."]


def test_attachments_are_left_off_and_counted(session, world, sink, receiver):
    world["other"].status = ActionStatus.COMPLETE
    session.commit()
    send_reminders(session, NOW)
    session.commit()
    [reminder] = deliver(session, sink)
    receiver.send(
        replies.outlook(reminder, "See the reports.", attachments=2), reminder["Reply-To"]
    )
    [update] = updates(session, world["action"])
    assert (
        update.text == "See the reports.\n\n(2 attachments were left off: updates keep text only.)"
    )


def test_the_deputy_of_a_lead_who_is_away_may_reply_for_them(session, world, receiver):
    lead, deputy = world["lead"], world["deputy"]
    lead.away_until, lead.deputy = date(2021, 8, 20), deputy
    session.commit()
    sender = "Maria Godfrey <MARIA@Example.org>"
    receiver.send(
        replies.plain(address(world), "For David: on track.", sender=sender), address(world)
    )
    [update] = updates(session, world["action"])
    assert update.author_id == lead.id
    confirmations = {m.recipient for m in answers(session, "reply_posted")}
    assert confirmations == {lead.email, deputy.email}
    # The deputy's own reply address works too: the deputy posts as themselves.
    receiver.send(
        replies.plain(address(world, "deputy"), "From the deputy.", sender=sender),
        address(world, "deputy"),
    )
    assert {u.author_id for u in updates(session, world["action"])} == {lead.id, deputy.id}


# Refusals.


def test_a_reply_from_anyone_else_posts_nothing_and_tells_nobody(session, world, receiver):
    receiver.send(
        replies.plain(address(world), "Pretending.", sender="Emma <emma@example.org>"),
        address(world),
    )
    # The deputy, once the lead is back, is anyone else too.
    world["lead"].deputy, world["lead"].away_until = world["deputy"], date(2021, 8, 9)
    session.commit()
    receiver.send(
        replies.plain(address(world), "Too late.", sender="maria@example.org"), address(world)
    )
    assert updates(session, world["action"]) == []
    assert [(m.status, m.reason) for m in inbox(session)] == [
        (InboundStatus.REFUSED, "not_the_lead")
    ] * 2
    assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_the_lead_replying_from_any_case_of_their_address_is_the_lead(session, world, receiver):
    receiver.send(
        replies.plain(address(world), "Case.", sender="David <David.Clarke@EXAMPLE.org>"),
        address(world),
    )
    assert len(updates(session, world["action"])) == 1


@pytest.mark.parametrize(
    ("build", "reason", "names_the_action"),
    [
        (
            lambda w, a: replies.plain(address(w, issued=NOW - timedelta(days=61)), "Late."),
            "expired",
            True,
        ),
        (lambda w, a: replies.plain(a[:-20] + "aaaa" + a[-16:], "Altered."), "bad_token", False),
        (lambda w, a: replies.plain("updates@example.org", "No token."), "no_token", False),
        (lambda w, a: replies.plain(a, "> Dear David,\n> These updates are due."), "empty", True),
    ],
    ids=["expired", "tampered", "no-token", "only-quoted-text"],
)
def test_refusals_that_get_one_polite_answer(
    session, world, receiver, build, reason, names_the_action
):
    raw = build(world, address(world))
    to = str(email.message_from_bytes(raw)["To"])
    receiver.send(raw, to)
    assert updates(session, world["action"]) == []
    [message] = inbox(session)
    assert (message.status, message.reason) == (InboundStatus.REFUSED, reason)
    [answer] = answers(session)
    assert answer.recipient == "david.clarke@example.org"
    assert "has not been posted" in answer.body_text
    link = f"/actions/{world['action'].id}/updates/new"
    assert (link in answer.body_text) is names_the_action
    assert (world["action"].text in answer.body_text) is False


def test_at_most_one_answer_a_day_to_a_sender(session, world, receiver):
    for n in range(3):
        receiver.send(replies.plain("updates@example.org", f"No token {n}."), "updates@example.org")
    assert len(answers(session)) == 1 and len(inbox(session)) == 3


def test_an_over_long_message_is_refused_and_only_its_headers_kept(app, session, world, receiver):
    raw = replies.plain(address(world), "Big.\n" + ("x" * 76 + "\n") * 14_000)
    assert len(raw) > app.config["INBOUND_MAX_BYTES"]
    receiver.send(raw, address(world))
    [message] = inbox(session)
    assert (message.status, message.reason) == (InboundStatus.REFUSED, "too_large")
    assert message.size == len(raw) and len(message.raw) < 1_000
    assert len(answers(session)) == 1 and updates(session, world["action"]) == []


def test_a_message_with_no_text_part_is_refused(session, world, receiver):
    raw = email.message.EmailMessage()
    raw["From"], raw["To"], raw["Subject"] = "david.clarke@example.org", address(world), "Report"
    raw.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf", filename="r.pdf")
    receiver.send(raw.as_bytes(), address(world))
    assert [(m.reason, m.attachments) for m in inbox(session)] == [("no_text", 1)]
    assert len(answers(session)) == 1


@pytest.mark.parametrize(
    ("headers", "subject", "reason"),
    [
        ({"Auto-Submitted": "auto-replied"}, "Automatic reply: Progress updates", "out_of_office"),
        ({}, "Out of Office: Progress updates", "out_of_office"),
        ({"X-Autoreply": "yes"}, "Re: Progress updates", "automatic"),
        ({"Precedence": "bulk"}, "Re: Progress updates", "automatic"),
        ({"Precedence": "auto_reply"}, "Away from the office", "out_of_office"),
        ({"Auto-Submitted": "auto-generated"}, "Weekly report", "automatic"),
    ],
)
def test_automatic_replies_never_post_and_are_never_answered(
    session, world, receiver, headers, subject, reason
):
    raw = replies.plain(address(world), "On track: I am away.", subject=subject, headers=headers)
    receiver.send(raw, address(world))
    assert [(m.status, m.reason) for m in inbox(session)] == [(InboundStatus.AUTO_REPLY, reason)]
    assert updates(session, world["action"]) == [] and answers(session) == []


def test_delivery_reports_are_never_answered(session, world, receiver):
    receiver.send(replies.delivery_report(address(world)), address(world), mail_from="")
    assert [(m.status, m.reason) for m in inbox(session)] == [
        (InboundStatus.AUTO_REPLY, "delivery_report")
    ]
    assert answers(session) == []


def test_an_out_of_office_reply_is_listed_for_the_chair_beside_the_action(
    session, world, receiver, as_chair, clock
):
    clock.set(datetime(2021, 9, 6, 9, tzinfo=UTC))
    raw = replies.out_of_office(
        address(world), "Overdue progress updates", sender=world["lead"].email
    )
    receiver.send(raw, address(world))
    page = as_chair.get("actions.overdue", board_slug=world["board"].slug)
    row = next(r for r in page.select("tr") if world["action"].text in text(r))
    assert "Out-of-office reply from David Clarke on 6 September 2021" in text(row)


def test_a_reply_failing_dmarc_at_our_own_server_is_refused(
    app, session, world, receiver, monkeypatch
):
    ours = (
        "mx.example.org; spf=pass smtp.mailfrom=example.org; "
        "dmarc=fail (p=reject) header.from=example.org"
    )
    theirs = "mx.attacker.example; dmarc=fail header.from=example.org"
    forged = {"Authentication-Results": ours}
    receiver.send(replies.plain(address(world), "Forged?", headers=forged), address(world))
    monkeypatch.setitem(app.config, "TRUSTED_AUTHSERV_ID", "mx.example.org")
    receiver.send(replies.plain(address(world), "Forged.", headers=forged), address(world))
    receiver.send(
        replies.plain(address(world), "Theirs.", headers={"Authentication-Results": theirs}),
        address(world),
    )
    passing = {"Authentication-Results": ours.replace("dmarc=fail", "dmarc=pass")}
    receiver.send(replies.plain(address(world), "Genuine.", headers=passing), address(world))
    assert [(m.status, m.reason) for m in inbox(session)] == [
        (InboundStatus.POSTED, None),
        (InboundStatus.REFUSED, "dmarc_fail"),
        (InboundStatus.POSTED, None),
        (InboundStatus.POSTED, None),
    ]
    assert answers(session) == []


def test_a_lead_who_may_no_longer_post_is_told_so(session, world, receiver):
    world["action"].archived_at = NOW
    session.commit()
    receiver.send(replies.plain(address(world), "Archived?"), address(world))
    assert [m.reason for m in inbox(session)] == ["may_not_post"]
    assert len(answers(session)) == 1


def test_the_receiver_takes_mail_for_the_updates_address_only(world, receiver):
    with smtplib.SMTP("127.0.0.1", receiver.port, timeout=10) as smtp:
        smtp.ehlo()
        smtp.mail("someone@example.org")
        assert smtp.rcpt("secretariat@example.org")[0] == 550
        assert smtp.rcpt("updates+anything@EXAMPLE.org")[0] == 250


def test_lmtp_answers_once_per_recipient(app, session, world):
    # smtplib's LMTP client reads one answer after DATA, so the conversation is typed here.
    raw = replies.plain(address(world), "By LMTP.").replace(b"\r\n.", b"\r\n..")
    with Receiver(app, lmtp=True) as lmtp:
        with socket.create_connection(("127.0.0.1", lmtp.port), timeout=10) as connection:
            lines = connection.makefile("rb")
            said = [lines.readline()]
            for command in (
                b"LHLO mx.example.org",
                b"MAIL FROM:<david.clarke@example.org>",
                f"RCPT TO:<{address(world)}>".encode(),
                f"RCPT TO:<{address(world, action='other')}>".encode(),
                b"DATA",
            ):
                connection.sendall(command + b"\r\n")
                said.append(lines.readline())
                while said[-1][3:4] == b"-":
                    said.append(lines.readline())
            connection.sendall(raw + b"\r\n.\r\n")
            answers_to_data = [lines.readline(), lines.readline()]
            connection.sendall(b"QUIT\r\n")
        lmtp.wait()
    assert [line[:3] for line in answers_to_data] == [b"250", b"250"]
    assert [(m.via, m.status) for m in inbox(session)] == [("lmtp", InboundStatus.POSTED)]


def test_stored_messages_are_deleted_after_the_keeping_time(session, world, receiver):
    receiver.send(replies.plain(address(world), "Kept a while."), address(world))
    assert delete_old(session, NOW + timedelta(days=29)) == "0 stored messages deleted"
    assert delete_old(session, NOW + timedelta(days=31)) == "1 stored messages deleted"
    [message] = inbox(session)
    assert message.raw is None and message.status is InboundStatus.POSTED


# Admin → Inbox.


def test_the_secretariat_sees_what_came_in_and_posts_a_refused_reply_by_hand(
    session, world, receiver, as_admin
):
    slug, action = world["board"].slug, world["action"]
    expired = address(world, issued=NOW - timedelta(days=61))
    receiver.send(replies.plain(expired, "At risk: posted late by the clerk."), expired)
    receiver.send(replies.plain(address(world), "Posted at once."), address(world))
    receiver.send(
        replies.plain(address(world), "Pretending.", sender="emma@example.org"), address(world)
    )
    page = as_admin.get("admin.inbox", board_slug=slug)
    rows = [text(r) for r in page.select("tbody tr")]
    assert len(rows) == 3
    assert "Refused Not sent by the lead" in rows[0] and "Emma Leaver" in rows[0]
    assert "Posted" in rows[1]
    assert "Refused The reply address had expired" in rows[2] and "David Clarke" in rows[2]

    refused = inbox(session)[0]
    page = as_admin.get("admin.inbox_message", board_slug=slug, message_id=refused.id)
    assert "At risk: posted late by the clerk." in text(page)
    form = page.select_one("form[method=post]:not(.app-inline-form)")
    assert "Post as David Clarke" in text(form)
    as_admin.post(
        "admin.inbox_message",
        board_slug=slug,
        message_id=refused.id,
        _data={
            "seen_version": action.version,
            "status": "at_risk",
            "rag": "none",
            "text": "Posted late by the clerk.",
        },
        _expected_redirect=f"/boards/{slug}/admin/inbox/{refused.id}",
    )
    posted = next(u for u in updates(session, action) if u.text == "Posted late by the clerk.")
    assert posted.author_id == world["lead"].id and posted.by_email
    assert posted.created_at == refused.received_at
    session.refresh(refused)
    assert refused.status is InboundStatus.POSTED and refused.posted_by_id == world["admin"].id
    trail = session.scalars(
        select(AuditEvent).where(
            AuditEvent.entity == "inbound_message", AuditEvent.entity_id == refused.id
        )
    ).all()
    assert trail[-1].actor_id == world["admin"].id and "by hand" in trail[-1].reason
    # A reply from someone who may not post on the action cannot be posted by hand.
    other = inbox(session)[2]
    page = as_admin.get("admin.inbox_message", board_slug=slug, message_id=other.id)
    assert "Post it by hand" not in text(page)


def test_only_the_boards_secretariat_sees_its_inbox(
    session, world, receiver, board_people, as_lead, as_outsider
):
    receiver.send(replies.plain(address(world), "Mine."), address(world))
    message = inbox(session)[0]
    as_lead.get("admin.inbox", board_slug=world["board"].slug, _expected_status=403)
    elsewhere = board_people.other_board
    page = as_outsider.get("admin.inbox", board_slug=elsewhere.slug)
    assert page.select("tbody tr") == []
    as_outsider.get(
        "admin.inbox_message",
        board_slug=elsewhere.slug,
        message_id=message.id,
        _expected_status=404,
    )


def test_control_characters_in_the_headers_are_stored_cleaned(session, world, receiver):
    raw = replies.plain(address(world), "Clean.", subject="Update\x00 on\x07 it")
    receiver.send(
        raw.replace(b"<david.clarke@example.org>", b"<david.clarke@example.org\x00>"),
        address(world),
    )
    [message] = inbox(session)
    assert message.subject == "Update on it" and "\x00" not in (message.sender or "")


def test_a_deputy_may_post_through_the_form_too_while_the_lead_is_away(
    session, world, client_request
):
    # The one "may post" rule: the deputy gets the reminders, so the form lets them in.
    lead, deputy, slug = world["lead"], world["deputy"], world["board"].slug
    client_request.login(deputy)
    values = dict(board_slug=slug, action_id=world["action"].id)
    client_request.get("actions.post_update", _expected_status=403, **values)
    lead.away_until, lead.deputy = date(2021, 8, 20), deputy
    session.commit()
    client_request.get("actions.post_update", **values)
    lead.away_until = date(2021, 8, 9)
    session.commit()
    client_request.get("actions.post_update", _expected_status=403, **values)
