"""A board as an audience sees it: the public (only what was approved) or a partner's API
token (what a member sees). The public pages, the open data files, the Atom feed and the read
API all read through here, so what is public is decided in one place.

People are shown by name only to a member's eyes or when they agreed (Your public name);
otherwise by their role on the board, and a lead team by its name ("SEND (OCC)"). E-mail
addresses are never shown to either audience.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session, selectinload

from tracker.actions.standing import live_actions, table_query
from tracker.indicators.framework import number_order, reading_rag
from tracker.meetings import board_meetings
from tracker.meetings.forward_plan import live_items
from tracker.models import (
    Action,
    ActionStatus,
    AreaOfFocus,
    Board,
    Indicator,
    Meeting,
    Membership,
    Person,
    Plan,
    ProgressUpdate,
    Rag,
    Role,
)
from tracker.models.publishing import (
    PaperKind,
    PublicName,
    PublicPages,
    PublishedIndicator,
    PublishedPaper,
    PublishedReading,
    PublishedUpdate,
)
from tracker.plans import filter_conditions, live_plans

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


# Plans and actions ------------------------------------------------------------------------


@dataclass(frozen=True)
class UpdateView:
    id: int
    action_id: int
    at: datetime
    text: str
    status: ActionStatus
    rag: Rag | None
    author: str


@dataclass(frozen=True)
class ActionView:
    id: int
    plan_id: int
    area_id: int
    area: str
    plan_year: int
    position: int
    text: str
    agencies: list[str]
    leads: list[str]
    reporting_months: list[date]
    latest: UpdateView | None


def plans(session: Session, audience: Audience) -> list[Plan]:
    if not shows(session, audience, "plan"):
        return []
    return list(session.scalars(live_plans(audience.board.id)))


def plan(session: Session, audience: Audience, plan_id: int) -> Plan | None:
    return next((p for p in plans(session, audience) if p.id == plan_id), None)


def areas(session: Session, plan: Plan) -> list[AreaOfFocus]:
    return list(
        session.scalars(
            select(AreaOfFocus)
            .where(AreaOfFocus.plan_id == plan.id, AreaOfFocus.archived_at.is_(None))
            .options(selectinload(AreaOfFocus.outcomes), selectinload(AreaOfFocus.priorities))
            .order_by(AreaOfFocus.position, AreaOfFocus.id)
        )
    )


def _approved(audience: Audience):
    """Conditions on ProgressUpdate: every update to a member's eyes, only the approved ones
    (not withdrawn) to the public."""
    if audience.internal:
        return []
    return [
        ProgressUpdate.id.in_(
            select(PublishedUpdate.update_id).where(
                PublishedUpdate.board_id == audience.board.id,
                PublishedUpdate.withdrawn_at.is_(None),
            )
        )
    ]


def shown(audience: Audience) -> dict[str, Any]:
    """What the plan's status and RAG filters compare: the action's own to a member, those
    of its latest approved update to the public (so filtering reveals nothing unapproved)."""
    if audience.internal:
        return {"status": Action.status, "rag": Action.rag}
    return {name: _latest_approved(audience, name) for name in ("status", "rag")}


def _latest_approved(audience: Audience, name: str):
    return (
        select(getattr(ProgressUpdate, name))
        .where(ProgressUpdate.action_id == Action.id, *_approved(audience))
        .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())
        .limit(1)
        .correlate(Action)
        .scalar_subquery()
    )


def actions_select(audience: Audience, plan: Plan, chosen: dict[str, str]) -> Select:
    """The plan's live actions in plan order, filtered as the plan page filters them."""
    return table_query(audience.board, agencies=True).where(
        AreaOfFocus.plan_id == plan.id, *filter_conditions(chosen, **shown(audience))
    )


def count_actions(session: Session, audience: Audience, plan: Plan, chosen: dict[str, str]) -> int:
    return session.scalar(
        live_actions(audience.board, func.count()).where(
            AreaOfFocus.plan_id == plan.id, *filter_conditions(chosen, **shown(audience))
        )
    )


def action_views(
    session: Session, audience: Audience, actions: Sequence[Action]
) -> list[ActionView]:
    names = Names(session, audience)
    latest = _latest_updates(session, audience, [a.id for a in actions], names)
    return [
        ActionView(
            id=a.id,
            plan_id=a.area.plan_id,
            area_id=a.area_id,
            area=a.area.name,
            plan_year=a.plan_year,
            position=a.position,
            text=a.text,
            agencies=[agency.name for agency in a.agencies],
            leads=[names.lead(lead) for lead in a.leads],
            reporting_months=a.months,
            latest=latest.get(a.id),
        )
        for a in actions
    ]


def action(session: Session, audience: Audience, action_id: int) -> Action | None:
    """The live action, if the audience sees its plan."""
    if not shows(session, audience, "plan"):
        return None
    return session.scalar(table_query(audience.board, agencies=True).where(Action.id == action_id))


def history(session: Session, audience: Audience, action: Action) -> list[UpdateView]:
    """The action's updates, newest first: every one to a member, the approved to the public."""
    names = Names(session, audience)
    return _update_views(
        session,
        audience,
        select(ProgressUpdate).where(ProgressUpdate.action_id == action.id),
        names,
    )


def approved_updates(session: Session, audience: Audience, limit: int | None) -> list[UpdateView]:
    """The board's latest updates the audience sees, newest first (the Atom feed)."""
    if not shows(session, audience, "plan"):
        return []
    query = (
        live_actions(audience.board, ProgressUpdate)
        .join(ProgressUpdate, ProgressUpdate.action_id == Action.id)
        .limit(limit)
    )
    return _update_views(session, audience, query, Names(session, audience))


def _update_views(session: Session, audience: Audience, query: Select, names: Names):
    rows = session.scalars(
        query.where(*_approved(audience))
        .options(selectinload(ProgressUpdate.author))
        .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())
    ).all()
    summaries = _summaries(session, audience, [u.id for u in rows])
    return [_update_view(u, summaries.get(u.id), names) for u in rows]


def _summaries(session: Session, audience: Audience, update_ids: list[int]) -> dict[int, str]:
    """The public summaries approvers wrote, which the public read instead of the update."""
    if audience.internal or not update_ids:
        return {}
    return dict(
        session.execute(
            select(PublishedUpdate.update_id, PublishedUpdate.summary).where(
                PublishedUpdate.update_id.in_(update_ids), PublishedUpdate.summary.is_not(None)
            )
        ).all()
    )


def _update_view(update: ProgressUpdate, summary: str | None, names: Names) -> UpdateView:
    return UpdateView(
        id=update.id,
        action_id=update.action_id,
        at=update.created_at,
        text=summary or update.text,
        status=update.status,
        rag=update.rag,
        author=names.person(update.author),
    )


def _latest_updates(
    session: Session, audience: Audience, action_ids: list[int], names: Names
) -> dict[int, UpdateView]:
    if not action_ids:
        return {}
    newest = (
        select(
            ProgressUpdate.id,
            func.row_number()
            .over(
                partition_by=ProgressUpdate.action_id,
                order_by=(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc()),
            )
            .label("n"),
        )
        .where(ProgressUpdate.action_id.in_(action_ids), *_approved(audience))
        .subquery()
    )
    query = select(ProgressUpdate).join(
        newest, and_(newest.c.id == ProgressUpdate.id, newest.c.n == 1)
    )
    views = _update_views(session, audience, query, names)
    return {view.action_id: view for view in views}


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


# Indicators -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadingView:
    id: int
    period_start: date
    value: float
    rag: Rag


@dataclass(frozen=True)
class IndicatorView:
    indicator: Indicator
    readings: list[ReadingView]  # oldest first

    @property
    def id(self) -> int:
        return self.indicator.id


def indicators(
    session: Session, audience: Audience, indicator_id: int | None = None
) -> list[IndicatorView]:
    """The live indicators the audience sees, in number order, each with its readings: every
    one to a member; to the public the indicators made public, with the readings approved
    at the value they hold now (a corrected figure waits for approval again)."""
    if not shows(session, audience, "indicators"):
        return []
    query = (
        select(Indicator)
        .where(Indicator.board_id == audience.board.id, Indicator.archived_at.is_(None))
        .options(selectinload(Indicator.readings), selectinload(Indicator.area))
    )
    if indicator_id is not None:
        query = query.where(Indicator.id == indicator_id)
    approved: dict[int, float] = {}
    if not audience.internal:
        query = query.where(
            Indicator.id.in_(
                select(PublishedIndicator.indicator_id).where(
                    PublishedIndicator.board_id == audience.board.id,
                    PublishedIndicator.withdrawn_at.is_(None),
                )
            )
        )
        approved = dict(
            session.execute(
                select(PublishedReading.reading_id, PublishedReading.value).where(
                    PublishedReading.board_id == audience.board.id,
                    PublishedReading.withdrawn_at.is_(None),
                )
            ).all()
        )
    found = sorted(session.scalars(query), key=lambda i: number_order(i.number))
    return [
        IndicatorView(
            i,
            [
                ReadingView(r.id, r.period_start, r.value, reading_rag(i, r))
                for r in i.readings
                if audience.internal or approved.get(r.id) == r.value
            ],
        )
        for i in found
    ]


# Meetings ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingView:
    meeting: Meeting
    forward_plan: list[str] | None  # None: not published (or not public)
    report: bool  # its final report is there to read

    @property
    def id(self) -> int:
        return self.meeting.id


def meetings(session: Session, audience: Audience) -> list[MeetingView]:
    """The board's meetings, with the forward plans and final reports the audience sees."""
    if not shows(session, audience, "meetings"):
        return []
    found = session.scalars(
        board_meetings(audience.board.id).options(
            selectinload(Meeting.forward_plan), selectinload(Meeting.hwb_report)
        )
    ).all()
    papers = _public_papers(session, audience, [m.id for m in found])
    reports = shows(session, audience, "reports")
    return [
        MeetingView(
            m,
            [item.text for item in live_items(m)]
            if m.forward_plan_published_at and (m.id, PaperKind.FORWARD_PLAN) in papers
            else None,
            bool(
                reports
                and m.hwb_report is not None
                and m.hwb_report.is_final
                and (m.id, PaperKind.REPORT) in papers
            ),
        )
        for m in found
    ]


def _public_papers(
    session: Session, audience: Audience, meeting_ids: Iterable[int]
) -> set[tuple[int, PaperKind]]:
    if audience.internal:
        return {(m, kind) for m in meeting_ids for kind in PaperKind}
    return set(
        session.execute(
            select(PublishedPaper.meeting_id, PublishedPaper.kind).where(
                PublishedPaper.board_id == audience.board.id,
                PublishedPaper.withdrawn_at.is_(None),
            )
        ).all()
    )


def meeting(session: Session, audience: Audience, meeting_id: int) -> MeetingView | None:
    return next((m for m in meetings(session, audience) if m.id == meeting_id), None)


def by_area(views: Iterable[ActionView]) -> dict[int, list[ActionView]]:
    grouped: dict[int, list[ActionView]] = defaultdict(list)
    for view in views:
        grouped[view.area_id].append(view)
    return grouped
