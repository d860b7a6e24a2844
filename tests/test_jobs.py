"""The reminder and chaser jobs over a simulated quarter, with fixed moments."""

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from jobs.reminders import send_chasers, send_reminders
from jobs.schedule import SCHEDULE, last_due_run, missed_runs, run
from tests import quarter as quarters
from tests.moments import london
from tracker.models import ActionStatus, JobRun, OutboxMessage, ProgressUpdate
from tracker.rules import timetable
from tracker.rules.due import LONDON


@pytest.fixture
def quarter(session):
    return quarters.build(session)


def mail(session, kind=None):
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    return session.scalars(query).all()


def test_reminders_ten_and_three_working_days_before(session, quarter):
    sent = defaultdict(list)
    day = date(2021, 7, 1)
    while day <= date(2021, 9, 30):
        before = {m.id for m in mail(session)}
        send_reminders(session, london(day))
        session.commit()
        for message in mail(session, "reminder"):
            if message.id not in before:
                sent[day].append(message.recipient)
        day += timedelta(days=1)
    # Due 24 August: 10 working days before is 10 August, 3 working days before is 19 August
    # (the summer bank holiday is after it).
    assert dict(sent) == {
        date(2021, 8, 10): ["lead@example.org", "send@example.org"],
        date(2021, 8, 19): ["lead@example.org", "send@example.org"],
    }
    reminder = mail(session, "reminder")[0]
    assert "Late action" in reminder.body_text and "Done action" not in reminder.body_text
    assert f"/actions/{quarter['late'].id}/updates/new" in reminder.body_html
    assert [a.id for a in reminder.actions] == [quarter["late"].id]


def test_no_second_reminder_once_an_update_counts(session, quarter):
    session.add(
        ProgressUpdate(
            action=quarter["late"],
            author=quarter["lead"],
            text="Done",
            status=ActionStatus.ON_TRACK,
            created_at=datetime(2021, 8, 12, 9, tzinfo=UTC),
        )
    )
    session.commit()
    send_reminders(session, london(date(2021, 8, 19)))
    assert [m.recipient for m in mail(session)] == ["send@example.org"]


def test_running_twice_for_the_same_moment_sends_nothing_more(session, quarter):
    moment = london(date(2021, 8, 10))
    assert run(session, "reminders", moment) == "2 reminders queued"
    assert run(session, "reminders", moment) == "0 reminders queued"
    assert len(mail(session)) == 2


def test_nothing_on_weekends_or_bank_holidays(session, quarter):
    for day in (date(2021, 8, 14), date(2021, 8, 30)):
        assert "not a working day" in send_reminders(session, london(day))
    assert mail(session) == []


def test_chasers_weekly_then_escalation_from_the_third(session, quarter):
    weeks = [date(2021, 8, 23), date(2021, 8, 31), date(2021, 9, 6), date(2021, 9, 13)]
    # 23 August: not yet due. 31 August is the Tuesday after the bank holiday Monday.
    assert "no chasers" in send_chasers(session, london(date(2021, 8, 30)))
    for day in weeks:
        send_chasers(session, london(day))
        session.commit()
    chasers = mail(session, "chaser")
    weeks_chased = sorted({m.key.rsplit(":", 1)[1] for m in chasers})
    assert weeks_chased == ["2021-W35", "2021-W36", "2021-W37"]
    assert {m.recipient for m in chasers} == {"lead@example.org", "send@example.org"}
    assert "7 days late" in chasers[0].body_text
    escalations = mail(session, "escalation")
    assert {m.recipient for m in escalations} == {"chair@example.org", "admin@example.org"}
    assert {m.key.rsplit(":", 1)[1] for m in escalations} == {"2021-W37"}
    assert "Late action" in escalations[0].body_text


def test_a_missed_daily_run_is_caught_up_once(session):
    now = datetime(2021, 9, 2, 10, tzinfo=UTC)
    missed = dict(missed_runs(session, now))
    at_seven = datetime(2021, 9, 2, 7, tzinfo=LONDON).astimezone(UTC)
    assert missed == {
        "forward_plan": at_seven,
        "digest": at_seven + timedelta(minutes=30),
        "reminders": london(date(2021, 9, 2)),
        "chasers": london(date(2021, 9, 2)),
        "daily_email": london(date(2021, 9, 2)) + timedelta(minutes=30),
    }
    session.merge(JobRun(name="reminders", scheduled_for=london(date(2021, 9, 2)), finished_at=now))
    session.commit()
    assert "reminders" not in dict(missed_runs(session, now))


def test_schedule_is_right_across_the_clock_changes():
    reminders = SCHEDULE["reminders"]
    # The Sunday the clocks go forward, and the Sunday they go back: 08:00 London both days.
    assert last_due_run(reminders, datetime(2021, 3, 28, 9, tzinfo=UTC)) == datetime(
        2021, 3, 28, 7, tzinfo=UTC
    )
    assert last_due_run(reminders, datetime(2021, 10, 31, 9, tzinfo=UTC)) == datetime(
        2021, 10, 31, 8, tzinfo=UTC
    )


@pytest.mark.parametrize("day", [date(2021, 3, 28), date(2021, 7, 1), date(2021, 10, 31)])
def test_the_schedule_runs_the_jobs_at_the_hours_the_calendar_feed_shows(day):
    start = datetime.combine(day, datetime.min.time(), tzinfo=LONDON)
    for name, hour in [
        ("forward_plan", timetable.FORWARD_PLAN_AT),
        ("digest", timetable.DIGEST_AT),
        ("reminders", timetable.REMINDERS_AT),
        ("daily_email", timetable.DAILY_EMAIL_AT),
    ]:
        assert SCHEDULE[name].trigger.get_next_fire_time(None, start) == timetable.at(day, hour)


def test_jobs_cli(app, session, quarter):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["jobs", "run", "reminders", "--now", "2021-08-10T08:00"])
    assert result.exit_code == 0 and "2 reminders queued" in result.output
    listed = runner.invoke(args=["outbox", "list", "--status", "pending"])
    assert "lead@example.org" in listed.output
    assert "reminders" in runner.invoke(args=["jobs", "list"]).output
    assert runner.invoke(args=["jobs", "run", "nonsense"]).exit_code == 2
    assert "no SMTP_HOST" in runner.invoke(args=["outbox", "flush"]).output
    assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 2


def test_emails_about_an_action_are_listed_on_its_page(client_request, session, quarter):
    send_reminders(session, london(date(2021, 8, 10)))
    session.commit()
    client_request.login(quarter["chair"])
    page = client_request.get(
        "actions.show", board_slug=quarter["board"].slug, action_id=quarter["late"].id
    )
    table = page.find("caption", string=lambda s: s and "Reminders and chasers" in s).parent
    assert "lead@example.org" in table.text and "Reminder" in table.text


def test_board_timings_preview_and_send_now(client_request, session, quarter, clock):
    slug = quarter["board"].slug
    client_request.login(quarter["admin"])
    page = client_request.post(
        "admin.reminders",
        board_slug=slug,
        _data={
            "first_reminder_days": "5",
            "second_reminder_days": "40",
            "chaser_weekday": "2",
            "chaser_every_weeks": "1",
            "escalate_after_chasers": "2",
        },
    )
    assert "Second reminder must be between 1 and 30" in page.text
    client_request.post(
        "admin.reminders",
        board_slug=slug,
        _data={
            "first_reminder_days": "5",
            "second_reminder_days": "2",
            "chaser_weekday": "2",
            "chaser_every_weeks": "1",
            "escalate_after_chasers": "2",
        },
        _expected_redirect=f"/boards/{slug}/admin/reminders",
    )
    session.refresh(quarter["board"])
    assert quarter["board"].first_reminder_days == 5
    # 24 August is 5 working days after 17 August: the preview shows it, and sends nothing.
    page = client_request.get("admin.reminders", board_slug=slug, day=["17", "8", "2021"])
    assert "lead@example.org" in page.text and "send@example.org" in page.text
    assert mail(session) == []
    bad = client_request.get("admin.reminders", board_slug=slug, day=["31", "2", "2021"])
    assert "Enter a real date" in bad.text
    clock.set(date(2021, 8, 17), 8)
    client_request.post(
        "admin.send_reminders_now",
        board_slug=slug,
        _expected_redirect=f"/boards/{slug}/admin/reminders",
    )
    assert {m.recipient for m in mail(session)} == {"lead@example.org", "send@example.org"}
    # Chasers on Wednesdays now, escalating from the second.
    assert "no chasers" in send_chasers(session, london(date(2021, 8, 30)))
    send_chasers(session, london(date(2021, 9, 1)))
    send_chasers(session, london(date(2021, 9, 8)))
    assert {m.recipient for m in mail(session, "escalation")} == {
        "chair@example.org",
        "admin@example.org",
    }


def test_reminders_go_to_the_deputy_while_a_lead_is_away(client_request, session, quarter, clock):
    from tracker.models import Person

    clock.set(date(2021, 8, 2), 8)
    client_request.login(quarter["lead"])
    page = client_request.post(
        "auth.your_emails", _data={"away_until": ["20", "8", "2021"], "deputy": ""}
    )
    assert "Choose who deputises while you are away" in page.text
    page = client_request.post(
        "auth.your_emails",
        _data={"away_until": ["20", "7", "2021"], "deputy": str(quarter["chair"].id)},
    )
    assert "The date must be today or in the future" in page.text
    client_request.post(
        "auth.your_emails",
        _data={"away_until": ["20", "8", "2021"], "deputy": str(quarter["chair"].id)},
        _expected_redirect="/",
    )
    lead = session.get(Person, quarter["lead"].id)
    assert lead.away_until == date(2021, 8, 20) and lead.deputy_id == quarter["chair"].id

    send_reminders(session, london(date(2021, 8, 10)))
    assert {m.recipient for m in mail(session)} == {"chair@example.org", "send@example.org"}
    client_request.login(quarter["chair"])
    page = client_request.get("actions.overdue", board_slug=quarter["board"].slug)
    assert "is away until 20 August 2021" in page.text


def test_one_email_a_day_bundles_what_the_jobs_held_back(client_request, session, quarter):
    from jobs.daily_email import send_daily_emails
    from tracker.models import OutboxStatus, Person

    client_request.login(quarter["lead"])
    client_request.post("auth.your_emails", _data={"one_email_a_day": "y"}, _expected_redirect="/")
    assert session.get(Person, quarter["lead"].id).one_email_a_day
    # 31 August: chasers (7 days late) and, for the team contact, no reminder.
    send_reminders(session, london(date(2021, 8, 31)))
    send_chasers(session, london(date(2021, 8, 31)))
    session.commit()
    held = mail(session, "chaser")
    by_recipient = {m.recipient: m.status for m in held}
    assert by_recipient == {
        "lead@example.org": OutboxStatus.HELD,
        "send@example.org": OutboxStatus.PENDING,
    }
    assert send_daily_emails(session, london(date(2021, 8, 31))) == "1 daily e-mail queued"
    session.commit()
    daily = mail(session, "daily")
    assert [m.recipient for m in daily] == ["lead@example.org"]
    assert "Overdue progress updates" in daily[0].body_text and "Late action" in daily[0].body_text
    assert {m.status for m in mail(session, "chaser") if m.recipient == "lead@example.org"} == {
        OutboxStatus.BUNDLED
    }
    assert send_daily_emails(session, london(date(2021, 8, 31))) == "0 daily e-mails queued"


def test_a_whole_quarter_day_by_day(session, quarter):
    """Every job, every day from 1 July to 30 September 2021: exactly who gets what, when."""
    from jobs.schedule import SCHEDULE

    sent = []
    day = quarters.FIRST_DAY
    while day <= quarters.LAST_DAY:
        for name in ("forward_plan", "digest", "reminders", "chasers", "daily_email"):
            before = {m.id for m in mail(session)}
            moment = datetime(day.year, day.month, day.day, 9, tzinfo=LONDON).astimezone(UTC)
            SCHEDULE[name].function(session, moment)
            session.commit()
            sent += [(day, m.kind, m.recipient) for m in mail(session) if m.id not in before]
        day += timedelta(days=1)
    assert sorted(sent) == sorted(quarters.EXPECTED)


def test_jobs_cli_replays_a_span_in_the_schedules_order(app, session, quarter):
    runner = app.test_cli_runner()
    args = ["jobs", "run", "chasers", "reminders", "--now", "2021-08-09"]
    result = runner.invoke(args=[*args, "--until", "2021-08-31T12:00"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    # Reminders every day at 08:00 (23 days), chasers Monday to Friday (17): a line each.
    assert len(lines) == 23 + 17
    assert "2021-08-10 08:00 reminders: 2 reminders queued" in lines
    assert lines[-2:] == [
        "2021-08-31 08:00 reminders: 0 reminders queued",
        "2021-08-31 08:00 chasers: 2 chasers and escalations queued",
    ]
    assert len(mail(session, "reminder")) == 4 and len(mail(session, "chaser")) == 2
    backwards = runner.invoke(args=[*args, "--until", "2021-08-01"])
    assert backwards.exit_code == 2 and "must not be before --now" in backwards.output
