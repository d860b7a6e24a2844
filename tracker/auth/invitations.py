"""Inviting a person onto a board by an e-mailed link that expires.

Only a hash of the link's token is stored. Opening the link (GET) changes nothing, so a mail
scanner that follows every link cannot use it up; accepting is a POST from that page.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from flask import current_app
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from tracker.links import absolute_url
from tracker.models import Board, Invitation, Membership, Person, Role
from tracker.outbox import enqueue


class AlreadyMember(Exception):
    """The person is already an active member of the board."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_person(session: Session, email: str) -> Person | None:
    return session.scalar(select(Person).where(func.lower(Person.email) == normalise_email(email)))


def invite(
    session: Session,
    *,
    board: Board,
    email: str,
    name: str,
    role: Role,
    invited_by: Person | None,
    now: datetime,
) -> Invitation:
    person = find_person(session, email)
    if person is None:
        person = Person(email=normalise_email(email), name=name.strip())
        session.add(person)
        session.flush()
    membership = session.scalar(
        select(Membership).where(Membership.board_id == board.id, Membership.person_id == person.id)
    )
    if membership is None:
        session.add(Membership(board_id=board.id, person_id=person.id, role=role))
    elif membership.archived_at is None:
        raise AlreadyMember(f"{person.email} is already a member of {board.name}")
    else:
        membership.archived_at, membership.role = None, role
    return _send(session, board=board, person=person, role=role, invited_by=invited_by, now=now)


def resend(
    session: Session, *, membership: Membership, invited_by: Person | None, now: datetime
) -> Invitation:
    return _send(
        session,
        board=membership.board,
        person=membership.person,
        role=membership.role,
        invited_by=invited_by,
        now=now,
    )


def _send(
    session: Session,
    *,
    board: Board,
    person: Person,
    role: Role,
    invited_by: Person | None,
    now: datetime,
) -> Invitation:
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        board_id=board.id,
        person_id=person.id,
        invited_by_id=invited_by.id if invited_by else None,
        token_hash=token_hash(token),
        created_at=now,
        expires_at=now + current_app.config["INVITATION_MAX_AGE"],
    )
    session.add(invitation)
    session.flush()
    enqueue(
        session,
        key=f"invitation:{person.email}:{invitation.id}",
        kind="invitation",
        recipient=person.email,
        subject=f"You are invited to {board.name} on Trust Tracker",
        template="invitation",
        board_id=board.id,
        board=board,
        role=role,
        invited_by=invited_by.name if invited_by else None,
        expires_at=invitation.expires_at,
        link=absolute_url("auth.accept_invitation", token=token),
    )
    return invitation


def awaiting_sign_in(session: Session, board_id: int) -> set[int]:
    """The members of a board invited and not signed in since. A new person and one who
    already had an account look the same here, so the People page does not tell an admin
    which addresses had an account."""
    invited_at = (
        select(func.max(Invitation.created_at))
        .where(Invitation.board_id == board_id, Invitation.person_id == Person.id)
        .scalar_subquery()
    )
    return set(
        session.scalars(
            select(Person.id)
            .join(Membership, Membership.person_id == Person.id)
            .where(
                Membership.board_id == board_id,
                Person.email.is_not(None),
                or_(
                    Person.password_hash.is_(None),
                    Person.last_signed_in_at.is_(None) & invited_at.is_not(None),
                    Person.last_signed_in_at < invited_at,
                ),
            )
        )
    )


def find_invitation(session: Session, token: str) -> Invitation | None:
    return session.scalar(select(Invitation).where(Invitation.token_hash == token_hash(token)))
