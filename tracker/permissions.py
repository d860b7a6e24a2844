"""Who may do what, in one place.

Every board-scoped blueprint calls ``board_scoped(bp)``: its URLs start with
``/boards/<board_slug>``, every request needs a signed-in member of that board (anyone
else gets a 404, so a board's existence is not revealed), and ``g.board`` and
``g.membership`` are set for the view. Views that need more than reading add
``@requires_role(...)``; per-action rights are the ``can_*`` functions below.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any

from flask import Blueprint, abort, g, session
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import Session, contains_eager

from tracker.extensions import db, login_manager
from tracker.leads import answers_for, answers_for_owner
from tracker.models import Action, Board, Indicator, Membership, Role


def board_scoped(bp: Blueprint) -> Blueprint:
    @bp.url_value_preprocessor
    def _take_board_slug(endpoint: str | None, values: dict[str, Any] | None) -> None:
        g.board_slug = (values or {}).pop("board_slug", None)

    @bp.url_defaults
    def _add_board_slug(endpoint: str, values: dict[str, Any]) -> None:
        if "board_slug" not in values and getattr(g, "board", None) is not None:
            values["board_slug"] = g.board.slug

    @bp.before_request
    def _load_board() -> Any:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        membership = db.session.scalar(_memberships().where(Board.slug == g.board_slug))
        if membership is None:
            abort(404)
        board = membership.board
        g.board, g.membership = board, membership
        session[_LAST_BOARD] = board.slug
        return None

    return bp


# The board a person was last on, so the pages of their own account keep its menu.
_LAST_BOARD = "board"


def _memberships():
    """The signed-in person's live memberships of live boards."""
    return (
        select(Membership)
        .join(Membership.board)
        .where(
            Board.archived_at.is_(None),
            Membership.person_id == current_user.id,
            Membership.archived_at.is_(None),
        )
        .options(contains_eager(Membership.board))
    )


def with_board_navigation(view: Callable) -> Callable:
    """For the pages of a person's own account (Your e-mails, Your calendar, Change
    password), which belong to no board: keep the menu of the board they came from, or of
    their only board. Membership is checked again, as on every board page."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if current_user.is_authenticated:
            memberships = db.session.scalars(_memberships().order_by(Membership.board_id)).all()
            last = [m for m in memberships if m.board.slug == session.get(_LAST_BOARD)]
            chosen = last or (memberships if len(memberships) == 1 else [])
            if chosen:
                g.board, g.membership = chosen[0].board, chosen[0]
        return view(*args, **kwargs)

    return wrapped


def requires_role(*roles: Role) -> Callable:
    """Let only members with one of ``roles`` on ``g.board`` through; others get a 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if g.membership.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_roles = roles  # read by the route × role matrix test
        return wrapped

    return decorator


def can_post_update(session: Session, membership: Membership, action: Action, today: date) -> bool:
    """Admins and chairs on any action; anyone else, whatever their role, on the actions they
    answer for on ``today`` (tracker.leads): those they lead, and a lead's while they stand
    in for them."""
    if action.is_archived:
        return False
    if membership.role in (Role.ADMIN, Role.CHAIR):
        return True
    return answers_for(session, membership.person, action, today)


def can_report_on(
    session: Session, membership: Membership, indicator: Indicator, today: date
) -> bool:
    """Readings and "what is being done": the secretariat, and whoever answers for the
    indicator's owner on ``today`` (the owner, or their deputy while they are away)."""
    if indicator.is_archived:
        return False
    if membership.role is Role.ADMIN:
        return True
    return answers_for_owner(session, membership.person, indicator.owner, indicator.board_id, today)


def can_set_rag(membership: Membership) -> bool:
    return membership.role in (Role.ADMIN, Role.CHAIR)


def can_administer(membership: Membership) -> bool:
    return membership.role is Role.ADMIN
