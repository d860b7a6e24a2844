"""The small things a first week of use finds (issue 13, item 9): counts, number order,
examples in hints, percentage points, a preview that failed, past meetings, separators,
names of only spaces, and addresses in updates."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from markupsafe import Markup
from sqlalchemy import func, select

from tests import factories
from tests.helpers import field_error, text
from tracker import clock
from tracker.auth.invitations import invite
from tracker.formatting import linkify
from tracker.indicators.framework import number_order
from tracker.models import (
    Action,
    Agency,
    AreaOfFocus,
    Direction,
    Frequency,
    IndicatorUnit,
    OutboxMessage,
    Person,
    Plan,
    ProgressUpdate,
    Rag,
    Role,
    Team,
)

ROOT = Path(__file__).resolve().parents[1]
# Monday 12 May 2031: far from any year written into the code.
MOMENT = datetime(2031, 5, 12, 9, tzinfo=UTC)


@pytest.fixture
def world(session, clock):
    clock.set(MOMENT)
    board = factories.board("Children's Trust Board")
    admin = factories.person(board, Role.ADMIN, name="Sam Patel")
    lead = factories.person(board, Role.LEAD, name="David Clarke")
    plan = factories.plan(board, "CYPP 2030–2033", 2030, 2033)
    area = factories.area(plan, "Be Safe", 1)
    action = factories.action(
        area, text="Embed the pathway", leads=[lead], months=[date(2031, 9, 1)], plan_year=2031
    )
    session.commit()
    return dict(board=board, slug=board.slug, admin=admin, lead=lead, area=area, action=action)


# Counts


def test_one_of_a_thing_is_counted_in_the_singular(client_request, world, session):
    factories.indicator(world["board"], world["lead"], number="2.5", readings={})
    session.commit()
    client_request.login(world["admin"])
    one_row = io.BytesIO(b"Indicator number,Period,Value\n2.5,2031 Q1,11\n")
    preview = client_request.post(
        "indicators.import_readings", board_slug=world["slug"], _data={"file": (one_row, "one.csv")}
    )
    client_request.post(
        "indicators.confirm_import",
        board_slug=world["slug"],
        _data={"payload": preview.select_one("input[name=payload]")["value"]},
        _expected_redirect=client_request.url("indicators.index", board_slug=world["slug"]),
    )
    page = client_request.get("indicators.index", board_slug=world["slug"])
    assert "Imported one.csv: 1 new reading, 0 corrected, 0 unchanged." in text(page)


# Number order


def test_indicators_are_listed_in_number_order_everywhere(client_request, world, session):
    numbers = ["1.4", "1.1b", "1.10", "2.1", "1.1", "1.2"]
    for number in numbers:
        factories.indicator(
            world["board"], world["lead"], number=number, title=f"No. {number}", area=world["area"]
        )
    session.commit()
    in_order = ["1.1", "1.1b", "1.2", "1.4", "1.10", "2.1"]
    assert sorted(numbers, key=number_order) == in_order
    client_request.login(world["admin"])
    framework = client_request.get("indicators.index", board_slug=world["slug"])
    listed = [text(th).split()[0] for th in framework.select("tbody th[scope=row]")]
    assert listed == in_order
    admin = client_request.get("admin.indicators", board_slug=world["slug"])
    assert [text(row.select_one("td")) for row in admin.select("tbody tr")] == in_order


# Examples in hints, from today


def hints(page) -> str:
    return " ".join(text(hint) for hint in page.select(".govuk-hint"))


def test_hints_give_examples_of_today(client_request, world, session):
    client_request.login(world["admin"])
    slug = world["slug"]
    shown = {
        "meeting": hints(client_request.get("admin.meetings_new", board_slug=slug)),
        "action": hints(client_request.get("admin.actions_new", board_slug=slug)),
        "area": hints(client_request.get("admin.areas_new", board_slug=slug)),
        "plans": text(client_request.get("admin.plans", board_slug=slug).select_one("main p")),
        "e-mails": hints(client_request.get("auth.your_emails")),
        "import": text(client_request.get("indicators.import_readings", board_slug=slug)),
    }
    assert "For example, 23 6 2031" in shown["meeting"]
    assert "2031 for 2031/32" in shown["action"]
    assert "like 'July 2031' or 'Jul 31, Jan 32'" in shown["action"]
    assert "2031: Focus on children missing out on education" in shown["area"]
    assert "such as 'CYPP 2031–2034'" in shown["plans"]
    assert "for example 26 5 2031" in shown["e-mails"]
    assert "April 2031, 2031 Q1, Spring term 2031 or 2030/31" in shown["import"]
    for where, words in shown.items():
        assert not re.search(r"\b(2018|2019|2020|2021)\b", words), (where, words)


def test_a_periods_example_is_the_one_due_next(client_request, world, session):
    indicator = factories.indicator(world["board"], world["lead"], frequency=Frequency.QUARTERLY)
    session.commit()
    client_request.login(world["admin"])
    page = client_request.get(
        "indicators.add_reading", board_slug=world["slug"], indicator_id=indicator.id
    )
    assert "like '2031 Q1'" in hints(page)
    page = client_request.post(
        "indicators.add_reading",
        board_slug=world["slug"],
        indicator_id=indicator.id,
        _data={"period": "2031 Q5", "value": "12"},
    )
    assert field_error(page, "period") == "'2031 Q5' is not a quarter: write it like '2031 Q1'"


# Percentage points


def test_amber_for_a_percentage_is_in_percentage_points(client_request, world, session):
    percent = factories.indicator(
        world["board"], world["lead"], number="4.2", unit=IndicatorUnit.PERCENT, tolerance=3
    )
    one = factories.indicator(
        world["board"], world["lead"], number="4.3", unit=IndicatorUnit.PERCENT, tolerance=1
    )
    count = factories.indicator(
        world["board"],
        world["lead"],
        number="3.14",
        unit=IndicatorUnit.NUMBER,
        direction=Direction.LOWER,
        target=672,
        tolerance=40,
    )
    session.commit()
    client_request.login(world["admin"])

    def target(indicator) -> str:
        page = client_request.get(
            "indicators.show", board_slug=world["slug"], indicator_id=indicator.id
        )
        return text(page.find("dt", string="Target").find_next("dd"))

    assert "Amber within 3 percentage points of it" in target(percent)
    assert "Amber within 1 percentage point of it" in target(one)
    assert "Amber within 40 of it" in target(count)
    form = client_request.get("admin.indicators_new", board_slug=world["slug"])
    assert "percentage points" in hints(form)


# A preview that failed


def test_a_day_that_is_not_a_date_previews_nothing(client_request, world):
    client_request.login(world["admin"])
    page = client_request.client.get(
        client_request.url("admin.reminders", board_slug=world["slug"]) + "?day=31&day=2&day=2031"
    )
    body = page.get_data(as_text=True)
    assert "Enter a real date" in body
    assert "Nobody would get" not in body
    assert "Who would get what on" not in body


# Past meetings


def test_a_past_meetings_forward_plan_is_not_offered_for_publishing(client_request, world, session):
    past = factories.meeting(world["board"], date(2031, 3, 20))
    coming = factories.meeting(world["board"], date(2031, 6, 19))
    session.commit()
    client_request.login(world["admin"])
    page = client_request.get("meetings.show", board_slug=world["slug"], meeting_id=past.id)
    assert text(page.select_one("#forward-plan-state")) == "Not published before the meeting"
    assert "Publish the forward plan" not in text(page)
    assert "compiles it" not in text(page) and "Nothing was on the forward plan." in text(page)
    client_request.post(
        "meetings.publish",
        board_slug=world["slug"],
        meeting_id=past.id,
        _data={"csrf_token": ""},
        _expected_redirect=client_request.url(
            "meetings.show", board_slug=world["slug"], meeting_id=past.id
        ),
    )
    session.expire_all()
    assert past.forward_plan_published_at is None
    page = client_request.get("meetings.show", board_slug=world["slug"], meeting_id=coming.id)
    assert "Publish the forward plan" in text(page)


def test_publishing_a_past_meetings_forward_plan_is_refused(session, world):
    from tracker.meetings import forward_plan

    past = factories.meeting(world["board"], date(2031, 3, 20))
    forward_plan.add_item(past, "Update on the Youth Strategy")
    with pytest.raises(forward_plan.ForwardPlanError, match="has been held"):
        forward_plan.publish(past, MOMENT)


# Separators


def test_the_import_link_is_apart_from_the_downloads(client_request, world):
    client_request.login(world["admin"])
    page = client_request.get("plans.show", board_slug=world["slug"], plan_id=world["area"].plan_id)
    downloads = page.select_one("#downloads")
    for hidden in downloads.select(".govuk-visually-hidden"):
        hidden.decompose()
    assert " ".join(downloads.get_text("").split()) == "Download the plan: Excel, Word, CSV, JSON."
    assert page.find("a", string="Import actions from a file")


# Names and text of nothing but spaces


BLANKS = ["   ", "\u200b", " \u00a0\u3000 "]


def _counts(session) -> tuple[int, ...]:
    return tuple(
        session.scalar(select(func.count()).select_from(model))
        for model in (Person, Agency, Team, Plan, AreaOfFocus, Action, ProgressUpdate)
    )


@pytest.mark.parametrize("blank", BLANKS, ids=["spaces", "zero-width", "wide"])
def test_nothing_but_spaces_is_refused_everywhere(client_request, world, session, blank):
    slug, action = world["slug"], world["action"]
    client_request.login(world["admin"])
    before = _counts(session)
    forms = [
        ("admin.invite_person", {}, {"name": blank, "email": "e@example.org", "role": "lead"}),
        ("admin.agencies_new", {}, {"name": blank}),
        ("admin.teams_new", {}, {"name": blank}),
        ("admin.plans_new", {}, {"name": blank, "start_year": "2031", "end_year": "2034"}),
        ("admin.areas_new", {}, {"plan": world["area"].plan_id, "name": blank, "position": "2"}),
        (
            "admin.actions_new",
            {},
            {
                "area": world["area"].id,
                "plan_year": "2031",
                "text": blank,
                "leads": [f"person-{world['lead'].id}"],
                "reporting_months": "Sep 31",
                "status": "not_started",
            },
        ),
        (
            "actions.post_update",
            {"action_id": action.id},
            {"seen_version": action.version, "status": "on_track", "rag": "green", "text": blank},
        ),
        (
            "actions.set_rag",
            {"action_id": action.id},
            {"seen_version": action.version, "rag": "red", "reason": blank},
        ),
    ]
    for endpoint, values, data in forms:
        page = client_request.post(endpoint, board_slug=slug, _data=data, **values)
        errors = page.select(".govuk-error-message")
        assert errors, f"{endpoint} took {blank!r}"
    assert _counts(session) == before
    session.refresh(action)
    assert action.rag is None


@pytest.mark.parametrize("blank", BLANKS, ids=["spaces", "zero-width", "wide"])
def test_an_invitation_wants_a_name(client_request, world, session, blank):
    invite(
        session,
        board=world["board"],
        email="new.lead@example.org",
        name="New Lead",
        role=Role.LEAD,
        invited_by=world["admin"],
        now=clock.now(),
    )
    session.commit()
    message = session.scalars(select(OutboxMessage)).one()
    path = (
        re.search(r"http://\S+", message.body_text).group(0).removeprefix("http://127.0.0.1:5000")
    )
    response = client_request.client.post(
        path,
        data={
            "name": blank,
            "new_password": "a long new passphrase",
            "confirm_password": "a long new passphrase",
        },
    )
    assert response.status_code == 200 and "Enter your name" in response.get_data(as_text=True)
    person = session.scalars(select(Person).where(Person.email == "new.lead@example.org")).one()
    assert person.name == "New Lead" and person.password_hash is None


# Addresses in what people write


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        (
            "See https://example.org/plan?a=1&b=2.",
            'See <a class="govuk-link" href="https://example.org/plan?a=1&amp;b=2" '
            'rel="noopener noreferrer">https://example.org/plan?a=1&amp;b=2</a>.',
        ),
        (
            "(notes at https://en.wikipedia.org/wiki/Foo_(bar)), then",
            '(notes at <a class="govuk-link" href="https://en.wikipedia.org/wiki/Foo_(bar)" '
            'rel="noopener noreferrer">https://en.wikipedia.org/wiki/Foo_(bar)</a>), then',
        ),
        (
            "Write to mailto:sam@example.org!",
            'Write to <a class="govuk-link" href="mailto:sam@example.org" '
            'rel="noopener noreferrer">mailto:sam@example.org</a>!',
        ),
        ("javascript:alert(1) and data:text/html,x", "javascript:alert(1) and data:text/html,x"),
        ("xhttps://example.org and http:// alone", "xhttps://example.org and http:// alone"),
        (
            '<b>https://example.org/"onmouseover="alert(1)</b>',
            '&lt;b&gt;<a class="govuk-link" href="https://example.org/" '
            'rel="noopener noreferrer">https://example.org/</a>&#34;onmouseover=&#34;alert(1)'
            "&lt;/b&gt;",
        ),
        ("No address here <i>at all</i>", "No address here &lt;i&gt;at all&lt;/i&gt;"),
    ],
)
def test_addresses_in_typed_text_become_links_safely(typed, shown):
    result = linkify(typed)
    assert isinstance(result, Markup) and str(result) == shown


def test_addresses_in_an_update_are_links(client_request, world, session):
    session.add(
        ProgressUpdate(
            action=world["action"],
            author=world["lead"],
            text="Minutes: https://example.org/minutes/2031-05.pdf. Ask mailto:sam@example.org",
            status=world["action"].status,
            rag=Rag.GREEN,
        )
    )
    session.commit()
    client_request.login(world["lead"])
    page = client_request.get(
        "actions.show", board_slug=world["slug"], action_id=world["action"].id
    )
    links = page.select("#updates ~ .govuk-summary-card a")
    assert [(a["href"], a["rel"]) for a in links] == [
        ("https://example.org/minutes/2031-05.pdf", ["noopener", "noreferrer"]),
        ("mailto:sam@example.org", ["noopener", "noreferrer"]),
    ]


def test_typed_text_is_shown_through_the_one_filter():
    """Every template that shows what people write (updates, notes on indicators) links the
    addresses in it the same way."""
    shown = re.compile(r"\{\{\s*[\w.]*(update|latest|note|commentary|u)\.text\s*(\}\}|if)")
    offenders = [
        f"{path.relative_to(ROOT)}: {line.strip()}"
        for path in (ROOT / "templates").rglob("*.html")
        for line in path.read_text(encoding="utf-8").splitlines()
        if shown.search(line)
    ]
    assert offenders == []


# Admin → Actions


def test_the_admin_list_of_actions_says_which_plan(client_request, world, session):
    older = factories.plan(world["board"], "CYPP 2018–2021", 2018, 2021)
    factories.action(factories.area(older, "Be Safe", 1), text="Old action", plan_year=2019)
    session.commit()
    client_request.login(world["admin"])
    page = client_request.get("admin.actions", board_slug=world["slug"])
    table = page.select_one("main table")
    headings = [text(th) for th in table.select("thead th")]
    assert headings[:3] == ["Action", "Plan", "Area"]
    rows = [[text(td) for td in tr.select("td")] for tr in table.select("tbody tr")]
    assert [(r[0], r[1]) for r in rows] == [
        ("Embed the pathway", "CYPP 2030–2033, 2031/32"),
        ("Old action", "CYPP 2018–2021, 2019/20"),
    ]
    # Change and Archive are alike, side by side: a link and a button that looks like one.
    actions = table.select_one("tbody td.app-row-actions")
    assert [e.name for e in actions.select("a, button")] == ["a", "button"]
    assert not actions.select(".govuk-button")
