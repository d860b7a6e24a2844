from datetime import date

from sqlalchemy import func, select

from tracker.actions.standing import led_by, standings
from tracker.demo import BOARD_SLUG, load
from tracker.extensions import db
from tracker.models import Action, AreaOfFocus, Board, Person, Plan
from tracker.rules.due import add_months, first_of_month

TODAY = date(2026, 11, 24)


def table_counts(session):
    return {
        table.name: session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def test_demo_holds_the_reference_plan(session):
    load(session, TODAY)
    board = session.scalars(select(Board).where(Board.slug == BOARD_SLUG)).one()
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
    assert len(board.meetings) >= 30


def test_demo_is_alive_around_today(session):
    load(session, TODAY)
    board = session.scalars(select(Board)).one()
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


def test_loading_twice_adds_nothing(session):
    first_summary = load(session, TODAY)
    session.commit()
    before = table_counts(session)
    summary = load(session, TODAY)
    session.commit()
    assert table_counts(session) == before
    assert "nothing new" in summary and "nothing new" not in first_summary
    assert "david.clarke@example.org" in summary


def test_demo_framework_has_red_amber_and_green_with_what_is_being_done(session):
    from tracker.indicators.framework import standings as framework

    load(session, TODAY)
    board = session.scalars(select(Board)).one()
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
