"""A board with its public pages on and one of everything made public, beside one of
everything not made public: for the tests of the public pages, open data and read API."""

from __future__ import annotations

from datetime import date

from tests import factories
from tracker import clock
from tracker.actions.updates import post_update
from tracker.api.tokens import make_token
from tracker.audit import acting_as
from tracker.meetings.forward_plan import add_item
from tracker.models import ActionStatus, Rag, Role
from tracker.models.publishing import PaperKind
from tracker.publishing import approvals
from tracker.reports import hwb

APPROVED = "Pathway launched in all secondary schools"
UNAPPROVED = "Draft: the head of service is unhappy with two schools"
SUMMARY = "Pathway launched; take-up is being checked"


def update(session, action, author, text, status=ActionStatus.ON_TRACK, rag=Rag.GREEN):
    return post_update(
        session,
        action=action,
        author=author,
        status=status,
        rag=rag,
        text=text,
        seen_version=action.version,
    )


def published_board(session, name: str | None = None) -> dict:
    now = clock.now()
    board = factories.board(name)
    people = {
        role: factories.person(board, role, name=f"Secret {role.value} name") for role in Role
    }
    admin = people[Role.ADMIN]
    plan = factories.plan(board, "CYPP 2025–2028", 2025, 2028)
    area = factories.area(plan, "Be Safe")
    team = factories.team(board, "SEND (OCC)")
    action = factories.action(
        area, text="Embed the domestic abuse pathway", leads=[team, people[Role.LEAD]]
    )
    approved = update(session, action, people[Role.LEAD], APPROVED)
    summarised = update(session, action, people[Role.LEAD], "Long internal text to summarise")
    hidden = update(session, action, people[Role.LEAD], UNAPPROVED, ActionStatus.OFF_TRACK, Rag.RED)
    indicator = factories.indicator(
        board,
        people[Role.LEAD],
        area=area,
        readings={date(2025, 4, 1): 12.5, date(2025, 7, 1): 97.25},
    )
    hidden_indicator = factories.indicator(board, people[Role.LEAD], number="9.9", title="Hidden")
    meeting = factories.meeting(board, date(2025, 9, 8), focus=area)
    add_item(meeting, "Update on the Youth Strategy")
    meeting.forward_plan_published_at = meeting.recorded_at = now
    with acting_as(session, admin.id):
        hwb.mark_final(session, meeting, admin, now)
        pages = approvals.public_pages(session, board)
        pages.enabled = pages.plan = pages.indicators = pages.meetings = pages.reports = True
        approvals.approve_update(session, approved, admin, now, None)
        approvals.approve_update(session, summarised, admin, now, SUMMARY)
        approvals.publish_indicator(session, indicator, admin, now)
        approvals.approve_reading(session, indicator.readings[0], admin, now)
        for kind in PaperKind:
            approvals.publish_paper(session, meeting, kind, admin, now)
    token, secret = make_token(session, board, "Public Health Power BI", 30, admin, now)
    session.commit()
    return dict(
        board=board,
        people=people,
        plan=plan,
        area=area,
        action=action,
        approved=approved,
        summarised=summarised,
        hidden=hidden,
        indicator=indicator,
        hidden_indicator=hidden_indicator,
        meeting=meeting,
        token=token,
        secret=secret,
    )
