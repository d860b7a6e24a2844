"""Generate a large, realistic data set: boards, people, plans, actions, updates, meetings.

    python bench/generate.py --boards 10 --actions 10000 [--database-url URL]

By default: 10 boards, 10,000 actions, 2,000 people, 50,000 progress updates (5 an action),
40 quarterly meetings a board (20 past, 20 to come, the next one two weeks ahead), and an
indicator for every 20 actions (monthly, quarterly and termly; 500 on 10,000 actions) with
their last 40 readings each (20,000).

Rows are inserted with SQLAlchemy Core in bulk for speed, so this bypasses the audit trail
(benchmark data is not a change anybody made).
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from time import perf_counter

from sqlalchemy import insert
from sqlalchemy.orm import Session

from tracker.models import (
    Action,
    ActionLead,
    ActionStatus,
    AreaOfFocus,
    Board,
    Direction,
    Frequency,
    Indicator,
    IndicatorReading,
    IndicatorUnit,
    Meeting,
    Membership,
    Person,
    Plan,
    ProgressUpdate,
    Rag,
    ReportingMonth,
    Role,
    Team,
    team_contact,
)
from tracker.rules.due import add_months, is_working_day
from tracker.rules.periods import periods

AREAS = ["Be Successful", "Be Happy and Healthy", "Be Safe", "Be Supported"]
# Nobody signs in to benchmark data: a hash that matches no password.
PASSWORD_HASH = "$argon2id$v=19$m=8,t=1,p=1$YmVuY2htYXJr$not-a-real-hash"  # noqa: S105


def bench_day(today: date) -> date:
    """The Monday, a working day, on or after ``today``: every daily job has work on it
    (reminders, chasers, and the forward plan of the meeting two weeks ahead)."""
    day = today + timedelta(days=-today.weekday() % 7)
    while not is_working_day(day):
        day += timedelta(weeks=1)
    return day


def generate(session: Session, *, boards: int, actions: int, today: date, seed: int = 1) -> dict:
    """Fill an empty database; returns ids a benchmark needs (a lead, a chair, a board...)."""
    rng = random.Random(seed)  # noqa: S311 (repeatable test data, not security)
    now = datetime.combine(today, time(7), tzinfo=UTC)  # the data's present
    people_per_board = max(4, 2_000 // boards)
    per_board = actions // boards
    first_month = add_months(today.replace(day=1), -6)
    ids: dict = {"boards": []}
    person_id = action_id = 0
    for b in range(boards):
        board_id = b + 1
        session.execute(
            insert(Board),
            [
                {
                    "id": board_id,
                    "name": f"Board {board_id}",
                    "slug": f"board-{board_id}",
                    "created_at": now,
                    "updated_at": now,
                }
            ],
        )
        people = list(range(person_id + 1, person_id + people_per_board + 1))
        person_id = people[-1]
        session.execute(
            insert(Person),
            [
                {
                    "id": pid,
                    "email": f"person{pid}@example.org",
                    "name": f"Person {pid}",
                    "password_hash": PASSWORD_HASH,
                    "session_token": f"bench-token-{pid}",
                    "created_at": now,
                    "updated_at": now,
                }
                for pid in people
            ],
        )
        roles = [Role.ADMIN, Role.CHAIR] + [Role.LEAD] * (len(people) - 3) + [Role.MEMBER]
        session.execute(
            insert(Membership),
            [
                {
                    "board_id": board_id,
                    "person_id": pid,
                    "role": role,
                    "created_at": now,
                    "updated_at": now,
                }
                for pid, role in zip(people, roles, strict=True)
            ],
        )
        session.execute(
            insert(Team),
            [
                {
                    "id": board_id,
                    "board_id": board_id,
                    "name": "SEND (OCC)",
                    "created_at": now,
                    "updated_at": now,
                }
            ],
        )
        session.execute(insert(team_contact), [{"team_id": board_id, "person_id": people[2]}])
        session.execute(
            insert(Plan),
            [
                {
                    "id": board_id,
                    "board_id": board_id,
                    "name": "CYPP",
                    "start_year": today.year - 1,
                    "end_year": today.year + 2,
                    "created_at": now,
                    "updated_at": now,
                }
            ],
        )
        area_ids = []
        for position, name in enumerate(AREAS):
            area_id = board_id * 10 + position
            area_ids.append(area_id)
            session.execute(
                insert(AreaOfFocus),
                [
                    {
                        "id": area_id,
                        "plan_id": board_id,
                        "name": name,
                        "position": position,
                        "created_at": now,
                        "updated_at": now,
                    }
                ],
            )
        session.execute(
            insert(Meeting),
            [
                {
                    "board_id": board_id,
                    "held_on": today + timedelta(weeks=2 + 13 * (q - 20)),
                    "created_at": now,
                    "updated_at": now,
                }
                for q in range(40)
            ],
        )
        rows, leads, months, updates = [], [], [], []
        for i in range(per_board):
            action_id += 1
            rows.append(
                {
                    "id": action_id,
                    "area_id": rng.choice(area_ids),
                    "plan_year": today.year - 1,
                    "position": i,
                    "text": f"Action {action_id}: improve outcomes for children",
                    "status": rng.choice(list(ActionStatus)),
                    "rag": rng.choice([None, *Rag]),
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            lead = rng.choice(people[2:-1])
            leads.append({"action_id": action_id, "position": 0, "person_id": lead})
            if i % 5 == 0:
                leads.append({"action_id": action_id, "position": 1, "team_id": board_id})
            months.append(
                {"action_id": action_id, "month": add_months(first_month, rng.randrange(9))}
            )
            for _ in range(5):  # 50,000 updates for 10,000 actions
                updates.append(
                    {
                        "action_id": action_id,
                        "author_id": lead,
                        "created_at": now - timedelta(days=rng.randrange(400)),
                        "text": "Progress as planned.",
                        "status": ActionStatus.ON_TRACK,
                    }
                )
        session.execute(insert(Action), rows)
        session.execute(insert(ActionLead), leads)
        session.execute(insert(ReportingMonth), months)
        if updates:
            session.execute(insert(ProgressUpdate), updates)
        ids["boards"].append(
            {
                "id": board_id,
                "slug": f"board-{board_id}",
                "admin": people[0],
                "chair": people[1],
                "lead": people[3],  # a lead of about 5 actions (people[2] is a team contact)
                "action": action_id,
                "areas": area_ids,
                "actions": per_board,
                "leads": people[2:-1],
            }
        )
    generate_indicators(session, ids, rng, today)
    session.commit()
    return ids


def generate_indicators(session: Session, ids: dict, rng: random.Random, today: date) -> None:
    """The performance framework: an indicator for every 20 actions (500 indicators on
    10,000 actions), each with its last 40 readings, owned by the board's leads."""
    now = datetime.combine(today, time(7), tzinfo=UTC)
    frequencies = [Frequency.MONTHLY] * 6 + [Frequency.QUARTERLY] * 3 + [Frequency.TERMLY]
    indicator_id = 0
    indicators, readings = [], []
    for board in ids["boards"]:
        for n in range(max(1, board["actions"] // 20)):
            indicator_id += 1
            frequency = frequencies[n % len(frequencies)]
            indicators.append(
                {
                    "id": indicator_id,
                    "board_id": board["id"],
                    "number": f"{n // 10 + 1}.{n % 10 + 1}",
                    "title": f"Indicator {indicator_id}: children doing well",
                    "area_id": rng.choice(board["areas"]),
                    "unit": rng.choice(list(IndicatorUnit)),
                    "direction": rng.choice(list(Direction)),
                    "target": float(rng.randrange(20, 80)),
                    "tolerance": 5.0,
                    "frequency": frequency,
                    "owner_id": rng.choice(board["leads"]),
                    "created_at": now,
                    "updated_at": now,
                }
            )
            # The last 40 periods that have ended.
            starts = list(periods(date(today.year - 15, 1, 1), today, frequency))[-41:-1]
            readings += [
                {
                    "indicator_id": indicator_id,
                    "period_start": start,
                    "value": float(rng.randrange(0, 100)),
                    "created_at": now,
                    "updated_at": now,
                }
                for start in starts
            ]
    session.execute(insert(Indicator), indicators)
    session.execute(insert(IndicatorReading), readings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--boards", type=int, default=10)
    parser.add_argument("--actions", type=int, default=10_000)
    parser.add_argument("--database-url", help="default: DATABASE_URL or instance/ SQLite")
    parser.add_argument(
        "--today", type=date.fromisoformat, help="the data's today (default: the bench day)"
    )
    args = parser.parse_args()
    from tracker import create_app
    from tracker.extensions import db

    overrides = {"SQLALCHEMY_DATABASE_URI": args.database_url} if args.database_url else {}
    app = create_app("development", overrides)
    with app.app_context():
        db.create_all()
        started = perf_counter()
        today = args.today or bench_day(date.today())
        generate(db.session, boards=args.boards, actions=args.actions, today=today)
        print(
            f"generated {args.actions} actions on {args.boards} boards in "
            f"{perf_counter() - started:.1f}s"
        )


if __name__ == "__main__":
    # Run as a script (python bench/generate.py): the project root is where the packages are.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
