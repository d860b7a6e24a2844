"""An e-mail the reminders have decided to send, and how it is queued."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from tracker.models import Action, Board, Person
from tracker.outbox import enqueue_all


@dataclass
class Planned:
    """One e-mail a job has decided to send."""

    kind: str
    key: str
    person: Person
    subject: str
    actions: list[Action]
    # The day it is for: a run caught up later says so in the e-mail (emails/_late.txt).
    day: date
    context: dict[str, Any] = field(default_factory=dict)
    reply_to: str | None = None


def queue(session: Session, board: Board, planned: list[Planned]) -> int:
    """Put planned e-mails in the outbox; those already there (same key) are left alone."""
    messages = [
        dict(
            key=item.key,
            kind=item.kind,
            recipient=item.person.email,
            subject=item.subject,
            template=item.kind,
            board_id=board.id,
            action_ids=[action.id for action in item.actions],
            hold=item.person.one_email_a_day,
            reply_to=item.reply_to,
            board=board,
            person=item.person,
            day=item.day,
            **item.context,
        )
        for item in planned
    ]
    return sum(message is not None for message in enqueue_all(session, messages))
