"""Who may do what, in one place.

Every board-scoped blueprint calls ``board_scoped(bp)``: its URLs start with
``/boards/<board_slug>``, every request needs a signed-in member of that board (anyone
else gets a 404, so a board's existence is not revealed), and ``g.board`` and
``g.membership`` are set for the view. Views that need more than reading add
``@requires(Right...)``; rights on one action or indicator are the ``can_*`` functions, and
templates ask ``may.<right>``. Which roles hold which right is the table ``HOLDERS``.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import wraps
from typing import Any

from flask import Blueprint, abort, g, session
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import Session, contains_eager

from tracker import clock
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


class Right(enum.StrEnum):
    ADMINISTER = "administer"  # the secretariat's pages and tools, and the audit trail
    SET_RAG = "set_rag"  # a live action's or indicator's RAG rating
    POST_UPDATE = "post_update"  # a progress update on a live action
    REPORT_ON = "report_on"  # readings and "what is being done" of a live indicator
    PUBLISH = "publish"  # which updates, readings, forward plans and reports the public sees


# The rule book: the roles that hold each right on everything of their board. Posting an
# update and reporting on an indicator also belong to whoever answers for the action or the
# indicator's owner on the day, whatever their role (tracker.leads).
HOLDERS: dict[Right, frozenset[Role]] = {
    Right.ADMINISTER: frozenset({Role.ADMIN}),
    Right.SET_RAG: frozenset({Role.ADMIN, Role.CHAIR}),
    Right.POST_UPDATE: frozenset({Role.ADMIN, Role.CHAIR}),
    Right.REPORT_ON: frozenset({Role.ADMIN}),
    Right.PUBLISH: frozenset({Role.ADMIN, Role.CHAIR}),
}


def requires(right: Right) -> Callable:
    """Let only members whose role holds ``right`` on ``g.board`` through; others get a 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if g.membership.role not in HOLDERS[right]:
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_right = right  # read by the route × role matrix test
        return wrapped

    return decorator


def can_post_update(session: Session, membership: Membership, action: Action, today: date) -> bool:
    """On a live action: the roles that hold the right, and anyone who answers for the action
    on ``today`` (tracker.leads): its leads, and a lead's deputy while they stand in."""
    if action.is_archived:
        return False
    if membership.role in HOLDERS[Right.POST_UPDATE]:
        return True
    return answers_for(session, membership.person, action, today)


def can_report_on(
    session: Session, membership: Membership, indicator: Indicator, today: date
) -> bool:
    """On a live indicator: the roles that hold the right, and whoever answers for its owner
    on ``today`` (the owner, or their deputy while they are away)."""
    if indicator.is_archived:
        return False
    if membership.role in HOLDERS[Right.REPORT_ON]:
        return True
    return answers_for_owner(session, membership.person, indicator.owner, indicator.board_id, today)


def can_set_rag(membership: Membership, rated: Action | Indicator) -> bool:
    return not rated.is_archived and membership.role in HOLDERS[Right.SET_RAG]


@dataclass(frozen=True)
class May:
    """What the member may do on their board, for views and templates (``may.administer``,
    ``may.set_rag(action)``): one answer from the rules above."""

    session: Session
    membership: Membership
    today: date

    @property
    def administer(self) -> bool:
        return self.membership.role in HOLDERS[Right.ADMINISTER]

    @property
    def publish(self) -> bool:
        return self.membership.role in HOLDERS[Right.PUBLISH]

    def set_rag(self, rated: Action | Indicator) -> bool:
        return can_set_rag(self.membership, rated)

    def post_update(self, action: Action) -> bool:
        return can_post_update(self.session, self.membership, action, self.today)

    def report_on(self, indicator: Indicator) -> bool:
        return can_report_on(self.session, self.membership, indicator, self.today)


def may() -> May | None:
    """The signed-in member's rights on ``g.board`` today; None off any board."""
    membership = getattr(g, "membership", None)
    if membership is None:
        return None
    return May(db.session, membership, clock.today())
