"""Queue e-mails in the outbox. The web app never sends mail itself: it writes rows here.

A message's key (kind, recipient, subject, period) is unique in the database, so deciding
twice to send the same message queues it once, even from two processes at the same time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from flask import current_app
from jinja2 import Template
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tracker import clock
from tracker.models import OutboxMessage, OutboxStatus, outbox_action
from tracker.rules.due import london_date
from tracker.text import clean, one_line

# Each kind of message as the board names it, wherever one is listed (the outbox, an action's
# e-mails, the reminders preview). tests/test_trail.py checks every kind the code queues is
# named here, so none reaches a page as its code name.
KINDS = {
    "reminder": "Reminder",
    "chaser": "Chaser",
    "escalation": "Escalation to the chair",
    "reading_reminder": "Reading reminder",
    "reading_chaser": "Reading chaser",
    "forward_plan": "Forward plan",
    "digest": "Digest",
    "daily": "One e-mail a day",
    "invitation": "Invitation",
    "password_reset": "Password reset",
    "password_changed": "Password changed",
    "reply_posted": "Reply by e-mail posted",
    "reply_refused": "Reply by e-mail not posted",
}


def kind_label(kind: str) -> str:
    """ "Forward plan" for "forward_plan"; a kind no longer sent reads as its words."""
    return KINDS.get(kind) or kind.replace("_", " ").capitalize()


def enqueue(session: Session, **message: Any) -> OutboxMessage | None:
    """Queue a message rendered from templates/emails/<template>.txt and .html.

    Takes ``key``, ``kind``, ``recipient``, ``subject``, ``template``, ``board_id``, and
    optionally ``action_ids`` (the actions it is about), ``hold``, ``reply_to`` and the
    templates' context.
    Returns the new message, or None when one with this key is already queued. A held
    message is not sent on its own but inside its recipient's one e-mail of the day.
    """
    queued = enqueue_all(session, [message])[0]
    return None if queued is None else session.get(OutboxMessage, queued)


def enqueue_all(session: Session, messages: Sequence[dict[str, Any]]) -> list[int | None]:
    """Queue several messages as ``enqueue`` does, with one query for the keys already queued
    and one insert (a job queues hundreds of chasers on a Monday); each new message's id, or
    None for one already queued."""
    taken = set(
        session.scalars(
            select(OutboxMessage.key).where(OutboxMessage.key.in_([m["key"] for m in messages]))
        )
    )
    new = []
    for message in messages:
        if message["key"] not in taken:
            new.append(message)
            taken.add(message["key"])
    if not new:
        return [None] * len(messages)
    fresh = {id(message) for message in new}
    render = _Renderer()
    rows = [render.row(**message) for message in new]
    # A savepoint, so that losing a race with another process only undoes these inserts...
    try:
        with session.begin_nested():
            # By key: the database gives no order to what an insert of many rows returns.
            ids = dict(
                session.execute(
                    insert(OutboxMessage).returning(OutboxMessage.key, OutboxMessage.id), rows
                ).all()
            )
            links = [
                {"message_id": ids[message["key"]], "action_id": action_id}
                for message in new
                for action_id in dict.fromkeys(message.get("action_ids", ()))
            ]
            if links:
                session.execute(insert(outbox_action), links)
    except IntegrityError:
        if len(new) == 1:
            return [None] * len(messages)
        # ...and then each is tried on its own, to queue those the other process did not.
        return [enqueue_all(session, [m])[0] if id(m) in fresh else None for m in messages]
    return [ids[m["key"]] if id(m) in fresh else None for m in messages]


class _Renderer:
    """Renders messages' bodies from the app's compiled templates, each looked up once, with
    what the app's context processors add worked out once for them all."""

    def __init__(self) -> None:
        self.templates: dict[str, Template] = {}
        self.written_at = clock.now()
        # The day the e-mails are written: one for a day gone by says it comes late.
        self.globals: dict[str, Any] = {"written_on": london_date(self.written_at)}
        current_app.update_template_context(self.globals)

    def render(self, name: str, context: dict[str, Any]) -> str:
        if name not in self.templates:
            self.templates[name] = current_app.jinja_env.get_template(name)
        return self.templates[name].render({**self.globals, **context})

    def row(
        self,
        *,
        key: str,
        kind: str,
        recipient: str,
        subject: str,
        template: str,
        board_id: int | None,
        action_ids: Iterable[int] = (),
        hold: bool = False,
        reply_to: str | None = None,
        **context: Any,
    ) -> dict[str, Any]:
        """The outbox row of one message (its actions are linked apart), cleaned of what no
        e-mail should carry, whatever text its templates were given."""
        subject = one_line(subject)
        context.update(subject=subject)
        return {
            "key": key,
            "kind": kind,
            "board_id": board_id,
            "recipient": recipient,
            "subject": subject,
            "body_text": clean(self.render(f"emails/{template}.txt", context)),
            "body_html": clean(self.render(f"emails/{template}.html", context)),
            "reply_to": reply_to,
            "status": OutboxStatus.HELD if hold else OutboxStatus.PENDING,
            "created_at": self.written_at,
        }
