"""Data protection from the app (issue 15): a person's data, erasing someone who has left,
retention periods applied nightly, and the privacy notice."""

from __future__ import annotations

import io
import json
import os
import zipfile
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from jobs.retention import apply_retention
from jobs.schedule import SCHEDULE, run
from tests import factories
from tests.helpers import error_summary, field_error, h1, text
from tracker import clock
from tracker.audit import acting_as
from tracker.extensions import db
from tracker.models import (
    ActionStatus,
    AuditEvent,
    DeliveryAttempt,
    InboundMessage,
    JobRun,
    Membership,
    OutboxMessage,
    OutboxStatus,
    Person,
    ProgressUpdate,
    Role,
    SignInThrottle,
)
from tracker.reports import hwb

NAME, EMAIL = "Lena Leadbetter", "lena.leadbetter@example.org"
CHAIR = "Chris O'Chairman"
NOW = datetime(2026, 6, 1, 2, 45, tzinfo=UTC)


@pytest.fixture
def world(session):
    board = factories.board("Oxfordshire Children's Trust Board")
    other = factories.board("Another Board")
    admin = factories.person(board, Role.ADMIN, name="Ada Admin")
    chair = factories.person(board, Role.CHAIR, name=CHAIR)
    # Named otherwise at first, so the trail holds an old name as well as the last one.
    lead = factories.person(board, Role.LEAD, name="Lena Formerly", email=EMAIL)
    session.commit()
    session.refresh(lead)  # loaded, as a form's view has it, so the change records the old name
    with acting_as(session, admin.id):
        lead.name = NAME
        lead.away_until = date(2026, 7, 1)
        lead.deputy = admin
        lead.calendar_token = "lena-calendar-token"
        session.flush()
    team = factories.team(board, "SEND (OCC)", contacts=[lead, admin])
    plan = factories.plan(board, "CYPP 2018–2021", 2018, 2021)
    area = factories.area(plan, "Be Safe", 1)
    action = factories.action(
        area, text="Embed the pathway", leads=[lead, team], months=[date(2026, 9, 1)]
    )
    session.add(
        ProgressUpdate(
            action=action,
            author=lead,
            text="The new pathway was launched in July.",
            status=ActionStatus.ON_TRACK,
            created_at=datetime(2026, 3, 1, tzinfo=UTC),
        )
    )
    meeting = factories.meeting(board, date(2026, 3, 19), focus=area)
    meeting.recorded_at = datetime(2026, 3, 20, tzinfo=UTC)
    session.flush()
    hwb.mark_final(session, meeting, admin, datetime(2026, 3, 21, tzinfo=UTC))
    session.add_all(
        [
            OutboxMessage(
                key="digest:1",
                board_id=board.id,
                kind="digest",
                recipient=admin.email,
                subject=f"Overdue: {NAME}",
                body_text=f"{NAME} ({EMAIL}) and {CHAIR} have not posted.",
                body_html=f"<p>{NAME} and Chris O&#39;Chairman have not posted.</p>",
            ),
            OutboxMessage(
                key="reminder:1",
                board_id=board.id,
                kind="reminder",
                recipient=EMAIL,
                subject="Your update is due",
                body_text=f"Dear {NAME}",
                body_html=f"<p>Dear {NAME}</p>",
                status=OutboxStatus.SENT,
                sent_at=datetime(2026, 2, 1, tzinfo=UTC),
            ),
            InboundMessage(
                message_id="<reply-1@example.org>",
                via="smtp",
                mail_from=EMAIL,
                sender=EMAIL,
                recipient="updates@example.org",
                subject="Re: Your update is due",
                size=100,
                raw=f"From: {NAME} <{EMAIL}>\r\n\r\nDone.".encode(),
                board_id=board.id,
                person_id=lead.id,
                sender_id=lead.id,
            ),
            SignInThrottle(
                key=f"account:{EMAIL}", failures=2, last_failure_at=NOW - timedelta(days=1)
            ),
        ]
    )
    session.commit()
    return dict(
        board=board, other=other, admin=admin, chair=chair, lead=lead, plan=plan,
        action=action, meeting=meeting, team=team,
    )  # fmt: skip


@pytest.fixture
def admin_request(client_request, world):
    client_request.login(world["admin"])
    return client_request


def _membership(session, person, board):
    return session.scalar(
        select(Membership).where(Membership.person_id == person.id, Membership.board_id == board.id)
    )


def _post_to_people(admin_request, endpoint, membership):
    slug = membership.board.slug
    admin_request.post(
        endpoint, board_slug=slug, membership_id=membership.id,
        _expected_redirect=f"/boards/{slug}/admin/people",
    )  # fmt: skip


def _take_off_and_erase(admin_request, session, world, person):
    membership = _membership(session, person, world["board"])
    _post_to_people(admin_request, "admin.remove_person", membership)
    # As the admin would, reading the flash that names them.
    admin_request.get("admin.people", board_slug=membership.board.slug)
    _post_to_people(admin_request, "admin.erase_person", membership)
    session.expire_all()
    return membership


def _everything_stored(session) -> str:
    """Every value of every row of every table, as text, each line naming its table."""
    values = []
    for table in db.metadata.sorted_tables:
        for row in session.execute(sa.select(table)):
            as_text = [v.decode(errors="replace") if isinstance(v, bytes) else v for v in row]
            values.append(f"{table.name}: {json.dumps(as_text, default=str, ensure_ascii=False)}")
    return "\n".join(values)


def _unzipped(body: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return "\n".join(archive.read(n).decode(errors="replace") for n in archive.namelist())


# --- a person's data ---


def test_download_their_data_as_a_page_and_as_json(admin_request, world, session):
    membership = _membership(session, world["lead"], world["board"])
    values = dict(board_slug=world["board"].slug, membership_id=membership.id)
    page = admin_request.get("admin.person_data_page", **values)
    assert h1(page) == f"Data held about {NAME}"
    shown = text(page)
    for expected in (
        EMAIL, "Embed the pathway", "The new pathway was launched in July.", "SEND (OCC)",
        "Your update is due", "Re: Your update is due", "Failed sign-ins: 2", "Lead officer",
        "Person: changed Lena Formerly (Name: Lena Formerly → Lena Leadbetter",
    ):  # fmt: skip
        assert expected in shown, shown[shown.index("Sign-in records") :]

    response = admin_request.client.get(admin_request.url("admin.person_data_json", **values))
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    sections = data["sections"]
    assert sections["Profile"][0]["E-mail address"] == EMAIL
    assert sections["Profile"][0]["Deputy"] == "Ada Admin"
    assert [u["Update"] for u in sections["Progress updates they wrote"]] == [
        "The new pathway was launched in July."
    ]
    assert sections["Actions they lead"][0]["As"] == "lead"
    assert [m["Subject"] for m in sections["E-mails sent or queued to them"]] == [
        "Your update is due"
    ]
    assert sections["Membership of this board"][0]["Role"] == "Lead officer"
    # About them on another board: nothing of it here.
    assert data["board"] == world["board"].name


def test_only_the_boards_admins_see_a_persons_data(client_request, world, session):
    membership = _membership(session, world["lead"], world["board"])
    client_request.login(world["chair"])
    client_request.get(
        "admin.person_data_page", board_slug=world["board"].slug, membership_id=membership.id,
        _expected_status=403,
    )  # fmt: skip
    stranger = factories.person(world["other"], Role.ADMIN)
    client_request.login(stranger)
    client_request.get(
        "admin.person_data_page", board_slug=world["other"].slug, membership_id=membership.id,
        _expected_status=404,
    )  # fmt: skip


# --- erasure ---


def test_an_erased_persons_name_and_address_appear_nowhere(
    admin_request, client_request, world, session
):
    lead = world["lead"]
    token = lead.session_token
    membership = _take_off_and_erase(admin_request, session, world, lead)
    pseudonym = f"Former lead officer {lead.id}"
    lead = session.get(Person, lead.id)
    assert (lead.name, lead.email, lead.password_hash, lead.calendar_token) == (
        pseudonym, None, None, None,
    )  # fmt: skip
    assert lead.session_token != token and lead.erased_at is not None
    assert lead.deputy_id is None and lead.away_until is None

    # Nowhere in the database: not in the trail, the final report, e-mails or replies.
    stored = _everything_stored(session)
    for erased in (NAME, "Lena Formerly", EMAIL):
        assert erased not in stored, [line for line in stored.splitlines() if erased in line]

    # Nowhere on the pages, in the exports, the report or the calendars.
    slug, board = world["board"].slug, world["board"]
    plan, action, meeting = world["plan"], world["action"], world["meeting"]
    pages = [
        ("plans.show", dict(plan_id=plan.id)),
        ("actions.show", dict(action_id=action.id)),
        ("actions.overdue", {}),
        ("admin.people", {}),
        ("admin.outbox", {}),
        ("admin.inbox", {}),
        ("admin.teams", {}),
        ("admin.person_data_page", dict(membership_id=membership.id)),
        ("reports.show", dict(meeting_id=meeting.id)),
        ("meetings.show", dict(meeting_id=meeting.id)),
    ]
    for endpoint, values in pages:
        shown = str(admin_request.get(endpoint, board_slug=slug, **values))
        assert NAME not in shown and EMAIL not in shown, endpoint
    action_page = text(admin_request.get("actions.show", board_slug=slug, action_id=action.id))
    assert pseudonym in action_page and "The new pathway was launched in July." in action_page
    files = [
        *(
            admin_request.url("plans.export", board_slug=slug, plan_id=plan.id, file_format=f)
            for f in ("xlsx", "docx", "csv", "json")
        ),
        *(
            admin_request.url(
                "reports.download", board_slug=slug, meeting_id=meeting.id, file_format=f
            )
            for f in ("html", "docx")
        ),
    ]
    for url in files:
        body = admin_request.client.get(url).data
        readable = _unzipped(body) if body[:2] == b"PK" else body.decode()
        assert NAME not in readable and EMAIL not in readable, url
        if "export" in url:
            assert pseudonym in readable, url
    feed = admin_request.client.get(
        admin_request.url("calendars.feed_ics", token="lena-calendar-token")
    )
    assert feed.status_code == 404
    assert board.name  # the board itself is untouched

    # The pending digest to someone else now names the pseudonym; e-mails to them are gone.
    digest = session.scalar(select(OutboxMessage).where(OutboxMessage.key == "digest:1"))
    assert digest.subject == f"Overdue: {pseudonym}"
    assert f"{pseudonym} ((erased)) and {CHAIR}" in digest.body_text
    assert "Chris O&#39;Chairman" in digest.body_html
    assert session.scalar(select(func.count()).where(OutboxMessage.recipient == EMAIL)) == 0
    reply = session.scalar(select(InboundMessage))
    assert (reply.raw, reply.sender, reply.mail_from) == (None, None, None)

    # Their sign-in has ended: the old session no longer signs them in.
    client_request.logout()
    with client_request.client.session_transaction() as cookie:
        cookie["_user_id"], cookie["_fresh"] = token, True
    response = client_request.client.get(client_request.url("plans.index", board_slug=slug))
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_the_audit_records_the_erasure_but_not_what_was_erased(admin_request, world, session):
    lead = world["lead"]
    _take_off_and_erase(admin_request, session, world, lead)
    erasure = session.scalar(
        select(AuditEvent)
        .where(AuditEvent.entity == "person", AuditEvent.entity_id == lead.id)
        .order_by(AuditEvent.id.desc())
    )
    assert list(erasure.changes) == ["erased_at"]
    assert erasure.actor_id == world["admin"].id
    assert erasure.reason == f"erased by {world['board'].name}"
    # The earlier rename reads with the pseudonym on both sides, never the old names.
    renamed = session.scalars(
        select(AuditEvent).where(
            AuditEvent.entity == "person",
            AuditEvent.entity_id == lead.id,
            AuditEvent.verb == "updated",
        )
    ).first()
    assert renamed.changes["name"] == [f"Former lead officer {lead.id}"] * 2


def test_someone_still_on_another_board_is_not_erased(admin_request, world, session):
    lead, other = world["lead"], world["other"]
    session.add(Membership(board=other, person=lead, role=Role.MEMBER))
    session.commit()
    membership = _membership(session, lead, world["board"])
    slug = world["board"].slug
    _post_to_people(admin_request, "admin.remove_person", membership)
    form = admin_request.get("admin.erase_person", board_slug=slug, membership_id=membership.id)
    assert "still a member of 1 other board" in text(form)
    page = admin_request.post("admin.erase_person", board_slug=slug, membership_id=membership.id)
    assert "still a member of 1 other board" in text(page)
    session.expire_all()
    lead = session.get(Person, lead.id)
    assert (lead.name, lead.email, lead.erased_at) == (NAME, EMAIL, None)
    assert _membership(session, lead, other).archived_at is None

    # Once they have left that board too, they can be erased.
    _membership(session, lead, other).archived_at = clock.now()
    session.commit()
    _post_to_people(admin_request, "admin.erase_person", membership)
    session.expire_all()
    assert session.get(Person, lead.id).erased_at is not None


def test_only_someone_off_the_board_is_erased_and_only_once(admin_request, world, session):
    membership = _membership(session, world["lead"], world["board"])
    values = dict(board_slug=world["board"].slug, membership_id=membership.id)
    page = admin_request.post("admin.erase_person", **values)
    assert "Only someone who has left can be erased" in text(page)
    session.expire_all()
    assert session.get(Person, world["lead"].id).erased_at is None
    _take_off_and_erase(admin_request, session, world, world["lead"])
    admin_request.get("admin.erase_person", _expected_status=404, **values)
    people = text(admin_request.get("admin.people", board_slug=world["board"].slug))
    assert f"Former lead officer {world['lead'].id} Erased" in people


# --- retention ---


def _message(key, board, status, at, **extra):
    return OutboxMessage(
        key=key, board_id=board.id if board else None, kind="reminder", recipient="x@example.org",
        subject=key, body_text=key, body_html=key, status=status, created_at=at,
        sent_at=at if status is OutboxStatus.SENT else None, **extra,
    )  # fmt: skip


def _throttle(key, days_ago):
    return SignInThrottle(key=key, failures=1, last_failure_at=NOW - timedelta(days=days_ago))


def test_retention_deletes_exactly_what_is_past_its_time(app, session, world, tmp_path):
    board, other = world["board"], world["other"]
    other.keep_sent_emails_days = 30
    year = timedelta(days=365)
    session.query(OutboxMessage).delete()
    session.query(SignInThrottle).delete()
    session.add_all(
        [
            _message("sent-past", board, OutboxStatus.SENT, NOW - year - timedelta(seconds=1)),
            _message("sent-kept", board, OutboxStatus.SENT, NOW - year + timedelta(hours=1)),
            _message("bundled-past", board, OutboxStatus.BUNDLED, NOW - year - timedelta(days=1)),
            _message("pending-old", board, OutboxStatus.PENDING, NOW - 2 * year),
            _message("failed-old", board, OutboxStatus.FAILED, NOW - 2 * year),
            _message("other-past", other, OutboxStatus.SENT, NOW - timedelta(days=31)),
            _message("other-kept", other, OutboxStatus.SENT, NOW - timedelta(days=29)),
            # Belongs to no board: the shortest period of any board (30 days).
            _message("daily-past", None, OutboxStatus.SENT, NOW - timedelta(days=31)),
            _message("daily-kept", None, OutboxStatus.SENT, NOW - timedelta(days=29)),
            _throttle("account:old@example.org", 91),
            _throttle("account:new@example.org", 89),
            _throttle("client:192.0.2.1", 91),
        ]
    )  # fmt: skip
    session.flush()
    past = session.scalar(select(OutboxMessage).where(OutboxMessage.key == "sent-past"))
    session.add(DeliveryAttempt(message_id=past.id, at=past.sent_at, delivered=True))
    lead = world["lead"]
    events = [
        (NOW - year - timedelta(days=1), {"last_signed_in_at": [None, "2025-01-01T09:00:00"]}),
        (NOW - year - timedelta(days=1), {"session_token": ["(hidden)", "(changed)"]}),
        (NOW - year - timedelta(days=1), {"name": ["A", "B"]}),
        (NOW - year + timedelta(days=1), {"last_signed_in_at": [None, "2025-06-01T09:00:00"]}),
    ]
    session.add_all(
        AuditEvent(entity="person", entity_id=lead.id, verb="updated", at=at, changes=changes)
        for at, changes in events
    )
    session.commit()
    before = session.scalar(select(func.count()).select_from(AuditEvent))
    uploads = tmp_path / "imports"
    uploads.mkdir()
    for name, age in (("old", timedelta(days=1, minutes=1)), ("new", timedelta(hours=23))):
        (uploads / name).write_bytes(b"x")
        moment = (NOW - age).timestamp()
        os.utime(uploads / name, (moment, moment))
    instance, app.instance_path = app.instance_path, str(tmp_path)
    try:
        summary = apply_retention(session, NOW)
        session.commit()
        again = apply_retention(session, NOW)
    finally:
        app.instance_path = instance
    assert summary == (
        "removed 4 delivered e-mails, 2 sign-in throttle records, 2 sign-in audit events, "
        "1 pending import"
    )
    assert again == (
        "removed 0 delivered e-mails, 0 sign-in throttle records, 0 sign-in audit events, "
        "0 pending imports"
    )
    kept = set(session.scalars(select(OutboxMessage.key)))
    assert kept == {"sent-kept", "pending-old", "failed-old", "other-kept", "daily-kept"}
    assert session.scalar(select(func.count()).select_from(DeliveryAttempt)) == 0
    assert set(session.scalars(select(SignInThrottle.key))) == {"account:new@example.org"}
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == before - 2
    assert [p.name for p in uploads.iterdir()] == ["new"]


def test_retention_is_a_daily_job_that_records_its_run(app, session, world):
    assert SCHEDULE["retention"].function is apply_retention
    summary = run(session, "retention", NOW)
    assert summary.startswith("removed ")
    assert session.get(JobRun, "retention").scheduled_for == NOW


# --- Admin → Data ---


def test_data_settings_have_safe_defaults_and_refuse_bad_periods(admin_request, world, session):
    slug = world["board"].slug
    page = admin_request.get("admin.data_settings", board_slug=slug)
    assert h1(page) == "Data protection"
    assert page.select_one("#keep_sent_emails_days")["value"] == "365"
    assert page.select_one("#keep_sign_in_records_days")["value"] == "90"
    assert page.select_one("#keep_sign_in_events_days")["value"] == "365"
    bad = {
        "controller": "Oxfordshire County Council",
        "privacy_contact": "dpo@oxfordshire.gov.uk",
        "keep_sent_emails_days": "a year",
        "keep_sign_in_records_days": "0",
        "keep_sign_in_events_days": "365",
    }
    page = admin_request.post("admin.data_settings", board_slug=slug, _data=bad)
    assert field_error(page, "keep_sent_emails_days") == (
        "Enter how many days to keep delivered e-mails, as a whole number"
    )
    assert field_error(page, "keep_sign_in_records_days") == (
        "Keep records of failed sign-ins between 1 and 365 days"
    )
    assert len(error_summary(page)) == 2
    session.expire_all()
    assert world["board"].controller is None
    good = {**bad, "keep_sent_emails_days": "730", "keep_sign_in_records_days": "30"}
    admin_request.post(
        "admin.data_settings", board_slug=slug, _data=good,
        _expected_redirect=f"/boards/{slug}/admin/data",
    )  # fmt: skip
    session.expire_all()
    board = world["board"]
    assert (board.controller, board.keep_sent_emails_days, board.keep_sign_in_records_days) == (
        "Oxfordshire County Council", 730, 30,
    )  # fmt: skip


# --- the privacy notice ---


def test_the_privacy_notice_is_in_every_footer_and_reads_the_boards_settings(
    client_request, world, session
):
    signed_out = client_request.get("auth.sign_in")
    assert signed_out.select_one("footer a[href='/privacy']")
    notice = text(client_request.get("privacy.notice"))
    assert "Each board that uses Trust Tracker is the controller" in notice
    assert "e-mails, once delivered: 1 year" in notice
    assert world["board"].name not in notice

    board = world["board"]
    board.controller = "Oxfordshire County Council"
    board.privacy_contact = "Data Protection Officer, dpo@oxfordshire.gov.uk"
    board.keep_sent_emails_days, board.keep_sign_in_records_days = 730, 30
    session.commit()
    client_request.login(world["chair"])
    page = client_request.get("plans.index", board_slug=board.slug)
    assert page.select_one("footer a[href='/privacy']")
    page = client_request.get("privacy.notice")
    notice = text(page)
    assert h1(page) == f"Privacy notice: {board.name}"
    assert "The controller is Oxfordshire County Council." in notice
    assert "e-mails, once delivered: 2 years" in notice
    assert "records of failed sign-ins: 30 days" in notice
    assert "files uploaded to import a plan: 1 day" in notice
    assert "Data Protection Officer, dpo@oxfordshire.gov.uk" in notice


def test_a_lead_named_in_a_plan_without_an_address_is_erased_by_name(admin_request, world, session):
    # Accents, an apostrophe and LIKE's wildcards: the stored JSON escapes the first, HTML
    # the second, and the search for them must not take the last as patterns.
    odd = "Zoë O'Brien_100%"
    named = factories.person(world["board"], Role.LEAD, name=odd, password=None)
    named.email = None
    factories.action(world["action"].area, text="Map the service", leads=[named])
    session.add(
        OutboxMessage(
            key="digest:2", board_id=world["board"].id, kind="digest",
            recipient="ada@example.org", subject="Digest", body_text=f"Led by {odd}",
            body_html="<p>Led by Zoë O&#39;Brien_100%</p>",
        )
    )  # fmt: skip
    session.commit()
    _take_off_and_erase(admin_request, session, world, named)
    stored = _everything_stored(session)
    assert odd not in stored and json.dumps(odd)[1:-1] not in stored
    assert "Zoë O&#39;Brien_100%" not in stored
    digest = session.scalar(select(OutboxMessage).where(OutboxMessage.key == "digest:2"))
    assert digest.body_text == f"Led by Former lead officer {named.id}"
    # The other lead, whose name holds none of it, is untouched.
    assert session.get(Person, world["lead"].id).name == NAME
