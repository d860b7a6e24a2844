"""Every route, as every role, with hostile ids, query strings and posted values: no 500.

Not a full cross product (that takes minutes): each route is asked once a role with its real
ids (GET and POST), then with every hostile id and every hostile query string and post, the
roles taking turns. Hostile values include what PostgreSQL refuses (NUL), what overflows its
integers (2^63) and date fields of one, two or four parts.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from werkzeug.routing import Rule
from wtforms.fields import DateField
from wtforms.fields.core import UnboundField

from tests import factories
from tracker.extensions import db
from tracker.forms import Form
from tracker.models import ActionStatus, Board, Person, Plan, Role

ROLES = ["anonymous", "member", "lead", "chair", "admin", "other board's admin"]
HOSTILE_IDS = ["0", str(2**31), str(2**63), str(2**64), "9" * 40]
HOSTILE_TEXT = ["x", "%00", "a%00b", "a" * 300, "..%2F..%2Fetc"]
HOSTILE_QUERIES = [
    "plan_id=1",
    "_method=POST",
    "endpoint=x",
    "_external=1&_scheme=javascript",
    "board_slug=board-elsewhere",
    "page=2&page=x",
    f"page={'9' * 30}",
    "page=-1",
    "day=1",
    "day=&day=&day=",
    "day=1&day=2&day=2026&day=4",
    "day=31&day=2&day=2026",
    "day=31&day=12&day=9999",
    "day=1&day=1&day=1",
    "day=%00&day=%00&day=%00",
    "year=%00&area=9999999999999999999999&lead=x&month=13&status=%00",
    f"year={2**63}&area={2**63}&lead={2**63}",
    "next=//evil.example/&next=%00",
    "q=%00",
]


def _form_fields() -> tuple[set[str], set[str]]:
    """The names of every field of every form in the app: (all of them, the date fields)."""
    names, dates = set(), set()
    forms, seen = [Form], set()
    while forms:
        form = forms.pop()
        forms.extend(c for c in form.__subclasses__() if c not in seen)
        seen.add(form)
        for klass in form.__mro__:
            for name, value in vars(klass).items():
                if isinstance(value, UnboundField):
                    names.add(name)
                    if issubclass(value.field_class, DateField):
                        dates.add(name)
    return names, dates


def _posts() -> Iterator[list[tuple[str, str]]]:
    """Bodies to post: nothing; every field NUL-laden with one date part; every field a
    number too big for any column with four date parts; every field empty with an
    impossible date. Read once the app has imported its forms."""
    FIELDS, DATE_FIELDS = _form_fields()  # noqa: N806
    assert "held_on" in DATE_FIELDS
    yield []
    yield [(n, "x\x00y") for n in FIELDS - DATE_FIELDS] + [(n, "1") for n in DATE_FIELDS]
    yield [(n, str(2**63)) for n in FIELDS - DATE_FIELDS] + [
        (n, part) for n in DATE_FIELDS for part in ("1", "2", "2026", "4")
    ]
    yield [(n, "") for n in FIELDS - DATE_FIELDS] + [
        (n, part) for n in DATE_FIELDS for part in ("31", "2", "99999999999999999999")
    ]


@pytest.fixture
def world(app: Flask, session, board_people) -> dict:
    mine, theirs = board_people.board, board_people.other_board
    people = {role.value: board_people.people[role] for role in Role}
    people["other board's admin"] = board_people.outsider
    for board in (mine, theirs):
        plan = factories.plan(board)
        area = factories.area(plan)
        # More than a page of them (overdue, off track), so that lists have pagination links.
        for _ in range(26):
            factories.action(
                area,
                leads=[people["lead"]],
                months=[date(2018, 9, 1)],
                status=ActionStatus.OFF_TRACK,
            )
        factories.agency(board)
        factories.team(board, contacts=[people["lead"]])
        factories.meeting(board, date(2018, 10, 1), focus=area)
        factories.indicator(board, people["admin"], area=area, readings={date(2018, 4, 1): 12})
    session.commit()
    return {"board": mine, "people": {k: p.id for k, p in people.items()}}


def _login(client, world: dict, role: str) -> None:
    with client.session_transaction() as cookie:
        cookie.clear()
        if role != "anonymous":
            # Read afresh: a posted sign-out or password change gives a new session token.
            person = db.session.get(Person, world["people"][role])
            db.session.refresh(person)
            cookie["_user_id"], cookie["_fresh"] = person.get_id(), True


def _path(rule: Rule, board: Board, hostile: str | None = None) -> str:
    values = {}
    for name, converter in rule._converters.items():
        kind = type(converter).__name__
        if name == "board_slug":
            values[name] = board.slug
        elif kind == "IntegerConverter":
            values[name] = hostile if hostile is not None else "1"
        elif kind == "AnyConverter":
            values[name] = next(iter(converter.items)) if hasattr(converter, "items") else "up"
        else:
            values[name] = quote(hostile, safe="%") if hostile is not None else "x"
    path = rule.rule
    for name, value in values.items():
        path = _replace_argument(path, name, value)
    return path


def _replace_argument(path: str, name: str, value: str) -> str:
    start = path.index("<")
    while not path[start:].split(">", 1)[0].endswith(name):
        start = path.index("<", start + 1)
    end = path.index(">", start)
    return path[:start] + str(value) + path[end + 1 :]


def _rules(app: Flask) -> list[Rule]:
    return sorted(
        (r for r in app.url_map.iter_rules() if r.endpoint != "static"), key=lambda r: r.rule
    )


def _ask(client, method: str, url: str, body: list[tuple[str, str]] | None = None) -> None:
    if method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, data=MultiDict(body or []))
    assert response.status_code < 500, (
        f"{method} {url} {body and body[:3]}: " + (response.get_data(as_text=True)[:1500])
    )


def test_no_route_answers_500(app: Flask, client, world):
    board = db.session.get(Board, world["board"].id)
    roles, posts = itertools.cycle(ROLES), itertools.cycle(list(_posts()))
    for rule in _rules(app):
        methods = [m for m in ("GET", "POST") if m in rule.methods]
        for role in ROLES:
            _login(client, world, role)
            for method in methods:
                _ask(client, method, _path(rule, board), next(posts))
        has_ids = any(type(c).__name__ == "IntegerConverter" for c in rule._converters.values())
        text_args = [n for n in rule._converters if n != "board_slug"] and not has_ids
        for hostile in HOSTILE_IDS if has_ids else HOSTILE_TEXT if text_args else []:
            _login(client, world, next(roles))
            _ask(client, methods[0], _path(rule, board, hostile), next(posts))
        if "GET" in methods:
            for query in HOSTILE_QUERIES:
                _login(client, world, next(roles))
                _ask(client, "GET", f"{_path(rule, board)}?{query}")
        if "POST" in methods:
            for body in _posts():
                _login(client, world, next(roles))
                _ask(client, "POST", _path(rule, board), body)


def test_a_board_that_is_not_there_is_not_found(app: Flask, client, world):
    _login(client, world, "admin")
    for rule in _rules(app):
        if "board_slug" in rule._converters:
            fake = Board(slug="no-such-board%00")
            _ask(client, "GET" if "GET" in rule.methods else "POST", _path(rule, fake))


def test_pagination_links_keep_the_query_as_asked_and_only_change_the_page(client, world):
    board = db.session.get(Board, world["board"].id)
    plan = db.session.scalars(select(Plan).where(Plan.board_id == board.id)).one()
    _login(client, world, "member")
    asked = "_external=1&_scheme=javascript&board_slug=elsewhere&_method=POST&endpoint=x&plan_id=1"
    path = f"/boards/{board.slug}/plans/{plan.id}"
    response = client.get(f"{path}?{asked}&page=1&page=3")
    assert response.status_code == 200
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert page.select_one(".govuk-pagination__next a")["href"] == f"{path}?{asked}&page=2"


@pytest.mark.parametrize(
    ("role", "method", "where", "body"),
    [
        ("admin", "POST", "/boards/{slug}/admin/meetings/new", []),
        ("admin", "POST", "/boards/{slug}/admin/meetings/new", [("held_on", "1")]),
        ("lead", "POST", "/account/emails", [("away_until", "1"), ("away_until", "2")]),
        ("admin", "GET", "/boards/{slug}/admin/reminders?day=1", None),
        ("admin", "GET", "/boards/{slug}/admin/reminders?day=&day=&day=", None),
    ],
)
def test_a_date_of_other_than_three_parts_is_a_form_error(client, world, role, method, where, body):
    board = db.session.get(Board, world["board"].id)
    _login(client, world, role)
    url = where.format(slug=board.slug)
    response = client.get(url) if method == "GET" else client.post(url, data=MultiDict(body))
    assert response.status_code == 200
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert page.select_one(".govuk-error-summary"), url
