"""``flask demo load``: the demo board, with its forward plans compiled by the job's rule."""

from __future__ import annotations

from datetime import date, datetime

import click
from flask import current_app
from sqlalchemy.orm import Session

from jobs.meetings import compile_forward_plan, forward_plan_day
from tracker.actions.standing import standings
from tracker.demo import data, load
from tracker.extensions import db
from tracker.meetings import previous_meeting
from tracker.meetings.forward_plan import carried_over
from tracker.models import Meeting


def compile_as_the_job_did(session: Session, meeting: Meeting, today: date) -> None:
    """The meeting's forward plan as the job compiled it on its day (or would today)."""
    day = min(forward_plan_day(meeting.held_on), today)
    carried = carried_over(previous_meeting(session, meeting))
    items = standings(session, meeting.board, day)
    compile_forward_plan(session, meeting, items, data.at(day, 7), carried)


@click.group()
def demo() -> None:
    """Demo data built from the reference plan."""


@demo.command("load")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Build the live plan's reporting months around this date (default: today).",
)
def demo_load(today: datetime | None) -> None:
    """Load the demo board, plans, people, meetings and updates. Safe to run again."""
    if current_app.config["ENV_NAME"] == "production":
        raise click.UsageError(
            "the demo accounts share a published password: "
            "load them on a development instance, not with TRACKER_ENV=production"
        )
    summary = load(db.session, today.date() if today else None, compile_as_the_job_did)
    db.session.commit()
    click.echo(summary)
