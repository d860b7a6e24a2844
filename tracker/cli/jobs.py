"""The scheduler, the scheduled jobs run by hand, and the outbox of e-mails."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import click
from flask import current_app
from sqlalchemy import select

from jobs.schedule import SCHEDULE, scheduled_between
from jobs.schedule import run as run_job
from tracker import clock
from tracker.extensions import db
from tracker.models import JobRun, OutboxMessage, OutboxStatus
from tracker.rules.due import LONDON


@click.command()
def scheduler() -> None:
    """Run the scheduled jobs (reminders, chasers, outbox) until stopped. Run exactly one."""
    from jobs.scheduler import serve

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    serve(current_app._get_current_object())


@click.group()
def jobs() -> None:
    """The scheduled jobs, run by hand."""


def _moment(value: datetime | None) -> datetime:
    """A --now given in Europe/London time (the board's clock), as an aware UTC moment."""
    if value is None:
        return clock.now()
    return value.replace(tzinfo=LONDON).astimezone(UTC)


_MOMENT = click.DateTime(formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"])


@jobs.command("run")
@click.argument("names", nargs=-1, required=True, type=click.Choice(sorted(SCHEDULE)))
@click.option(
    "--now", type=_MOMENT, help="Run as if it were this moment, in UK time (default: now)."
)
@click.option(
    "--until",
    type=_MOMENT,
    help="Instead, run them at every moment the schedule would have from --now up to this one, "
    "in the scheduler's order: to replay days the scheduler missed.",
)
def jobs_run(names: tuple[str, ...], now: datetime | None, until: datetime | None) -> None:
    """Run jobs for any moment; running one twice for the same moment changes nothing."""
    start = _moment(now)
    if until is None:
        for name in names:
            click.echo(run_job(db.session, name, start))
        return
    end = _moment(until)
    if end < start:
        raise click.BadParameter("must not be before --now", param_hint="--until")
    for moment, name in scheduled_between(names, start, end):
        summary = run_job(db.session, name, moment)
        click.echo(f"{moment.astimezone(LONDON):%Y-%m-%d %H:%M} {name}: {summary}")


@jobs.command("list")
def jobs_list() -> None:
    """Each job with its next run time (UK time)."""
    now = clock.now()
    for name, job in SCHEDULE.items():
        next_run = job.trigger.get_next_fire_time(None, now)
        last = db.session.get(JobRun, name)
        last_text = (
            f"last run for {last.scheduled_for.astimezone(LONDON):%Y-%m-%d %H:%M}"
            if last
            else "never run"
        )
        click.echo(f"{name:<10} next {next_run.astimezone(LONDON):%Y-%m-%d %H:%M}  ({last_text})")


@click.group()
def outbox() -> None:
    """The outbox of e-mails."""


@outbox.command("flush")
def outbox_flush() -> None:
    """Deliver what is pending once (needs SMTP_HOST)."""
    click.echo(run_job(db.session, "outbox", clock.now()))


@outbox.command("list")
@click.option("--status", type=click.Choice([s.value for s in OutboxStatus]))
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True)
def outbox_list(status: str | None, limit: int) -> None:
    """The newest messages in the outbox."""
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
    if status:
        query = query.where(OutboxMessage.status == OutboxStatus(status))
    for message in db.session.scalars(query):
        queued = message.created_at.astimezone(LONDON)
        click.echo(
            f"{message.id:>6} {message.status.value:<8} {queued:%Y-%m-%d %H:%M} "
            f"{message.recipient:<32} {message.subject}"
        )


@outbox.command("show")
@click.argument("message_id", type=click.IntRange(1))
def outbox_show(message_id: int) -> None:
    """One message as it is (or was) sent, whatever board it belongs to, if any."""
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        raise click.ClickException(f"no message {message_id} in the outbox")
    queued = message.created_at.astimezone(LONDON)
    click.echo(f"To: {message.recipient}\nSubject: {message.subject}")
    click.echo(f"Status: {message.status.value}, queued {queued:%Y-%m-%d %H:%M}\n")
    click.echo(message.body_text)
