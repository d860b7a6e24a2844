"""Before each board meeting: compile its forward plan (21 days before) and send the board
its digest (7 days before)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from jobs.leads import live_boards, officers
from tracker.actions.standing import (
    PLAN_ORDER,
    Standing,
    assess_actions,
    live_actions,
    month_dues,
    standings,
)
from tracker.audit import insert_audited
from tracker.formatting import plural
from tracker.links import absolute_url
from tracker.meetings import plan_items, previous_meeting
from tracker.meetings.forward_plan import carried_over, live_items
from tracker.members import member_ids, members
from tracker.models import (
    Action,
    ActionStatus,
    AreaOfFocus,
    Board,
    ForwardPlanItem,
    ForwardPlanKind,
    Meeting,
    Person,
    Plan,
    ProgressUpdate,
    Rag,
    ReportingMonth,
    Role,
)
from tracker.outbox import enqueue_all
from tracker.rules.due import (
    LONDON,
    first_of_month,
    is_working_day,
    london_date,
    next_working_day,
    plan_year,
)

FORWARD_PLAN_DAYS_BEFORE = 21
DIGEST_DAYS_BEFORE = 7


def forward_plan_day(held_on: date) -> date:
    """The day the forward plan of a meeting on ``held_on`` is first compiled and sent to the
    chair: the first working day on which the meeting is within FORWARD_PLAN_DAYS_BEFORE."""
    return next_working_day(held_on - timedelta(days=FORWARD_PLAN_DAYS_BEFORE))


def digest_day(held_on: date) -> date:
    """The day the digest of a meeting on ``held_on`` is sent (once: its key is per meeting)."""
    return next_working_day(held_on - timedelta(days=DIGEST_DAYS_BEFORE))


def _meetings_within(session: Session, board: Board, today: date, days: int) -> list[Meeting]:
    return list(
        session.scalars(
            select(Meeting)
            .where(
                Meeting.board_id == board.id,
                Meeting.archived_at.is_(None),
                Meeting.held_on > today,
                Meeting.held_on <= today + timedelta(days=days),
            )
            .options(selectinload(Meeting.focus_area))
            .order_by(Meeting.held_on)
        )
    )


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


def _candidates(session: Session, board: Board, today: date, months: list[date]) -> list[Standing]:
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


def compile_forward_plans(session: Session, now: datetime) -> str:
    today = london_date(now)
    if not is_working_day(today):
        return f"{today} is not a working day: the next working day compiles"
    compiled = queued = 0
    for board in live_boards(session):
        meetings = _meetings_within(session, board, today, FORWARD_PLAN_DAYS_BEFORE)
        if not meetings:
            continue
        items = _candidates(session, board, today, [first_of_month(m.held_on) for m in meetings])
        links = _action_links(board)
        chair_and_secretariat = officers(session, board)
        # Only the secretariat changes and publishes it (the meeting routes are theirs).
        secretariat = member_ids(session, board.id, roles=[Role.ADMIN])
        messages = []
        for meeting in meetings:
            if meeting.forward_plan_published_at is not None:
                continue  # published: the secretariat's from now on
            carried = carried_over(previous_meeting(session, meeting))
            plan = compile_forward_plan(session, meeting, items, now, carried)
            compiled += 1
            messages += [
                _message(
                    board,
                    person,
                    meeting,
                    plan,
                    day=today,
                    kind="forward_plan",
                    subject=f"Forward plan for the board meeting on {meeting.held_on:%-d %B %Y}",
                    template="forward_plan",
                    action_link=links,
                    shapes_it=person.id in secretariat,
                )
                for person in chair_and_secretariat
            ]
        queued += _queue(session, messages)
    return f"{plural(compiled, 'forward plan')} compiled, {plural(queued, 'e-mail')} queued"


def _updates_since(session: Session, board: Board, since: date | None) -> list[ProgressUpdate]:
    query = (
        select(ProgressUpdate)
        .join(ProgressUpdate.action)
        .join(Action.area)
        .join(AreaOfFocus.plan)
        .where(Plan.board_id == board.id)
        .options(selectinload(ProgressUpdate.action), selectinload(ProgressUpdate.author))
        .order_by(ProgressUpdate.created_at.desc())
    )
    if since is not None:
        query = query.where(
            ProgressUpdate.created_at >= datetime.combine(since, time(), tzinfo=LONDON)
        )
    return list(session.scalars(query.limit(200)))


def send_digests(session: Session, now: datetime) -> str:
    today = london_date(now)
    if not is_working_day(today):
        return f"{today} is not a working day: the next working day sends"
    queued = 0
    for board in live_boards(session):
        meetings = _meetings_within(session, board, today, DIGEST_DAYS_BEFORE)
        if not meetings:
            continue
        dues = month_dues(session, board, today)
        items = standings(
            session,
            board,
            today,
            where=[dues.overdue() | (Action.rag == Rag.RED)],
            months_only=True,
            meetings=dues.meetings,
        )
        overdue = sorted((s for s in items if s.overdue), key=lambda s: -s.days_late)
        red = [s for s in items if s.is_red]
        links = _action_links(board)
        for meeting in meetings:
            before = previous_meeting(session, meeting)
            previous = before.held_on if before else None
            updates = _updates_since(session, board, previous)
            messages = [
                _message(
                    board,
                    person,
                    meeting,
                    live_items(meeting),
                    day=today,
                    kind="digest",
                    subject=f"Board meeting on {meeting.held_on:%-d %B %Y}: what comes to it",
                    template="digest",
                    action_link=links,
                    overdue=overdue,
                    red=red,
                    updates=updates,
                    previous=previous,
                    report_link=absolute_url(
                        "reports.show", board_slug=board.slug, meeting_id=meeting.id
                    ),
                )
                for person in session.scalars(members(board.id))
            ]
            queued += _queue(session, messages)
    return f"{plural(queued, 'digest')} queued"


def _action_links(board: Board) -> Callable[[int], str]:
    """Each action's address, worked out once however many of the board's e-mails list it."""
    return cache(
        lambda action_id: absolute_url("actions.show", board_slug=board.slug, action_id=action_id)
    )


def _message(
    board: Board,
    person: Person,
    meeting: Meeting,
    items: list[PlanItem] | list[ForwardPlanItem],
    *,
    day: date,
    kind: str,
    subject: str,
    template: str,
    **context,
) -> dict:
    """One person's e-mail about the meeting and its forward plan's live ``items``, for the
    job's run on ``day``, for ``enqueue_all``."""
    return dict(
        key=f"{kind}:{board.id}:{person.email}:meeting-{meeting.id}",
        kind=kind,
        recipient=person.email,
        subject=subject,
        template=template,
        board_id=board.id,
        # Listed on the page of each action the forward plan brings to the meeting.
        action_ids=[i.action_id for i in items if i.action_id is not None],
        day=day,
        board=board,
        person=person,
        meeting=meeting,
        items=items,
        meeting_link=absolute_url("meetings.show", board_slug=board.slug, meeting_id=meeting.id),
        **context,
    )


def _queue(session: Session, messages: list[dict]) -> int:
    return sum(message_id is not None for message_id in enqueue_all(session, messages))
