"""Queue e-mails in the outbox. The web app never sends mail itself: it writes rows here.

A message's key (kind, recipient, subject, period) is unique in the database, so deciding
twice to send the same message queues it once, even from two processes at the same time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import render_template
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tracker.models import Action, OutboxMessage, OutboxStatus


def enqueue(
    session: Session,
    *,
    key: str,
    kind: str,
    recipient: str,
    subject: str,
    template: str,
    board_id: int | None,
    actions: Sequence[Action] = (),
    hold: bool = False,
    **context: Any,
) -> OutboxMessage | None:
    """Queue a message rendered from templates/emails/<template>.txt and .html.

    Returns the new message, or None when one with this key is already queued. A held
    message is not sent on its own but inside its recipient's one e-mail of the day.
    """
    if session.scalar(select(OutboxMessage.id).where(OutboxMessage.key == key)) is not None:
        return None
    context.update(subject=subject)
    message = OutboxMessage(
        key=key,
        kind=kind,
        board_id=board_id,
        recipient=recipient,
        subject=subject,
        body_text=render_template(f"emails/{template}.txt", **context),
        body_html=render_template(f"emails/{template}.html", **context),
        actions=list(actions),
        status=OutboxStatus.HELD if hold else OutboxStatus.PENDING,
    )
    # A savepoint, so that losing a race with another process only undoes this insert.
    try:
        with session.begin_nested():
            session.add(message)
    except IntegrityError:
        return None
    return message
