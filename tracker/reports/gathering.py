"""A draft report gathered afresh from the plan, the progress updates since the last report,
the performance framework and what the secretariat wrote on the report page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.formatting import month_label
from tracker.indicators.framework import standings as indicator_standings
from tracker.meetings import board_meetings, end_of_meeting_day, updates_between
from tracker.meetings.forward_plan import live_items
from tracker.members import members
from tracker.models import (
    Action,
    AreaOfFocus,
    HwbReport,
    Meeting,
    NarrativeKind,
    Plan,
    ProgressUpdate,
    Rag,
    Role,
)
from tracker.plans import live_plans
from tracker.reports.report import (
    AreaNote,
    AreaPriorities,
    IndicatorRow,
    Link,
    MeetingHeld,
    PriorityProgress,
    Report,
)
from tracker.rules.due import plan_year, plan_year_label

NO_UPDATES = "No progress updates since the last report."


@dataclass
class AreaSources:
    """What section 1 and 2 draw on for one area, for the report and its edit form."""

    area: AreaOfFocus
    deliverables: list[str]  # the measures of its actions, each once
    updates: list[ProgressUpdate]  # since the previous report, oldest first
    draft: str  # the progress report drafted from them
    progress: str | None  # what the secretariat wrote instead, if anything
    performance: str | None


def report_date(meeting: Meeting) -> date:
    """The date the secretariat set, or else the meeting's."""
    record = meeting.hwb_report
    return record.report_date if record and record.report_date else meeting.held_on


@dataclass
class _Context:
    meetings: list[Meeting]  # the board's, by date
    index: int  # this meeting's place among them
    covered: list[Meeting]  # held since the last report, this one last
    before: Meeting | None  # the one before those: updates are counted from the day after
    plan: Plan | None
    year: int


def _context(session: Session, meeting: Meeting) -> _Context:
    meetings = session.scalars(board_meetings(meeting.board_id)).all()
    index = next(i for i, m in enumerate(meetings) if m.id == meeting.id)
    # The last report is the latest earlier one marked final; a board that has none here yet
    # sent its earlier reports some other way, so this one covers its own meeting.
    last_reported = session.scalar(
        select(HwbReport.meeting_id)
        .join(HwbReport.meeting)
        .where(
            HwbReport.meeting_id.in_([m.id for m in meetings[:index]]),
            HwbReport.final_at.is_not(None),
        )
        .order_by(Meeting.held_on.desc())
        .limit(1)
    )
    start = next((i + 1 for i, m in enumerate(meetings) if m.id == last_reported), index)
    # The year of the report date: a report sent in May 2019 gives the priorities for 2019-20.
    year = plan_year(report_date(meeting))
    return _Context(
        meetings=meetings,
        index=index,
        covered=meetings[start : index + 1],
        before=meetings[start - 1] if start > 0 else None,
        plan=_plan_for(session, meeting, year),
        year=year,
    )


def _plan_for(session: Session, meeting: Meeting, year: int) -> Plan | None:
    """The live plan whose years hold the plan year, or else the latest one."""
    plans = session.scalars(
        live_plans(meeting.board_id).options(
            selectinload(Plan.areas).selectinload(AreaOfFocus.priorities),
            selectinload(Plan.areas).selectinload(AreaOfFocus.outcomes),
        )
    ).all()
    running = [p for p in plans if year in p.plan_years]
    return (running or plans or [None])[0]


def _areas(plan: Plan | None) -> list[AreaOfFocus]:
    return [a for a in plan.areas if not a.is_archived] if plan else []


def sources(session: Session, meeting: Meeting) -> list[AreaSources]:
    """Per area of the plan: the updates since the previous report, the progress report
    drafted from them, and what the secretariat wrote."""
    return _sources(session, meeting, _context(session, meeting))


def _sources(session: Session, meeting: Meeting, context: _Context) -> list[AreaSources]:
    areas = _areas(context.plan)
    actions = _actions(session, areas, context.year)
    before = context.before.held_on if context.before is not None else None
    window = updates_between(before, meeting.held_on)
    updates = session.scalars(
        select(ProgressUpdate)
        .where(ProgressUpdate.action_id.in_([a.id for a in actions]), *window)
        .options(selectinload(ProgressUpdate.author), selectinload(ProgressUpdate.action))
        .order_by(ProgressUpdate.created_at, ProgressUpdate.id)
    ).all()
    area_of = {a.id: a.area_id for a in actions}
    record = meeting.hwb_report
    written = {(n.area_id, n.kind): n.text for n in (record.narratives if record else [])}
    later = context.meetings[context.index + 1 :]
    result = []
    for area in areas:
        own = [u for u in updates if area_of[u.action_id] == area.id]
        result.append(
            AreaSources(
                area=area,
                deliverables=list(
                    dict.fromkeys(
                        m.text for a in actions if a.area_id == area.id for m in a.measures
                    )
                ),
                updates=own,
                draft=_draft(own, next((m for m in later if m.focus_area_id == area.id), None)),
                progress=written.get((area.id, NarrativeKind.PROGRESS)),
                performance=written.get((area.id, NarrativeKind.PERFORMANCE)),
            )
        )
    return result


def _actions(session: Session, areas: list[AreaOfFocus], year: int) -> list[Action]:
    return session.scalars(
        select(Action)
        .where(
            Action.area_id.in_([a.id for a in areas]),
            Action.archived_at.is_(None),
            Action.plan_year <= year,
        )
        .options(selectinload(Action.measures))
        .order_by(Action.position, Action.id)
    ).all()


def _draft(updates: list[ProgressUpdate], review: Meeting | None) -> str:
    """The progress report as the updates tell it: each update's text once, oldest first."""
    if updates:
        return "\n\n".join(dict.fromkeys(u.text.strip() for u in updates if u.text.strip()))
    if review is not None:
        return f"To be reviewed at a future meeting ({month_label(review.held_on)})"
    return NO_UPDATES


def _focus(area: AreaOfFocus, year: int, reviewed: Meeting | None, short_name: str) -> str:
    """ "Children missing out on education (September 2018 CTB meeting focus)"."""
    priority = area.priority_for(year)
    if priority is None:
        focus = f"No priority focus set for {plan_year_label(year)}"
    else:
        text = priority.text.strip()
        text = text[len("Focus on ") :] if text.lower().startswith("focus on ") else text
        focus = text[:1].upper() + text[1:]
    if reviewed is not None:
        focus += f" ({month_label(reviewed.held_on)} {short_name} meeting focus)"
    return focus


def _header_areas(areas: list[AreaOfFocus], year: int) -> list[AreaPriorities]:
    result = []
    for area in areas:
        priority = area.priority_for(year)
        result.append(
            AreaPriorities(
                name=area.name,
                outcomes=[f"{o.number}. {o.text.strip().rstrip('.')}." for o in area.outcomes],
                priority_focus=(
                    f"Priority focus for {plan_year_label(priority.plan_year)}: {priority.text}"
                    if priority
                    else None
                ),
            )
        )
    return result


def _indicator_rows(session: Session, meeting: Meeting) -> list[IndicatorRow]:
    """Red, then Amber, then those with no reading yet ("N/A") that the framework held by the
    meeting, each with its owner's note on what is being done."""
    order = {Rag.RED: 0, Rag.AMBER: 1, None: 2}
    flagged = [
        s
        for s in indicator_standings(session, meeting.board, meeting.held_on)
        if s.rag in order
        and (s.rag is not None or s.indicator.created_at < end_of_meeting_day(meeting.held_on))
    ]
    rows = []
    for s in sorted(flagged, key=lambda s: order[s.rag]):
        if (commentary := s.commentary_by(meeting.held_on)) is not None:
            note = commentary.text
        else:
            note = "No reading yet." if s.rag is None else "No note yet from the indicator's owner."
        rows.append(
            IndicatorRow(
                indicator=f"{s.indicator.number} {s.indicator.title}",
                rag=s.rag.label[0] if s.rag else "N/A",
                what_is_being_done=note,
            )
        )
    return rows


def _other_items(covered: list[Meeting]) -> str:
    summaries = [(m, m.summary_of_other_items) for m in covered if m.summary_of_other_items]
    if len(summaries) == 1:
        return summaries[0][1]
    return "\n\n".join(f"At the meeting on {m.held_on:%-d %B %Y}:\n{text}" for m, text in summaries)


def gather(session: Session, meeting: Meeting) -> Report:
    """The report as it stands now: a draft, or what marking it final keeps."""
    context = _context(session, meeting)
    board = meeting.board
    chair = session.scalar(members(meeting.board_id, roles=[Role.CHAIR]).limit(1))
    later = context.meetings[context.index + 1 :]
    so_far = context.meetings[: context.index + 1]
    record = meeting.hwb_report
    priorities, notes = [], []
    for source in _sources(session, meeting, context):
        area = source.area
        reviewed = [m for m in so_far if m.focus_area_id == area.id]
        priorities.append(
            PriorityProgress(
                area=area.name,
                focus=_focus(
                    area,
                    context.year,
                    reviewed[-1] if reviewed else None,
                    board.short_name or "board",
                ),
                deliverables=source.deliverables,
                progress=source.progress or source.draft,
            )
        )
        if source.performance:
            notes.append(AreaNote(area.name, source.performance))
    return Report(
        board_name=board.name,
        chair=chair.name if chair else None,
        report_date=report_date(meeting),
        meetings=[MeetingHeld(m.held_on, m.note) for m in context.covered],
        hwb_priorities=[
            line.strip() for line in (board.hwb_priorities or "").splitlines() if line.strip()
        ],
        published_notes=(
            Link(board.published_notes_url, board.published_notes_text)
            if board.published_notes_url
            else None
        ),
        plan_year=context.year,
        areas=_header_areas(_areas(context.plan), context.year),
        priorities=priorities,
        performance_summary=(record.performance_summary if record else None) or "",
        performance_notes=notes,
        indicators=_indicator_rows(session, meeting),
        other_items=_other_items(context.covered),
        next_meeting=later[0].held_on if later else None,
        forward_plan=[item.text for item in live_items(later[0])] if later else [],
    )
