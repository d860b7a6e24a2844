"""Boards held by this instance, and finding one by the name given on the command line."""

from __future__ import annotations

import re

import click
from sqlalchemy import func, select

from tracker import clock
from tracker.auth.invitations import add_first_admin
from tracker.extensions import db
from tracker.models import Board


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def new_board(name: str, param_hint: str) -> Board:
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


def find_board(name: str) -> Board | None:
    return db.session.scalar(
        select(Board).where((func.lower(Board.name) == name.strip().lower()) | (Board.slug == name))
    )


def check_admin_email(email: str) -> None:
    if "@" not in email or len(email) > 320:
        raise click.BadParameter(f"'{email}' is not an e-mail address", param_hint="--admin-email")


@click.group()
def boards() -> None:
    """Boards held by this instance."""


@boards.command("create")
@click.argument("name")
@click.option("--admin-email", required=True, help="E-mail of the board's first admin.")
@click.option("--admin-name", required=True, help="Name of the board's first admin.")
def boards_create(name: str, admin_email: str, admin_name: str) -> None:
    """Create a board and invite its first admin (the secretariat) by e-mail."""
    board = new_board(name, param_hint="NAME")
    check_admin_email(admin_email)
    db.session.add(board)
    db.session.flush()
    add_first_admin(db.session, board=board, email=admin_email, name=admin_name, now=clock.now())
    db.session.commit()
    click.echo(
        f"Created {board.name} at /boards/{board.slug}/ and invited {admin_email.lower()} "
        "as its admin."
    )
