"""The board's plan and its actions as an audience sees them (tracker.publishing.data): every
action and update to a member's eyes; to the public each action with only its approved
updates, read in the approvers' public summary where they wrote one."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session, selectinload

from tracker.actions.standing import live_actions, table_query
from tracker.models import Action, ActionStatus, AreaOfFocus, Plan, ProgressUpdate, Rag
from tracker.models.publishing import PublishedUpdate
from tracker.plans import filter_conditions, live_plans
from tracker.publishing.data import Audience, Names, shows


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


def by_area(views: Iterable[ActionView]) -> dict[int, list[ActionView]]:
    grouped: dict[int, list[ActionView]] = defaultdict(list)
    for view in views:
        grouped[view.area_id].append(view)
    return grouped
