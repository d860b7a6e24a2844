"""Slow down password guessing: lock an address out after repeated failed sign-ins.

Counted per e-mail address whether or not it has an account, so the answer never reveals
which addresses exist.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from tracker.models import SignInThrottle


def locked_for(session: Session, email: str, now: datetime) -> timedelta | None:
    """How much longer ``email`` is locked out, or None."""
    row = session.get(SignInThrottle, email)
    if row is None or row.locked_until is None or row.locked_until <= now:
        return None
    return row.locked_until - now


def record_failure(
    session: Session,
    email: str,
    now: datetime,
    *,
    max_failures: int,
    window: timedelta,
    lockout: timedelta,
) -> None:
    row = session.get(SignInThrottle, email)
    if row is None:
        row = SignInThrottle(email=email, failures=0, first_failure_at=now)
        session.add(row)
    if now - row.first_failure_at > window:
        row.failures, row.first_failure_at, row.locked_until = 0, now, None
    row.failures += 1
    if row.failures >= max_failures:
        row.locked_until = now + lockout


def clear(session: Session, email: str) -> None:
    row = session.get(SignInThrottle, email)
    if row is not None:
        session.delete(row)
