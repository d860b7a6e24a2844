"""The meeting pages: the forward plan by hand, publication and its audit, the record."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from tests import factories
from tests.helpers import error_summary, field_error, text
from tracker import clock
from tracker.meetings.forward_plan import carried_over, changes_since_published, live_items
from tracker.models import AuditEvent, ForwardPlanItem, ForwardPlanKind, Role


@pytest.fixture
def board_people(session):
    """The shared board_people, with the secretariat's name the changes below show."""
    people = factories.board_with_people(names={Role.ADMIN: "Sam Patel"})
    session.commit()
    return people


@pytest.fixture
def setup(session, clock, board_people):
    clock.set(datetime(2021, 9, 1, 9, tzinfo=UTC))
    board = board_people.board
    plan = factories.plan(board)
    area = factories.area(plan, "Be Safe")
    action = factories.action(area, text="Embed the pathway", months=[date(2021, 9, 1)])
    meeting = factories.meeting(board, date(2021, 9, 16), focus=area)
    following = factories.meeting(board, date(2021, 12, 9))
    for position, (kind, action_id, item_text) in enumerate(
        [
            (ForwardPlanKind.FOCUS, None, "In-depth review: Be Safe"),
            (ForwardPlanKind.DUE, action.id, "Embed the pathway"),
        ]
    ):
        session.add(
            ForwardPlanItem(
                meeting=meeting, kind=kind, action_id=action_id, text=item_text, position=position
            )
        )
    session.commit()
    return dict(board=board, meeting=meeting, following=following, action=action)


def go(signed_in, setup, endpoint, **kwargs):
    return signed_in.post(
        endpoint, board_slug=setup["board"].slug, meeting_id=setup["meeting"].id, **kwargs
    )


def texts(meeting):
    return [item.text for item in live_items(meeting)]


def test_the_secretariat_shapes_and_publishes_the_forward_plan(as_admin, setup, session):
    slug, meeting = setup["board"].slug, setup["meeting"]
    here = f"/boards/{slug}/meetings/{meeting.id}"
    go(
        as_admin,
        setup,
        "meetings.add_item",
        _data={"text": "Update on the Youth Strategy"},
        _expected_redirect=here,
    )
    item = session.scalars(
        select(ForwardPlanItem).where(ForwardPlanItem.kind == ForwardPlanKind.ADDED)
    ).one()
    go(
        as_admin,
        setup,
        "meetings.move_item",
        item_id=item.id,
        direction="up",
        _expected_redirect=here,
    )
    session.expire_all()
    assert texts(meeting) == [
        "In-depth review: Be Safe",
        "Update on the Youth Strategy",
        "Embed the pathway",
    ]

    go(as_admin, setup, "meetings.publish", _expected_redirect=here)
    session.expire_all()
    assert meeting.forward_plan_published_at is not None
    page = as_admin.get("meetings.show", board_slug=slug, meeting_id=meeting.id)
    assert text(page.select_one("#forward-plan-state")).startswith("Published 1 September 2021")
    assert page.select_one("#changes-since-published") is None

    # After publication every change is shown as a change, with who made it.
    focus = live_items(meeting)[0]
    go(
        as_admin,
        setup,
        "meetings.remove_item",
        item_id=focus.id,
        _data={"reason": "Deferred to December"},
        _expected_redirect=here,
    )
    go(
        as_admin,
        setup,
        "meetings.move_item",
        item_id=item.id,
        direction="down",
        _expected_redirect=here,
    )
    page = as_admin.get("meetings.show", board_slug=slug, meeting_id=meeting.id)
    changes = [text(li) for li in page.select("#changes-since-published li")]
    assert changes == [
        "Forward plan item: removed “In-depth review: Be Safe” (Reason for removing it: "
        "Deferred to December) – Sam Patel, 1 September 2021 at 10am",
        "Moved “Update on the Youth Strategy” down – Sam Patel, 1 September 2021 at 10am",
    ]
    assert "Deferred to December" in text(page)
    go(as_admin, setup, "meetings.restore_item", item_id=focus.id, _expected_redirect=here)
    session.expire_all()
    assert texts(meeting)[-1] == "In-depth review: Be Safe"
    assert "Forward plan item: put back “In-depth review: Be Safe”" in [
        c.what for c in changes_since_published(session, meeting)
    ]


def test_the_scheduler_leaves_a_published_forward_plan_alone(session, setup):
    from jobs.meetings import compile_forward_plans

    meeting = setup["meeting"]
    meeting.forward_plan_published_at = clock.now()
    for item in list(meeting.forward_plan):
        if item.kind is ForwardPlanKind.DUE:
            item.removed_at, item.removed_reason = clock.now(), "Not ready"
    session.commit()
    before = [(i.kind, i.text, i.position, i.removed_at) for i in meeting.forward_plan]
    compile_forward_plans(session, datetime(2021, 9, 2, 6, tzinfo=UTC))
    session.commit()
    session.expire_all()
    assert [(i.kind, i.text, i.position, i.removed_at) for i in meeting.forward_plan] == before


def test_bad_input_on_the_meeting_forms(as_admin, setup, session):
    page = go(as_admin, setup, "meetings.add_item", _data={"text": "  "})
    assert error_summary(page) == ["Enter the item to add to the forward plan"]
    page = go(as_admin, setup, "meetings.add_item", _data={"text": "x" * 501})
    assert field_error(page, "text") == "The item must be 500 characters or fewer"
    item = live_items(setup["meeting"])[0]
    page = go(as_admin, setup, "meetings.remove_item", item_id=item.id, _data={})
    assert error_summary(page) == ["Enter why the item is coming off the forward plan"]
    assert (
        session.scalars(
            select(ForwardPlanItem).where(ForwardPlanItem.removed_at.is_not(None))
        ).all()
        == []
    )
    as_admin.post(
        "meetings.move_item",
        board_slug=setup["board"].slug,
        meeting_id=setup["meeting"].id,
        item_id=99999,
        direction="up",
        _expected_status=404,
    )


def test_an_empty_forward_plan_is_not_published(as_admin, setup, session):
    following = setup["following"]
    as_admin.post(
        "meetings.publish",
        board_slug=setup["board"].slug,
        meeting_id=following.id,
        _expected_redirect=f"/boards/{setup['board'].slug}/meetings/{following.id}",
    )
    session.expire_all()
    assert following.forward_plan_published_at is None


def test_the_record_of_the_meeting_and_what_carries_over(as_admin, setup, session, clock):
    slug, meeting = setup["board"].slug, setup["meeting"]
    # Before the day, there is nothing to record.
    go(
        as_admin,
        setup,
        "meetings.record",
        _data={},
        _expected_redirect=f"/boards/{slug}/meetings/{meeting.id}",
    )
    clock.set(datetime(2021, 9, 17, 9, tzinfo=UTC))
    focus, due = live_items(meeting)
    page = as_admin.get("meetings.record", board_slug=slug, meeting_id=meeting.id)
    assert [i["value"] for i in page.select("input[name=reviewed][checked]")] == [
        str(focus.id),
        str(due.id),
    ]
    go(
        as_admin,
        setup,
        "meetings.record",
        _data={"reviewed": [str(focus.id)], "summary": "Youth Strategy: consultation closes."},
        _expected_redirect=f"/boards/{slug}/meetings/{meeting.id}",
    )
    session.expire_all()
    assert meeting.recorded_at is not None
    assert meeting.summary_of_other_items == "Youth Strategy: consultation closes."
    assert [i.text for i in carried_over(meeting)] == ["Embed the pathway"]
    page = as_admin.get("meetings.show", board_slug=slug, meeting_id=meeting.id)
    assert "Not reached" in text(page.select_one(f"#item-{due.id}"))
    assert text(page.select_one("#summary-of-other-items")) == (
        "Youth Strategy: consultation closes."
    )
    page = go(as_admin, setup, "meetings.record", _data={"reviewed": ["12345"]})
    assert error_summary(page) == ["Choose only items on this meeting's forward plan"]
    assert (
        session.scalar(
            select(AuditEvent).where(AuditEvent.entity == "meeting", AuditEvent.verb == "updated")
        )
        is not None
    )


def test_members_see_the_next_meeting_and_its_forward_plan(as_member, setup):
    page = as_member.get("meetings.index", board_slug=setup["board"].slug)
    assert "Next meeting: 16 September 2021" in text(page.select_one("#next-meeting"))
    assert [text(li) for li in page.select("#next-meeting li")] == [
        "In-depth review: Be Safe",
        "Embed the pathway",
    ]
    page = as_member.get(
        "meetings.show", board_slug=setup["board"].slug, meeting_id=setup["meeting"].id
    )
    assert not page.select("form[action$=publish]")


def test_the_next_draft_starts_from_what_was_carried_over_and_keeps_its_order(session, setup):
    from jobs.meetings import compile_forward_plans
    from tracker.meetings.forward_plan import add_item, move, record

    meeting, following = setup["meeting"], setup["following"]
    add_item(meeting, "Update on the Youth Strategy")
    session.flush()
    focus, due, youth = live_items(meeting)
    record(meeting, summary="", reviewed_ids={focus.id}, now=clock.now())
    session.commit()

    compile_forward_plans(session, datetime(2021, 11, 22, 7, tzinfo=UTC))
    session.commit()
    session.expire_all()
    assert [(i.kind, i.text) for i in live_items(following)] == [
        (ForwardPlanKind.CARRIED_OVER, "Embed the pathway"),
        (ForwardPlanKind.CARRIED_OVER, "Update on the Youth Strategy"),
    ]
    # The secretariat's order survives the next day's compile.
    move(following, live_items(following)[1], -1)
    session.commit()
    compile_forward_plans(session, datetime(2021, 11, 23, 7, tzinfo=UTC))
    session.commit()
    session.expire_all()
    assert texts(following) == ["Update on the Youth Strategy", "Embed the pathway"]


def test_a_published_forward_plan_keeps_items_the_draft_would_drop(session, setup):
    from jobs.meetings import compile_forward_plans

    meeting = setup["meeting"]
    setup["action"].reporting_months[0].month = date(2021, 12, 1)  # no longer due in September
    meeting.forward_plan_published_at = clock.now()
    session.commit()
    compile_forward_plans(session, datetime(2021, 9, 2, 7, tzinfo=UTC))
    session.commit()
    session.expire_all()
    assert texts(meeting) == ["In-depth review: Be Safe", "Embed the pathway"]
