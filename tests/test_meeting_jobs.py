"""The forward plan (21 days before a meeting) and the digest (7 days before)."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from jobs.meetings import compile_forward_plans, send_digests
from tests import factories
from tracker.models import (
    ActionStatus,
    AreaPriority,
    AuditEvent,
    ForwardPlanItem,
    ForwardPlanKind,
    OutboxMessage,
    ProgressUpdate,
    Rag,
    Role,
)
from tracker.rules.due import LONDON


def at(day: date, hour: int = 7) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=LONDON).astimezone(UTC)


@pytest.fixture
def board_meeting(session):
    board = factories.board("Children's Trust Board")
    chair = factories.person(board, Role.CHAIR, email="chair@example.org")
    factories.person(board, Role.ADMIN, email="admin@example.org")
    factories.person(board, Role.MEMBER, email="member@example.org")
    lead = factories.person(board, Role.LEAD, email="lead@example.org")
    plan = factories.plan(board, "CYPP", 2021, 2022)
    safe = factories.area(plan, "Be Safe", 3)
    safe.priorities.append(AreaPriority(plan_year=2021, text="Focus on domestic abuse"))
    factories.meeting(board, date(2021, 6, 9))
    meeting = factories.meeting(board, date(2021, 9, 8), focus=safe)
    due = factories.action(safe, text="Due in September", leads=[lead], months=[date(2021, 9, 1)])
    carried = factories.action(
        safe, text="Overdue since July", leads=[lead], months=[date(2021, 7, 1)]
    )
    factories.action(safe, text="Due in December", leads=[lead], months=[date(2021, 12, 1)])
    session.add(
        ProgressUpdate(
            action=due,
            author=lead,
            text="Pathway relaunched",
            status=ActionStatus.ON_TRACK,
            rag=Rag.RED,
            created_at=datetime(2021, 8, 2, 9, tzinfo=UTC),
        )
    )
    due.rag = Rag.RED
    session.commit()
    return dict(board=board, meeting=meeting, due=due, carried=carried, chair=chair)


def plan_items(session, meeting):
    return session.scalars(
        select(ForwardPlanItem)
        .where(ForwardPlanItem.meeting_id == meeting.id, ForwardPlanItem.removed_at.is_(None))
        .order_by(ForwardPlanItem.position)
    ).all()


def test_forward_plan_compiled_21_days_before(session, board_meeting):
    meeting = board_meeting["meeting"]
    assert compile_forward_plans(session, at(date(2021, 8, 17))).startswith("0 forward plans")
    assert compile_forward_plans(session, at(date(2021, 8, 18))).startswith(
        "1 forward plan compiled"
    )
    session.commit()
    assert [(i.kind, i.text) for i in plan_items(session, meeting)] == [
        (ForwardPlanKind.FOCUS, "In-depth review: Be Safe – Focus on domestic abuse"),
        (ForwardPlanKind.DUE, "Due in September"),
        (ForwardPlanKind.OVERDUE, "Overdue since July"),
    ]
    mails = session.scalars(select(OutboxMessage)).all()
    assert sorted(m.recipient for m in mails) == ["admin@example.org", "chair@example.org"]
    assert "Overdue since July" in mails[0].body_text


def test_compiling_again_keeps_hand_made_changes(session, board_meeting):
    meeting = board_meeting["meeting"]
    compile_forward_plans(session, at(date(2021, 8, 18)))
    session.commit()
    carried = next(i for i in plan_items(session, meeting) if i.kind is ForwardPlanKind.OVERDUE)
    carried.removed_at, carried.removed_reason = at(date(2021, 8, 19)), "Covered under AOB"
    session.add(
        ForwardPlanItem(
            meeting=meeting,
            kind=ForwardPlanKind.ADDED,
            position=9,
            text="Update on the Youth Strategy",
        )
    )
    session.commit()
    compile_forward_plans(session, at(date(2021, 8, 20)))
    session.commit()
    texts = [i.text for i in plan_items(session, meeting)]
    assert texts == [
        "In-depth review: Be Safe – Focus on domestic abuse",
        "Due in September",
        "Update on the Youth Strategy",
    ]
    # The officers heard once, on the first compile.
    assert len(session.scalars(select(OutboxMessage)).all()) == 2


def test_items_compiled_in_bulk_are_audited_as_the_session_audits_them(session, board_meeting):
    """The job inserts a draft's items in one statement: each gets the "created" event a
    flush of the same item writes, in the same order."""
    meeting = board_meeting["meeting"]
    compile_forward_plans(session, at(date(2021, 8, 18)))
    session.commit()
    items = plan_items(session, meeting)
    other = factories.meeting(board_meeting["board"], date(2021, 12, 8))
    for item in items:
        session.add(
            ForwardPlanItem(
                meeting=other,
                kind=item.kind,
                action_id=item.action_id,
                text=item.text,
                position=item.position,
            )
        )
    session.commit()

    def events(of):
        found = session.scalars(
            select(AuditEvent)
            .join(ForwardPlanItem, ForwardPlanItem.id == AuditEvent.entity_id)
            .where(AuditEvent.entity == "forward_plan_item", ForwardPlanItem.meeting_id == of.id)
            .order_by(AuditEvent.id)
        ).all()
        assert all(e.changes["meeting_id"] == [None, of.id] for e in found)
        return [
            (e.board_id, e.actor_id, e.action_id, e.verb, e.reason)
            + ({k: v for k, v in e.changes.items() if k != "meeting_id"},)
            for e in found
        ]

    assert len(items) == 3
    assert events(meeting) == events(other)
    assert [
        e.entity_id
        for e in session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity == "forward_plan_item")
            .order_by(AuditEvent.id)
        )
    ][:3] == [i.id for i in items]


def test_digest_seven_days_before_to_every_member(session, board_meeting):
    compile_forward_plans(session, at(date(2021, 8, 18)))
    assert send_digests(session, at(date(2021, 8, 31), 7)) == "0 digests queued"
    assert send_digests(session, at(date(2021, 9, 1), 7)) == "4 digests queued"
    assert send_digests(session, at(date(2021, 9, 1), 7)) == "0 digests queued"
    digest = session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.kind == "digest", OutboxMessage.recipient == "member@example.org"
        )
    ).one()
    body = digest.body_text
    assert "8 September 2021" in body
    assert "Due in September" in body and "Overdue since July" in body
    assert "Rated red (1)" in body and "Pathway relaunched" in body
    assert "Progress updates since 9 June 2021 (1)" in body


def test_meeting_page_shows_the_forward_plan(client_request, session, board_meeting):
    compile_forward_plans(session, at(date(2021, 8, 18)))
    session.commit()
    client_request.login(board_meeting["chair"])
    page = client_request.get(
        "meetings.show",
        board_slug=board_meeting["board"].slug,
        meeting_id=board_meeting["meeting"].id,
    )
    assert "Due in September" in page.text and "Still overdue from an earlier month" in page.text


def test_the_forward_plan_asks_each_officer_only_what_they_may_do(
    client_request, session, board_meeting
):
    """The secretariat shapes and publishes the draft; the chair, who cannot, is asked to
    tell them of any change."""
    compile_forward_plans(session, at(date(2021, 8, 18)))
    session.commit()
    mails = {m.recipient: m.body_text for m in session.scalars(select(OutboxMessage))}
    assert "add or remove items, and publish it" in mails["admin@example.org"]
    assert "publish it" not in mails["chair@example.org"].replace("before they publish it", "")
    assert "tell the secretariat of any change" in mails["chair@example.org"]
    client_request.login(board_meeting["chair"])
    page = client_request.get(
        "meetings.show",
        board_slug=board_meeting["board"].slug,
        meeting_id=board_meeting["meeting"].id,
    )
    assert not page.select("form[action$=publish]")


def test_an_update_on_a_meeting_day_belongs_to_that_meeting_in_digest_and_report(
    session, board_meeting
):
    """The digest's "updates since the previous meeting" and the report's updates since the
    last report start at the same moment: the end of the previous meeting's day."""
    from tracker.meetings import previous_meeting
    from tracker.reports.gathering import sources

    lead = board_meeting["due"].leads[0].person
    for text, moment in (
        ("Posted on the June meeting's day", datetime(2021, 6, 9, 23, 30, tzinfo=LONDON)),
        ("Posted the day after", datetime(2021, 6, 10, 0, 0, tzinfo=LONDON)),
    ):
        session.add(
            ProgressUpdate(
                action=board_meeting["due"],
                author=lead,
                text=text,
                status=ActionStatus.ON_TRACK,
                created_at=moment.astimezone(UTC),
            )
        )
    session.commit()
    september = board_meeting["meeting"]
    june = previous_meeting(session, september)

    def reported(meeting):
        return [u.text for s in sources(session, meeting) for u in s.updates]

    assert "Posted on the June meeting's day" in reported(june)
    assert "Posted the day after" not in reported(june)
    assert "Posted on the June meeting's day" not in reported(september)
    assert "Posted the day after" in reported(september)

    send_digests(session, at(date(2021, 9, 1), 7))
    digest = session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient == "member@example.org")
    ).one()
    assert "Progress updates since 9 June 2021 (2)" in digest.body_text
    assert "Posted the day after" in digest.body_text
    assert "Posted on the June meeting's day" not in digest.body_text
