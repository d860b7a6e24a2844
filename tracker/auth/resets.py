"""Password reset links: signed, time-limited, and usable once.

The token carries a fingerprint of the current password hash, so it stops working as soon as
the password changes (including by using the link).
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from tracker.auth.invitations import find_person
from tracker.links import absolute_url
from tracker.models import Person
from tracker.outbox import enqueue

SALT = "password-reset"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _fingerprint(person: Person) -> str:
    return hashlib.sha256((person.password_hash or "").encode()).hexdigest()[:16]


def make_token(person: Person) -> str:
    return _serializer().dumps([person.id, _fingerprint(person)])


def person_for_token(session: Session, token: str) -> Person | None:
    """The person the token resets, or None if it is garbage, expired or already used."""
    max_age = current_app.config["PASSWORD_RESET_MAX_AGE"].total_seconds()
    try:
        person_id, fingerprint = _serializer().loads(token, max_age=max_age)
    except (BadSignature, ValueError, TypeError):
        return None
    person = session.get(Person, person_id) if isinstance(person_id, int) else None
    if person is None or not person.is_active or _fingerprint(person) != fingerprint:
        return None
    return person


def answer_reset_request(session: Session, email: str, now: datetime) -> None:
    """Queue the answer to a reset request for ``email``: a link when it has an active account,
    otherwise an e-mail saying it has none.

    Either way one message is queued to the address asked about, so neither the page, nor
    the work done, nor the time it takes tells the asker whether the address has an account.
    Asking twice in the same minute sends one.
    """
    person = find_person(session, email)
    has_account = person is not None and person.is_active
    max_age = current_app.config["PASSWORD_RESET_MAX_AGE"]
    enqueue(
        session,
        key=f"password-reset:{email}:{now:%Y-%m-%dT%H:%M}",
        kind="password_reset",
        recipient=email,
        subject="Reset your Trust Tracker password",
        template="password_reset" if has_account else "password_reset_no_account",
        board_id=None,
        link=(
            absolute_url("auth.reset_password", token=make_token(person))
            if has_account
            else absolute_url("auth.request_reset")
        ),
        minutes=int(max_age.total_seconds() // 60),
    )
