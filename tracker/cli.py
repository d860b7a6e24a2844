"""Command-line commands, registered on the app: ``flask --app tracker COMMAND``."""

from __future__ import annotations

import logging
import re
import sys
from datetime import UTC, datetime

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import func, select

from jobs.schedule import SCHEDULE, scheduled_between
from jobs.schedule import run as run_job
from tracker import clock
from tracker.audit import acting_as
from tracker.backup.commands import backup, restore
from tracker.extensions import db
from tracker.inbound.cli import mail
from tracker.members import members
from tracker.models import (
    Board,
    JobRun,
    Membership,
    OutboxMessage,
    OutboxStatus,
    Person,
    Plan,
    Role,
)
from tracker.rules.due import LONDON
from tracker.text import clean


def register_commands(app: Flask) -> None:
    app.cli.add_command(backup)
    app.cli.add_command(restore)
    app.cli.add_command(demo)
    app.cli.add_command(boards)
    app.cli.add_command(jobs)
    app.cli.add_command(outbox)
    app.cli.add_command(scheduler)
    app.cli.add_command(plan)
    app.cli.add_command(report)
    app.cli.add_command(check)
    app.cli.add_command(mail)
    # Last, so that it reaches every command above.
    clean_text_parameters(app.cli)


class CleanText(click.types.StringParamType):
    """Text given on the command line, cleaned (``tracker.text.clean``) as a form's is."""

    def convert(self, value, param, ctx) -> str:
        return clean(super().convert(value, param, ctx))


def clean_text_parameters(command: click.Command) -> None:
    """Every plain text option and argument of ``command`` and its subcommands cleaned of
    control characters, as forms clean what is posted: names given here end up in the
    database and in documents too. Paths, choices, numbers and dates are left alone."""
    for param in command.params:
        if type(param.type) is click.types.StringParamType:
            param.type = CleanText()
    for subcommand in getattr(command, "commands", {}).values():
        clean_text_parameters(subcommand)


@click.command()
@with_appcontext
def check() -> None:
    """Check the configuration: secret key, database migrated, mail server answering, and
    the newest backup's age when BACKUP_DIR is set."""
    from flask import current_app

    from tracker.check import run_checks

    results = run_checks(current_app._get_current_object())
    for result in results:
        click.echo(str(result))
    failed = [r.name for r in results if not r.ok]
    if failed:
        raise click.ClickException(f"configuration check failed: {', '.join(failed)}")
    if any(r.warn for r in results):
        click.echo("All checks passed. Read the warning above.")
    else:
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


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _new_board(name: str, param_hint: str) -> Board:
    """A board to create (not yet added), or a usage error saying why it cannot be."""
    name = name.strip()
    slug = slugify(name)
    if not slug or len(name) > 200:
        raise click.BadParameter(
            "give the board a name of 1 to 200 characters", param_hint=param_hint
        )
    clash = db.session.scalar(select(Board).where((Board.name == name) | (Board.slug == slug)))
    if clash is not None:
        raise click.UsageError(f"a board called '{clash.name}' already exists")
    return Board(name=name, slug=slug)


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
    board = _new_board(name, param_hint="NAME")
    _check_admin_email(admin_email)
    db.session.add(board)
    db.session.flush()
    _invite_admin(board, admin_email, admin_name)
    db.session.commit()
    click.echo(
        f"Created {board.name} at /boards/{board.slug}/ and invited {admin_email.lower()} "
        "as its admin."
    )


def _check_admin_email(email: str) -> None:
    if "@" not in email or len(email) > 320:
        raise click.BadParameter(f"'{email}' is not an e-mail address", param_hint="--admin-email")


def _invite_admin(board: Board, email: str, name: str) -> None:
    """The operator makes the board's first admin a member at once (no board admin is
    asking, so there is no one to hide an account from) and sends them their link."""
    from tracker.auth.invitations import find_person, normalise_email, resend

    person = find_person(db.session, email) or Person(
        email=normalise_email(email), name=name.strip()
    )
    membership = Membership(board=board, person=person, role=Role.ADMIN)
    db.session.add(membership)
    db.session.flush()
    resend(db.session, membership=membership, invited_by=None, now=clock.now())


@click.group()
def plan() -> None:
    """A board's implementation plan, in and out of Excel, Word, CSV and JSON."""


def _find_board(name: str) -> Board | None:
    return db.session.scalar(
        select(Board).where((func.lower(Board.name) == name.strip().lower()) | (Board.slug == name))
    )


@plan.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, readable=True))
@click.option("--board", "board_name", required=True, help="The board's name (created if new).")
@click.option("--plan", "plan_name", required=True, help="The plan's name (created if new).")
@click.option(
    "--by",
    "by_email",
    help="Who the Progress column's updates are by (default: --admin-email, or the board's "
    "first admin).",
)
@click.option(
    "--admin-email", help="Invite this person as an admin of the board (a new board has none)."
)
@click.option("--admin-name", help="The admin's name, with --admin-email.")
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
def plan_import(
    path: str,
    board_name: str,
    plan_name: str,
    by_email: str | None,
    admin_email: str | None,
    admin_name: str | None,
    dry_run: bool,
):
    """Import a plan from .xlsx, .docx, .csv or .json: all of it, or nothing if any of it
    cannot be read. Warnings (odd but readable) are printed, and do not stop the import."""
    from tracker.auth.invitations import find_person
    from tracker.imports.comparison import compare
    from tracker.imports.plan_import import existing_plan, write, years_for_new_plan
    from tracker.imports.plan_reader import read_plan
    from tracker.imports.sources import FileRejected, read_tables

    if bool(admin_email) != bool(admin_name):
        raise click.UsageError("give --admin-email and --admin-name together")
    if admin_email:
        _check_admin_email(admin_email)
    with open(path, "rb") as file:
        data = file.read()
    try:
        draft = read_plan(read_tables(path, data))
    except FileRejected as error:
        raise click.ClickException(str(error)) from None
    board = _find_board(board_name)
    new_board = _new_board(board_name, param_hint="--board") if board is None else None
    existing = existing_plan(db.session, board, plan_name)
    years = (existing.start_year, existing.end_year) if existing else None
    years = years or years_for_new_plan(plan_name, draft)
    if years is None and not draft.problems:
        raise click.UsageError(
            "name the plan with its years (e.g. 'CYPP 2025–2028'): the file has no months to "
            "take them from",
        )
    author = _importer(board, by_email, admin_email) if draft.has_progress else None
    if draft.problems:
        for problem in draft.problems:
            click.echo(f"Error: {problem}", err=True)
        raise click.ClickException(
            f"{len(draft.problems)} problem(s) in {path}; nothing was imported"
        )
    if board is None:
        click.echo(f"New board: {board_name.strip()}")
    if existing is None:
        click.echo(f"New plan: {plan_name.strip()} ({years[0]}–{years[1]})")
    comparison = compare(db.session, board, existing, draft, years)
    for line in comparison.summary_lines():
        click.echo(line)
    for warning in [*draft.warnings, *comparison.warnings]:
        click.echo(f"Warning: {warning}")
    if dry_run:
        click.echo("Dry run: nothing was written.")
        return
    if board is None:
        board = new_board
        db.session.add(board)
        db.session.flush()
    invited = admin_email and _invite_unless_member(board, admin_email, admin_name)
    if draft.has_progress and author is None:
        author = find_person(db.session, admin_email)
    with acting_as(db.session, author.id if author else None, reason=f"imported from {path}"):
        target = existing or Plan(
            board=board, name=plan_name.strip(), start_year=years[0], end_year=years[1]
        )
        db.session.add(target)
        db.session.flush()
        with click.progressbar(
            length=len(draft.actions),
            label="Importing actions",
            file=sys.stderr,
        ) as bar:
            write(
                db.session,
                board,
                target,
                draft,
                author=author,
                now=clock.now(),
                progress=bar.update,
            )
    db.session.commit()
    click.echo(f"Imported into {target.name} on {board.name}.")
    if invited:
        click.echo(f"Invited {admin_email.lower()} as an admin of {board.name}.")
    elif new_board is not None and not admin_email:
        click.echo(
            f"{board.name} has no admin yet: import again with --admin-email and --admin-name "
            "to invite one (the plan itself will be unchanged)."
        )


def _invite_unless_member(board: Board, email: str, name: str) -> bool:
    from tracker.auth.invitations import AlreadyMember

    try:
        with db.session.begin_nested():
            _invite_admin(board, email, name)
    except AlreadyMember:
        click.echo(f"{email.lower()} is already a member of {board.name}.")
        return False
    return True


def _importer(board: Board | None, by_email: str | None, admin_email: str | None) -> Person | None:
    """Who the Progress column's updates are by: --by, else the admin named by --admin-email
    (None here when they are about to be invited), else the board's first admin."""
    if by_email:
        person = db.session.scalar(
            select(Person).where(func.lower(Person.email) == by_email.lower())
        )
        if person is None:
            raise click.BadParameter(
                f"nobody has the e-mail address '{by_email}'", param_hint="--by"
            )
        return person
    if admin_email:
        return None
    admin = board and db.session.scalar(members(board.id, roles=[Role.ADMIN]).limit(1))
    if not admin:
        raise click.UsageError(
            "the file has a Progress column, and its updates need an author: invite the "
            "board's admin with --admin-email and --admin-name, or name one with --by EMAIL"
        )
    return admin


@plan.command("export")
@click.option("--board", "board_name", required=True, help="The board's name.")
@click.option("--plan", "plan_name", required=True, help="The plan's name.")
@click.option(
    "--format", "file_format", type=click.Choice(["xlsx", "docx", "csv", "json"]), required=True
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    help="Write to this file (default: standard output).",
)
def plan_export(board_name: str, plan_name: str, file_format: str, output: str | None) -> None:
    """Export a plan as the board's own tables (xlsx, docx), CSV or JSON."""
    from tracker.imports.plan_import import existing_plan
    from tracker.plans.export import export_plan

    board = _find_board(board_name)
    if board is None:
        raise click.BadParameter(f"there is no board called '{board_name}'", param_hint="--board")
    target = existing_plan(db.session, board, plan_name)
    if target is None:
        raise click.BadParameter(
            f"{board.name} has no plan called '{plan_name}'", param_hint="--plan"
        )
    data = export_plan(db.session, target, file_format)
    if output:
        with open(output, "wb") as file:
            file.write(data)
    else:
        click.get_binary_stream("stdout").write(data)


@click.group()
def report() -> None:
    """Documents the board sends out."""


@report.command("hwb")
@click.option("--meeting", "meeting_id", type=int, required=True, help="The meeting's id.")
@click.option("--format", "file_format", type=click.Choice(["html", "docx", "pdf"]), required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True)
def report_hwb(meeting_id: int, file_format: str, output: str) -> None:
    """The report to the Health and Wellbeing Board after a meeting."""
    from tracker.models import Meeting
    from tracker.reports import hwb, render

    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        raise click.BadParameter(f"there is no meeting {meeting_id}", param_hint="--meeting")
    try:
        data = render.RENDERERS[file_format](hwb.build(db.session, meeting))
    except render.PdfUnavailable as error:
        raise click.ClickException(str(error)) from None
    with open(output, "wb") as file:
        file.write(data)
    click.echo(f"Wrote the report for {meeting} to {output}.")
