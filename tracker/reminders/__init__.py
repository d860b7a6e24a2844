"""Who gets which reminder, chaser and escalation, for one board on one day.

Deciding (``plan_day_reminders``, ``plan_day_chasers``: who would get what) is kept apart
from queueing (``queue``), so the secretariat's preview (Admin → Reminders) and the
scheduler's jobs (jobs/reminders.py) call the same functions for the same day. Timings are
each board's own settings; who hears about what is one rule for actions and readings alike
(recipients.by_recipient).

- Reminders: the board's N and M working days before an update (actions.py) or a reading
  (readings.py) is due, one e-mail per person per day.
- Chasers: on the board's chaser day (tracker.rules.timetable), everything overdue, one
  e-mail per person per week; from the Nth week an action is chased, an escalation to the
  chair and the secretariat.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from tracker.models import Board
from tracker.reminders.actions import plan_chasers, plan_reminders
from tracker.reminders.planned import Planned, queue
from tracker.reminders.readings import plan_reading_chasers, plan_reading_reminders

__all__ = ["Planned", "plan_day_chasers", "plan_day_reminders", "queue"]


def plan_day_reminders(session: Session, board: Board, today: date) -> list[Planned]:
    """The day's reminders: progress updates to leads, readings to indicator owners."""
    return plan_reminders(session, board, today) + plan_reading_reminders(session, board, today)


def plan_day_chasers(session: Session, board: Board, today: date) -> list[Planned]:
    """The day's chasers and escalations, for actions and for indicator readings."""
    return plan_chasers(session, board, today) + plan_reading_chasers(session, board, today)
