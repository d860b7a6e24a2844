"""A run caught up when the scheduler starts again decides what its own day's run would have
(as the Admin → Reminders preview of that day shows), and its e-mails say they come late."""

from datetime import date

import pytest
from sqlalchemy import select

from jobs.reminders import send_reminders
from jobs.scheduler import catch_up
from tests import factories
from tests.helpers import text
from tests.moments import london
from tracker.models import JobRun, OutboxMessage, Role

MONDAY, TUESDAY = date(2026, 11, 30), date(2026, 12, 1)


@pytest.fixture
def december(session):
    """An update due on Thursday 3 December 2026 (10 working days before the meeting on
    17 December): 3 working days after Monday 30 November, 2 after Tuesday 1 December."""
    board = factories.board("Children's Trust Board")
    admin = factories.person(board, Role.ADMIN, email="admin@example.org")
    lead = factories.person(board, Role.LEAD, email="lead@example.org")
    area = factories.area(factories.plan(board, "CYPP 2025–2028", 2025, 2028))
    factories.meeting(board, date(2026, 12, 17))
    factories.action(
        area, text="Agree a multi-agency plan", leads=[lead], months=[date(2026, 12, 1)]
    )
    session.commit()
    return dict(board=board, admin=admin, lead=lead)


def reminders(session):
    return session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "reminder").order_by(OutboxMessage.id)
    ).all()


def test_a_missed_morning_caught_up_the_next_day_says_which_day_it_was_for(
    app, client_request, session, december, clock
):
    # The scheduler last ran on Friday 27 November and starts again at 07:30 on Tuesday.
    for name in ("forward_plan", "digest", "reminders", "chasers", "daily_email"):
        session.add(
            JobRun(
                name=name,
                scheduled_for=london(date(2026, 11, 27), 9),
                finished_at=london(date(2026, 11, 27), 9),
            )
        )
    session.commit()
    started = clock.set(london(TUESDAY, 7, 30))
    assert ("reminders", london(MONDAY, 8)) in catch_up(app, started)
    session.expire_all()
    (reminder,) = reminders(session)
    assert reminder.recipient == "lead@example.org"
    body = reminder.body_text
    assert "This e-mail was due on Monday 30 November 2026" in body
    assert "Due by Thursday 3 December 2026" in body
    assert "working days" not in body
    assert "due on <strong>Monday 30 November 2026</strong>" in reminder.body_html

    # The preview of Monday is what the run for Monday queued, and shows it went late...
    client_request.login(december["admin"])
    slug = december["board"].slug
    page = client_request.get("admin.reminders", board_slug=slug, day=["30", "11", "2026"])
    (row,) = page.select("main table tbody tr")
    assert "lead@example.org" in text(row)
    assert "1 December 2026 at 7:30am Late" in text(row)
    # ...while that of Tuesday, rightly, has nobody.
    page = client_request.get("admin.reminders", board_slug=slug)
    assert "Nobody would get a reminder or a chaser on that day." in text(page)


def test_a_run_on_its_own_day_says_nothing_of_the_kind(session, december, clock):
    clock.set(london(MONDAY, 8))
    send_reminders(session, london(MONDAY, 8))
    (reminder,) = reminders(session)
    assert "due on" not in reminder.body_text and "comes late" not in reminder.body_text
    assert "Due by Thursday 3 December 2026" in reminder.body_text
