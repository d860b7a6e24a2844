"""A meeting's forward plan: what it holds and how its draft is compiled, the secretariat's
hand on it, and the record of the meeting after it.

The scheduler compiles the draft (``compile_draft``, from the day
tracker.rules.timetable gives); the secretariat reorders it, adds free items ("Update on the
Youth Strategy"), removes items with a reason and publishes it.
After publication the scheduler leaves it alone and every later change is listed, from the
audit trail, as a change since publication. After the meeting they record the other items
discussed and which items were reviewed; those not reviewed carry over to the next meeting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.actions.standing import PLAN_ORDER, Standing, assess_actions, live_actions, month_dues
from tracker.audit import insert_audited
from tracker.meetings import plan_items, previous_meeting
from tracker.models import (
    Action,
    ActionStatus,
    AuditEvent,
    Board,
    ForwardPlanItem,
    ForwardPlanKind,
    Meeting,
    ReportingMonth,
)
from tracker.rules.due import first_of_month, london_date, plan_year
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


def _wanted_items(
    meeting: Meeting, items: list[Standing], carried: list[ForwardPlanItem]
) -> list[tuple[ForwardPlanKind, int | None, str]]:
    """What the forward plan should hold, in order: the focus review, the actions due this
    month, what the previous meeting did not reach (``carried``), then the actions still
    overdue from earlier months. An action is on once, for the first of those reasons."""
    month = first_of_month(meeting.held_on)
    wanted = []
    if meeting.focus_area is not None:
        priority = meeting.focus_area.priority_for(plan_year(meeting.held_on))
        text = f"In-depth review: {meeting.focus_area.name}"
        wanted.append(
            (ForwardPlanKind.FOCUS, None, f"{text} – {priority.text}" if priority else text)
        )
    for s in items:
        if month in s.action.months:
            wanted.append((ForwardPlanKind.DUE, s.action.id, s.action.text))
    on_already = {action_id for _, action_id, _ in wanted if action_id is not None}
    for item in carried:
        if item.action_id is None or item.action_id not in on_already:
            wanted.append((ForwardPlanKind.CARRIED_OVER, item.action_id, item.text))
    on_already |= {item.action_id for item in carried}
    for s in items:
        if s.action.id not in on_already and any(
            d.overdue and d.reporting_month < month for d in s.dues
        ):
            wanted.append((ForwardPlanKind.OVERDUE, s.action.id, s.action.text))
    return wanted


def _item_key(kind: ForwardPlanKind, action_id: int | None, text: str) -> tuple:
    """An item is its kind and action; one with no action (added by hand, or carried over
    from one added by hand) is its text, and the focus review is its kind alone."""
    if action_id is None and kind is not ForwardPlanKind.FOCUS:
        return (kind, text)
    return (kind, action_id)


class PlanItem(NamedTuple):
    """A live item of a forward plan, as its e-mail lists it."""

    kind: ForwardPlanKind
    action_id: int | None
    text: str


def compile_draft(
    session: Session, meeting: Meeting, items: list[Standing], now: datetime
) -> list[PlanItem]:
    """Compile the meeting's draft from ``items`` (see ``candidates``), carrying over what
    the previous meeting did not reach: as the forward plan job does, on any day."""
    carried = carried_over(previous_meeting(session, meeting))
    return compile_forward_plan(session, meeting, items, now, carried)


def compile_forward_plan(
    session: Session,
    meeting: Meeting,
    items: list[Standing],
    now: datetime,
    carried: list[ForwardPlanItem] = (),
) -> list[PlanItem]:
    """Bring the meeting's draft up to date, keeping what the secretariat added, removed or
    reordered; ``carried`` are the items the previous meeting did not reach. Returns the
    draft's live items, in order."""
    wanted = _wanted_items(meeting, items, carried)
    wanted_keys = {_item_key(*w) for w in wanted}
    # Read as rows: a large board's draft is hundreds of items, and few of them change.
    rows = session.execute(
        plan_items(
            meeting.id,
            ForwardPlanItem.id,
            ForwardPlanItem.position,
            ForwardPlanItem.kind,
            ForwardPlanItem.action_id,
            ForwardPlanItem.text,
            ForwardPlanItem.removed_at,
        )
    ).all()
    existing = {_item_key(i.kind, i.action_id, i.text): i for i in rows}
    dropped = {
        item.id
        for key, item in existing.items()
        if item.kind is not ForwardPlanKind.ADDED
        and item.removed_at is None
        and key not in wanted_keys
    }
    reworded, new = {}, []
    # The first draft takes the wanted order; later ones add new items at the end, so an
    # order the secretariat chose stays.
    position = max((i.position for i in rows), default=-1) + 1
    for kind, action_id, text in wanted:
        item = existing.get(_item_key(kind, action_id, text))
        if item is None:
            new.append(
                dict(
                    meeting_id=meeting.id,
                    position=position,
                    kind=kind,
                    action_id=action_id,
                    text=text,
                )
            )
            position += 1
        elif item.text != text:
            reworded[item.id] = text
    if dropped or reworded:
        # Changed through the session, which audits them.
        for item in session.scalars(
            select(ForwardPlanItem).where(ForwardPlanItem.id.in_([*dropped, *reworded]))
        ):
            if item.id in dropped:
                session.delete(item)
            else:
                item.text = reworded[item.id]
    # The new ones in one insert, audited as a flush would (before the changes, as it does).
    with session.no_autoflush:
        insert_audited(session, ForwardPlanItem, new, board_id=meeting.board_id)
    session.expire(meeting, ["forward_plan"])
    meeting.forward_plan_compiled_at = now
    return [
        PlanItem(i.kind, i.action_id, reworded.get(i.id, i.text))
        for i in rows
        if i.removed_at is None and i.id not in dropped
    ] + [PlanItem(i["kind"], i["action_id"], i["text"]) for i in new]


def candidates(session: Session, board: Board, today: date, months: list[date]) -> list[Standing]:
    """Where each action a forward plan can hold stands: those due in one of ``months``, or
    overdue. Read as rows, with no more than the rule and the plan need."""
    dues = month_dues(session, board, today)
    rows = session.execute(
        live_actions(board, Action.id, Action.text, Action.status, ReportingMonth.month)
        .join(ReportingMonth, ReportingMonth.action_id == Action.id)
        .where(Action.reporting_months.any(ReportingMonth.month.in_(months)) | dues.overdue())
        .order_by(*PLAN_ORDER, ReportingMonth.month)
    )
    actions: dict[int, _Candidate] = {}
    for action_id, text, status, month in rows:
        if action_id not in actions:
            actions[action_id] = _Candidate(action_id, text, status, [])
        actions[action_id].months.append(month)
    return assess_actions(session, board, actions.values(), today, dues.meetings)


@dataclass(frozen=True)
class _Candidate:
    """What a forward plan needs of an action (all ``assess_actions`` reads of one)."""

    id: int
    text: str
    status: ActionStatus
    months: list[date]


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
