"""A board's read-only API tokens: made by its admin, named, expiring, revocable, shown
once and kept only as a hash; each limited to so many calls a minute."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import Board, Person
from tracker.models.publishing import ApiToken, ApiTokenWindow

PREFIX = "tt_"
CALLS_PER_MINUTE = 60
WINDOW = timedelta(minutes=1)


def token_hash(secret: str) -> str:
    # A random 32-byte secret needs no slow hash: nobody can guess one to compare.
    return hashlib.sha256(secret.encode()).hexdigest()


def make_token(
    session: Session, board: Board, name: str, days: int, by: Person, now: datetime
) -> tuple[ApiToken, str]:
    """A new token and its secret, which is never stored and cannot be shown again."""
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        board_id=board.id,
        name=name,
        token_hash=token_hash(secret),
        created_by_id=by.id,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    session.add(token)
    return token, secret


def find(session: Session, secret: str, now: datetime) -> ApiToken | None:
    """The live token with this secret, or None (unknown, expired or revoked)."""
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(secret)))
    return token if token is not None and token.is_live(now) else None


def revoke(token: ApiToken, now: datetime) -> None:
    if token.revoked_at is None:
        token.revoked_at = now


def allow_call(session: Session, token: ApiToken, now: datetime) -> bool:
    """Count a call; False once the token has made CALLS_PER_MINUTE this minute."""
    window = session.get(ApiTokenWindow, token.id, with_for_update=True)
    if window is None:
        window = ApiTokenWindow(token_id=token.id, window_start=now, calls=0)
        session.add(window)
    if now - window.window_start >= WINDOW:
        window.window_start, window.calls = now, 0
    window.calls += 1
    return window.calls <= CALLS_PER_MINUTE


def tokens_of(session: Session, board: Board) -> list[ApiToken]:
    return list(
        session.scalars(
            select(ApiToken).where(ApiToken.board_id == board.id).order_by(ApiToken.id.desc())
        )
    )
