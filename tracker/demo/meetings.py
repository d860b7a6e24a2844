"""The demo board's meetings: each plan's, quarterly, each reviewing one of its plan's areas
in turn. Those held have their forward plans compiled and published, are recorded, and
have their reports to the Health and Wellbeing Board marked final; the next one has its
draft forward plan."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.demo import data
from tracker.meetings import board_meetings
from tracker.meetings.forward_plan import (
    add_item,
    candidates,
    compile_draft,
    live_items,
    publish,
    record,
)
from tracker.members import members
from tracker.models import Board, Meeting, Plan, Role
from tracker.reports import hwb
from tracker.reports.gathering import report_date
from tracker.rules.due import add_months, first_of_month
from tracker.rules.timetable import forward_plan_day

REPORT_DAYS_AFTER = 14


def hold(
    session: Session,
    board: Board,
    plans: list[Plan],
    schedule: dict,
    today: date,
) -> None:
    for plan in plans:
        span = schedule["plans"][plan.name]
        last = span.get("last")
        last = data.month(last, today) if last else add_months(first_of_month(today), 12)
        areas = [a for a in plan.areas if not a.is_archived]
        for index, day in enumerate(data.meeting_days(data.month(span["first"], today), last)):
            if session.scalar(_meeting(board, day)) is None:
                note = schedule["virtual_note"] if day.isoformat() in schedule["virtual"] else None
                focus = areas[index % len(areas)]
                session.add(Meeting(board_id=board.id, held_on=day, focus_area=focus, note=note))
    session.flush()
    for meeting in session.scalars(board_meetings(board.id)).all():
        if meeting.held_on >= today:
            _draft(session, meeting, schedule, today)
            return
        if meeting.recorded_at is None:
            _draft(session, meeting, schedule, today)
            _held(meeting, schedule)


def _meeting(board: Board, day: date):
    return select(Meeting).where(Meeting.board_id == board.id, Meeting.held_on == day)


def _draft(
    session: Session,
    meeting: Meeting,
    schedule: dict,
    today: date,
) -> None:
    if meeting.forward_plan_compiled_at is None:
        _compile_as_the_job_did(session, meeting, today)
        session.flush()
        session.refresh(meeting, ["forward_plan"])
    texts = {item.text for item in meeting.forward_plan}
    for text in schedule["added_items"].get(meeting.held_on.isoformat(), []):
        if text not in texts:
            add_item(meeting, text)


def _compile_as_the_job_did(session: Session, meeting: Meeting, today: date) -> None:
    """The meeting's forward plan as the job compiled it on its day (or would today)."""
    day = min(forward_plan_day(meeting.held_on), today)
    items = candidates(session, meeting.board, day, [first_of_month(meeting.held_on)])
    compile_draft(session, meeting, items, data.at(day, 7))


def _held(meeting: Meeting, schedule: dict) -> None:
    """Published a week before the meeting, and every item reviewed at it."""
    if live_items(meeting):
        publish(meeting, data.at(meeting.held_on - timedelta(days=7)))
    written = schedule["reports"].get(meeting.held_on.isoformat(), {})
    record(
        meeting,
        summary=written.get("other_items", schedule["other_items"]),
        reviewed_ids={item.id for item in live_items(meeting)},
        now=data.at(meeting.held_on, 17),
    )


def report(session: Session, board: Board, schedule: dict, today: date) -> None:
    """Each recorded meeting's report, as the secretariat wrote it (or as drafted from the
    updates), marked final two weeks after the meeting."""
    secretariat = session.scalar(members(board.id, roles=[Role.ADMIN]).limit(1))
    for meeting in session.scalars(board_meetings(board.id)).all():
        if meeting.recorded_at is None or (meeting.hwb_report and meeting.hwb_report.is_final):
            continue
        written = schedule["reports"].get(meeting.held_on.isoformat())
        if written:
            areas = {a.name: a.id for a in meeting.focus_area.plan.areas}
            hwb.save(
                session,
                meeting,
                report_date=date.fromisoformat(written["report_date"]),
                performance_summary=written["performance_summary"],
                progress={areas[name]: text for name, text in written["progress"].items()},
                performance={areas[name]: text for name, text in written["performance"].items()},
            )
            session.flush()
        sent = min(report_date(meeting) + timedelta(days=REPORT_DAYS_AFTER), today)
        hwb.mark_final(session, meeting, secretariat, data.at(sent, 12))
        session.flush()
