"""A board's implementation plan, in and out of Excel, Word, CSV and JSON."""

from __future__ import annotations

import sys

import click
from sqlalchemy import func, select

from tracker import clock
from tracker.audit import acting_as
from tracker.auth.invitations import AlreadyMember, add_first_admin, find_person
from tracker.cli.boards import check_admin_email, find_board, new_board
from tracker.extensions import db
from tracker.imports.comparison import compare
from tracker.imports.drafts import DraftPlan
from tracker.imports.plan_import import existing_plan, plan_named, write, years_for_new_plan
from tracker.imports.plan_reader import read_plan
from tracker.imports.sources import FileRejected, read_tables
from tracker.members import members
from tracker.models import Board, Person, Role
from tracker.plans.export import export_plan


@click.group()
def plan() -> None:
    """A board's implementation plan, in and out of Excel, Word, CSV and JSON."""


def _read(path: str) -> DraftPlan:
    with open(path, "rb") as file:
        data = file.read()
    try:
        return read_plan(read_tables(path, data))
    except FileRejected as error:
        raise click.ClickException(str(error)) from None


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
    if bool(admin_email) != bool(admin_name):
        raise click.UsageError("give --admin-email and --admin-name together")
    if admin_email:
        check_admin_email(admin_email)
    draft = _read(path)
    board = find_board(board_name)
    created = new_board(board_name, param_hint="--board") if board is None else None
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
        board = created
        db.session.add(board)
        db.session.flush()
    invited = admin_email and _invite_unless_member(board, admin_email, admin_name)
    if draft.has_progress and author is None:
        author = find_person(db.session, admin_email)
    with acting_as(db.session, author.id if author else None, reason=f"imported from {path}"):
        target = plan_named(db.session, board, plan_name, years)
        with click.progressbar(
            length=len(draft.actions), label="Importing actions", file=sys.stderr
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
    elif created is not None and not admin_email:
        click.echo(
            f"{board.name} has no admin yet: import again with --admin-email and --admin-name "
            "to invite one (the plan itself will be unchanged)."
        )


def _invite_unless_member(board: Board, email: str, name: str) -> bool:
    try:
        with db.session.begin_nested():
            add_first_admin(db.session, board=board, email=email, name=name, now=clock.now())
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
    board = find_board(board_name)
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
