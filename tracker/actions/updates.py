"""Posting a progress update and setting an action's RAG.

Both refuse to act on an action that changed since the person opened the form (its version
moved on), so nobody overwrites a change they have not seen.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from tracker.audit import acting_as
from tracker.models import Action, ActionStatus, Person, ProgressUpdate, Rag, utcnow


class ActionChanged(Exception):
    """Someone else changed the action after this person opened the form."""


def post_update(
    session: Session,
    *,
    action: Action,
    author: Person,
    status: ActionStatus,
    rag: Rag | None,
    text: str,
    seen_version: int,
    by_email: bool = False,
    posted_at: datetime | None = None,
) -> ProgressUpdate:
    """Post ``author``'s update. A reply by e-mail is marked so, and dated when it was
    received (``posted_at``), which is when it counts for the reporting month."""
    if action.version != seen_version:
        raise ActionChanged
    update = ProgressUpdate(
        action=action,
        author=author,
        status=status,
        rag=rag,
        text=text,
        by_email=by_email,
        created_at=posted_at or utcnow(),
    )
    session.add(update)
    action.status, action.rag = status, rag
    # Touch the action even when status and RAG are unchanged, so its version moves on:
    # the update itself is news that anyone else writing one must see first.
    action.updated_at = utcnow()
    _flush(session)
    return update


def set_rag(
    session: Session, *, action: Action, rag: Rag, reason: str, by: Person, seen_version: int
) -> None:
    if action.version != seen_version:
        raise ActionChanged
    if not reason.strip():
        raise ValueError("a reason is required to set an action's RAG")
    with acting_as(session, by.id, reason=reason.strip()):
        action.rag = rag
        _flush(session)


def _flush(session: Session) -> None:
    try:
        session.flush()
    except StaleDataError as error:
        # The version check passed in Python but another transaction committed first.
        session.rollback()
        raise ActionChanged from error
