"""Any plan the tracker holds, exported in every format, imports back as the same plan: the
reader finds every area, action, agency, measure, lead, month, status, RAG and latest update,
and the import, compared with the plan itself, changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import count

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.extensions import db
from tracker.imports.comparison import compare
from tracker.imports.holdings import key
from tracker.imports.plan_reader import read_plan
from tracker.imports.sources import read_tables
from tracker.models import (
    Action,
    ActionLead,
    ActionStatus,
    Agency,
    AreaOfFocus,
    AreaPriority,
    Board,
    Measure,
    Membership,
    Person,
    Plan,
    ProgressUpdate,
    Rag,
    ReportingMonth,
    Role,
    Team,
)
from tracker.plans.export import WRITERS, export_plan

START, END = 2021, 2024
_boards = count(1)
# Words as names are written in many languages; the few that mean something to the reader
# ("and" between people, "led by", "none") are left out, as a list could not say them.
_RESERVED = {"and", "led", "chaired", "none", "nil", "tbc", "tba", "tbd", "year", "focus"}
lower_word = st.text(st.characters(categories=["Ll"]), min_size=2, max_size=8).filter(
    lambda w: w.casefold() not in _RESERVED and w == w.strip()
)
capital = st.sampled_from("ABCDEFGHIJKLMNOPRSTUVWY")
name_word = st.builds(lambda c, w: c + w, capital, lower_word)


def _words(word, low: int, high: int):
    return st.lists(word, min_size=low, max_size=high).map(" ".join)


# A sentence: words, commas between some of them, perhaps a full stop at the end.
sentence = st.builds(
    lambda first, rest, commas, stop: (
        " ".join(
            [first, *(w + ("," if c else "") for w, c in zip(rest, commas, strict=False))]
        ).rstrip(",")
        + stop
    ),
    name_word,
    st.lists(lower_word, min_size=1, max_size=12),
    st.lists(st.booleans(), max_size=12),
    st.sampled_from(["", "."]),
)
agency = st.one_of(
    _words(name_word, 1, 4),
    st.builds(lambda n: f"{n} (OCC)", _words(name_word, 1, 3)),
)
person = _words(name_word, 2, 3)
team = st.builds(
    lambda n, s: f"{n} {s}", _words(name_word, 1, 2), st.sampled_from(["(OCC)", "Team", "Service"])
)
month = st.builds(lambda n: date(START + (n + 3) // 12, (n + 3) % 12 + 1, 1), st.integers(0, 35))
progress = (
    st.text(
        st.characters(categories=["L", "N", "P", "Zs"], exclude_characters="=+-@\t\r"),
        min_size=1,
        max_size=60,
    )
    .map(str.strip)
    .filter(bool)
)


def _unique(strategy, low: int, high: int):
    return st.lists(strategy, min_size=low, max_size=high, unique_by=key)


@dataclass
class PlannedAction:
    text: str
    agencies: list[str]
    measures: list[str]
    leads: list[tuple[str, bool]]  # (name, is a team)
    months: list[date]
    plan_year: int
    status: ActionStatus
    rag: Rag | None
    progress: str | None


@dataclass
class PlannedArea:
    name: str
    focus: str | None
    actions: list[PlannedAction]


@st.composite
def plans(draw) -> list[PlannedArea]:
    people = draw(_unique(person, 1, 4))
    teams = [t for t in draw(_unique(team, 0, 3)) if key(t) not in {key(p) for p in people}]
    leads = [(p, False) for p in people] + [(t, True) for t in teams]
    areas = []
    for name in draw(_unique(_words(name_word, 1, 2).map(lambda n: f"Be {n}"), 1, 3)):
        actions = [
            PlannedAction(
                text=text,
                agencies=draw(_unique(agency, 1, 4)),
                measures=draw(_unique(sentence, 1, 3)),
                leads=draw(st.lists(st.sampled_from(leads), min_size=1, max_size=3, unique=True)),
                months=sorted(draw(st.sets(month, min_size=1, max_size=3))),
                plan_year=draw(st.integers(START, END - 1)),
                status=draw(st.sampled_from(ActionStatus)),
                rag=draw(st.none() | st.sampled_from(Rag)),
                progress=draw(st.none() | progress),
            )
            for text in draw(_unique(sentence, 1, 3))
        ]
        focus = draw(st.none() | _words(lower_word, 2, 6))
        areas.append(PlannedArea(name, focus, actions))
    return areas


def _store(session, areas: list[PlannedArea]) -> tuple[Board, Plan]:
    """The plan in the database, written as the tracker's own pages would: not by the import."""
    n = next(_boards)
    board = Board(name=f"Round trip {n}", slug=f"round-trip-{n}")
    author = Person(name="Sam Patel", email=f"sam{n}@example.org")
    session.add_all([board, author, Membership(board=board, person=author, role=Role.ADMIN)])
    plan = Plan(board=board, name="CYPP 2021–2024", start_year=START, end_year=END)
    session.add(plan)
    session.flush()
    agencies, people, teams = {}, {}, {}
    for position, planned in enumerate(areas, start=1):
        area = AreaOfFocus(plan=plan, name=planned.name, position=position)
        if planned.focus:
            area.priorities.append(AreaPriority(plan_year=START, text=planned.focus))
        for index, todo in enumerate(planned.actions):
            action = Action(
                area=area,
                position=index,
                text=todo.text,
                plan_year=todo.plan_year,
                status=todo.status,
                rag=todo.rag,
                agencies=[
                    agencies.setdefault(key(a), Agency(board_id=board.id, name=a))
                    for a in todo.agencies
                ],
                measures=[Measure(position=i, text=m) for i, m in enumerate(todo.measures)],
                leads=[
                    ActionLead(
                        position=i, team=teams.setdefault(name, Team(board_id=board.id, name=name))
                    )
                    if is_team
                    else ActionLead(position=i, person=_person(session, board, people, name))
                    for i, (name, is_team) in enumerate(todo.leads)
                ],
                reporting_months=[ReportingMonth(month=m) for m in todo.months],
            )
            if todo.progress:
                action.updates.append(
                    ProgressUpdate(
                        author=author, text=todo.progress, status=todo.status, rag=todo.rag
                    )
                )
            session.add(action)
    session.flush()
    return board, plan


def _person(session, board, people: dict, name: str) -> Person:
    if name not in people:
        people[name] = Person(name=name, email=None)
        session.add(Membership(board=board, person=people[name], role=Role.LEAD))
    return people[name]


def _as_planned(areas: list[PlannedArea]) -> list[tuple]:
    return [
        (
            area.name,
            a.text,
            sorted(a.agencies, key=key),
            a.measures,
            [name for name, _team in a.leads],
            a.months,
            a.plan_year,
            a.status,
            a.rag,
            a.progress,
        )
        for area in areas
        for a in area.actions
    ]


def _as_read(draft) -> list[tuple]:
    return [
        (
            a.area,
            a.text,
            sorted(a.agencies, key=key),
            a.measures,
            a.lead_names,
            a.months,
            a.plan_year,
            a.status,
            a.rag,
            a.progress,
        )
        for a in draft.actions
    ]


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(areas=plans())
def test_every_export_imports_back_unchanged(app, session, areas):
    try:
        board, plan = _store(session, areas)
        for file_format in WRITERS:
            _check_round_trip(session, board, plan, areas, file_format)
    finally:
        db.session.rollback()  # each example starts from the empty tables


def _check_round_trip(session, board, plan, areas, file_format) -> None:
    data = export_plan(session, plan, file_format)
    draft = read_plan(read_tables(f"plan.{file_format}", data))
    assert [str(p) for p in draft.problems] == [], file_format
    assert draft.areas == {a.name: a.focus for a in areas}, file_format
    assert _as_read(draft) == _as_planned(areas), file_format
    comparison = compare(session, board, plan, draft, (START, END))
    assert (comparison.new_actions, comparison.changed_actions) == ([], []), file_format
    assert comparison.new_updates == 0, file_format
    assert comparison.new_agencies == comparison.new_people == comparison.new_teams == []
    assert comparison.new_areas == comparison.new_priorities == [], file_format
