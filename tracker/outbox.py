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


def enqueue(session: Session, **message: Any) -> OutboxMessage | None:
    """Queue a message rendered from templates/emails/<template>.txt and .html.

    Takes ``key``, ``kind``, ``recipient``, ``subject``, ``template``, ``board_id``, and
    optionally ``actions`` (the actions it is about), ``hold`` and the templates' context.
    Returns the new message, or None when one with this key is already queued. A held
    message is not sent on its own but inside its recipient's one e-mail of the day.
    """
    return enqueue_all(session, [message])[0]


def enqueue_all(session: Session, messages: Sequence[dict[str, Any]]) -> list[OutboxMessage | None]:
    """Queue several messages as ``enqueue`` does, with one query for the keys already queued
    and one insert: a job queues hundreds of chasers on a Monday."""
    keys = [m["key"] for m in messages]
    taken = set(session.scalars(select(OutboxMessage.key).where(OutboxMessage.key.in_(keys))))
    built: list[OutboxMessage | None] = []
    for message in messages:
        built.append(None if message["key"] in taken else _build(**message))
        taken.add(message["key"])
    new = [m for m in built if m is not None]
    if not new:
        return built
    # A savepoint, so that losing a race with another process only undoes these inserts...
    try:
        with session.begin_nested():
            session.add_all(new)
    except IntegrityError:
        if len(new) == 1:
            return [None] * len(messages)
        # ...and then each is tried on its own, to queue those the other process did not.
        return [
            enqueue(session, **m) if b is not None else None
            for m, b in zip(messages, built, strict=True)
        ]
    return built


def _build(
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
) -> OutboxMessage:
    context.update(subject=subject)
    return OutboxMessage(
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
