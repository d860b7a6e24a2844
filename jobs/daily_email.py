"""One e-mail a day, for people who asked for it: what the morning's jobs held back for them
(reminders, chasers, escalations) goes out together, and each held message is marked as
bundled, so it still shows on its action's page and counts as a chaser."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.formatting import plural
from tracker.models import OutboxMessage, OutboxStatus
from tracker.outbox import enqueue
from tracker.rules.due import london_date


def send_daily_emails(session: Session, now: datetime) -> str:
    today = london_date(now)
    held = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.HELD)
        .options(selectinload(OutboxMessage.actions))
        .order_by(OutboxMessage.recipient, OutboxMessage.id)
    ).all()
    by_recipient: dict[str, list[OutboxMessage]] = defaultdict(list)
    for message in held:
        by_recipient[message.recipient].append(message)
    for recipient, parts in by_recipient.items():
        # A reply goes to the one action's reply address only when the day lists one action.
        actions = {a.id for part in parts for a in part.actions}
        replies = {part.reply_to for part in parts if part.actions}
        enqueue(
            session,
            key=f"daily:{recipient}:{today}:{parts[0].id}",
            kind="daily",
            recipient=recipient,
            subject=f"Your Trust Tracker e-mail for {today:%-d %B %Y}",
            template="daily",
            board_id=None,
            action_ids=[a.id for part in parts for a in part.actions],
            day=today,
            reply_to=replies.pop() if len(actions) == 1 and len(replies) == 1 else None,
            parts=parts,
        )
        for part in parts:
            part.status = OutboxStatus.BUNDLED
    return f"{plural(len(by_recipient), 'daily e-mail')} queued"
