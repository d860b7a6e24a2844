"""The board's report to the Health and Wellbeing Board after a meeting.

Its structure is the board's own (see the reports of May 2019 and March 2021): a header
naming the board, its chair and the meetings reported on; 1. progress on each priority, from
the progress updates since the previous report; 2. what is being done about every Red and
Amber indicator of the performance framework; 3. a summary of other items discussed; 4. the
forward plan for the next meeting. ``build`` gathers it; ``tracker.reports.render`` writes it
as HTML, Word or PDF.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.indicators.framework import IndicatorStanding
from tracker.indicators.framework import standings as indicator_standings
from tracker.meetings import board_meetings
from tracker.meetings.forward_plan import live_items
from tracker.members import members
from tracker.models import (
    Action,
    AreaOfFocus,
    ForwardPlanItem,
    Meeting,
    Plan,
    ProgressUpdate,
    Rag,
    Role,
)
from tracker.plans import live_plans
from tracker.rules.due import LONDON, plan_year, plan_year_label


@dataclass
class ActionProgress:
    action: Action
    updates: list[ProgressUpdate]  # newest first


@dataclass
class PriorityProgress:
    area: AreaOfFocus
    focus: str | None
    reviewed_on: date | None  # the latest meeting, up to this one, that reviewed it in depth
    deliverables: list[str]
    progress: list[ActionProgress] = field(default_factory=list)


@dataclass
class HwbReport:
    board_name: str
    chair: str | None
    meeting: Meeting
    previous: Meeting | None
    next_meeting: Meeting | None
    plan: Plan | None
    plan_year: int
    priorities: list[PriorityProgress]
    indicators: list[IndicatorStanding]
    other_items: str | None
    forward_plan: list[ForwardPlanItem]

    @property
    def title(self) -> str:
        return f"Report to the Health and Wellbeing Board – {self.board_name}"

    @property
    def plan_year_label(self) -> str:
        return plan_year_label(self.plan_year)

    @property
    def red_and_amber(self) -> list[IndicatorStanding]:
        order = {Rag.RED: 0, Rag.AMBER: 1}
        flagged = [s for s in self.indicators if s.rag in order]
        return sorted(flagged, key=lambda s: order[s.rag])

    @property
    def rag_counts(self) -> Counter:
        return Counter(s.rag for s in self.indicators if s.rag is not None)

    @property
    def updates_from(self) -> date | None:
        return self.previous.held_on + timedelta(days=1) if self.previous else None


def _end_of(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=LONDON)


def _plan_for(session: Session, meeting: Meeting, year: int) -> Plan | None:
    """The live plan whose years hold the meeting's plan year, or else the latest one."""
    plans = session.scalars(
        live_plans(meeting.board_id).options(
            selectinload(Plan.areas).selectinload(AreaOfFocus.priorities)
        )
    ).all()
    running = [p for p in plans if p.start_year <= year <= p.end_year]
    return (running or plans or [None])[0]


def build(session: Session, meeting: Meeting) -> HwbReport:
    # All of them: the report also says when each priority was last reviewed in depth.
    meetings = session.scalars(board_meetings(meeting.board_id)).all()
    index = next(i for i, m in enumerate(meetings) if m.id == meeting.id)
    previous = meetings[index - 1] if index > 0 else None
    next_meeting = meetings[index + 1] if index + 1 < len(meetings) else None
    year = plan_year(meeting.held_on)
    plan = _plan_for(session, meeting, year)
    chair = session.scalar(members(meeting.board_id, roles=[Role.CHAIR]).limit(1))
    priorities = _priorities(session, plan, year, meetings[: index + 1], previous, meeting)
    return HwbReport(
        board_name=meeting.board.name,
        chair=chair.name if chair else None,
        meeting=meeting,
        previous=previous,
        next_meeting=next_meeting,
        plan=plan,
        plan_year=year,
        priorities=priorities,
        indicators=indicator_standings(session, meeting.board, meeting.held_on),
        other_items=meeting.summary_of_other_items,
        forward_plan=live_items(next_meeting) if next_meeting else [],
    )


def _priorities(
    session: Session,
    plan: Plan | None,
    year: int,
    meetings_so_far: list[Meeting],
    previous: Meeting | None,
    meeting: Meeting,
) -> list[PriorityProgress]:
    if plan is None:
        return []
    areas = [a for a in plan.areas if not a.is_archived]
    actions = session.scalars(
        select(Action)
        .where(Action.area_id.in_([a.id for a in areas]), Action.archived_at.is_(None))
        .options(selectinload(Action.measures))
        .order_by(Action.position, Action.id)
    ).all()
    window = [ProgressUpdate.created_at < _end_of(meeting.held_on)]
    if previous is not None:
        window.append(ProgressUpdate.created_at >= _end_of(previous.held_on))
    updates = session.scalars(
        select(ProgressUpdate)
        .where(ProgressUpdate.action_id.in_([a.id for a in actions]), *window)
        .options(selectinload(ProgressUpdate.author))
        .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())
    ).all()
    by_action: dict[int, list[ProgressUpdate]] = {}
    for update in updates:
        by_action.setdefault(update.action_id, []).append(update)
    result = []
    for area in areas:
        priority = area.priority_for(year)
        reviewed = [m.held_on for m in meetings_so_far if m.focus_area_id == area.id]
        this_year = [a for a in actions if a.area_id == area.id and a.plan_year <= year]
        deliverables = list(dict.fromkeys(m.text for a in this_year for m in a.measures))
        result.append(
            PriorityProgress(
                area=area,
                focus=priority.text if priority else None,
                reviewed_on=reviewed[-1] if reviewed else None,
                deliverables=deliverables,
                progress=[
                    ActionProgress(a, by_action[a.id]) for a in this_year if a.id in by_action
                ],
            )
        )
    return result
