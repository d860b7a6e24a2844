"""Who may do what, in one place.

Every board-scoped blueprint calls ``board_scoped(bp)``: its URLs start with
``/boards/<board_slug>``, every request needs a signed-in member of that board (anyone
else gets a 404, so a board's existence is not revealed), and ``g.board`` and
``g.membership`` are set for the view. Views that need more than reading add
``@requires_role(...)``; per-action rights are the ``can_*`` functions below.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, abort, g
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from tracker import clock
from tracker.extensions import db, login_manager
from tracker.models import Action, Board, Indicator, Membership, Person, Role


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
        membership = db.session.scalar(
            select(Membership)
            .join(Membership.board)
            .where(
                Board.slug == g.board_slug,
                Board.archived_at.is_(None),
                Membership.person_id == current_user.id,
                Membership.archived_at.is_(None),
            )
            .options(contains_eager(Membership.board))
        )
        if membership is None:
            abort(404)
        board = membership.board
        g.board, g.membership = board, membership
        return None

    return bp


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


def can_post_update(membership: Membership, action: Action) -> bool:
    """Admins and chairs on any action; a lead officer on actions they lead, and on those of
    a lead they deputise for while that lead is away (the deputy gets their reminders).
    The web form and replies by e-mail (tracker.inbound) both ask this."""
    if action.is_archived:
        return False
    if membership.role in (Role.ADMIN, Role.CHAIR):
        return True
    person = membership.person
    return membership.role is Role.LEAD and (
        action.is_led_by(person) or _deputises_for_a_lead(action, person)
    )


def _deputises_for_a_lead(action: Action, person: Person) -> bool:
    today = clock.today()
    return any(
        (deputy := lead_person.deputy_on(today)) is not None and deputy.id == person.id
        for lead in action.leads
        for lead_person in lead.recipients
    )


def can_report_on(membership: Membership, indicator: Indicator) -> bool:
    """Readings and "what is being done": the secretariat, and the indicator's owner."""
    if indicator.is_archived:
        return False
    return membership.role is Role.ADMIN or indicator.owner_id == membership.person_id


def can_set_rag(membership: Membership) -> bool:
    return membership.role in (Role.ADMIN, Role.CHAIR)


def can_administer(membership: Membership) -> bool:
    return membership.role is Role.ADMIN
