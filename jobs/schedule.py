"""The whole schedule in one table, and how one job run is carried out and recorded.

Times are Europe/London. The scheduler process (``flask --app tracker scheduler``) is the
only thing that runs these; the web app never does.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as dt_time

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.orm import Session

from jobs.daily_email import send_daily_emails
from jobs.inbox import clear_inbox, receive_mail
from jobs.meetings import compile_forward_plans, send_digests
from jobs.outbox import deliver_outbox
from jobs.reminders import send_chasers, send_reminders
from jobs.retention import apply_retention
from tracker.audit import acting_as
from tracker.models import JobRun, utcnow
from tracker.rules.due import LONDON
from tracker.rules.timetable import DAILY_EMAIL_AT, DIGEST_AT, FORWARD_PLAN_AT, REMINDERS_AT

log = logging.getLogger("tracker.jobs")


@dataclass(frozen=True)
class Job:
    function: Callable[[Session, datetime], str]
    trigger: BaseTrigger
    # Daily jobs missed while the scheduler was down are run once, for the missed moment,
    # when it starts again. The outbox needs no catching up: its next run sends everything.
    catch_up: bool = True


def _daily(at: dt_time, **days) -> CronTrigger:
    """Every day (or ``days``) at ``at``, one of the board's hours (tracker.rules.timetable)."""
    return CronTrigger(hour=at.hour, minute=at.minute, timezone=LONDON, **days)


SCHEDULE: dict[str, Job] = {
    "forward_plan": Job(compile_forward_plans, _daily(FORWARD_PLAN_AT)),
    "digest": Job(send_digests, _daily(DIGEST_AT)),
    "reminders": Job(send_reminders, _daily(REMINDERS_AT)),
    # Each board's own chaser weekday is decided by the job (tracker.rules.timetable).
    "chasers": Job(send_chasers, _daily(REMINDERS_AT, day_of_week="mon-fri")),
    "daily_email": Job(send_daily_emails, _daily(DAILY_EMAIL_AT)),
    "outbox": Job(deliver_outbox, IntervalTrigger(minutes=1, timezone=LONDON), catch_up=False),
    # Replies by e-mail: the IMAP mailbox fetched (when IMAP_HOST is set), and any message
    # stored but not yet processed retried. The daily clear-out needs no catching up either:
    # its next run deletes everything old enough.
    "inbox": Job(receive_mail, IntervalTrigger(minutes=1, timezone=LONDON), catch_up=False),
    "inbox_cleanup": Job(
        clear_inbox, CronTrigger(hour=3, minute=30, timezone=LONDON), catch_up=False
    ),
    # Retention periods (Admin → Data): like the inbox's, its next run catches up.
    "retention": Job(
        apply_retention, CronTrigger(hour=3, minute=45, timezone=LONDON), catch_up=False
    ),
}


def run(session: Session, name: str, now: datetime) -> str:
    """Run one job for ``now``, commit, record the run and log one line about it."""
    started = time.monotonic()
    session.commit()
    if session.get_bind().dialect.name == "sqlite":
        # One job at a time on SQLite: a second scheduler started by mistake waits here,
        # then finds everything already queued.
        session.connection(execution_options={"sqlite_immediate": True})
    with acting_as(session, None):
        summary = SCHEDULE[name].function(session, now)
        session.merge(JobRun(name=name, scheduled_for=now, finished_at=utcnow()))
        session.commit()
    log.info(
        "job %s for %s: %s (%.2fs)",
        name,
        now.astimezone(LONDON).isoformat(timespec="minutes"),
        summary,
        time.monotonic() - started,
    )
    return summary


def fire_times(job: Job, start: datetime, end: datetime) -> Iterator[datetime]:
    """Every moment from ``start`` to ``end`` (both included) the schedule runs ``job``."""
    moment, last = start, None
    while True:
        moment = job.trigger.get_next_fire_time(last, moment)
        if moment is None or moment > end:
            return
        yield moment
        last, moment = moment, moment + timedelta(seconds=1)


def scheduled_between(
    names: Iterable[str], start: datetime, end: datetime
) -> list[tuple[datetime, str]]:
    """The (moment, job) runs the scheduler would have made from ``start`` to ``end``, in the
    order it would have made them (jobs due at the same moment in the table's order)."""
    order = list(SCHEDULE)
    runs = [(moment, name) for name in names for moment in fire_times(SCHEDULE[name], start, end)]
    return sorted(runs, key=lambda run: (run[0], order.index(run[1])))


def last_due_run(job: Job, now: datetime) -> datetime | None:
    """When the job should last have run before ``now`` (looking back a week)."""
    last = None
    for last in fire_times(job, now - timedelta(days=7), now):  # noqa: B007 (the last one)
        pass
    return last


def missed_runs(session: Session, now: datetime) -> list[tuple[str, datetime]]:
    """The (job, moment) pairs to run once now because the scheduler was not running then."""
    missed = []
    for name, job in SCHEDULE.items():
        if not job.catch_up:
            continue
        due = last_due_run(job, now)
        done = session.get(JobRun, name)
        if due is not None and (done is None or done.scheduled_for < due):
            missed.append((name, due))
    return missed
