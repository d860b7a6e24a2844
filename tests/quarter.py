"""The September 2021 board and what every job should send over the quarter around it.

Shared by the jobs tests (run in-process) and the production test (gunicorn and the scheduler
as separate processes), so both hold the same rule book.
"""

from __future__ import annotations

from datetime import date

from tests import factories
from tracker.models import ActionStatus, Role

OFFICERS = ["admin@example.org", "chair@example.org"]
LEADS = ["lead@example.org", "send@example.org"]
FIRST_DAY, LAST_DAY = date(2021, 7, 1), date(2021, 9, 30)


def build(session) -> dict:
    """Three actions for the September 2021 board (meeting 8 Sept: due 24 August)."""
    board = factories.board("Children's Trust Board")
    chair = factories.person(board, Role.CHAIR, email="chair@example.org")
    admin = factories.person(board, Role.ADMIN, email="admin@example.org")
    lead = factories.person(board, Role.LEAD, email="lead@example.org")
    contact = factories.person(board, Role.LEAD, email="send@example.org")
    send = factories.team(board, "SEND (OCC)", contacts=[contact])
    plan = factories.plan(board, "CYPP", 2021, 2022)
    area = factories.area(plan)
    factories.meeting(board, date(2021, 9, 8))
    september = [date(2021, 9, 1)]
    late = factories.action(area, text="Late action", leads=[lead], months=september)
    team_action = factories.action(area, text="Team action", leads=[send], months=september)
    done = factories.action(
        area, text="Done action", leads=[lead], months=september, status=ActionStatus.COMPLETE
    )
    session.commit()
    return dict(
        board=board,
        chair=chair,
        admin=admin,
        lead=lead,
        contact=contact,
        late=late,
        team_action=team_action,
        done=done,
    )


# (day, kind, recipient) of every e-mail the jobs queue from 1 July to 30 September 2021.
EXPECTED = (
    # The 8 September meeting: forward plan 21 days before (18 August), digest 7 days
    # before (1 September).
    [(date(2021, 8, 18), "forward_plan", r) for r in OFFICERS]
    + [(date(2021, 8, 10), "reminder", r) for r in LEADS]
    + [(date(2021, 8, 19), "reminder", r) for r in LEADS]
    # Due 24 August: chased from the Tuesday after the bank holiday, then every Monday,
    # escalated from the third chaser (13 September) on.
    + [
        (d, "chaser", r)
        for d in (
            date(2021, 8, 31),
            date(2021, 9, 6),
            date(2021, 9, 13),
            date(2021, 9, 20),
            date(2021, 9, 27),
        )
        for r in LEADS
    ]
    + [(date(2021, 9, 1), "digest", r) for r in sorted([*OFFICERS, *LEADS])]
    + [
        (d, "escalation", r)
        for d in (date(2021, 9, 13), date(2021, 9, 20), date(2021, 9, 27))
        for r in OFFICERS
    ]
)
