"""A board as an audience sees it: the public (only what was approved) or a partner's API
token (what a member sees). The public pages, the open data files, the Atom feed and the read
API all read through here and the modules beside it for each kind of thing (plan_data,
indicator_data, meeting_data), so what is public is decided in one place.

People are shown by name only to a member's eyes or when they agreed (Your public name);
otherwise by their role on the board, and a lead team by its name ("SEND (OCC)"). E-mail
addresses are never shown to either audience.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import Board, Membership, Person, Role
from tracker.models.publishing import PublicName, PublicPages

LICENCE = "Open Government Licence v3.0"
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
PARTS = ("plan", "indicators", "meetings", "reports")


@dataclass(frozen=True)
class Audience:
    board: Board
    # A partner's API token: the board's internal data, as a member reads it.
    internal: bool = False


def public_boards(session: Session) -> list[Board]:
    return list(
        session.scalars(
            select(Board)
            .join(PublicPages, PublicPages.board_id == Board.id)
            .where(PublicPages.enabled.is_(True), Board.archived_at.is_(None))
            .order_by(Board.name)
        )
    )


def public_board(session: Session, slug: str) -> Board | None:
    """The live board with public pages on, or None (not found, to the public)."""
    return next((b for b in public_boards(session) if b.slug == slug), None)


def settings(session: Session, board: Board) -> PublicPages | None:
    return session.scalar(select(PublicPages).where(PublicPages.board_id == board.id))


def shows(session: Session, audience: Audience, part: str) -> bool:
    """Does the audience see this part of the board (one of PARTS)?"""
    if audience.internal:
        return True
    pages = settings(session, audience.board)
    return bool(pages and pages.enabled and getattr(pages, part))


class Names:
    """How the audience reads people: by name to a member, by name to the public only with
    their agreement, else by their role on the board."""

    def __init__(self, session: Session, audience: Audience) -> None:
        self.audience = audience
        self._agreed: set[int] | None = None
        self._roles: dict[int, Role] | None = None
        self.session = session

    def _load(self) -> None:
        self._agreed = set(self.session.scalars(select(PublicName.person_id)))
        self._roles = dict(
            self.session.execute(
                select(Membership.person_id, Membership.role).where(
                    Membership.board_id == self.audience.board.id
                )
            ).all()
        )

    def agreed(self, person_id: int) -> bool:
        if self.audience.internal:
            return True
        if self._agreed is None:
            self._load()
        return person_id in self._agreed

    def person(self, person: Person | None, role: Role | None = None) -> str:
        if person is None:
            return ""
        if self.agreed(person.id):
            return person.name
        if self._roles is None:
            self._load()
        return (role or self._roles.get(person.id, Role.MEMBER)).label

    def lead(self, lead) -> str:
        if lead.team is not None:
            return lead.team.name
        return self.person(lead.person, Role.LEAD)

    def lead_choice(
        self, person_id: int | None, team_id: int | None, person: str | None, team: str | None
    ) -> str | None:
        """How the plan's lead filter offers a lead: a team by its name, a person by name
        only if the audience may read it, else not at all (a list of "Lead officer"s would
        tell nothing apart)."""
        if team_id is not None:
            return team
        return person if self.agreed(person_id) else None
