import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests.helpers import text
from tracker import clock
from tracker.actions.standing import led_by, standings
from tracker.demo import BOARD_NAME, BOARD_SLUG, load
from tracker.demo.data import read
from tracker.extensions import db
from tracker.indicators.framework import standings as framework
from tracker.meetings.forward_plan import live_items
from tracker.models import Action, AreaOfFocus, AuditEvent, Board, Meeting, Person, Plan
from tracker.models.publishing import PublicName, PublishedUpdate
from tracker.publishing import approvals
from tracker.publishing.data import public_boards
from tracker.reports import hwb
from tracker.rules.due import add_months, first_of_month, plan_year

TODAY = date(2026, 11, 24)


def table_counts(session):
    return {
        table.name: session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


@pytest.fixture
def board(session):
    load(session, TODAY)
    session.commit()
    return session.scalars(select(Board).where(Board.slug == BOARD_SLUG)).one()


def meetings(session, board):
    return session.scalars(
        select(Meeting).where(Meeting.board_id == board.id).order_by(Meeting.held_on)
    ).all()


def test_demo_holds_the_reference_plan(session, board):
    plan = session.scalars(select(Plan).where(Plan.name == "CYPP 2018–2021")).one()
    assert [a.name for a in plan.areas] == [
        "Be Successful",
        "Be Happy and Healthy",
        "Be Safe",
        "Be Supported",
    ]
    assert [o.number for a in plan.areas for o in a.outcomes] == list(range(1, 17))
    successful = plan.areas[0]
    assert successful.priority_for(2018).text == "Focus on children missing out on education"
    assert successful.priority_for(2020).text == "Focus on children not engaged in education"
    engagement = session.scalars(
        select(Action).where(
            Action.text == "Set up a multi-agency Learner Engagement Board by end of June 2018."
        )
    ).one()
    assert [str(lead) for lead in engagement.leads] == ["David Clarke"]
    assert engagement.months == [date(2018, 9, 1)]
    assert len(engagement.measures) == 11 and len(engagement.agencies) == 7
    healthy = session.scalars(
        select(AreaOfFocus).where(
            AreaOfFocus.plan_id == plan.id, AreaOfFocus.name == "Be Happy and Healthy"
        )
    ).one()
    first = healthy.actions[0]
    assert [str(lead) for lead in first.leads] == ["Emma Leaver", "Maria Godfrey", "Donna Husband"]
    assert first.months == [date(2018, 12, 1)]
    months = {m for a in plan.areas for action in a.actions for m in action.months}
    assert {date(2018, 9, 1), date(2018, 12, 1), date(2019, 3, 1)} <= months
    assert any(
        str(lead) == "SEND (OCC)"
        for a in plan.areas
        for action in a.actions
        for lead in action.leads
    )
    # The plan's leads are the board's people, not new ones the import made up.
    assert session.scalar(select(func.count()).select_from(Person)) == len(read("board")["people"])
    # The March 2019 meeting, as the board held it and reported on it in May 2019.
    march = next(m for m in meetings(session, board) if m.held_on == date(2019, 3, 21))
    assert march.focus_area.name == "Be Safe"
    report = hwb.build(session, march)
    assert report.report_date == date(2019, 5, 24)
    assert "Young People Domestic Abuse Pathway" in report.priorities[2].progress


def test_demo_is_alive_around_today(session, board):
    all_standings = standings(session, board, TODAY)
    assert any(s.overdue for s in all_standings)
    assert any(s.is_red for s in all_standings)
    assert any(s.action.status.value == "on_track" and not s.overdue for s in all_standings)
    lead = session.scalars(select(Person).where(Person.email == "david.clarke@example.org")).one()
    mine = standings(session, board, TODAY, where=[led_by(lead)])
    this_month = first_of_month(TODAY)
    assert any(d.due_on.month == this_month.month for s in mine for d in s.dues)
    next_month = add_months(this_month, 1)
    assert any(d.due_on.month == next_month.month for s in mine for d in s.dues)


def test_loading_twice_adds_nothing(session, board):
    before = table_counts(session)
    summary = load(session, TODAY)
    session.commit()
    assert table_counts(session) == before
    assert "nothing new" in summary
    assert "david.clarke@example.org" in summary


def test_each_meeting_reviews_an_area_of_the_one_plan_running_in_its_year(session, board):
    held = meetings(session, board)
    assert len(held) >= 20
    for meeting in held:
        plan = meeting.focus_area.plan
        year = plan_year(meeting.held_on)
        running = [p for p in board.plans if year in p.plan_years]
        assert running == [plan], meeting
    # Each plan's meetings review its areas in turn.
    for plan in board.plans:
        own = [m.focus_area.name for m in held if m.focus_area.plan == plan]
        names = [a.name for a in plan.areas]
        assert own[: len(names)] == names


def test_every_plan_year_has_its_priority_focus_per_area(session, board):
    for plan in board.plans:
        for area in plan.areas:
            assert sorted(p.plan_year for p in area.priorities) == list(plan.plan_years), area


def test_the_live_plans_measures_speak_of_its_own_years(session, board):
    plan = session.scalars(select(Plan).where(Plan.name == "CYPP 2025–2028")).one()
    texts = [m.text for a in plan.areas for action in a.actions for m in action.measures]
    years = [int(y) for t in texts for y in re.findall(r"\b(20\d\d)/\d\d\b", t)]
    assert years and set(years) <= set(plan.plan_years)
    assert not [t for t in texts if re.search(r"\b1\d/\d\d\b|\{year\}", t)]


def test_indicator_readings_go_back_as_far_as_the_meetings_that_report_on_them(session, board):
    held = [m for m in meetings(session, board) if m.held_on < TODAY]
    live = [m for m in held if m.focus_area.plan.name == "CYPP 2025–2028"]
    for meeting in live:
        standing = framework(session, board, meeting.held_on)
        assert all(s.latest is not None for s in standing), meeting
        assert hwb.build(session, meeting).indicators
    # The board had no framework in the tracker before the live plan.
    assert not hwb.build(session, held[0]).indicators


def test_past_meetings_are_recorded_published_and_reported(session, board):
    held = [m for m in meetings(session, board) if m.held_on < TODAY]
    assert len([m for m in held if m.held_on > TODAY - timedelta(days=366)]) == 4
    for meeting in held:
        items = live_items(meeting)
        assert items and all(i.reviewed for i in items), meeting
        assert meeting.recorded_at and meeting.summary_of_other_items, meeting
        assert meeting.forward_plan_compiled_at and meeting.forward_plan_published_at, meeting
        assert meeting.hwb_report.is_final, meeting
    upcoming = next(m for m in meetings(session, board) if m.held_on >= TODAY)
    assert upcoming.forward_plan_compiled_at and not upcoming.forward_plan_published_at
    assert [i.kind.value for i in live_items(upcoming)][0] == "focus"


def test_each_past_report_shows_its_areas_outcomes_and_focus(session, board):
    for meeting in meetings(session, board):
        if meeting.held_on >= TODAY:
            break
        report = hwb.build(session, meeting)
        plan = meeting.focus_area.plan
        assert [a.name for a in report.areas] == [a.name for a in plan.areas]
        assert all(a.outcomes and a.priority_focus for a in report.areas), meeting
        assert not [p for p in report.priorities if "No priority focus" in p.focus], meeting
        reviewed = next(p for p in report.priorities if p.area == meeting.focus_area.name)
        assert "meeting focus" in reviewed.focus


def test_demo_framework_has_red_amber_and_green_with_what_is_being_done(session, board):
    indicators = framework(session, board, TODAY)
    assert {s.indicator.number: s.rag.value for s in indicators} == {
        "1.1b": "red",
        "1.4": "green",
        "2.2": "amber",
        "2.4": "amber",
        "2.5": "red",
        "3.2": "green",
        "3.5": "amber",
        "3.14": "red",
        "4.1": "red",
        "4.2": "amber",
        "4.3": "green",
    }
    assert all(s.commentary for s in indicators if s.needs_commentary)
    # October's CAMHS figure was due on 13 November and has not come in.
    camhs = next(s for s in indicators if s.indicator.number == "1.1b")
    assert [d.period_start for d in camhs.overdue] == [date(2026, 10, 1)]
    assert all(s.trend for s in indicators)


@pytest.mark.parametrize(
    "email", ["secretariat@example.org", "steve.harrod@example.org", "david.clarke@example.org"]
)
def test_the_demo_users_see_its_pages(session, board, client_request, email):
    client_request.login(session.scalars(select(Person).where(Person.email == email)).one())
    slug = board.slug
    for plan in board.plans:
        client_request.get("plans.show", board_slug=slug, plan_id=plan.id)
    client_request.get("meetings.index", board_slug=slug)
    client_request.get("indicators.index", board_slug=slug)
    for meeting in meetings(session, board):
        client_request.get("meetings.show", board_slug=slug, meeting_id=meeting.id)
        if meeting.held_on < TODAY:
            page = client_request.get("reports.show", board_slug=slug, meeting_id=meeting.id)
            assert "No priority focus set" not in page.text
            assert meeting.focus_area.name in page.text


def test_the_demo_publishes_a_handful_through_the_approvals_as_the_secretariat(
    session, board, client_request
):
    held = read("publishing")
    secretariat = session.scalars(select(Person).where(Person.email == held["by"])).one()
    assert [b.slug for b in public_boards(session)] == [BOARD_SLUG]
    index = client_request.get("public.index")
    assert [a.text for a in index.select("#boards a")] == [BOARD_NAME]
    decisions = session.scalars(select(PublishedUpdate)).all()
    assert len(decisions) == len(held["updates"])
    assert [d.summary for d in decisions if d.summary] == [
        next(u["summary"] for u in held["updates"] if "summary" in u)
    ]
    # Audited as the secretariat's decisions, with the demo's reason.
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.entity.in_(["published_update", "public_pages"]))
    ).all()
    assert events and {(e.actor_id, e.reason) for e in events} == {(secretariat.id, "demo data")}
    live = session.scalars(select(Plan).where(Plan.name == held["plan"])).one()
    page = client_request.get("public.plan", board_slug=BOARD_SLUG, plan_id=live.id)
    shown = text(page)
    assert "Children are being seen sooner than in the summer" in shown
    assert "Timeliness stands at 43%" not in shown
    assert "Self-referral pages relaunched" not in shown  # not approved
    assert "David Clarke" not in shown and "Lead officer" in shown  # not agreed to be named
    indicators = client_request.get("public.indicators", board_slug=BOARD_SLUG)
    assert len(indicators.select("tbody tr")) == len(held["indicators"])
    last = [m for m in meetings(session, board) if m.held_on < TODAY][-1]
    page = client_request.get("public.meeting", board_slug=BOARD_SLUG, meeting_id=last.id)
    assert live_items(last)[0].text in text(page)
    # The chair agreed to be named: the public report names them.
    report = client_request.client.get(
        client_request.url(
            "public.report", board_slug=BOARD_SLUG, meeting_id=last.id, file_format="html"
        )
    )
    assert report.status_code == 200 and "Cllr Steve Harrod" in report.get_data(as_text=True)


def test_loading_again_leaves_what_was_withdrawn_since_withdrawn(session, board):
    decision = session.scalars(select(PublishedUpdate)).first()
    approvals.withdraw(decision, clock.now())
    chair = session.scalars(select(Person).where(Person.email == "steve.harrod@example.org")).one()
    approvals.agree_to_be_named(session, chair, False, clock.now())
    session.commit()
    load(session, TODAY)
    session.commit()
    assert not decision.is_public
    assert session.scalars(select(PublicName)).all() == []


def test_demo_years_are_its_plans_years(board):
    """Each priority focus and action is in a year of its own plan (tracker.rules.due)."""
    for plan in board.plans:
        for area in plan.areas:
            assert {p.plan_year for p in area.priorities} <= set(plan.plan_years), area.name
            assert {a.plan_year for a in area.actions} <= set(plan.plan_years), area.name
