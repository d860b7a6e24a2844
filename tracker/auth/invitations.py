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
from sqlalchemy.orm import Session, selectinload

from tracker.links import absolute_url
from tracker.members import member_ids
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
    """Invite ``email`` onto ``board``: a member once they accept.

    Whether the address already has an account (on another board) changes nothing the
    inviting admin sees: the board knows the person by the name it typed, and they join
    only by accepting, so no board can add someone, or learn who has an account, unasked.
    """
    person = _not_yet_member(session, board, email, name)
    return send(
        session,
        board=board,
        person=person,
        joins=(role, name.strip()),
        invited_by=invited_by,
        now=now,
    )


def add_first_admin(
    session: Session, *, board: Board, email: str, name: str, now: datetime
) -> None:
    """The operator makes a board's first admin a member at once (no board admin is asking,
    so there is no account to hide from anyone) and sends them their link."""
    person = _not_yet_member(session, board, email, name)
    membership = _join(session, board.id, person.id, Role.ADMIN)
    session.flush()
    resend(session, membership=membership, invited_by=None, now=now)


def _not_yet_member(session: Session, board: Board, email: str, name: str) -> Person:
    """The account of ``email`` (made now if there is none), unless already on ``board``."""
    person = find_person(session, email)
    if person is None:
        person = Person(email=normalise_email(email), name=name.strip())
        session.add(person)
        session.flush()
    elif person.id in member_ids(session, board.id, [person.id]):
        raise AlreadyMember(f"{person.email} is already a member of {board.name}")
    return person


def accept(session: Session, invitation: Invitation, now: datetime) -> None:
    """The invited person takes up the invitation: they become (again) a member with the
    role it offers, and every other open invitation to the board for them is used up."""
    if invitation.role is not None:
        _join(session, invitation.board_id, invitation.person_id, invitation.role)
    for other in _still_open(session, invitation.board_id, invitation.person_id):
        other.accepted_at = now


def _join(session: Session, board_id: int, person_id: int, role: Role) -> Membership:
    """The person's membership of the board with ``role``: made, or taken up again."""
    membership = session.scalar(
        select(Membership).where(Membership.board_id == board_id, Membership.person_id == person_id)
    )
    if membership is None:
        membership = Membership(board_id=board_id, person_id=person_id, role=role)
        session.add(membership)
    membership.archived_at, membership.role = None, role
    return membership


def _still_open(session: Session, board_id: int, person_id: int) -> list[Invitation]:
    return list(
        session.scalars(
            select(Invitation).where(
                Invitation.board_id == board_id,
                Invitation.person_id == person_id,
                Invitation.accepted_at.is_(None),
                Invitation.cancelled_at.is_(None),
            )
        )
    )


def cancel(session: Session, *, board_id: int, person_id: int, now: datetime) -> None:
    """Withdraw every link the board sent the person and they have not used: each then
    says it was cancelled."""
    for invitation in _still_open(session, board_id, person_id):
        invitation.cancelled_at = now


def newest_open(session: Session, board_id: int, *where) -> list[Invitation]:
    """The newest invitation (of those ``where`` picks) to each person, not accepted or
    cancelled, by the name the board gave them."""
    newest = (
        select(func.max(Invitation.id))
        .where(
            Invitation.board_id == board_id,
            Invitation.accepted_at.is_(None),
            Invitation.cancelled_at.is_(None),
            *where,
        )
        .group_by(Invitation.person_id)
    )
    return list(
        session.scalars(
            select(Invitation)
            .where(Invitation.id.in_(newest))
            .options(selectinload(Invitation.person))
            .order_by(Invitation.name, Invitation.id)
        )
    )


def open_invitations(session: Session, board_id: int) -> list[Invitation]:
    """The newest invitation to each person asked to join the board who has not accepted:
    shown by the name the board gave them, whether or not they have an account."""
    return newest_open(session, board_id, Invitation.role.is_not(None))


def resend(
    session: Session, *, membership: Membership, invited_by: Person | None, now: datetime
) -> Invitation:
    """A new link for a member who has not signed in yet (it asks them to join nothing)."""
    return send(
        session,
        board=membership.board,
        person=membership.person,
        joins=None,
        invited_by=invited_by,
        now=now,
    )


def resend_open(
    session: Session, *, invitation: Invitation, invited_by: Person | None, now: datetime
) -> Invitation:
    """A new link for an invitation not yet accepted (to join, or to an address offered to
    a lead), offering the same."""
    return send(
        session,
        board=invitation.board,
        person=invitation.person,
        joins=(invitation.role, invitation.name) if invitation.role else None,
        email=invitation.email,
        invited_by=invited_by,
        now=now,
    )


def send(
    session: Session,
    *,
    board: Board,
    person: Person,
    joins: tuple[Role, str] | None,
    invited_by: Person | None,
    now: datetime,
    email: str | None = None,
) -> Invitation:
    """Queue a new link to ``email`` (an address offered to the lead ``person``: see
    tracker.auth.addresses) or to the person's own address."""
    token = secrets.token_urlsafe(32)
    role, name = joins or (None, person.name if email else None)
    invitation = Invitation(
        board_id=board.id,
        person_id=person.id,
        invited_by_id=invited_by.id if invited_by else None,
        token_hash=token_hash(token),
        created_at=now,
        expires_at=now + current_app.config["INVITATION_MAX_AGE"],
        role=role,
        name=name,
        email=email,
    )
    session.add(invitation)
    session.flush()
    enqueue(
        session,
        key=f"invitation:{invitation.recipient}:{invitation.id}",
        kind="invitation",
        recipient=invitation.recipient,
        subject=f"You are invited to {board.name} on Trust Tracker",
        template="invitation",
        board_id=board.id,
        board=board,
        role=role or _role_on(session, board, person),
        invited_by=invited_by.name if invited_by else None,
        expires_at=invitation.expires_at,
        link=absolute_url("auth.accept_invitation", token=token),
    )
    return invitation


def _role_on(session: Session, board: Board, person: Person) -> Role:
    return session.scalars(
        select(Membership.role).where(
            Membership.board_id == board.id, Membership.person_id == person.id
        )
    ).one()


def awaiting_sign_in(session: Session, board_id: int) -> set[int]:
    """The members of a board invited and not signed in since. A new person and one who
    already had an account look the same here, so the People page does not tell an admin
    which addresses had an account."""
    # Only links still open: someone who took one up has answered it, whether they chose a
    # password then (a new address) or joined with the account they had.
    invited_at = (
        select(func.max(Invitation.created_at))
        .where(
            Invitation.board_id == board_id,
            Invitation.person_id == Person.id,
            Invitation.accepted_at.is_(None),
            Invitation.cancelled_at.is_(None),
        )
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
