"""Erasing a person who has left: their name, address and settings become a pseudonym
("Former lead officer 17") everywhere the tracker shows them, and their sign-in ends.

What they wrote stays, as the board's record (progress updates are append-only), under the
pseudonym. A person is one account across boards, so a board may erase only someone who is
no longer a member of any other board: until then it takes them off its own board, and the
other board keeps them as they are.

The name and address are replaced where they are stored as values rather than pointed to:
past audit events, a final report's kept content and e-mails in the outbox (those to the
person are deleted). The erasure itself is audited as "Person: erased", which names only the
pseudonym. Free text people typed about the person (an update, a note) is the board's record
and is left as written.
"""

from __future__ import annotations

from datetime import datetime

from markupsafe import escape
from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from tracker.audit import rewrite_values
from tracker.auth import throttle
from tracker.models import (
    AuditEvent,
    Board,
    DeliveryAttempt,
    HwbReport,
    InboundMessage,
    Invitation,
    Membership,
    OutboxMessage,
    Person,
    Role,
    Team,
    new_session_token,
    outbox_action,
)

FORMER = {
    Role.ADMIN: "Former secretariat member",
    Role.CHAIR: "Former chair",
    Role.LEAD: "Former lead officer",
    Role.MEMBER: "Former board member",
}
# What an erased address reads as in the audit trail.
ERASED_ADDRESS = "(erased)"


class OnAnotherBoard(Exception):
    """The person is still a member of another board, which needs their account."""


def pseudonym(person: Person, role: Role) -> str:
    """Numbered by their account, so two former lead officers are told apart."""
    return f"{FORMER[role]} {person.id}"


def other_boards(session: Session, membership: Membership) -> int:
    """How many other live boards the person is still a member of."""
    return len(
        session.scalars(
            select(Membership.id)
            .join(Membership.board)
            .where(
                Membership.person_id == membership.person_id,
                Membership.board_id != membership.board_id,
                Membership.archived_at.is_(None),
                Board.archived_at.is_(None),
            )
        ).all()
    )


def erase(session: Session, membership: Membership, now: datetime) -> str:
    """Erase the person of ``membership``; returns their pseudonym. Flushes, never commits."""
    if other_boards(session, membership):
        raise OnAnotherBoard
    person = membership.person
    name, email, new_name = person.name, person.email, pseudonym(person, membership.role)
    names, addresses = _held_before(session, person)
    _scrub_person(session, person, new_name, now)
    person.erased_at = now  # the one audited change: when, not what
    for each in person.memberships:
        each.archived_at = each.archived_at or now
    for team in session.scalars(select(Team).where(Team.contacts.contains(person))):
        team.contacts.remove(person)
    for deputising in session.scalars(select(Person).where(Person.deputy_id == person.id)):
        deputising.deputy_id = None
    session.flush()
    swaps = {
        **dict.fromkeys(names | {name}, new_name),
        **dict.fromkeys(addresses | ({email} if email else set()), ERASED_ADDRESS),
    }
    rewrite_values(session, swaps)
    _scrub_reports(session, dict.fromkeys(names | {name}, new_name))
    _scrub_mail(session, person, email, swaps)
    return new_name


def _held_before(session: Session, person: Person) -> tuple[set[str], set[str]]:
    """The names and addresses the person had before, as their audit events recorded them,
    and those the boards' invitations to them gave."""
    names: set[str] = set()
    addresses: set[str] = set()
    invitations = select(Invitation.id).where(Invitation.person_id == person.id)
    for changes in session.scalars(
        select(AuditEvent.changes).where(
            (AuditEvent.entity == "person") & (AuditEvent.entity_id == person.id)
            | (AuditEvent.entity == "invitation") & AuditEvent.entity_id.in_(invitations)
        )
    ):
        for key, found in (("name", names), ("email", addresses)):
            found.update(v for v in changes.get(key, ()) if isinstance(v, str) and v)
    return names, addresses


def _scrub_person(session: Session, person: Person, new_name: str, now: datetime) -> None:
    if person.email:
        throttle.clear(session, person.email)
    # Written past the audit (a Core update), so the trail never records the erased values;
    # the unit of work's copy is then refreshed from the database.
    session.execute(
        update(Person)
        .where(Person.id == person.id)
        .values(
            name=new_name,
            email=None,
            password_hash=None,
            session_token=new_session_token(),
            calendar_token=None,
            deactivated_at=person.deactivated_at or now,
            last_signed_in_at=None,
            away_until=None,
            deputy_id=None,
            one_email_a_day=False,
        )
    )
    session.execute(delete(Invitation).where(Invitation.person_id == person.id))
    session.expire(person)


def _scrub_reports(session: Session, swaps: dict[str, str]) -> None:
    """A final report keeps what it said, chair's name included: that name is replaced."""
    for report in session.execute(
        select(HwbReport.id, HwbReport.final_content).where(HwbReport.final_content.is_not(None))
    ):
        content = _within(report.final_content, swaps)
        if content != report.final_content:
            session.execute(
                update(HwbReport.__table__)
                .where(HwbReport.__table__.c.id == report.id)
                .values(final_content=content)
            )


def _within(value, swaps: dict[str, str]):
    """``value`` with every occurrence of a key of ``swaps`` inside its strings replaced."""
    if isinstance(value, str):
        for old, new in swaps.items():
            value = value.replace(old, new)
        return value
    if isinstance(value, list):
        return [_within(v, swaps) for v in value]
    if isinstance(value, dict):
        return {k: _within(v, swaps) for k, v in value.items()}
    return value


def _scrub_mail(session: Session, person: Person, email: str | None, swaps: dict[str, str]) -> None:
    """E-mails to them go; e-mails to others that name them read the pseudonym. Replies
    they sent lose the raw message and the addresses; the text they posted stays."""
    if email:
        to_them = select(OutboxMessage.id).where(OutboxMessage.recipient == email)
        session.execute(delete(DeliveryAttempt).where(DeliveryAttempt.message_id.in_(to_them)))
        session.execute(delete(outbox_action).where(outbox_action.c.message_id.in_(to_them)))
        session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(to_them)))
    in_html = {str(escape(old)): str(escape(new)) for old, new in swaps.items()}
    naming = [
        column.contains(old, autoescape=True)
        for old in {**swaps, **in_html}
        for column in (OutboxMessage.subject, OutboxMessage.body_text, OutboxMessage.body_html)
    ]
    for message in session.scalars(select(OutboxMessage).where(or_(*naming))):
        message.subject = _within(message.subject, swaps)
        message.body_text = _within(message.body_text, swaps)
        message.body_html = _within(message.body_html, in_html)
    replies = or_(
        InboundMessage.sender_id == person.id,
        InboundMessage.person_id == person.id,
        *([InboundMessage.sender == email, InboundMessage.mail_from == email] if email else []),
    )
    session.execute(
        update(InboundMessage).where(replies).values(raw=None, sender=None, mail_from=None)
    )
    session.flush()
