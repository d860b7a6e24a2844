"""Why an item is on the forward plan: still overdue, and not reached at the last meeting, are
two reasons, labelled apart on the meeting's page and in the e-mails, and told apart in rows
stored before they were (migration 0014) so that compiling again changes nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from jobs.meetings import compile_forward_plans
from tests import factories
from tests.helpers import text
from tracker import create_app
from tracker.extensions import db
from tracker.meetings.forward_plan import record
from tracker.models import ForwardPlanItem, ForwardPlanKind, OutboxMessage, Role
from tracker.rules.due import LONDON

COMPILED = datetime(2021, 8, 18, 7, tzinfo=LONDON).astimezone(UTC)


def june_and_september(session, kinds: dict[str, ForwardPlanKind] | None = None) -> dict:
    """A board whose 9 June 2021 meeting was recorded without reaching two actions and a free
    item, and whose 8 September meeting has an action due and one overdue since July.

    With ``kinds``, September's draft is stored as it was before the kinds were told apart
    (item text -> kind, in that order), as migration 0014 finds it."""
    board = factories.board("Children's Trust Board")
    chair = factories.person(board, Role.CHAIR, email="chair@example.org")
    area = factories.area(factories.plan(board, "CYPP", 2021, 2022), "Be Safe")
    june = factories.meeting(board, date(2021, 6, 9))
    september = factories.meeting(board, date(2021, 9, 8))
    actions = {
        name: factories.action(area, text=name, months=[month])
        for name, month in (
            ("Due in September", date(2021, 9, 1)),
            ("Overdue since July", date(2021, 7, 1)),
            ("Not reached in June", date(2021, 12, 1)),
            ("Not reached in June and overdue", date(2021, 7, 1)),
            ("Reviewed in June", date(2021, 12, 1)),
        )
    }
    left = ["Not reached in June", "Not reached in June and overdue", "Reviewed in June"]
    for position, name in enumerate([*left, "Update on the Youth Strategy"]):
        action = actions.get(name)
        session.add(
            ForwardPlanItem(
                meeting=june,
                position=position,
                kind=ForwardPlanKind.DUE if action else ForwardPlanKind.ADDED,
                action_id=action.id if action else None,
                text=name,
            )
        )
    session.flush()
    reviewed = {i.id for i in june.forward_plan if i.text == "Reviewed in June"}
    record(june, summary="", reviewed_ids=reviewed, now=datetime(2021, 6, 10, tzinfo=UTC))
    for position, (name, kind) in enumerate((kinds or {}).items()):
        action = actions.get(name)
        session.add(
            ForwardPlanItem(
                meeting=september,
                position=position,
                kind=kind,
                action_id=action.id if action else None,
                text=name,
            )
        )
    session.commit()
    return dict(board=board, chair=chair, september=september)


LABELLED = {
    "Due in September": "Due for this meeting",
    "Not reached in June": "Carried over: the last meeting did not reach it",
    "Not reached in June and overdue": "Carried over: the last meeting did not reach it",
    "Update on the Youth Strategy": "Carried over: the last meeting did not reach it",
    "Overdue since July": "Still overdue from an earlier month",
}


def test_overdue_and_not_reached_are_labelled_apart(client_request, session):
    world = june_and_september(session)
    compile_forward_plans(session, COMPILED)
    session.commit()
    client_request.login(world["chair"])
    page = client_request.get(
        "meetings.show", board_slug=world["board"].slug, meeting_id=world["september"].id
    )
    rows = {
        text(row.select("td")[0]).split(". ", 1)[1]: text(row.select("td")[1])
        for row in page.select("#forward-plan tbody tr")
    }
    assert rows == LABELLED
    e_mail = session.scalars(select(OutboxMessage.body_text)).first()
    for name, label in LABELLED.items():
        assert f"{name} ({label.lower()})" in e_mail


# September's draft as the forward plan job compiled it before migration 0014: the overdue
# action and the not-reached ones all "carried over", the not-reached free item "added", next
# to one the secretariat added by hand.
BEFORE = {
    "Due in September": ForwardPlanKind.DUE,
    "Overdue since July": ForwardPlanKind.CARRIED_OVER,
    "Not reached in June and overdue": ForwardPlanKind.CARRIED_OVER,
    "Not reached in June": ForwardPlanKind.CARRIED_OVER,
    "Update on the Youth Strategy": ForwardPlanKind.ADDED,
    "Added by hand": ForwardPlanKind.ADDED,
}
AFTER = {
    **BEFORE,
    "Overdue since July": ForwardPlanKind.OVERDUE,
    "Update on the Youth Strategy": ForwardPlanKind.CARRIED_OVER,
}


@pytest.fixture
def migrated_app(empty_database):
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": empty_database})
    with app.app_context():
        upgrade()
        yield app
        db.session.remove()
        db.engine.dispose()


def stored(session, meeting_id: int) -> dict[str, tuple[str, int]]:
    rows = session.execute(
        select(ForwardPlanItem.text, ForwardPlanItem.kind, ForwardPlanItem.position).where(
            ForwardPlanItem.meeting_id == meeting_id
        )
    )
    return {name: (kind, position) for name, kind, position in rows}


def test_the_migration_tells_the_stored_kinds_apart_as_the_job_does(migrated_app):
    session = db.session
    # Built through today's models, then taken back to the schema 0014 found.
    world = june_and_september(session, BEFORE)
    september = world["september"].id
    session.close()
    downgrade(revision="0013")
    upgrade()
    after = stored(session, september)
    assert {name: kind for name, (kind, _) in after.items()} == AFTER
    # Compiling again finds every item it wants where it is: nothing dropped, added or moved.
    compile_forward_plans(session, COMPILED)
    session.commit()
    assert stored(session, september) == after
    session.close()
    downgrade(revision="0013")
    assert {name: kind for name, (kind, _) in stored(session, september).items()} == BEFORE
