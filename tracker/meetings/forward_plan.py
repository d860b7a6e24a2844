"""The secretariat's hand on a meeting's forward plan, and the record of the meeting after it.

The scheduler compiles the draft (jobs/meetings.py); here the secretariat reorders it, adds
free items ("Update on the Youth Strategy"), removes items with a reason and publishes it.
After publication the scheduler leaves it alone and every later change is listed, from the
audit trail, as a change since publication. After the meeting they record the other items
discussed and which items were reviewed; those not reviewed carry over to the next meeting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.meetings import plan_items
from tracker.models import AuditEvent, ForwardPlanItem, ForwardPlanKind, Meeting
from tracker.rules.due import london_date
from tracker.trail import describe_events


class ForwardPlanError(ValueError):
    """A change the forward plan cannot take; the message says why."""


def live_items(meeting: Meeting) -> list[ForwardPlanItem]:
    return [item for item in meeting.forward_plan if item.removed_at is None]


def _renumber(items: list[ForwardPlanItem]) -> None:
    for position, item in enumerate(items):
        if item.position != position:
            item.position = position


def move(meeting: Meeting, item: ForwardPlanItem, steps: int) -> None:
    """Move an item up (steps < 0) or down the forward plan."""
    items = live_items(meeting)
    index = items.index(item)
    target = min(max(index + steps, 0), len(items) - 1)
    items.insert(target, items.pop(index))
    _renumber(items)


def add_item(meeting: Meeting, text: str) -> ForwardPlanItem:
    item = ForwardPlanItem(
        kind=ForwardPlanKind.ADDED, text=text.strip(), position=len(live_items(meeting))
    )
    meeting.forward_plan.append(item)
    return item


def remove_item(meeting: Meeting, item: ForwardPlanItem, reason: str, now: datetime) -> None:
    if item.removed_at is not None:
        raise ForwardPlanError("That item has already been removed")
    item.removed_at, item.removed_reason = now, reason.strip()
    _renumber(live_items(meeting))


def restore_item(meeting: Meeting, item: ForwardPlanItem) -> None:
    """Put a removed item back, at the end of the forward plan."""
    item.removed_at, item.removed_reason = None, None
    item.position = len(live_items(meeting)) - 1


def publish(meeting: Meeting, now: datetime) -> None:
    if meeting.forward_plan_published_at is not None:
        raise ForwardPlanError("The forward plan is already published")
    if meeting.held_on < london_date(now):
        raise ForwardPlanError(
            "The meeting has been held: its forward plan can no longer be published"
        )
    if not live_items(meeting):
        raise ForwardPlanError("The forward plan is empty: add items before publishing it")
    meeting.forward_plan_published_at = now


def record(meeting: Meeting, *, summary: str, reviewed_ids: set[int], now: datetime) -> None:
    """The meeting's record: what else was discussed, and which items were reviewed (the rest
    carry over to the next meeting's forward plan)."""
    for item in live_items(meeting):
        item.reviewed = item.id in reviewed_ids
    meeting.summary_of_other_items = summary.strip() or None
    meeting.recorded_at = now


def carried_over(meeting: Meeting | None) -> list[ForwardPlanItem]:
    """Items of a recorded meeting that the board did not reach."""
    if meeting is None or meeting.recorded_at is None:
        return []
    return [item for item in live_items(meeting) if item.reviewed is False]


@dataclass(frozen=True)
class Change:
    at: datetime
    who: str
    what: str


def changes_since_published(session: Session, meeting: Meeting) -> list[Change]:
    """Every change to the forward plan after it was published, oldest first."""
    if meeting.forward_plan_published_at is None:
        return []
    # Later than the event that published it: ids order events written in one transaction
    # and across them, whatever the clocks say.
    published = max(
        e.id
        for e in session.scalars(
            select(AuditEvent).where(
                AuditEvent.entity == "meeting", AuditEvent.entity_id == meeting.id
            )
        )
        if "forward_plan_published_at" in e.changes
    )
    items = session.scalars(plan_items(meeting.id, ForwardPlanItem.id)).all()
    events = session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.entity == "forward_plan_item",
            AuditEvent.entity_id.in_(items),
            AuditEvent.id > published,
        )
        .order_by(AuditEvent.id)
    ).all()
    changes = []
    for entry in describe_events(session, events, implied={"meeting_id"}):
        event = entry.event
        # A move renumbers the items around it; the view names the one moved in the reason.
        what = event.reason if set(event.changes) == {"position"} else entry.sentence
        if what and not (changes and changes[-1].what == what and event.verb == "updated"):
            changes.append(Change(event.at, entry.who, what))
    return changes
