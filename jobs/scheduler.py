"""The scheduler process: APScheduler's BlockingScheduler running the jobs in jobs/schedule.py.

Exactly one runs (``flask --app tracker scheduler``). Each job coalesces missed runs into one,
never runs twice at once, and is still run if it starts late by up to an hour; runs missed
while the process was down are caught up once at start.
"""

from __future__ import annotations

import logging
import signal
from datetime import UTC, datetime

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from jobs.schedule import SCHEDULE, missed_runs, run
from tracker.extensions import db
from tracker.rules.due import LONDON

log = logging.getLogger("tracker.scheduler")


def _run_in_app(app: Flask, name: str, now: datetime | None = None) -> None:
    with app.app_context():
        try:
            run(db.session, name, now or datetime.now(UTC))
        finally:
            db.session.remove()


def build(app: Flask) -> BlockingScheduler:
    scheduler = BlockingScheduler(
        timezone=LONDON,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
    )
    for name, job in SCHEDULE.items():
        scheduler.add_job(_run_in_app, job.trigger, args=[app, name], id=name, name=name)

    def _report(event: JobExecutionEvent) -> None:
        if event.code == EVENT_JOB_MISSED:
            log.warning("job %s missed its run at %s", event.job_id, event.scheduled_run_time)
        else:
            log.error("job %s failed: %r", event.job_id, event.exception)

    scheduler.add_listener(_report, EVENT_JOB_MISSED | EVENT_JOB_ERROR)
    return scheduler


def catch_up(app: Flask, now: datetime) -> list[tuple[str, datetime]]:
    """Run each job missed while the scheduler was not running once, for the moment it was
    missed: it decides what that day's run would have, and its e-mails, written later than
    that day, say so (templates/emails/_late.txt)."""
    with app.app_context():
        missed = missed_runs(db.session, now)
        db.session.remove()
    for name, moment in missed:
        log.info("catching up %s, missed at %s", name, moment.astimezone(LONDON))
        _run_in_app(app, name, moment)
    return missed


def serve(app: Flask) -> None:
    """Catch up missed runs, then run the schedule until SIGTERM or SIGINT."""
    catch_up(app, datetime.now(UTC))

    scheduler = build(app)
    signal.signal(signal.SIGTERM, lambda *_: scheduler.shutdown(wait=False))
    log.info("scheduler started: %s", ", ".join(SCHEDULE))
    try:
        scheduler.start()
    except KeyboardInterrupt:
        pass
    log.info("scheduler stopped")
