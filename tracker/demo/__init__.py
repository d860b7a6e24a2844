"""Demo data built from Oxfordshire's Children and Young People's Plan 2018–2021.

The data are the JSON files beside this module (each says what it holds under "about"); this
package only reads them into the app, through the app's own ways in: each plan through the
plan import, updates through ``post_update``, readings through ``add_reading``, forward
plans compiled as the job compiles them, meetings recorded and reports marked final as the
secretariat would. The first plan is Annex 2 of the published plan, with the board's
meetings of 2018–2021; the second, "CYPP 2025–2028", has its reporting months, updates and
meetings around today, so that a person trying the app sees a year of the board's life, the
next meeting's draft forward plan, and actions due, overdue, on track and red. Its public
pages are on, with a handful of things made public through the app's own approvals.

Loading twice adds nothing: everything is found by its natural key before it is added.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker import clock
from tracker.audit import acting_as
from tracker.demo import indicators, meetings, plans, publishing
from tracker.demo.data import read
from tracker.demo.plans import BOARD_NAME, BOARD_SLUG, DEMO_PASSWORD
from tracker.extensions import Base
from tracker.models import Role

__all__ = ["BOARD_NAME", "BOARD_SLUG", "DEMO_PASSWORD", "load"]


def _counts(session: Session) -> dict[str, int]:
    return {
        table.name: session.scalar(select(func.count()).select_from(table))
        for table in Base.metadata.sorted_tables
    }


def load(
    session: Session,
    today: date | None = None,
) -> str:
    """Load the demo board and return a summary, with the demo log-ins. The forward plans
    are compiled as the job compiled them on their days."""
    today = today or clock.today()
    before = _counts(session)
    with acting_as(session, None, reason="demo data"):
        board = plans.board(session, read("board"))
        historic = plans.plan(session, board, read("cypp-2018-2021"), today)
        current = plans.plan(session, board, read("cypp-2025-2028"), today)
        schedule = read("meetings")
        meetings.hold(session, board, [historic, current], schedule, today)
        indicators.load(session, board, current, read("indicators"), today)
        meetings.report(session, board, schedule, today)
        session.flush()
        publishing.publish(session, board, read("publishing"), today)
    after = _counts(session)
    created = ", ".join(f"{after[t] - n} {t}" for t, n in before.items() if after[t] > n)
    people = read("board")["people"]
    shown = [p for p in people if p["role"] != Role.MEMBER][:3] + [
        p for p in people if p["role"] == Role.MEMBER
    ][:1]
    lines = [
        f"Demo board: {BOARD_NAME}",
        f"Created: {created or 'nothing new (already loaded)'}",
        f"Public pages: /public/{BOARD_SLUG}/ (no sign-in)",
        "",
        f"Demo log-ins (password for all: {DEMO_PASSWORD}):",
        *(f"  {Role(p['role']).label:<22} {p['email']}" for p in shown),
    ]
    return "\n".join(lines)
