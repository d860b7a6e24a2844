"""How long records about people are kept, and the daily clear-out of what is past its time.

Each board sets its own periods (Admin → Data), with safe defaults: delivered e-mails a year,
records of failed sign-ins 90 days, sign-ins in the audit trail a year. Records that belong
to no board (an e-mail bundling several boards' reminders, a failed sign-in, a person's
sign-in) are kept for the shortest period any board sets, so no board's records outlive
what it chose. Pending imports (uploads waiting for the secretariat's confirmation) are kept
a day, for every board alike: the file does not say whose it is.

Progress updates, the plan and every other change in the audit trail are the board's record
and are kept for as long as the board is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from tracker.formatting import plural
from tracker.models import (
    AuditEvent,
    Board,
    DeliveryAttempt,
    OutboxMessage,
    OutboxStatus,
    SignInThrottle,
    outbox_action,
)

DEFAULT_DAYS = {
    "keep_sent_emails_days": 365,
    "keep_sign_in_records_days": 90,
    "keep_sign_in_events_days": 365,
}
PENDING_IMPORTS_KEPT = timedelta(days=1)
DELIVERED = (OutboxStatus.SENT, OutboxStatus.BUNDLED)
# A person's audit events that record nothing but signing in or out.
SIGN_IN_FIELDS = frozenset({"last_signed_in_at", "session_token"})


@dataclass(frozen=True)
class Removed:
    emails: int = 0
    sign_in_records: int = 0
    sign_in_events: int = 0
    pending_imports: int = 0

    def __str__(self) -> str:
        return (
            f"removed {plural(self.emails, 'delivered e-mail')}, "
            f"{plural(self.sign_in_records, 'sign-in throttle record')}, "
            f"{plural(self.sign_in_events, 'sign-in audit event')}, "
            f"{plural(self.pending_imports, 'pending import')}"
        )


def apply(session: Session, now: datetime, uploads: Path) -> Removed:
    """Delete what is past its time on ``now``. Flushes, never commits; running it twice
    for the same moment removes nothing the second time."""
    boards = session.scalars(select(Board)).all()
    emails = sum(
        _delete_emails(
            session, OutboxMessage.board_id == b.id, now - _days(b.keep_sent_emails_days)
        )
        for b in boards
    )
    emails += _delete_emails(
        session, OutboxMessage.board_id.is_(None), now - _shortest(boards, "keep_sent_emails_days")
    )
    return Removed(
        emails=emails,
        sign_in_records=delete_sign_in_records(
            session, now - _shortest(boards, "keep_sign_in_records_days")
        ),
        sign_in_events=_delete_sign_in_events(
            session, now - _shortest(boards, "keep_sign_in_events_days")
        ),
        pending_imports=clear_pending_imports(uploads, now),
    )


def _days(days: int) -> timedelta:
    return timedelta(days=days)


def _shortest(boards: list[Board], setting: str) -> timedelta:
    return _days(min((getattr(b, setting) for b in boards), default=DEFAULT_DAYS[setting]))


def _delete_emails(session: Session, whose, before: datetime) -> int:
    old = select(OutboxMessage.id).where(
        whose,
        OutboxMessage.status.in_(DELIVERED),
        func.coalesce(OutboxMessage.sent_at, OutboxMessage.created_at) < before,
    )
    count = session.scalar(select(func.count()).select_from(old.subquery()))
    if count:
        # Delivery attempts are append-only for every other purpose: the period is their end.
        session.execute(delete(DeliveryAttempt).where(DeliveryAttempt.message_id.in_(old)))
        session.execute(delete(outbox_action).where(outbox_action.c.message_id.in_(old)))
        session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(old)))
    return count


def delete_sign_in_records(session: Session, before: datetime) -> int:
    """The sign-in throttle's records whose last failure was before ``before``: long past
    counting against anyone. Sessions are kept in the browser's cookie, not on the server,
    so there are none to delete: signing out, or being erased, ends them by rotating the
    person's session token."""
    expired = SignInThrottle.last_failure_at < before
    count = session.scalar(select(func.count()).select_from(SignInThrottle).where(expired))
    if count:
        session.execute(delete(SignInThrottle).where(expired))
    return count


def _delete_sign_in_events(session: Session, before: datetime) -> int:
    # Which fields an event changed is in its JSON: read the person events old enough and
    # keep those that changed only sign-in fields.
    found = session.execute(
        select(AuditEvent.id, AuditEvent.changes).where(
            AuditEvent.entity == "person", AuditEvent.at < before
        )
    ).all()
    ids = [event_id for event_id, changes in found if changes and set(changes) <= SIGN_IN_FIELDS]
    # The trail is append-only for every other purpose: the period is these events' end.
    for start in range(0, len(ids), 500):
        session.execute(delete(AuditEvent).where(AuditEvent.id.in_(ids[start : start + 500])))
    return len(ids)


def clear_pending_imports(folder: Path, now: datetime) -> int:
    """Delete uploads in ``folder`` older than a day; how many went."""
    if not folder.is_dir():
        return 0
    cutoff = (now - PENDING_IMPORTS_KEPT).timestamp()
    removed = 0
    for old in folder.iterdir():
        if old.is_file() and old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
            removed += 1
    return removed
