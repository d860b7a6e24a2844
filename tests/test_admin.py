import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from tests import factories
from tests.helpers import error_summary, field_error, h1, text
from tracker.models import (
    Action,
    Agency,
    AreaOfFocus,
    AuditEvent,
    Invitation,
    Meeting,
    Membership,
    OutboxMessage,
    Plan,
    Role,
    Team,
)


@pytest.fixture
def setup(session):
    board = factories.board()
    admin = factories.person(board, Role.ADMIN, name="Ada Admin")
    lead = factories.person(board, Role.LEAD, name="David Clarke")
    plan = factories.plan(board, "CYPP 2018–2021", 2018, 2021)
    area = factories.area(plan, "Be Successful", 1)
    police = factories.agency(board, "Thames Valley Police")
    session.commit()
    return dict(board=board, admin=admin, lead=lead, plan=plan, area=area, police=police)


@pytest.fixture
def in_2031(clock):
    """Monday 12 May 2031: the examples in hints and messages are about today."""
    clock.set(datetime(2031, 5, 12, 9, tzinfo=UTC))


@pytest.fixture
def admin_request(client_request, setup):
    client_request.login(setup["admin"])
    return client_request


def count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def test_admin_index_lists_sections_with_counts(admin_request, setup):
    page = admin_request.get("admin.index", board_slug=setup["board"].slug)
    assert h1(page) == "Admin"
    assert "Agencies" in text(page) and "1 – Organisations" in text(page)


@pytest.mark.parametrize("role", [Role.CHAIR, Role.LEAD, Role.MEMBER])
@pytest.mark.parametrize(
    "endpoint", ["admin.index", "admin.people", "admin.actions", "admin.actions_new"]
)
def test_only_admins(client_request, setup, session, role, endpoint):
    client_request.login(factories.person(setup["board"], role))
    client_request.get(endpoint, board_slug=setup["board"].slug, _expected_status=403)


def test_add_change_archive_and_restore_an_agency(admin_request, setup, session):
    slug = setup["board"].slug
    admin_request.post(
        "admin.agencies_new",
        board_slug=slug,
        _data={"name": " Oxford Health "},
        _expected_redirect=f"/boards/{slug}/admin/agencies",
    )
    agency = session.scalars(select(Agency).where(Agency.name == "Oxford Health")).one()
    admin_request.post(
        "admin.agencies_edit",
        board_slug=slug,
        object_id=agency.id,
        _data={"name": "Oxford Health NHS FT"},
        _expected_redirect=f"/boards/{slug}/admin/agencies",
    )
    admin_request.post(
        "admin.agencies_archive",
        board_slug=slug,
        object_id=agency.id,
        _expected_redirect=f"/boards/{slug}/admin/agencies",
    )
    session.refresh(agency)
    assert agency.name == "Oxford Health NHS FT" and agency.is_archived
    page = admin_request.get("admin.agencies", board_slug=slug)
    assert "Oxford Health NHS FT" in text(page.select("table")[-1])
    admin_request.post(
        "admin.agencies_restore",
        board_slug=slug,
        object_id=agency.id,
        _expected_redirect=f"/boards/{slug}/admin/agencies",
    )
    session.refresh(agency)
    assert not agency.is_archived
    verbs = session.scalars(
        select(AuditEvent.verb).where(
            AuditEvent.entity == "agency", AuditEvent.entity_id == agency.id
        )
    )
    assert list(verbs) == ["created", "updated", "updated", "updated"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": ""}, "name", "Enter the agency's name"),
        ({"name": "x" * 201}, "name", "Agency's name must be 200 characters or fewer"),
        (
            {"name": "Thames Valley Police"},
            "name",
            "There is already an agency called 'Thames Valley Police'",
        ),
    ],
)
def test_bad_agency(admin_request, setup, session, data, field, message):
    page = admin_request.post("admin.agencies_new", board_slug=setup["board"].slug, _data=data)
    assert field_error(page, field) == message
    assert error_summary(page) == [message]
    assert count(session, Agency) == 1


def test_another_boards_objects_are_not_found(admin_request, setup, session):
    other = factories.board()
    theirs = factories.agency(other, "Their agency")
    session.commit()
    slug = setup["board"].slug
    admin_request.get(
        "admin.agencies_edit", board_slug=slug, object_id=theirs.id, _expected_status=404
    )
    admin_request.post(
        "admin.agencies_archive", board_slug=slug, object_id=theirs.id, _expected_status=404
    )
    admin_request.get("admin.agencies", board_slug=other.slug, _expected_status=404)


def test_team_with_contacts(admin_request, setup, session):
    slug = setup["board"].slug
    admin_request.post(
        "admin.teams_new",
        board_slug=slug,
        _data={"name": "SEND (OCC)", "contacts": [str(setup["lead"].id)]},
        _expected_redirect=f"/boards/{slug}/admin/teams",
    )
    team = session.scalars(select(Team)).one()
    assert [p.name for p in team.contacts] == ["David Clarke"]
    stranger = factories.person(factories.board(), Role.LEAD)
    page = admin_request.post(
        "admin.teams_edit",
        board_slug=slug,
        object_id=team.id,
        _data={"name": "SEND (OCC)", "contacts": [str(stranger.id)]},
    )
    assert field_error(page, "contacts") != ""


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"name": "New plan", "start_year": "2021", "end_year": "2019"},
            "end_year",
            "Last year must be the same as or after the first year",
        ),
        (
            {"name": "New plan", "start_year": "twenty", "end_year": "2023"},
            "start_year",
            "Enter the first year as a number, like 2031",
        ),
        (
            {"name": "CYPP 2018–2021", "start_year": "2018", "end_year": "2021"},
            "name",
            "There is already a plan called 'CYPP 2018–2021'",
        ),
    ],
)
def test_bad_plan(admin_request, setup, session, in_2031, data, field, message):
    page = admin_request.post("admin.plans_new", board_slug=setup["board"].slug, _data=data)
    assert field_error(page, field) == message
    assert count(session, Plan) == 1


def test_area_with_outcomes_and_priorities(admin_request, setup, session):
    slug = setup["board"].slug
    data = {
        "plan": setup["plan"].id,
        "name": "Be Safe",
        "position": "3",
        "outcomes": "9. Be protected from all types of abuse and neglect\n"
        "10. Have a place to feel safe",
        "priorities": "2018: Focus on domestic abuse\n2019/20: Focus on domestic abuse",
    }
    admin_request.post(
        "admin.areas_new",
        board_slug=slug,
        _data=data,
        _expected_redirect=f"/boards/{slug}/admin/areas",
    )
    area = session.scalars(select(AreaOfFocus).where(AreaOfFocus.name == "Be Safe")).one()
    assert [(o.number, o.text) for o in area.outcomes][0] == (
        9,
        "Be protected from all types of abuse and neglect",
    )
    assert [p.plan_year for p in area.priorities] == [2018, 2019]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "outcomes",
            "9. Fine\nno number here",
            "Line 2: start with the outcome number, like '1. Have the best start in life'",
        ),
        ("outcomes", "9. One\n9. Two", "Line 2: outcome 9 is there twice"),
        (
            "priorities",
            "Focus on it",
            "Line 1: start with the plan year, like '2031: Focus on domestic abuse'",
        ),
        ("name", "Be Successful", "This plan already has an area called 'Be Successful'"),
    ],
)
def test_bad_area(admin_request, setup, session, in_2031, field, value, message):
    data = {"plan": setup["plan"].id, "name": "Be Safe", "position": "3", field: value}
    page = admin_request.post("admin.areas_new", board_slug=setup["board"].slug, _data=data)
    assert field_error(page, field) == message
    assert count(session, AreaOfFocus) == 1


def action_data(setup, **overrides):
    return {
        "area": setup["area"].id,
        "plan_year": "2018",
        "text": "Set up a multi-agency Learner Engagement Board",
        "leads": [f"person-{setup['lead'].id}"],
        "agencies": [str(setup["police"].id)],
        "measures": "Increase the % of children reaching a good level of development\n"
        "Reduce the number of permanent exclusions",
        "reporting_months": "Sep 18, March 2019",
        "status": "not_started",
        **overrides,
    }


def test_add_and_change_an_action(admin_request, setup, session):
    slug = setup["board"].slug
    admin_request.post(
        "admin.actions_new",
        board_slug=slug,
        _data=action_data(setup),
        _expected_redirect=f"/boards/{slug}/admin/actions",
    )
    action = session.scalars(select(Action)).one()
    assert action.months == [date(2018, 9, 1), date(2019, 3, 1)]
    assert [m.text for m in action.measures][1] == "Reduce the number of permanent exclusions"
    assert [str(lead) for lead in action.leads] == ["David Clarke"]
    page = admin_request.get("admin.actions_edit", board_slug=slug, object_id=action.id)
    assert page.select_one("#reporting_months")["value"] == "September 2018, March 2019"
    admin_request.post(
        "admin.actions_edit",
        board_slug=slug,
        object_id=action.id,
        _data=action_data(setup, seen_version=action.version, reporting_months="Dec 18"),
        _expected_redirect=f"/boards/{slug}/admin/actions",
    )
    session.refresh(action)
    assert action.months == [date(2018, 12, 1)]
    trail = session.scalars(select(AuditEvent).where(AuditEvent.action_id == action.id)).all()
    assert {e.entity for e in trail} >= {"action", "reporting_month", "measure", "action_lead"}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"reporting_months": "Jnu 22"},
            "reporting_months",
            "'Jnu 22' is not a month. Write months like 'July 2031' or 'Jul 31'",
        ),
        (
            {"reporting_months": ""},
            "reporting_months",
            "Enter at least one reporting month, like 'July 2031'",
        ),
        ({"leads": []}, "leads", "Select at least one lead"),
        ({"text": ""}, "text", "Enter what the action is"),
        (
            {"plan_year": "2030"},
            "plan_year",
            "The plan year must be one of the years of CYPP 2018–2021: 2018 (2018/19) to "
            "2020 (2020/21)",
        ),
        # The plan ends in 2021: its last year is 2020/21, as the importer reads it.
        (
            {"plan_year": "2021"},
            "plan_year",
            "The plan year must be one of the years of CYPP 2018–2021: 2018 (2018/19) to "
            "2020 (2020/21)",
        ),
        ({"area": "999999"}, "area", "Select the area of focus"),
    ],
)
def test_bad_action(admin_request, setup, session, in_2031, overrides, field, message):
    page = admin_request.post(
        "admin.actions_new", board_slug=setup["board"].slug, _data=action_data(setup, **overrides)
    )
    assert field_error(page, field) == message
    assert count(session, Action) == 0


def test_stale_action_edit_is_refused(admin_request, setup, session):
    action = factories.action(setup["area"], leads=[setup["lead"]], months=[date(2018, 9, 1)])
    session.commit()
    stale = action.version
    action.text = "Changed by someone else"
    session.commit()
    page = admin_request.post(
        "admin.actions_edit",
        board_slug=setup["board"].slug,
        object_id=action.id,
        _data=action_data(setup, seen_version=stale, text="Mine"),
    )
    assert error_summary(page)[0].startswith("Someone else changed this action")
    assert page.select_one("#text").text == "Mine"
    session.refresh(action)
    assert action.text == "Changed by someone else"


def test_meetings(admin_request, setup, session, in_2031):
    slug = setup["board"].slug
    admin_request.post(
        "admin.meetings_new",
        board_slug=slug,
        _data={"held_on": ["12", "9", "2018"], "focus_area": setup["area"].id},
        _expected_redirect=f"/boards/{slug}/admin/meetings",
    )
    meeting = session.scalars(select(Meeting)).one()
    assert meeting.held_on == date(2018, 9, 12) and meeting.focus_area_id == setup["area"].id
    page = admin_request.post(
        "admin.meetings_new",
        board_slug=slug,
        _data={"held_on": ["12", "9", "2018"], "focus_area": ""},
    )
    assert field_error(page, "held_on") == "The board already has a meeting on this date"
    page = admin_request.post(
        "admin.meetings_new",
        board_slug=slug,
        _data={"held_on": ["31", "2", "2019"], "focus_area": ""},
    )
    assert field_error(page, "held_on") == "Enter a real date, like 23 6 2031"
    assert count(session, Meeting) == 1


def test_invite_a_person(admin_request, setup, session):
    slug = setup["board"].slug
    admin_request.post(
        "admin.invite_person",
        board_slug=slug,
        _data={"name": "Emma Leaver", "email": "emma@example.org", "role": "lead"},
        _expected_redirect=f"/boards/{slug}/admin/people",
    )
    assert session.scalars(select(OutboxMessage.recipient)).all() == ["emma@example.org"]
    page = admin_request.get("admin.people", board_slug=slug)
    assert "Invited, not yet joined Name E-mail Role Actions Emma Leaver Invited" in text(page)
    invitation = session.scalars(select(Invitation)).one()
    admin_request.post(
        "admin.resend_open_invitation",
        board_slug=slug,
        invitation_id=invitation.id,
        _expected_redirect=f"/boards/{slug}/admin/people",
    )
    assert session.scalars(select(OutboxMessage.recipient)).all() == ["emma@example.org"] * 2
    page = admin_request.post(
        "admin.invite_person",
        board_slug=slug,
        _data={"name": "Lead", "email": setup["lead"].email.upper(), "role": "lead"},
    )
    assert field_error(page, "email") == "This person is already a member of the board"


def test_someone_with_an_account_joins_when_they_accept(app, admin_request, setup, session):
    slug = setup["board"].slug
    known = factories.person(factories.board(), Role.LEAD, name="Known Elsewhere")
    session.commit()
    admin_request.post(
        "admin.invite_person",
        board_slug=slug,
        _data={"name": "Given Name", "email": known.email, "role": "lead"},
        _expected_redirect=f"/boards/{slug}/admin/people",
    )
    page = admin_request.get("admin.people", board_slug=slug)
    assert "Given Name Invited" in text(page) and "Known Elsewhere" not in text(page)
    app.test_client().post("/sign-in", data={"email": known.email, "password": factories.PASSWORD})
    assert "Known Elsewhere" not in text(admin_request.get("admin.people", board_slug=slug))
    message = session.scalars(select(OutboxMessage)).one()
    path = re.search(r"/invitations/\S+", message.body_text).group(0)
    assert app.test_client().post(path).status_code == 302
    page = admin_request.get("admin.people", board_slug=slug)
    assert "Known Elsewhere" in text(page) and "Given Name" not in text(page)


def test_the_last_admin_stays(admin_request, setup, session):
    slug = setup["board"].slug
    membership = session.scalars(
        select(Membership).where(Membership.person_id == setup["admin"].id)
    ).one()
    page = admin_request.post(
        "admin.person_role", board_slug=slug, membership_id=membership.id, _data={"role": "member"}
    )
    assert field_error(page, "role").startswith("The board needs at least one admin")
    admin_request.post(
        "admin.remove_person",
        board_slug=slug,
        membership_id=membership.id,
        _expected_redirect=f"/boards/{slug}/admin/people",
    )
    session.refresh(membership)
    assert membership.role is Role.ADMIN and membership.archived_at is None


def test_remove_and_restore_a_person(admin_request, setup, session):
    slug = setup["board"].slug
    membership = session.scalars(
        select(Membership).where(Membership.person_id == setup["lead"].id)
    ).one()
    admin_request.post(
        "admin.remove_person",
        board_slug=slug,
        membership_id=membership.id,
        _expected_redirect=f"/boards/{slug}/admin/people",
    )
    session.refresh(membership)
    assert membership.archived_at is not None
    admin_request.post(
        "admin.restore_person",
        board_slug=slug,
        membership_id=membership.id,
        _expected_redirect=f"/boards/{slug}/admin/people",
    )
