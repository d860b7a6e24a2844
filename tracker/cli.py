"""Command-line commands, registered on the app: ``flask --app tracker COMMAND``."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import select

from jobs.schedule import SCHEDULE, scheduled_between
from jobs.schedule import run as run_job
from tracker import clock
from tracker.extensions import db
from tracker.models import Board, JobRun, OutboxMessage, OutboxStatus, Role
from tracker.rules.due import LONDON


def register_commands(app: Flask) -> None:
    app.cli.add_command(demo)
    app.cli.add_command(boards)
    app.cli.add_command(jobs)
    app.cli.add_command(outbox)
    app.cli.add_command(scheduler)
    app.cli.add_command(check)


@click.command()
@with_appcontext
def check() -> None:
    """Check the configuration: secret key, database migrated, mail server answering."""
    from flask import current_app

    from tracker.check import run_checks

    results = run_checks(current_app._get_current_object())
    for result in results:
        click.echo(str(result))
    failed = [r.name for r in results if not r.ok]
    if failed:
        raise click.ClickException(f"configuration check failed: {', '.join(failed)}")
    click.echo("All checks passed.")


@click.command()
def scheduler() -> None:
    """Run the scheduled jobs (reminders, chasers, outbox) until stopped. Run exactly one."""
    from flask import current_app

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
    from flask import current_app

    from tracker.demo import load

    if current_app.config["ENV_NAME"] == "production":
        raise click.UsageError(
            "the demo accounts share a published password: "
            "load them on a development instance, not with TRACKER_ENV=production"
        )

    summary = load(db.session, today.date() if today else None)
    db.session.commit()
    click.echo(summary)


@click.group()
def boards() -> None:
    """Boards held by this instance."""


@boards.command("create")
@click.argument("name")
@click.option("--admin-email", required=True, help="E-mail of the board's first admin.")
@click.option("--admin-name", required=True, help="Name of the board's first admin.")
def boards_create(name: str, admin_email: str, admin_name: str) -> None:
    """Create a board and invite its first admin (the secretariat) by e-mail."""
    from tracker.auth.invitations import invite

    name = name.strip()
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    if not slug or len(name) > 200:
        raise click.BadParameter("give the board a name of 1 to 200 characters", param_hint="NAME")
    if "@" not in admin_email or len(admin_email) > 320:
        raise click.BadParameter(
            f"'{admin_email}' is not an e-mail address", param_hint="--admin-email"
        )
    clash = db.session.scalar(select(Board).where((Board.name == name) | (Board.slug == slug)))
    if clash is not None:
        raise click.UsageError(f"a board called '{clash.name}' already exists")
    board = Board(name=name, slug=slug)
    db.session.add(board)
    db.session.flush()
    invite(
        db.session,
        board=board,
        email=admin_email,
        name=admin_name,
        role=Role.ADMIN,
        invited_by=None,
        now=clock.now(),
    )
    db.session.commit()
    click.echo(f"Created {name} at /boards/{slug}/ and invited {admin_email.lower()} as its admin.")
