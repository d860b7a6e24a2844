"""The audit trail and the e-mail log read in the board's words, with names, not fields."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Boolean, Date, DateTime, Float, Integer, TypeDecorator, inspect, select
from sqlalchemy import Enum as EnumType
from sqlalchemy.orm import RelationshipProperty

from tests import factories
from tests.helpers import text
from tracker import clock
from tracker.actions.updates import post_update
from tracker.audit import acting_as
from tracker.extensions import Base
from tracker.models import (
    ActionStatus,
    AuditEvent,
    ForwardPlanItem,
    ForwardPlanKind,
    Person,
    Rag,
    Role,
)
from tracker.outbox import KINDS, enqueue
from tracker.trail import THINGS, describe_events, described_fields
from tracker.trail.fields import Moment, Secret

ROOT = Path(__file__).resolve().parents[1]
# A database name in what a person reads: "person_id", "carried_over", "Forward_plan".
SNAKE_CASE = re.compile(r"[A-Za-z]+_[A-Za-z_]+")


def audited_models() -> list[type]:
    return sorted(
        (m.class_ for m in Base.registry.mappers if getattr(m.class_, "__audited__", False)),
        key=lambda model: model.__name__,
    )


def test_every_audited_field_of_every_audited_model_is_described():
    assert set(THINGS) == set(audited_models())
    for model in audited_models():
        fields = set(described_fields(model))
        described = set(THINGS[model].fields)
        assert fields - described == set(), f"{model.__name__}: describe these in tracker.trail"
        assert described - fields == set(), f"{model.__name__}: these are not audited fields"


def _sample(model: type, key: str, person: Person) -> object:
    """A value of the field's type, as tracker.audit stores it."""
    attr = inspect(model).attrs[key]
    if key in getattr(model, "__audit_redacted__", ()):
        return "s3cret-token"
    if isinstance(attr, RelationshipProperty):
        return ["Thames Valley Police", "Oxford Health"]
    column = attr.columns[0]
    if column.foreign_keys:
        return person.id if next(iter(column.foreign_keys)).column.table.name == "person" else 1
    column_type = column.type
    if isinstance(column_type, TypeDecorator):
        column_type = column_type.impl
    if isinstance(column_type, EnumType) and column_type.enum_class:
        return list(column_type.enum_class)[-1].value
    if isinstance(column_type, DateTime):
        return datetime(2026, 3, 2, 9, 30, tzinfo=UTC).isoformat()
    if isinstance(column_type, Date):
        return "2026-03-01"
    if isinstance(column_type, Boolean):
        return True
    if isinstance(column_type, Float):
        return 12.5
    if isinstance(column_type, Integer):
        return 2
    return "Some words"


@pytest.mark.parametrize("model", audited_models(), ids=lambda m: m.__name__)
def test_every_field_reads_in_words_when_added_and_changed(session, model):
    person = factories.person(name="David Clarke")
    session.commit()
    fields = described_fields(model)
    changes = {key: [None, _sample(model, key, person)] for key in fields}
    added = AuditEvent(entity=model.__tablename__, entity_id=10**6, verb="created", changes=changes)
    changed = AuditEvent(
        entity=model.__tablename__,
        entity_id=10**6,
        verb="updated",
        changes={
            key: [[] if isinstance(value, list) else value, value]
            for key, (_, value) in changes.items()
        },
    )
    for entry in describe_events(session, [added, changed]):
        for line in [entry.summary, *entry.details]:
            assert not SNAKE_CASE.search(line), line
            assert "None" not in line, line
    # Each field is named, but a moment ("archived") is the entry's verb.
    thing = THINGS[model]
    labels = {thing.fields[k].label for k in fields if not isinstance(thing.fields[k], Moment)}
    entry = describe_events(session, [changed])[0]
    shown = " ".join(entry.details)
    assert all(label in shown for label in labels), shown
    moments = [thing.fields[k] for k in fields if isinstance(thing.fields[k], Moment)]
    assert all(moment.set_verb in entry.summary for moment in moments), entry.summary
    secrets = [thing.fields[k] for k in fields if isinstance(thing.fields[k], Secret)]
    if secrets:
        assert "s3cret-token" not in shown
        assert all(f"{secret.label}: changed" in shown for secret in secrets), shown


@pytest.fixture
def board_people(session):
    """The shared board_people, with the names the trails below show."""
    people = factories.board_with_people(names={Role.ADMIN: "Sam Patel", Role.LEAD: "David Clarke"})
    session.commit()
    return people


@pytest.fixture
def world(session, clock, board_people):
    clock.set(datetime(2021, 9, 20, 9, tzinfo=UTC))
    board, admin, lead = board_people.board, board_people.admin, board_people.lead
    send = factories.team(board, "SEND (OCC)")
    police = factories.agency(board, "Thames Valley Police")
    plan = factories.plan(board, "CYPP 2021", 2021, 2022)
    area = factories.area(plan, "Be Safe", 1)
    meeting = factories.meeting(board, date(2021, 9, 8), focus=area)
    action = factories.action(
        area,
        text="Embed the domestic abuse pathway",
        leads=[lead],
        months=[date(2021, 9, 1)],
        measures=["Pathway known"],
        plan_year=2021,
    )
    session.commit()
    return dict(
        board=board,
        admin=admin,
        lead=lead,
        send=send,
        police=police,
        area=area,
        meeting=meeting,
        action=action,
    )


def test_the_action_trail_names_people_and_things(as_admin, world, session):
    action, slug = world["action"], world["board"].slug
    with acting_as(session, world["lead"].id):
        post_update(
            session,
            action=action,
            author=world["lead"],
            status=ActionStatus.ON_TRACK,
            rag=Rag.GREEN,
            text="Training delivered.",
            seen_version=action.version,
        )
    session.add(
        ForwardPlanItem(
            meeting=world["meeting"],
            kind=ForwardPlanKind.CARRIED_OVER,
            action_id=action.id,
            text=action.text,
        )
    )
    session.commit()
    # The secretariat hands the action from David Clarke to the SEND team, with an agency.
    as_admin.post(
        "admin.actions_edit",
        board_slug=slug,
        object_id=action.id,
        _data={
            "seen_version": action.version,
            "area": world["area"].id,
            "plan_year": "2021",
            "text": action.text,
            "leads": [f"team-{world['send'].id}"],
            "agencies": [str(world["police"].id)],
            "measures": "Pathway known",
            "reporting_months": "September 2021",
            "status": "on_track",
        },
        _expected_redirect=f"/boards/{slug}/admin/actions",
    )
    page = as_admin.get("actions.show", board_slug=slug, action_id=action.id)
    rows = [text(row.select("td")[2]) for row in page.select("#audit-trail tbody tr")]
    trail = " | ".join(rows)
    for expected in [
        "Action: added “Embed the domestic abuse pathway” Area of focus: Be Safe "
        "Plan year: 2021/22 Status: Not started",
        "Lead: added David Clarke",
        "Measure: added “Pathway known”",
        "Reporting month: added September 2021",
        "Action: changed “Embed the domestic abuse pathway” Status: Not started → On track "
        "RAG rating: No RAG → Green",
        "Forward plan item: added “Embed the domestic abuse pathway” "
        "Meeting: 8 September 2021 "
        f"Why it is on: {ForwardPlanKind.CARRIED_OVER.label}",
        "Lead: removed David Clarke",
        "Lead: added SEND (OCC) (team)",
        "Responsible agencies: added Thames Valley Police",
    ]:
        assert any(expected in row for row in rows), f"{expected!r} not in {trail}"
    assert not SNAKE_CASE.search(trail), trail
    assert " id" not in trail and "–" not in trail
    assert {text(row.select("td")[1]) for row in page.select("#audit-trail tbody tr")} == {
        "Sam Patel",
        "David Clarke",
        "Trust Tracker",
    }


def test_the_indicator_trail_reads_values_in_the_indicators_unit(as_admin, world, session):
    indicator = factories.indicator(
        world["board"], world["lead"], readings={date(2021, 4, 1): 13.1}, tolerance=1
    )
    session.commit()
    reading = indicator.readings[0]
    reading.value = 12.9
    indicator.tolerance = 2
    session.commit()
    page = as_admin.get(
        "indicators.show", board_slug=world["board"].slug, indicator_id=indicator.id
    )
    trail = text(page.select_one("#audit-trail"))
    assert "Reading: changed 2021 Q2 Value: 13.1% → 12.9%" in trail
    assert "Reading: added 2021 Q2 Value: 13.1% Entered by: David Clarke" in trail
    assert "Tolerance for Amber: 1 percentage point → 2 percentage points" in trail
    assert not SNAKE_CASE.search(trail), trail


def test_a_deleted_row_is_still_named(session, world):
    lead = world["action"].leads[0]
    world["action"].leads.remove(lead)
    session.commit()
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.entity == "action_lead", AuditEvent.verb == "deleted")
    ).one()
    assert event.changes["person_id"] == [world["lead"].id, None]
    assert describe_events(session, [event])[0].summary == "Lead: removed David Clarke"


def test_every_kind_of_e_mail_has_a_name():
    """Every kind the code queues is named."""
    sources = [*ROOT.glob("tracker/**/*.py"), *ROOT.glob("jobs/**/*.py")]
    kinds = {
        kind
        for path in sources
        for kind in re.findall(r'\bkind="([a-z_]+)"', path.read_text(encoding="utf-8"))
    }
    assert kinds and kinds <= set(KINDS), kinds - set(KINDS)
    assert all(not SNAKE_CASE.search(label) for label in KINDS.values())


def test_an_actions_e_mails_are_named(as_admin, world, session):
    enqueue(
        session,
        key="forward-plan:test",
        kind="forward_plan",
        recipient="chair@example.org",
        subject="Forward plan",
        template="password_changed",
        board_id=world["board"].id,
        action_ids=[world["action"].id],
        changed_at=clock.now(),
        link="http://example.org",
    )
    session.commit()
    page = as_admin.get(
        "actions.show", board_slug=world["board"].slug, action_id=world["action"].id
    )
    emails = page.find("h2", string="E-mails about this action").find_next("table")
    assert text(emails.select_one("tbody td:nth-of-type(2)")) == "Forward plan"
    outbox = as_admin.get("admin.outbox", board_slug=world["board"].slug)
    assert "Forward plan" in text(outbox.select_one("tbody"))


def test_a_name_is_shown_as_typed(session):
    event = AuditEvent(
        entity="measure",
        entity_id=10**6,
        verb="created",
        changes={"text": [None, "Fewer {exclusions} <b>now</b>"], "position": [None, 0]},
    )
    assert describe_events(session, [event])[0].summary == (
        "Measure: added “Fewer {exclusions} <b>now</b>”"
    )
