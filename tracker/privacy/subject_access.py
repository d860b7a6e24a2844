"""Everything the tracker holds about one person on one board, for a subject access request:
the same content as JSON (to keep or pass on) and as a page (to read).

Sections are lists of flat records (label → value), so the page renders each as a table and
the JSON needs no other shape. Times stay datetimes here; the JSON writes them in ISO 8601
(UTC), the page in UK time.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from tracker.actions.standing import led_by
from tracker.auth.throttle import account_failures
from tracker.members import member_ids
from tracker.models import (
    Action,
    ActionLead,
    AreaOfFocus,
    AuditEvent,
    Board,
    InboundMessage,
    Indicator,
    IndicatorCommentary,
    Invitation,
    Membership,
    OutboxMessage,
    Person,
    Plan,
    ProgressUpdate,
    Team,
    team_contact,
)
from tracker.trail import describe_events

Record = dict[str, Any]


def person_data(session: Session, board: Board, person: Person) -> dict[str, list[Record]]:
    """The sections, in the order the page shows them."""
    return {
        "Profile": [_profile(session, board, person)],
        "Membership of this board": _memberships(session, board, person),
        "Actions they lead": _actions(session, board, person),
        "Teams they are a contact of": _teams(session, board, person),
        "Indicators they own": _indicators(session, board, person),
        "Progress updates they wrote": _updates(session, board, person),
        "Commentary on indicators they wrote": _commentaries(session, board, person),
        "E-mails sent or queued to them": _emails(session, board, person),
        "E-mail replies from them": _replies(session, board, person),
        "Sign-in records": _sign_in(session, board, person),
        "Audit events about them or by them": _events(session, board, person),
    }


def as_json(board: Board, person: Person, data: dict[str, list[Record]], now: datetime) -> str:
    return json.dumps(
        {"board": board.name, "person_id": person.id, "produced_at": now, "sections": data},
        default=_plain,
        ensure_ascii=False,
        indent=2,
    )


def _plain(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} in a subject access record")


def _profile(session: Session, board: Board, person: Person) -> Record:
    # A deputy the person chose on another board is that board's to tell (as Overdue and red).
    deputy = (
        person.deputy
        if person.deputy and member_ids(session, board.id, [person.deputy_id])
        else None
    )
    return {
        "Name": person.name,
        "E-mail address": person.email,
        "Account created": person.created_at,
        "Signed in last": person.last_signed_in_at,
        "Deactivated": person.deactivated_at,
        "Erased": person.erased_at,
        "Away until": person.away_until,
        "Deputy": deputy.name if deputy else None,
        "One e-mail a day": person.one_email_a_day,
        "Has a calendar link": person.calendar_token is not None,
        "Has a password": person.password_hash is not None,
    }


def _memberships(session: Session, board: Board, person: Person) -> list[Record]:
    found = session.scalars(
        select(Membership).where(Membership.board_id == board.id, Membership.person_id == person.id)
    )
    return [
        {"Role": m.role.label, "Since": m.created_at, "Left the board": m.archived_at}
        for m in found
    ]


def _board_actions(board: Board):
    return select(Action).join(Action.area).join(AreaOfFocus.plan).where(Plan.board_id == board.id)


def _actions(session: Session, board: Board, person: Person) -> list[Record]:
    found = session.scalars(
        _board_actions(board)
        .where(led_by(person))
        .options(selectinload(Action.leads).selectinload(ActionLead.team))
        .order_by(Action.id)
    )
    return [
        {
            "Action": a.text,
            "As": "lead"
            if any(lead.person_id == person.id for lead in a.leads)
            else "contact of " + ", ".join(str(lead.team) for lead in a.leads if lead.team),
            "Status": a.status.label,
            "Archived": a.archived_at,
        }
        for a in found
    ]


def _teams(session: Session, board: Board, person: Person) -> list[Record]:
    found = session.scalars(
        select(Team)
        .join(team_contact, team_contact.c.team_id == Team.id)
        .where(Team.board_id == board.id, team_contact.c.person_id == person.id)
    )
    return [{"Team": t.name} for t in found]


def _indicators(session: Session, board: Board, person: Person) -> list[Record]:
    found = session.scalars(
        select(Indicator).where(Indicator.board_id == board.id, Indicator.owner_id == person.id)
    )
    return [{"Indicator": str(i)} for i in found]


def _updates(session: Session, board: Board, person: Person) -> list[Record]:
    found = session.scalars(
        select(ProgressUpdate)
        .where(
            ProgressUpdate.author_id == person.id,
            ProgressUpdate.action_id.in_(_board_actions(board).with_only_columns(Action.id)),
        )
        .options(selectinload(ProgressUpdate.action))
        .order_by(ProgressUpdate.created_at, ProgressUpdate.id)
    )
    return [
        {
            "Posted": u.created_at,
            "Action": u.action.text,
            "Status": u.status.label,
            "RAG": u.rag.label if u.rag else None,
            "By e-mail": u.by_email,
            "Update": u.text,
        }
        for u in found
    ]


def _commentaries(session: Session, board: Board, person: Person) -> list[Record]:
    found = session.execute(
        select(IndicatorCommentary, Indicator)
        .join(IndicatorCommentary.indicator)
        .where(IndicatorCommentary.author_id == person.id, Indicator.board_id == board.id)
        .order_by(IndicatorCommentary.created_at)
    )
    return [
        {"Written": c.created_at, "Indicator": str(i), "What is being done": c.text}
        for c, i in found
    ]


def _emails(session: Session, board: Board, person: Person) -> list[Record]:
    if not person.email:
        return []
    found = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.board_id == board.id, OutboxMessage.recipient == person.email)
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
    )
    return [
        {
            "Queued": m.created_at,
            "Sent": m.sent_at,
            "Status": m.status.value,
            "Subject": m.subject,
            "Message": m.body_text,
        }
        for m in found
    ]


def _replies(session: Session, board: Board, person: Person) -> list[Record]:
    found = session.scalars(
        select(InboundMessage)
        .where(
            InboundMessage.board_id == board.id,
            or_(InboundMessage.sender_id == person.id, InboundMessage.person_id == person.id),
        )
        .order_by(InboundMessage.received_at)
    )
    return [
        {
            "Received": m.received_at,
            "From": m.sender,
            "Subject": m.subject,
            "Outcome": m.status.label,
            "Text": m.text,
        }
        for m in found
    ]


def _sign_in(session: Session, board: Board, person: Person) -> list[Record]:
    records: list[Record] = []
    for invitation in session.scalars(
        select(Invitation).where(Invitation.board_id == board.id, Invitation.person_id == person.id)
    ):
        records.append(
            {
                "Record": "Invitation",
                "At": invitation.created_at,
                "Until": invitation.expires_at,
                "Accepted": invitation.accepted_at,
            }
        )
    failures = account_failures(session, person.email) if person.email else None
    if failures is not None:
        records.append(
            {
                "Record": f"Failed sign-ins: {failures.failures}",
                "At": failures.last_failure_at,
                "Until": None,
                "Accepted": None,
            }
        )
    return records


def _events(session: Session, board: Board, person: Person) -> list[Record]:
    memberships = select(Membership.id).where(
        Membership.person_id == person.id, Membership.board_id == board.id
    )
    leads = select(ActionLead.id).where(ActionLead.person_id == person.id)
    events = session.scalars(
        select(AuditEvent)
        .where(
            or_(
                (AuditEvent.entity == "person") & (AuditEvent.entity_id == person.id),
                (AuditEvent.board_id == board.id)
                & (
                    (AuditEvent.actor_id == person.id)
                    | (AuditEvent.entity == "membership") & AuditEvent.entity_id.in_(memberships)
                    | (AuditEvent.entity == "action_lead") & AuditEvent.entity_id.in_(leads)
                ),
            )
        )
        .options(selectinload(AuditEvent.actor))
        .order_by(AuditEvent.at, AuditEvent.id)
    ).all()
    return [
        {"At": entry.event.at, "By": entry.who, "What": entry.sentence}
        for entry in describe_events(session, events)
    ]
