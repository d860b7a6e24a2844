"""Daily reminders and weekly chasers to leads and indicator owners, and escalations to the
chair and the secretariat (tracker.reminders decides who gets what, for each board)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from jobs import live_boards
from tracker.formatting import plural
from tracker.reminders import plan_day_chasers, plan_day_reminders, queue
from tracker.rules.due import is_working_day, london_date


def send_reminders(session: Session, now: datetime) -> str:
    today = london_date(now)
    if not is_working_day(today):
        return f"{today} is not a working day: nothing to send"
    queued = sum(
        queue(session, board, plan_day_reminders(session, board, today))
        for board in live_boards(session)
    )
    return f"{plural(queued, 'reminder')} queued"


def send_chasers(session: Session, now: datetime) -> str:
    today = london_date(now)
    if not is_working_day(today):
        return f"{today} is not a working day: no chasers"
    queued = sum(
        queue(session, board, plan_day_chasers(session, board, today))
        for board in live_boards(session)
    )
    return f"{plural(queued, 'chaser or escalation', 'chasers and escalations')} queued"
