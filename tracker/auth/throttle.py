"""Slow down password guessing without locking anyone out (OWASP's authentication cheat
sheet): a growing delay per account, and a hard limit per client address.

A lock-out per account would let anyone keep a person out by typing wrong passwords for
them, the right password included. Here an account's failures only make the next try wait,
a few seconds doubling to a few minutes, so its owner gets in soon after; the guesser is
stopped by the limit on their own address, which also stops one password being tried
across many accounts. Accounts are counted by the address typed whether or not it has an
account, so the answer never reveals which addresses exist. The records are rows (not
memory), so every worker process sees the same counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from tracker.models import SignInThrottle


@dataclass(frozen=True)
class Limits:
    free_failures: int  # an account's failures before any delay
    delay: timedelta  # the first delay, doubled at each failure after it
    max_delay: timedelta
    client_max_failures: int  # a client address's failures before it is refused
    window: timedelta  # failures are forgotten after this long without one

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Limits:
        return cls(
            free_failures=config["SIGN_IN_FREE_FAILURES"],
            delay=config["SIGN_IN_DELAY"],
            max_delay=config["SIGN_IN_MAX_DELAY"],
            client_max_failures=config["SIGN_IN_CLIENT_MAX_FAILURES"],
            window=config["SIGN_IN_FAILURE_WINDOW"],
        )


@dataclass(frozen=True)
class Wait:
    """A sign-in not tried: from this client address at all, or for this account yet."""

    client: bool
    remaining: timedelta


def _key(kind: str, value: str) -> str:
    return f"{kind}:{value}"


def _row(session: Session, key: str, now: datetime, limits: Limits) -> SignInThrottle | None:
    row = session.get(SignInThrottle, key)
    if row is not None and now - row.last_failure_at > limits.window:
        return None
    return row


def wait_for(
    session: Session, *, email: str, client: str, now: datetime, limits: Limits
) -> Wait | None:
    """Why a sign-in for ``email`` from ``client`` may not be tried now, or None."""
    by_client = _row(session, _key("client", client), now, limits)
    if by_client is not None and by_client.failures >= limits.client_max_failures:
        return Wait(client=True, remaining=by_client.last_failure_at + limits.window - now)
    by_account = _row(session, _key("account", email), now, limits)
    if by_account is None or by_account.failures < limits.free_failures:
        return None
    doublings = by_account.failures - limits.free_failures
    delay = min(limits.delay * 2 ** min(doublings, 32), limits.max_delay)
    ready_at = by_account.last_failure_at + delay
    return Wait(client=False, remaining=ready_at - now) if ready_at > now else None


def record_failure(
    session: Session, *, email: str, client: str, now: datetime, limits: Limits
) -> None:
    """Count a wrong password against both the account and the client address."""
    session.execute(
        delete(SignInThrottle).where(SignInThrottle.last_failure_at < now - limits.window)
    )
    _count(session, _key("account", email), now)
    _count(session, _key("client", client), now)


def record_refusal(session: Session, *, client: str, now: datetime) -> None:
    """A try made while told to wait counts against the client only: it proves nothing
    about the account, and must not make its owner wait longer."""
    _count(session, _key("client", client), now)


def _count(session: Session, key: str, now: datetime) -> None:
    row = session.get(SignInThrottle, key)
    if row is None:
        row = SignInThrottle(key=key, failures=0)
        session.add(row)
    row.failures += 1
    row.last_failure_at = now


def account_failures(session: Session, email: str) -> SignInThrottle | None:
    """The failed sign-ins counted against the account ``email``, if any."""
    return session.get(SignInThrottle, _key("account", email))


def clear(session: Session, email: str) -> None:
    """The account's owner is in (or erased): forget its failures (not the client's)."""
    row = account_failures(session, email)
    if row is not None:
        session.delete(row)
