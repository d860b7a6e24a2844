"""Small builders for test data. Each flushes, so the returned objects have ids."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import count

from argon2 import PasswordHasher

from tracker.extensions import db
from tracker.models import (
    Action,
    ActionLead,
    ActionStatus,
    Agency,
    AreaOfFocus,
    Board,
    Direction,
    Frequency,
    Indicator,
    IndicatorReading,
    IndicatorUnit,
    Measure,
    Meeting,
    Membership,
    Person,
    Plan,
    ReportingMonth,
    Role,
    Team,
)

_numbers = count(1)
PASSWORD = "correct horse battery staple"
# Cheap parameters: these hashes only ever protect test accounts.
_hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def board(name: str | None = None) -> Board:
    n = next(_numbers)
    obj = Board(name=name or f"Board {n}", slug=f"board-{n}")
    db.session.add(obj)
    db.session.flush()
    return obj


def person(
    on_board: Board | None = None,
    role: Role = Role.MEMBER,
    *,
    name: str | None = None,
    email: str | None = None,
    password: str | None = PASSWORD,
) -> Person:
    n = next(_numbers)
    obj = Person(
        name=name or f"Person {n}",
        email=email or f"person{n}@example.org",
        password_hash=_hasher.hash(password) if password else None,
    )
    db.session.add(obj)
    if on_board is not None:
        db.session.add(Membership(board=on_board, person=obj, role=role))
    db.session.flush()
    return obj


@dataclass
class BoardPeople:
    """A board with one person in each role (named after it: "Lead officer"), and an
    outsider: the admin of another board."""

    board: Board
    people: dict[Role, Person]
    other_board: Board
    outsider: Person

    @property
    def admin(self) -> Person:
        return self.people[Role.ADMIN]

    @property
    def chair(self) -> Person:
        return self.people[Role.CHAIR]

    @property
    def lead(self) -> Person:
        return self.people[Role.LEAD]

    @property
    def member(self) -> Person:
        return self.people[Role.MEMBER]


def board_with_people(
    name: str | None = None,
    *,
    names: dict[Role, str] | None = None,
    emails: dict[Role, str] | None = None,
    other_board_name: str | None = None,
) -> BoardPeople:
    """``names`` and ``emails`` give some roles' people their own, for tests that show them."""
    names, emails = names or {}, emails or {}
    on_board = board(name)
    people = {
        role: person(on_board, role, name=names.get(role, role.label), email=emails.get(role))
        for role in Role
    }
    other_board = board(other_board_name)
    return BoardPeople(on_board, people, other_board, person(other_board, Role.ADMIN))


def plan(on_board: Board, name: str = "CYPP 2018–2021", start: int = 2018, end: int = 2021) -> Plan:
    obj = Plan(board_id=on_board.id, name=name, start_year=start, end_year=end)
    db.session.add(obj)
    db.session.flush()
    return obj


def area(in_plan: Plan, name: str = "Be Successful", position: int = 1) -> AreaOfFocus:
    obj = AreaOfFocus(plan=in_plan, name=name, position=position)
    db.session.add(obj)
    db.session.flush()
    return obj


def agency(on_board: Board, name: str = "Thames Valley Police") -> Agency:
    obj = Agency(board_id=on_board.id, name=name)
    db.session.add(obj)
    db.session.flush()
    return obj


def team(on_board: Board, name: str = "SEND (OCC)", contacts: list[Person] = ()) -> Team:
    obj = Team(board_id=on_board.id, name=name, contacts=list(contacts))
    db.session.add(obj)
    db.session.flush()
    return obj


def action(
    in_area: AreaOfFocus,
    *,
    text: str | None = None,
    leads: list[Person | Team] = (),
    months: list[date] = (),
    measures: list[str] = (),
    status: ActionStatus = ActionStatus.NOT_STARTED,
    plan_year: int = 2018,
) -> Action:
    obj = Action(
        area=in_area,
        plan_year=plan_year,
        text=text or f"Action {next(_numbers)}",
        status=status,
        measures=[Measure(position=i, text=t) for i, t in enumerate(measures)],
        leads=[
            ActionLead(position=i, person=lead)
            if isinstance(lead, Person)
            else ActionLead(position=i, team=lead)
            for i, lead in enumerate(leads)
        ],
        reporting_months=[ReportingMonth(month=m) for m in months],
    )
    db.session.add(obj)
    db.session.flush()
    return obj


def meeting(on_board: Board, held_on: date, focus: AreaOfFocus | None = None) -> Meeting:
    obj = Meeting(board_id=on_board.id, held_on=held_on, focus_area=focus)
    db.session.add(obj)
    db.session.flush()
    return obj


def indicator(
    on_board: Board,
    owner: Person,
    *,
    number: str = "2.5",
    title: str = "Reduce the persistent absence of children subject to a Child Protection plan",
    area: AreaOfFocus | None = None,
    unit: IndicatorUnit = IndicatorUnit.PERCENT,
    direction: Direction = Direction.LOWER,
    target: float = 11.5,
    tolerance: float = 1,
    frequency: Frequency = Frequency.QUARTERLY,
    readings: dict[date, float] | None = None,
) -> Indicator:
    obj = Indicator(
        board_id=on_board.id,
        number=number,
        title=title,
        area=area,
        unit=unit,
        direction=direction,
        target=target,
        tolerance=tolerance,
        frequency=frequency,
        owner=owner,
        readings=[
            IndicatorReading(period_start=start, value=value, entered_by=owner)
            for start, value in (readings or {}).items()
        ],
    )
    db.session.add(obj)
    db.session.flush()
    return obj
