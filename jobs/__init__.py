"""Scheduled jobs. Each is a plain function ``job(session, now) -> str`` that decides from the
data what is due at ``now``, so it can run from the scheduler, by hand for any moment
(``flask --app tracker jobs run NAME --now ...``) or from a test, and running it twice for
the same moment changes nothing the second time. The schedule itself is jobs/schedule.py.

What each job sends, and to whom, is the app's (tracker.meetings.emails, tracker.reminders):
a job loops over the live boards, asks the app, and queues what it decided.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import Board


def live_boards(session: Session) -> list[Board]:
    return list(
        session.scalars(select(Board).where(Board.archived_at.is_(None)).order_by(Board.id))
    )
