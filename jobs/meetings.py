"""Before each board meeting: compile its forward plan and send the board its digest
(tracker.meetings.emails decides what, for each board)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from jobs import live_boards
from tracker.formatting import plural
from tracker.meetings.emails import digests, forward_plans
from tracker.outbox import enqueue_all
from tracker.rules.due import is_working_day, london_date


def compile_forward_plans(session: Session, now: datetime) -> str:
    today = london_date(now)
    if not is_working_day(today):
        return f"{today} is not a working day: the next working day compiles"
    compiled = queued = 0
    for board in live_boards(session):
        plans, messages = forward_plans(session, board, today, now)
        compiled += plans
        queued += _queue(session, messages)
    return f"{plural(compiled, 'forward plan')} compiled, {plural(queued, 'e-mail')} queued"


def send_digests(session: Session, now: datetime) -> str:
    today = london_date(now)
    if not is_working_day(today):
        return f"{today} is not a working day: the next working day sends"
    queued = sum(_queue(session, digests(session, board, today)) for board in live_boards(session))
    return f"{plural(queued, 'digest')} queued"


def _queue(session: Session, messages: list[dict]) -> int:
    return sum(message_id is not None for message_id in enqueue_all(session, messages))
