"""Command-line commands, registered on the app: ``flask --app tracker COMMAND``."""

from __future__ import annotations

import re
from datetime import datetime

import click
from flask import Flask
from sqlalchemy import select

from tracker import clock
from tracker.extensions import db
from tracker.models import Board, Role


def register_commands(app: Flask) -> None:
    app.cli.add_command(demo)
    app.cli.add_command(boards)


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
    from tracker.demo import load

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
