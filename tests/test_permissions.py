"""Who may do what: every route, as anonymous, as each role, and as a member of another board.

The table below is the rule book. A new route fails test_every_route_is_in_the_table until it
is added here, so nobody adds a page without deciding who may open it.
"""

from datetime import date

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
from tracker.publishing import approvals

EVERYONE = {Role.ADMIN, Role.CHAIR, Role.LEAD, Role.MEMBER}
ADMIN = {Role.ADMIN}

# Board routes: which roles may use them. For posting an update "lead" means the lead officer
# who leads the action: anyone who leads one may post on it, whatever their role
# (tests/test_leads.py), and the member here leads none.
BOARD_ROUTES = {
    "plans.index": EVERYONE,
    "plans.show": EVERYONE,
    "plans.export": EVERYONE,
    "actions.show": EVERYONE,
    "actions.mine": EVERYONE,
    "actions.overdue": EVERYONE,
    "actions.post_update": {Role.ADMIN, Role.CHAIR, Role.LEAD},
    "actions.set_rag": {Role.ADMIN, Role.CHAIR},
    "meetings.index": EVERYONE,
    "meetings.show": EVERYONE,
    "meetings.add_item": ADMIN,
    "meetings.move_item": ADMIN,
    "meetings.remove_item": ADMIN,
    "meetings.restore_item": ADMIN,
    "meetings.publish": ADMIN,
    "meetings.record": ADMIN,
    "indicators.index": EVERYONE,
    "indicators.show": EVERYONE,
    # "lead" here is the lead officer who owns the indicator.
    "indicators.add_reading": {Role.ADMIN, Role.LEAD},
    "indicators.correct_reading": {Role.ADMIN, Role.LEAD},
    "indicators.add_commentary": {Role.ADMIN, Role.LEAD},
    "indicators.set_rag": {Role.ADMIN, Role.CHAIR},
    "indicators.import_readings": ADMIN,
    "indicators.confirm_import": ADMIN,
    "reports.show": EVERYONE,
    "reports.download": EVERYONE,
    "reports.edit": ADMIN,
    "reports.finalise": ADMIN,
    "publishing.settings": ADMIN,
    "publishing.updates": {Role.ADMIN, Role.CHAIR},
    "publishing.approve_update": {Role.ADMIN, Role.CHAIR},
    "publishing.indicators": {Role.ADMIN, Role.CHAIR},
    "publishing.meetings": {Role.ADMIN, Role.CHAIR},
    "publishing.decide": {Role.ADMIN, Role.CHAIR},
    "publishing.api_tokens": ADMIN,
    "publishing.revoke_token": ADMIN,
}
ADMIN_SECTIONS = ["agencies", "teams", "plans", "areas", "actions", "meetings", "indicators"]
for _name in ADMIN_SECTIONS:
    for _suffix in ("", "_new", "_edit", "_archive", "_restore"):
        BOARD_ROUTES[f"admin.{_name}{_suffix}"] = ADMIN
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
    BOARD_ROUTES[f"admin.{_endpoint}"] = ADMIN

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
def world(session):
    board = factories.board()
    people = {role: factories.person(board, role) for role in Role}
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
        now=factories_now(),
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
    token, _secret = make_token(session, board, "Partner", 30, people[Role.ADMIN], factories_now())
    imported = factories.person(board, Role.LEAD, name="Named In A Plan", password=None)
    imported.email = None
    stranger = factories.person(factories.board(), Role.ADMIN)
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
        stranger=stranger,
        update=update,
        token=token,
    )


def factories_now():
    from tracker import clock

    return clock.now()


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


@pytest.mark.parametrize("endpoint", sorted(BOARD_ROUTES))
def test_board_routes(client_request, world, endpoint):
    response = call(client_request, endpoint, world)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")

    for role, person in world["people"].items():
        client_request.login(person)
        response = call(client_request, endpoint, world)
        if role in BOARD_ROUTES[endpoint]:
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
