"""What the pages show of the inbox: a board's messages for the secretariat, and the
out-of-office replies the chair sees beside the actions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session, joinedload

from tracker.actions.standing import last_update_dates
from tracker.models import InboundMessage, InboundStatus, Membership
from tracker.rules.due import london_date


def board_inbox(board_id: int) -> Select:
    """The messages of a board: those sent to one of its actions' reply addresses, and
    those without a genuine one from the address of one of its members. Others belong to
    no board the secretariat can be shown them for (``flask --app tracker mail inbox``)."""
    members = select(Membership.person_id).where(Membership.board_id == board_id)
    return (
        select(InboundMessage)
        .where(
            or_(
                InboundMessage.board_id == board_id,
                InboundMessage.board_id.is_(None) & InboundMessage.sender_id.in_(members),
            )
        )
        .options(
            joinedload(InboundMessage.action),
            joinedload(InboundMessage.person),
            joinedload(InboundMessage.sender_person),
        )
    )


@dataclass(frozen=True)
class AwayReply:
    name: str
    on: date


def out_of_office_replies(
    session: Session, action_ids: Iterable[int], today: date, days: int = 30
) -> dict[int, AwayReply]:
    """For each action, the latest out-of-office reply to its reminders in the last ``days``
    days, unless an update came in after it."""
    ids = list(action_ids)
    if not ids:
        return {}
    since = today - timedelta(days=days)
    rows = session.scalars(
        select(InboundMessage)
        .where(
            InboundMessage.action_id.in_(ids),
            InboundMessage.status == InboundStatus.AUTO_REPLY,
            InboundMessage.reason == "out_of_office",
        )
        .options(joinedload(InboundMessage.person))
        .order_by(InboundMessage.received_at)
    ).all()
    updated = last_update_dates(session, ids)
    replies = {}
    for row in rows:
        on = london_date(row.received_at)
        if on >= since and row.person is not None and on >= updated.get(row.action_id, on):
            replies[row.action_id] = AwayReply(row.person.name, on)
    return replies
