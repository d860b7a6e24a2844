"""The people of a board, found the same way everywhere."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from tracker.models import Board, Membership, Person, Role


def members(board_id: int, roles: Iterable[Role] | None = None) -> Select:
    """Active members of the board (on it now, not deactivated, with an e-mail address), by
    name. A lead imported without an address is listed only on the admin's people page."""
    query = (
        select(Person)
        .join(Membership, Membership.person_id == Person.id)
        .where(
            Membership.board_id == board_id,
            Membership.archived_at.is_(None),
            Person.deactivated_at.is_(None),
            Person.email.is_not(None),
        )
        .order_by(Person.name, Person.id)
    )
    if roles is not None:
        query = query.where(Membership.role.in_(list(roles)))
    return query


def member_id_select(board_id: int, roles: Iterable[Role] | None = None) -> Select:
    """The ids of ``members``, to select by in another query."""
    return members(board_id, roles).with_only_columns(Person.id).order_by(None)


def member_ids(
    session: Session,
    board_id: int,
    among: Iterable[int] | None = None,
    roles: Iterable[Role] | None = None,
) -> set[int]:
    """The ids of the board's active members (as ``members``), or of those among ``among``."""
    query = member_id_select(board_id, roles)
    if among is not None:
        query = query.where(Person.id.in_(list(among)))
    return set(session.scalars(query))


def officers(session: Session, board: Board) -> list[Person]:
    """The chair and the secretariat: who hears about escalations and the forward plan."""
    return list(session.scalars(members(board.id, roles=[Role.CHAIR, Role.ADMIN])))
