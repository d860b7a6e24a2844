"""Boards held by this instance, and finding one by the name given on the command line."""

from __future__ import annotations

import re

import click
from sqlalchemy import func, select

from tracker import clock
from tracker.auth.invitations import AlreadyMember, find_person, normalise_email, resend
from tracker.extensions import db
from tracker.members import member_ids
from tracker.models import Board, Membership, Person, Role


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


def invite_admin(board: Board, email: str, name: str) -> None:
    """The operator makes the board's first admin a member at once (no board admin is
    asking, so there is no account to hide from anyone) and sends them their link."""
    person = find_person(db.session, email) or Person(
        email=normalise_email(email), name=name.strip()
    )
    membership = None
    if person.id is not None:
        if person.id in member_ids(db.session, board.id, [person.id]):
            raise AlreadyMember(f"{person.email} is already a member of {board.name}")
        membership = db.session.scalar(
            select(Membership).where(
                Membership.board_id == board.id, Membership.person_id == person.id
            )
        )
    if membership is None:
        membership = Membership(board=board, person=person, role=Role.ADMIN)
        db.session.add(membership)
    membership.archived_at, membership.role = None, Role.ADMIN
    db.session.flush()
    resend(db.session, membership=membership, invited_by=None, now=clock.now())


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
    invite_admin(board, admin_email, admin_name)
    db.session.commit()
    click.echo(
        f"Created {board.name} at /boards/{board.slug}/ and invited {admin_email.lower()} "
        "as its admin."
    )
