"""Who may do what: every route, as anonymous, as each role, and as a member of another board.

The table below is the rule book. A new route fails test_every_route_is_in_the_table until it
is added here, so nobody adds a page without deciding who may open it.
"""

import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from tests import factories
from tests.helpers import assert_security_headers
from tracker.actions.updates import post_update
from tracker.api.tokens import make_token
from tracker.auth.invitations import invite
from tracker.meetings.forward_plan import add_item
from tracker.models import (
    ActionStatus,
    InboundMessage,
    Membership,
    OutboxMessage,
    OutboxStatus,
    Role,
)
from tracker.permissions import HOLDERS, Right
from tracker.publishing import approvals

# Board routes: the right each needs (tracker.permissions.Right), None for every member. Which
# roles hold a right is the app's own table, HOLDERS, read here as the decorators read it.
BOARD_ROUTES: dict[str, Right | None] = {
    "plans.index": None,
    "plans.show": None,
    "plans.export": None,
    "actions.show": None,
    "actions.mine": None,
    "actions.overdue": None,
    "actions.post_update": Right.POST_UPDATE,
    "actions.set_rag": Right.SET_RAG,
    "meetings.index": None,
    "meetings.show": None,
    "meetings.add_item": Right.ADMINISTER,
    "meetings.move_item": Right.ADMINISTER,
    "meetings.remove_item": Right.ADMINISTER,
    "meetings.restore_item": Right.ADMINISTER,
    "meetings.publish": Right.ADMINISTER,
    "meetings.record": Right.ADMINISTER,
    "indicators.index": None,
    "indicators.show": None,
    "indicators.add_reading": Right.REPORT_ON,
    "indicators.correct_reading": Right.REPORT_ON,
    "indicators.add_commentary": Right.REPORT_ON,
    "indicators.set_rag": Right.SET_RAG,
    "indicators.import_readings": Right.ADMINISTER,
    "indicators.confirm_import": Right.ADMINISTER,
    "reports.show": None,
    "reports.download": None,
    "reports.edit": Right.ADMINISTER,
    "reports.finalise": Right.ADMINISTER,
    "publishing.settings": Right.ADMINISTER,
    "publishing.updates": Right.PUBLISH,
    "publishing.approve_update": Right.PUBLISH,
    "publishing.indicators": Right.PUBLISH,
    "publishing.meetings": Right.PUBLISH,
    "publishing.decide": Right.PUBLISH,
    "publishing.api_tokens": Right.ADMINISTER,
    "publishing.revoke_token": Right.ADMINISTER,
}
ADMIN_SECTIONS = ["agencies", "teams", "plans", "areas", "actions", "meetings", "indicators"]
for _name in ADMIN_SECTIONS:
    for _suffix in ("", "_new", "_edit", "_archive", "_restore"):
        BOARD_ROUTES[f"admin.{_name}{_suffix}"] = Right.ADMINISTER
for _endpoint in [
    "index",
    "people",
    "invite_person",
    "person_role",
    "remove_person",
    "restore_person",
    "resend_invitation",
    "resend_open_invitation",
    "cancel_invitation",
    "outbox",
    "outbox_message",
    "outbox_message_html",
    "outbox_retry",
    "inbox",
    "inbox_message",
    "reminders",
    "send_reminders_now",
    "import_plan",
    "confirm_import",
    "person_address",
    "report_settings",
    "data_settings",
    "person_data_page",
    "person_data_json",
    "erase_person",
]:
    BOARD_ROUTES[f"admin.{_endpoint}"] = Right.ADMINISTER


def allowed(endpoint: str) -> set[Role]:
    """The roles let through. Posting an update and reporting on an indicator also go to whoever
    answers for the action or indicator: here the lead, who leads the action and owns the
    indicator (tests/test_leads.py), while the member answers for neither."""
    right = BOARD_ROUTES[endpoint]
    if right is None:
        return set(Role)
    answering = {Role.LEAD} if right in (Right.POST_UPDATE, Right.REPORT_ON) else set()
    return set(HOLDERS[right]) | answering


# Routes outside any board.
SIGNED_IN_ROUTES = {
    "auth.home",
    "auth.change_password",
    "auth.sign_out",
    "auth.your_emails",
    "calendars.your_calendar",
    "public_name.edit",
}
PUBLIC_ROUTES = {
    "auth.sign_in",
    "auth.request_reset",
    "auth.reset_password",
    "auth.accept_invitation",
    "privacy.notice",
    "static",
}
# Opened by the secret token in the address, signed in or not: calendar programs cannot sign in.
TOKEN_ROUTES = {"calendars.feed_ics"}
# A board's public pages and files (tracker.public) and the read API (tracker.api): for
# anyone, with or without a token or a session; tests/test_public_routes.py walks them.
OPEN_ROUTES = {
    "public.index",
    "public.home",
    "public.plan",
    "public.action",
    "public.indicators",
    "public.indicator",
    "public.meetings",
    "public.meeting",
    "public.report",
    "public.open_data",
    "public.download",
    "public.feed",
    "api.openapi",
    "api.boards",
    "api.board",
    "api.plans",
    "api.areas",
    "api.actions",
    "api.action",
    "api.indicators",
    "api.meetings",
}


@pytest.fixture
def world(session, board_people, clock):
    board, people = board_people.board, board_people.people
    plan = factories.plan(board)
    area = factories.area(plan)
    action = factories.action(area, leads=[people[Role.LEAD]], months=[date(2021, 9, 1)])
    objects = {
        "agencies": factories.agency(board),
        "teams": factories.team(board),
        "plans": plan,
        "areas": area,
        "actions": action,
        "meetings": factories.meeting(board, date(2021, 9, 8)),
        "indicators": factories.indicator(
            board, people[Role.LEAD], area=area, readings={date(2021, 4, 1): 12.5}
        ),
    }
    invitation = invite(
        session,
        board=board,
        email="invited@example.org",
        name="Invited",
        role=Role.LEAD,
        invited_by=people[Role.ADMIN],
        now=clock.now(),
    )
    item = add_item(objects["meetings"], "Update on the Youth Strategy")
    update = post_update(
        session,
        action=action,
        author=people[Role.LEAD],
        status=ActionStatus.ON_TRACK,
        rag=None,
        text="Started",
        seen_version=action.version,
    )
    token, _secret = make_token(session, board, "Partner", 30, people[Role.ADMIN], clock.now())
    imported = factories.person(board, Role.LEAD, name="Named In A Plan", password=None)
    imported.email = None
    session.commit()
    # A member who has not signed in yet: removing them (as the admin's turn does) locks
    # nobody out of the rest of the test.
    waiting = factories.person(board, Role.LEAD, email="waiting@example.org", password=None)
    membership = session.scalars(select(Membership).where(Membership.person == waiting)).one()
    message = session.scalars(select(OutboxMessage)).first()
    message.status = OutboxStatus.FAILED  # so that "retry" has something to retry
    inbound = InboundMessage(
        message_id="<reply@example.org>", via="smtp", size=10, raw=b"", board_id=board.id
    )
    session.add(inbound)
    session.commit()
    return dict(
        board=board,
        people=people,
        action=action,
        objects=objects,
        membership=membership,
        invitation=invitation,
        imported=imported.memberships[0],
        item=item,
        message=message,
        inbound=inbound,
        stranger=board_people.outsider,
        update=update,
        token=token,
    )


def url_values(endpoint: str, world) -> dict:
    values = {"board_slug": world["board"].slug}
    section = endpoint.removeprefix("admin.").rsplit("_", 1)[0]
    if endpoint.startswith(("actions.show", "actions.post", "actions.set")):
        values["action_id"] = world["action"].id
    if endpoint.startswith(("meetings.", "reports.")) and endpoint != "meetings.index":
        values["meeting_id"] = world["objects"]["meetings"].id
    if endpoint.endswith("_item"):
        values["item_id"] = world["item"].id
    if endpoint == "meetings.move_item":
        values["direction"] = "up"
    if endpoint.startswith("indicators.") and endpoint not in {
        "indicators.index",
        "indicators.import_readings",
        "indicators.confirm_import",
    }:
        values["indicator_id"] = world["objects"]["indicators"].id
    if endpoint == "indicators.correct_reading":
        values["reading_id"] = world["objects"]["indicators"].readings[0].id
    if endpoint == "reports.download":
        values["file_format"] = "docx"
    if endpoint in ("plans.show", "plans.export"):
        values["plan_id"] = world["objects"]["plans"].id
    if endpoint == "plans.export":
        values["file_format"] = "xlsx"
    if endpoint == "admin.person_address":
        values["membership_id"] = world["imported"].id
    if endpoint.endswith(("_edit", "_archive", "_restore")) and section in world["objects"]:
        values["object_id"] = world["objects"][section].id
    if endpoint in {
        "admin.person_role",
        "admin.remove_person",
        "admin.restore_person",
        "admin.resend_invitation",
        "admin.person_data_page",
        "admin.person_data_json",
        "admin.erase_person",
    }:
        values["membership_id"] = world["membership"].id
    if endpoint in ("admin.resend_open_invitation", "admin.cancel_invitation"):
        values["invitation_id"] = world["invitation"].id
    if endpoint.startswith(("admin.outbox_message", "admin.outbox_retry")):
        values["message_id"] = world["message"].id
    if endpoint == "admin.inbox_message":
        values["message_id"] = world["inbound"].id
    if endpoint == "publishing.approve_update":
        values["update_id"] = world["update"].id
    if endpoint == "publishing.decide":
        values.update(thing="update", thing_id=world["update"].id, verb="publish")
    if endpoint == "publishing.revoke_token":
        values["token_id"] = world["token"].id
    return values


def methods(app, endpoint):
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    return "GET" if "GET" in rule.methods else "POST"


def call(client_request, endpoint, world):
    """Open the route; whoever asks and whatever the answer, it carries the security headers."""
    url = client_request.url(endpoint, **url_values(endpoint, world))
    if methods(client_request.app, endpoint) == "GET":
        response = client_request.client.get(url)
    else:
        response = client_request.client.post(url, data={})
    assert_security_headers(response)
    return response


def test_every_route_is_in_the_table(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints == (
        set(BOARD_ROUTES) | SIGNED_IN_ROUTES | PUBLIC_ROUTES | TOKEN_ROUTES | OPEN_ROUTES
    )


def test_decorators_require_the_rights_of_the_table(app):
    """A view's @requires names the right the table gives its route."""
    for endpoint, right in BOARD_ROUTES.items():
        required = getattr(app.view_functions[endpoint], "required_right", None)
        assert required in (None, right), endpoint
        assert required or right is not Right.ADMINISTER, endpoint


def test_templates_ask_for_rights_not_roles():
    """Templates ask ``may.<right>`` (tracker.permissions.May), so a right has one home."""
    for template in (Path(__file__).parents[1] / "templates").rglob("*.html"):
        role_test = r"\.role\b(\.value)?\s*([!=]=|in\b|not in\b)"
        assert not re.search(role_test, template.read_text()), template


@pytest.mark.parametrize("endpoint", sorted(BOARD_ROUTES))
def test_board_routes(client_request, world, endpoint):
    response = call(client_request, endpoint, world)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")

    for role, person in world["people"].items():
        client_request.login(person)
        response = call(client_request, endpoint, world)
        if role in allowed(endpoint):
            assert response.status_code in (200, 302), (role, response.status_code)
        else:
            assert response.status_code == 403, (role, response.status_code)

    client_request.login(world["stranger"])
    assert call(client_request, endpoint, world).status_code == 404


@pytest.mark.parametrize("endpoint", sorted(SIGNED_IN_ROUTES))
def test_signed_in_routes(client_request, world, endpoint):
    response = call(client_request, endpoint, world)
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in")
    client_request.login(world["people"][Role.MEMBER])
    assert call(client_request, endpoint, world).status_code in (200, 302)


@pytest.mark.parametrize("endpoint", sorted(TOKEN_ROUTES))
def test_token_routes(client_request, world, session, endpoint):
    """Each role's own token opens their feed, without signing in; a wrong one opens nothing,
    whoever is signed in."""
    for role, person in world["people"].items():
        person.calendar_token = f"calendar-token-for-{role.value}"
    session.commit()
    for role, person in world["people"].items():
        client_request.logout()
        url = client_request.url(endpoint, token=person.calendar_token)
        assert client_request.client.get(url).status_code == 200, role
        client_request.login(person)
        wrong = client_request.url(endpoint, token=f"{person.calendar_token}-not")
        assert client_request.client.get(wrong).status_code == 404, role
    client_request.login(world["stranger"])
    assert client_request.client.get(client_request.url(endpoint, token="")).status_code == 404


def test_lead_may_update_only_actions_they_lead(client_request, world, session):
    other = factories.person(world["board"], Role.LEAD)
    client_request.login(other)
    assert call(client_request, "actions.post_update", world).status_code == 403


PUBLIC_ROUTE_CALLS = [
    ("auth.sign_in", {}, 200),
    ("auth.request_reset", {}, 200),
    ("auth.reset_password", {"token": "not-a-token"}, 410),
    ("auth.accept_invitation", {"token": "not-a-token"}, 404),
    ("privacy.notice", {}, 200),
    ("static", {"filename": "app.css"}, 200),
]


def test_every_public_route_is_walked():
    assert {endpoint for endpoint, _, _ in PUBLIC_ROUTE_CALLS} == PUBLIC_ROUTES


@pytest.mark.parametrize(("endpoint", "values", "status"), PUBLIC_ROUTE_CALLS)
def test_public_routes(client_request, endpoint, values, status):
    response = client_request.client.get(client_request.url(endpoint, **values))
    response.close()
    assert response.status_code == status
    assert_security_headers(response)


# The open routes, on a board with everything public, and what each caller gets: a signed-in
# person and a token are read as the public on the public pages; the API reads a token's own
# board as a member, refuses it another board's, and refuses a token it does not know.
def open_route_values(endpoint: str, published) -> dict:
    values = {"board_slug": published["board"].slug}
    if endpoint in ("public.plan", "api.areas", "api.actions"):
        values["plan_id"] = published["plan"].id
    if endpoint in ("public.action", "api.action"):
        values["action_id"] = published["action"].id
    if endpoint == "public.indicator":
        values["indicator_id"] = published["indicator"].id
    if endpoint in ("public.meeting", "public.report"):
        values["meeting_id"] = published["meeting"].id
    if endpoint == "public.report":
        values["file_format"] = "docx"
    if endpoint == "public.download":
        values.update(dataset="updates", file_format="csv")
    if endpoint in ("api.openapi", "api.boards", "public.index"):
        values = {}
    return values


@pytest.mark.parametrize("endpoint", sorted(OPEN_ROUTES))
def test_open_routes(client_request, session, endpoint):
    from tests.public_world import published_board

    published = published_board(session)
    other = published_board(session)
    url = client_request.url(endpoint, **open_route_values(endpoint, published))
    scoped = "board_slug" in open_route_values(endpoint, published)

    def status(**headers) -> int:
        response = client_request.client.get(url, headers=headers)
        response.close()
        assert_security_headers(response)
        return response.status_code

    assert status() == 200
    for person in published["people"].values():
        client_request.login(person)
        assert status() == 200
    client_request.logout()
    assert status(Authorization=f"Bearer {published['secret']}") == 200
    others = status(Authorization=f"Bearer {other['secret']}")
    wrong = status(Authorization="Bearer tt_not-a-token")
    if endpoint.startswith("public."):
        assert (others, wrong) == (200, 200)  # the public pages take no token
    else:
        assert others == (404 if scoped else 200)
        assert wrong == 401
    # A board whose public pages are off is not found, by anyone.
    other_pages = approvals.public_pages(session, other["board"])
    other_pages.enabled = False
    session.commit()
    if scoped:
        other_url = client_request.url(
            endpoint,
            **{**open_route_values(endpoint, published), "board_slug": other["board"].slug},
        )
        response = client_request.client.get(other_url)
        response.close()
        assert response.status_code == 404
