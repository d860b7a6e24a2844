"""The demo board, its people, and its plans read through the plan import."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker import clock
from tracker.actions.updates import post_update
from tracker.audit import acting_as
from tracker.auth.passwords import hash_password
from tracker.demo import data
from tracker.imports.plan_import import plan_named, write
from tracker.imports.plan_reader import read_plan
from tracker.imports.sources import read_tables
from tracker.models import (
    Action,
    ActionStatus,
    AreaOfFocus,
    AreaPriority,
    Board,
    Membership,
    Outcome,
    Person,
    Plan,
    Rag,
    Role,
    Team,
)
from tracker.rules.due import plan_year, plan_year_label

BOARD_NAME = data.read("board")["name"]
BOARD_SLUG = data.read("board")["slug"]
# The demo accounts' password, printed by make run; `demo load` refuses a production instance.
DEMO_PASSWORD = "trust-tracker-demo"  # noqa: S105  # nosec B105


class DemoDataError(ValueError):
    """The demo's own files do not read as the import reads a board's: a mistake in them."""


def _one(session: Session, model, **keys):
    return session.scalars(select(model).filter_by(**keys)).one_or_none()


def person(session: Session, email: str) -> Person:
    return session.scalars(select(Person).where(Person.email == email)).one()


def board(session: Session, held: dict) -> Board:
    """The board with its people (one password for all) and teams."""
    found = _one(session, Board, slug=held["slug"])
    if found is None:
        found = Board(slug=held["slug"], name=held["name"])
        session.add(found)
        session.flush()
    for name, value in held["report_settings"].items():
        if getattr(found, name) is None:
            setattr(found, name, value)
    password = None
    for entry in held["people"]:
        member = _one(session, Person, email=entry["email"])
        if member is None:
            password = password or hash_password(DEMO_PASSWORD)
            member = Person(email=entry["email"], name=entry["name"], password_hash=password)
            session.add(member)
            session.flush()
        if _one(session, Membership, board_id=found.id, person_id=member.id) is None:
            session.add(Membership(board_id=found.id, person=member, role=Role(entry["role"])))
    for name, emails in held["teams"].items():
        if _one(session, Team, board_id=found.id, name=name) is None:
            contacts = [person(session, e) for e in emails]
            session.add(Team(board_id=found.id, name=name, contacts=contacts))
    session.flush()
    return found


def _rows(held: dict, today: date) -> list[dict]:
    """The plan's actions as the tracker's JSON export writes them, dated around today."""
    rows = []
    for action in held["actions"]:
        months = [data.month(m, today) for m in action["reporting_months"]]
        year = plan_year_label(plan_year(months[0])) if months else ""
        rows.append(
            {
                **action,
                "measures": [m.replace("{year}", year) for m in action["measures"]],
                "reporting_months": [f"{m:%Y-%m}" for m in months],
            }
        )
    return rows


def plan(session: Session, board: Board, held: dict, today: date) -> Plan:
    """The plan, imported as a board's own file is, then its outcomes and priorities (which
    a plan file does not hold) and its progress updates."""
    name = f"{held['plan']}.json"
    draft = read_plan(read_tables(name, json.dumps({"actions": _rows(held, today)}).encode()))
    if draft.problems:
        raise DemoDataError("; ".join(str(p) for p in draft.problems))
    found = plan_named(session, board, held["plan"], (held["start_year"], held["end_year"]))
    write(session, board, found, draft, author=None, now=clock.now())
    areas = {a.name: a for a in found.areas}
    number = 0
    for area_name, outcomes in held["outcomes"].items():
        for text in outcomes:
            number += 1
            _outcome(session, areas[area_name], number, text)
    for area_name, years in held["priorities"].items():
        area = areas[area_name]
        for year, text in years.items():
            if all(p.plan_year != int(year) for p in area.priorities):
                area.priorities.append(AreaPriority(plan_year=int(year), text=text))
    session.flush()
    for update in held["updates"]:
        _update(session, found, update, today)
    return found


def _outcome(session: Session, area: AreaOfFocus, number: int, text: str) -> None:
    if _one(session, Outcome, area_id=area.id, number=number) is None:
        session.add(Outcome(area=area, number=number, text=text))


def _update(session: Session, plan: Plan, update: dict, today: date) -> None:
    action = session.scalars(
        select(Action)
        .join(Action.area)
        .where(AreaOfFocus.plan_id == plan.id, Action.text == update["action"])
    ).one()
    if any(u.text == update["text"] for u in action.updates):
        return
    author = person(session, update["by"])
    with acting_as(session, author.id):
        post_update(
            session,
            action=action,
            author=author,
            status=ActionStatus(update["status"]),
            rag=Rag(update["rag"]) if update["rag"] else None,
            text=update["text"],
            seen_version=action.version,
            posted_at=data.at(data.day(update["posted"], today)),
        )
