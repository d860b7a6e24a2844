from datetime import date

import pytest
from sqlalchemy import select

from tests import factories
from tests.helpers import error_summary, field_error, h1, text
from tracker.audit import AppendOnlyViolation
from tracker.models import ActionStatus, AuditEvent, ProgressUpdate, Rag, Role

TODAY = date(2021, 9, 20)


@pytest.fixture
def world(session, board_people, clock):
    """A board with one plan: a lead with an overdue action, one due next month, a team action."""
    clock.set(TODAY)
    board, people = board_people.board, board_people.people
    lead = people[Role.LEAD]
    team_contact = factories.person(board, Role.LEAD, name="Team Contact")
    send = factories.team(board, "SEND (OCC)", contacts=[team_contact])
    plan = factories.plan(board, "CYPP 2021", 2021, 2022)
    safe = factories.area(plan, "Be Safe", 1)
    healthy = factories.area(plan, "Be Happy and Healthy", 2)
    # Meeting on 8 September 2021: due 10 working days before, 24 August (the 30th is a
    # bank holiday).
    factories.meeting(board, date(2021, 9, 8), focus=safe)
    late = factories.action(
        safe,
        text="Embed the domestic abuse pathway",
        leads=[lead],
        months=[date(2021, 9, 1)],
        measures=["Pathway known", "Pathway used"],
    )
    soon = factories.action(
        healthy, text="Promote self-referrals", leads=[lead], months=[date(2021, 10, 1)]
    )
    team_action = factories.action(
        healthy, text="Review SEND support", leads=[send], months=[date(2021, 11, 1)]
    )
    other = factories.action(
        healthy,
        text="Someone else's action",
        leads=[people[Role.CHAIR]],
        months=[date(2021, 12, 1)],
    )
    session.commit()
    return dict(
        board=board,
        people=people,
        lead=lead,
        team_contact=team_contact,
        late=late,
        soon=soon,
        team_action=team_action,
        other=other,
    )


def update_data(action, **overrides):
    return {
        "seen_version": action.version,
        "status": "on_track",
        "rag": "green",
        "text": "Pathway training delivered to 40 staff.",
        **overrides,
    }


def test_action_page_shows_everything(as_member, world):
    page = as_member.get("actions.show", board_slug=world["board"].slug, action_id=world["late"].id)
    assert h1(page) == "Embed the domestic abuse pathway"
    body = text(page)
    for expected in [
        "Lead officer",
        "September 2021",
        "24 August 2021",
        "27 days late",
        "Pathway known",
        "Pathway used",
        "No progress updates yet.",
    ]:
        assert expected in body
    assert not page.select("a[href$='/updates/new']")
    assert "Audit trail" not in body


def test_admin_sees_the_audit_trail(as_admin, world):
    page = as_admin.get("actions.show", board_slug=world["board"].slug, action_id=world["late"].id)
    assert "Audit trail" in text(page)
    assert "Action: added “Embed the domestic abuse pathway”" in text(page)


def test_another_boards_action_is_not_found(as_outsider, board_people, world, session):
    stranger_board = board_people.other_board
    as_outsider.get(
        "actions.show",
        board_slug=stranger_board.slug,
        action_id=world["late"].id,
        _expected_status=404,
    )
    as_outsider.get(
        "actions.show",
        board_slug=world["board"].slug,
        action_id=world["late"].id,
        _expected_status=404,
    )
    response = as_outsider.client.get(f"/boards/{stranger_board.slug}/actions/abc")
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("who", "action", "status"),
    [
        ("lead", "late", 200),
        ("lead", "other", 403),
        ("team_contact", "team_action", 200),
        ("team_contact", "late", 403),
        ("chair", "other", 200),
        ("admin", "late", 200),
        ("member", "late", 403),
    ],
)
def test_who_may_open_the_update_form(client_request, world, who, action, status):
    person = world[who] if who in world else world["people"][Role(who)]
    client_request.login(person)
    client_request.get(
        "actions.post_update",
        board_slug=world["board"].slug,
        action_id=world[action].id,
        _expected_status=status,
    )


def test_lead_posts_an_update(as_lead, world, session):
    action = world["late"]
    as_lead.post(
        "actions.post_update",
        board_slug=world["board"].slug,
        action_id=action.id,
        _data=update_data(action),
        _expected_redirect=f"/boards/{world['board'].slug}/actions/{action.id}",
    )
    update = session.scalars(select(ProgressUpdate)).one()
    assert update.author_id == world["lead"].id and update.status is ActionStatus.ON_TRACK
    session.refresh(action)
    assert action.status is ActionStatus.ON_TRACK and action.rag is Rag.GREEN
    page = as_lead.get("actions.show", board_slug=world["board"].slug, action_id=action.id)
    assert "Pathway training delivered" in text(page)
    assert "late" not in text(page.select_one("table"))


def test_a_stale_form_keeps_the_text_and_saves_nothing(client_request, world, session):
    action = world["late"]
    opened_at = action.version
    client_request.login(world["people"][Role.CHAIR])
    client_request.post(
        "actions.post_update",
        board_slug=world["board"].slug,
        action_id=action.id,
        _data=update_data(action, text="Chair's note"),
        _expected_redirect=f"/boards/{world['board'].slug}/actions/{action.id}",
    )
    client_request.login(world["lead"])
    page = client_request.post(
        "actions.post_update",
        board_slug=world["board"].slug,
        action_id=action.id,
        _data=update_data(action, seen_version=opened_at, text="My careful words"),
    )
    assert error_summary(page)[0].startswith("Someone else updated this action")
    assert page.select_one("textarea#text").text == "My careful words"
    assert "Chair's note" in text(page.select_one("#latest-update"))
    assert int(page.select_one("input[name=seen_version]")["value"]) == opened_at + 1
    assert len(session.scalars(select(ProgressUpdate)).all()) == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"text": ""}, "text", "Enter the progress update"),
        ({"text": "x" * 10_001}, "text", "Progress update must be 10,000 characters or fewer"),
        ({"status": "finished"}, "status", "Select the status of the action"),
        ({"rag": ""}, "rag", "Select a RAG rating, or 'No rating yet'"),
    ],
)
def test_bad_updates_are_refused(as_lead, world, session, overrides, field, message):
    action = world["late"]
    page = as_lead.post(
        "actions.post_update",
        board_slug=world["board"].slug,
        action_id=action.id,
        _data=update_data(action, **overrides),
    )
    assert field_error(page, field) == message
    assert session.scalars(select(ProgressUpdate)).all() == []


def test_progress_updates_are_append_only(world, session):
    update = ProgressUpdate(
        action=world["late"], author=world["lead"], text="First", status=ActionStatus.ON_TRACK
    )
    session.add(update)
    session.commit()
    update.text = "Rewritten history"
    with pytest.raises(AppendOnlyViolation):
        session.flush()
    session.rollback()
    session.delete(session.get(ProgressUpdate, update.id))
    with pytest.raises(AppendOnlyViolation):
        session.flush()


def test_chair_sets_rag_with_a_reason(as_chair, world, session):
    action = world["late"]
    page = as_chair.post(
        "actions.set_rag",
        board_slug=world["board"].slug,
        action_id=action.id,
        _data={"seen_version": action.version, "rag": "red", "reason": ""},
    )
    assert field_error(page, "reason") == "Enter the reason for the rating"
    as_chair.post(
        "actions.set_rag",
        board_slug=world["board"].slug,
        action_id=action.id,
        _data={
            "seen_version": action.version,
            "rag": "red",
            "reason": "No update for two quarters",
        },
        _expected_redirect=f"/boards/{world['board'].slug}/actions/{action.id}",
    )
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.entity == "action", AuditEvent.verb == "updated")
    ).one()
    assert event.changes["rag"] == [None, "red"]
    assert event.reason == "No update for two quarters"
    assert event.actor_id == world["people"][Role.CHAIR].id


@pytest.mark.parametrize("role", [Role.LEAD, Role.MEMBER])
def test_only_chair_and_admin_set_rag(client_request, world, role):
    client_request.login(world["people"][role])
    client_request.get(
        "actions.set_rag",
        board_slug=world["board"].slug,
        action_id=world["late"].id,
        _expected_status=403,
    )


def test_my_actions(as_lead, world, clock):
    page = as_lead.get("actions.mine", board_slug=world["board"].slug)
    tables = page.select("table")
    assert "Embed the domestic abuse pathway" in text(tables[0])
    assert "27 days late" in text(tables[0])
    assert "Promote self-referrals" in text(tables[1])
    assert "Due 29 October 2021" in text(tables[1])
    assert "Someone else's action" not in text(page)
    assert len(page.select("a[href$='/updates/new']")) == 2


def test_my_actions_lists_everything_the_person_leads_next_due_first(
    client_request, world, session, clock
):
    """However far away it is due, or if it has no reporting month at all."""
    lead, area = world["lead"], world["late"].area
    factories.action(area, text="Due in February", leads=[lead], months=[date(2022, 2, 1)])
    factories.action(area, text="Due in December", leads=[lead], months=[date(2021, 12, 1)])
    factories.action(area, text="No month yet", leads=[lead])
    factories.action(
        area,
        text="Finished",
        leads=[lead],
        months=[date(2021, 12, 1)],
        status=ActionStatus.COMPLETE,
    )
    session.commit()
    client_request.login(lead)
    page = client_request.get("actions.mine", board_slug=world["board"].slug)
    assert "Nothing is due" not in text(page)
    overdue, coming, rest = page.select("table")

    def rows(table):
        return [
            (text(r.select("td")[0].a), text(r.select("td")[1])) for r in table.select("tbody tr")
        ]

    assert rows(overdue) == [("Embed the domestic abuse pathway", "27 days late")]
    assert text(coming.caption) == "Coming up, next due first (3)"
    assert rows(coming) == [
        ("Promote self-referrals", "Due 29 October 2021"),
        ("Due in December", "Due 31 December 2021"),
        ("Due in February", "Due 28 February 2022"),
    ]
    assert rows(rest) == [("No month yet", "No reporting month"), ("Finished", "Complete")]
    assert len(page.select("a[href$='/updates/new']")) == 6


def test_team_contacts_see_their_teams_actions(client_request, world, clock):
    clock.set(date(2021, 10, 5))
    client_request.login(world["team_contact"])
    page = client_request.get("actions.mine", board_slug=world["board"].slug)
    assert "Review SEND support" in text(page)


def test_overdue_and_red(as_chair, world, session, clock):
    world["soon"].rag = Rag.RED
    session.commit()
    clock.set(date(2021, 11, 15))
    page = as_chair.get("actions.overdue", board_slug=world["board"].slug)
    overdue = page.select("table")[0]
    rows = [text(r.select_one("td")) for r in overdue.select("tbody tr")]
    assert rows[0].startswith("Embed the domestic abuse pathway")  # 83 days late
    assert rows[1].startswith("Promote self-referrals")  # due 29 October
    assert "Promote self-referrals" in text(page.select("table")[1])
    assert [text(c) for c in page.select(".app-count")] == ["2", "1"]
    assert "Lead officer: 2 overdue, 1 red" in text(page)


def test_overdue_and_red_a_page_at_a_time(as_chair, world, session, clock, monkeypatch):
    from bs4 import BeautifulSoup

    from tracker.actions import views

    monkeypatch.setattr(views, "PER_PAGE", 1)
    world["soon"].rag = Rag.RED
    world["other"].rag = Rag.RED
    session.commit()
    clock.set(date(2021, 11, 15))
    page = as_chair.get("actions.overdue", board_slug=world["board"].slug)
    overdue, red = page.select("table")
    assert [text(r.select_one("td")) for r in overdue.select("tbody tr")][0].startswith(
        "Embed the domestic abuse pathway"
    )
    assert len(red.select("tbody tr")) == 1
    # The counts are of every overdue and red action, not of the page.
    assert [text(c) for c in page.select(".app-count")] == ["2", "2"]
    assert "Lead officer: 2 overdue, 1 red" in text(page)
    navs = page.select("nav.govuk-pagination")
    assert [n["aria-label"] for n in navs] == [
        "Pages of overdue actions",
        "Pages of actions rated red",
    ]
    next_overdue = navs[0].select_one(".govuk-pagination__next a")["href"]
    assert "overdue-page=2" in next_overdue
    response = as_chair.client.get(next_overdue)
    second = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    rows = second.select("table")[0].select("tbody tr")
    assert [text(r.select_one("td")) for r in rows][0].startswith("Promote self-referrals")
    # Each area links to the plan page narrowed to it.
    area_link = second.select_one("main li a[href*='area=']")
    assert text(area_link) == "Be Safe"
