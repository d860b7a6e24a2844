"""Reminders and chasers for due indicator readings, day by day over a summer, at fixed moments."""

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from jobs.reminders import send_chasers, send_reminders
from jobs.schedule import run
from tests import factories
from tests.moments import london
from tracker.models import Frequency, IndicatorReading, IndicatorUnit, OutboxMessage, Role


@pytest.fixture
def framework(session):
    """2.5 is quarterly with a reading for 2021 Q1, so 2021 Q2 (ending Wednesday 30 June) is
    next: due 10 working days later, on Wednesday 14 July 2021."""
    board = factories.board("Children's Trust Board")
    owner = factories.person(board, Role.LEAD, email="owner@example.org")
    deputy = factories.person(board, Role.LEAD, email="deputy@example.org")
    admin = factories.person(board, Role.ADMIN, email="admin@example.org")
    absence = factories.indicator(board, owner, readings={date(2021, 1, 1): 12.0})
    # Monthly, added on 15 June with no reading yet: June's is due on 14 July too.
    looked_after = factories.indicator(
        board,
        admin,
        number="3.14",
        title="Reduce the number of looked after children",
        unit=IndicatorUnit.NUMBER,
        frequency=Frequency.MONTHLY,
        target=672,
    )
    looked_after.created_at = datetime(2021, 6, 15, 9, tzinfo=UTC)
    session.commit()
    return dict(board=board, owner=owner, deputy=deputy, admin=admin, absence=absence)


def mail(session, kind):
    return session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
    ).all()


def run_days(session, first: date, last: date, job) -> dict[date, list[str]]:
    """Run ``job`` at 08:00 on every day from first to last; who got a new e-mail on each."""
    sent = defaultdict(list)
    seen = {m.id for m in session.scalars(select(OutboxMessage))}
    day = first
    while day <= last:
        job(session, london(day))
        session.commit()
        for message in session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)):
            if message.id not in seen:
                seen.add(message.id)
                sent[day].append(f"{message.kind} {message.recipient}")
        day += timedelta(days=1)
    return dict(sent)


def test_owners_are_reminded_ten_and_three_working_days_before_a_reading_is_due(session, framework):
    sent = run_days(session, date(2021, 6, 1), date(2021, 7, 31), send_reminders)
    # Due 14 July: 10 working days before is 30 June, 3 before is Friday 9 July. The monthly
    # indicator's July reading is due on 13 August: its first reminder is on 30 July.
    both = ["reading_reminder admin@example.org", "reading_reminder owner@example.org"]
    assert sent == {
        date(2021, 6, 30): both,
        date(2021, 7, 9): both,
        date(2021, 7, 30): ["reading_reminder admin@example.org"],
    }
    reminder = next(
        m for m in mail(session, "reading_reminder") if m.recipient == "owner@example.org"
    )
    assert "Reading for 2021 Q2, due by 14 July 2021." in reminder.body_text
    assert f"/framework/{framework['absence'].id}/readings/new" in reminder.body_html
    other = next(m for m in mail(session, "reading_reminder") if m.recipient == "admin@example.org")
    assert "3.14 Reduce the number of looked after children" in other.body_text
    assert "Reading for June 2021" in other.body_text


def test_no_reminder_once_the_reading_is_in(session, framework):
    session.add(
        IndicatorReading(indicator=framework["absence"], period_start=date(2021, 4, 1), value=11)
    )
    session.commit()
    send_reminders(session, london(date(2021, 7, 9)))
    assert [m.recipient for m in mail(session, "reading_reminder")] == ["admin@example.org"]


def test_overdue_readings_are_chased_weekly_until_they_come_in(session, framework):
    sent = run_days(session, date(2021, 7, 1), date(2021, 7, 27), send_chasers)
    assert sent == {
        date(2021, 7, 19): ["reading_chaser admin@example.org", "reading_chaser owner@example.org"],
        date(2021, 7, 26): ["reading_chaser admin@example.org", "reading_chaser owner@example.org"],
    }
    chaser = mail(session, "reading_chaser")[1]
    assert chaser.recipient == "owner@example.org"
    assert "Reading for 2021 Q2: 5 days late (due 14 July 2021)." in chaser.body_text
    assert chaser.key.endswith(":2021-W29")
    session.add(
        IndicatorReading(indicator=framework["absence"], period_start=date(2021, 4, 1), value=11)
    )
    session.commit()
    assert run_days(session, date(2021, 7, 28), date(2021, 8, 2), send_chasers) == {
        date(2021, 8, 2): ["reading_chaser admin@example.org"]
    }


def test_running_twice_for_the_same_moment_sends_nothing_more(session, framework):
    moment = london(date(2021, 6, 30))
    assert run(session, "reminders", moment) == "2 reminders queued"
    assert run(session, "reminders", moment) == "0 reminders queued"
    monday = london(date(2021, 7, 19))
    assert run(session, "chasers", monday) == "2 chasers and escalations queued"
    assert run(session, "chasers", monday) == "0 chasers and escalations queued"


def test_an_owner_away_hands_reminders_to_their_deputy(session, framework):
    owner = framework["owner"]
    owner.away_until, owner.deputy = date(2021, 7, 2), framework["deputy"]
    session.commit()
    send_reminders(session, london(date(2021, 6, 30)))
    send_reminders(session, london(date(2021, 7, 9)))
    assert [m.recipient for m in mail(session, "reading_reminder") if "2.5" in m.body_text] == [
        "deputy@example.org",
        "owner@example.org",
    ]


def test_archived_indicators_and_deactivated_owners_hear_nothing(session, framework):
    framework["absence"].archived_at = datetime(2021, 6, 1, tzinfo=UTC)
    framework["admin"].deactivated_at = datetime(2021, 6, 1, tzinfo=UTC)
    session.commit()
    assert send_reminders(session, london(date(2021, 6, 30))) == "0 reminders queued"
    assert send_chasers(session, london(date(2021, 7, 19))) == "0 chasers and escalations queued"


def test_the_admin_preview_lists_reading_reminders(client_request, session, framework):
    client_request.login(framework["admin"])
    page = client_request.get(
        "admin.reminders", board_slug=framework["board"].slug, day=["30", "6", "2021"]
    )
    body = page.text
    assert "Reading reminder" in body and "reading for 2021 Q2" in body
    assert session.scalars(select(OutboxMessage)).all() == []
