"""Posting a reply by e-mail as a progress update: who may post by e-mail, telling the
sender it is posted, and the secretariat posting a refused reply by hand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.actions.updates import post_update
from tracker.audit import acting_as
from tracker.inbound.tokens import reply_address
from tracker.links import absolute_url
from tracker.models import (
    Action,
    ActionStatus,
    InboundMessage,
    InboundStatus,
    Membership,
    Person,
    ProgressUpdate,
    Rag,
)
from tracker.outbox import enqueue
from tracker.permissions import can_post_update
from tracker.rules.due import london_date


def sent_by(person: Person, sender: str | None, today: date) -> Person | None:
    """Who sent it, if allowed to: the token's person, or their deputy while they are away."""
    if not sender:
        return None
    deputy = person.deputy_on(today)
    for candidate in (person, deputy):
        if candidate is not None and candidate.email and candidate.email.lower() == sender:
            return candidate
    return None


def may_post(session: Session, person: Person, action: Action, today: date) -> bool:
    """Asked exactly as the web form asks it, of the person's membership of the board."""
    if person.deactivated_at is not None:
        return False
    membership = session.scalar(
        select(Membership).where(
            Membership.board_id == action.area.plan.board_id,
            Membership.person_id == person.id,
            Membership.archived_at.is_(None),
        )
    )
    return membership is not None and can_post_update(session, membership, action, today)


def with_attachments_note(text: str, attachments: int) -> str:
    if not attachments:
        return text
    files = "1 attachment was" if attachments == 1 else f"{attachments} attachments were"
    return f"{text}\n\n({files} left off: updates keep text only.)"


def record_posted(
    session: Session, row: InboundMessage, posted: ProgressUpdate, sent_by: Person, now: datetime
) -> None:
    """The message is posted as ``posted``: tell its sender so."""
    row.status, row.reason, row.update = InboundStatus.POSTED, None, posted
    session.flush()
    action, person = posted.action, posted.author
    board = action.area.plan.board
    reply = reply_address(person, action, london_date(now))
    # The sender, and the person it is posted as when that is someone else (a deputy sent it).
    told = {p.email.lower(): p for p in (person, sent_by) if p.email}
    for recipient in told.values():
        enqueue(
            session,
            key=f"reply_posted:{row.id}:{recipient.email.lower()}",
            kind="reply_posted",
            recipient=recipient.email,
            subject=f"Your update is posted: {board.name}",
            template="reply_posted",
            board_id=board.id,
            action_ids=[action.id],
            reply_to=reply.address if reply and recipient is person else None,
            person=recipient,
            author=person,
            update=posted,
            action=action,
            board=board,
            link=absolute_url("actions.post_update", board_slug=board.slug, action_id=action.id),
            page=absolute_url("actions.show", board_slug=board.slug, action_id=action.id),
        )


@dataclass(frozen=True)
class ByHand:
    action: Action
    status: ActionStatus
    rag: Rag | None
    text: str


def post_by_hand(
    session: Session, row: InboundMessage, *, by: Person, update: ByHand, now: datetime
) -> ProgressUpdate:
    """The secretariat posts a refused reply, after checking it, as the person who sent it.
    Audited as theirs (the secretariat's), with the reason saying so. Raises PermissionError
    when the sender may not post on the action, and ActionChanged as the form does."""
    sender = row.sender_person
    if row.status is not InboundStatus.REFUSED or sender is None:
        raise PermissionError("only a refused reply from a known person can be posted")
    if not may_post(session, sender, update.action, london_date(now)):
        raise PermissionError(f"{sender.name} may not post on this action")
    with acting_as(session, by.id, reason=f"Posted by hand from an e-mail reply ({row.id})"):
        posted = post_update(
            session,
            action=update.action,
            author=sender,
            status=update.status,
            rag=update.rag,
            text=update.text,
            seen_version=update.action.version,
            by_email=True,
            posted_at=row.received_at,
        )
        row.posted_by_id = by.id
        row.action_id = update.action.id
        row.board_id = update.action.area.plan.board_id
        record_posted(session, row, posted, sender, now)
    return posted
