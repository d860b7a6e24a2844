"""Giving a lead imported with a name only an e-mail address.

The address may already be someone's account (on another board). So that no board learns
which addresses have one, the board's side is the same either way: the address is offered
on an invitation and held there, and the lead gets nothing else, until its owner accepts.
Accepting makes it the lead's address or, when it is an account by then, makes the lead that
account: what they lead, the teams they are a contact of and their place on the board move
to it. The lead's own record stays, without a board, so past audit entries still name it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.auth.invitations import (
    AlreadyMember,
    cancel,
    find_person,
    newest_open,
    normalise_email,
    send,
)
from tracker.members import member_ids
from tracker.models import ActionLead, Invitation, Membership, Person, Team


def offer_address(
    session: Session,
    *,
    membership: Membership,
    email: str,
    invited_by: Person | None,
    now: datetime,
) -> Invitation:
    """Invite the lead of ``membership`` at ``email``, in place of any address offered before.
    Refused only for an address of a member of this same board, whom the board knows."""
    owner = find_person(session, email)
    if owner is not None and member_ids(session, membership.board_id, [owner.id]):
        raise AlreadyMember(f"{owner.email} is already a member of {membership.board.name}")
    lead = membership.person
    cancel(session, board_id=membership.board_id, person_id=lead.id, now=now)
    return send(
        session,
        board=membership.board,
        person=lead,
        joins=None,
        email=normalise_email(email),
        invited_by=invited_by,
        now=now,
    )


def open_addresses(session: Session, board_id: int) -> dict[int, Invitation]:
    """The address offered to each lead of the board, by the lead's id, while not accepted."""
    return {
        invitation.person_id: invitation
        for invitation in newest_open(session, board_id, Invitation.email.is_not(None))
    }


def owner_of(session: Session, invitation: Invitation) -> Person | None:
    """The account the offered address is, if it is one (other than the lead)."""
    owner = find_person(session, invitation.email)
    return owner if owner is not None and owner.id != invitation.person_id else None


def take_up(session: Session, invitation: Invitation) -> Person:
    """The address's owner accepts: it becomes the lead's, or the lead becomes its account.
    Returns the person who now is the lead. Flushes, never commits."""
    lead, owner = invitation.person, owner_of(session, invitation)
    if owner is None:
        lead.email = invitation.email
        return lead
    _move_leads(session, lead, owner)
    for team in session.scalars(select(Team).where(Team.contacts.contains(lead))):
        team.contacts.remove(lead)
        if owner not in team.contacts:
            team.contacts.append(owner)
    for deputising in session.scalars(select(Person).where(Person.deputy_id == lead.id)):
        deputising.deputy_id = owner.id
    _move_membership(session, invitation.board_id, lead, owner)
    session.flush()
    return owner


def _move_leads(session: Session, lead: Person, owner: Person) -> None:
    led = set(session.scalars(select(ActionLead.action_id).where(ActionLead.person_id == owner.id)))
    for row in session.scalars(select(ActionLead).where(ActionLead.person_id == lead.id)):
        if row.action_id in led:
            session.delete(row)
        else:
            row.person_id = owner.id


def _move_membership(session: Session, board_id: int, lead: Person, owner: Person) -> None:
    """The owner takes the lead's role on the board, or back if they had left it; one on
    the board by now (they joined meanwhile) keeps the role they have."""
    theirs = session.scalar(
        select(Membership).where(Membership.board_id == board_id, Membership.person_id == owner.id)
    )
    leads = session.scalar(
        select(Membership).where(Membership.board_id == board_id, Membership.person_id == lead.id)
    )
    if theirs is None:
        leads.person_id = owner.id
    else:
        if theirs.archived_at is not None:
            theirs.role, theirs.archived_at = leads.role, None
        session.delete(leads)
