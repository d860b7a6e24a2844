"""Calendar feeds: what each person's feed holds, that it is valid RFC 5545 in UK time, and
that only its secret link opens it."""

from __future__ import annotations

import ctypes
from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from jobs.meetings import compile_forward_plans, send_digests
from tests import factories
from tracker.models import (
    ActionStatus,
    AuditEvent,
    Meeting,
    Membership,
    OutboxMessage,
    Person,
    Role,
    utcnow,
)

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
AWKWARD_TEXT = (
    "Reduce waiting times, for CAMHS; with the schools\n"
    "and GPs – “Be Happy and Healthy” – über alles, for the whole of the county"
)


@pytest.fixture
def board_people(session):
    """The shared board_people, with the names and boards the feeds below show."""
    people = factories.board_with_people(
        "Oxfordshire Children's Trust Board",
        names={Role.CHAIR: "Steve Harrod", Role.LEAD: "David Clarke", Role.MEMBER: "Plain Member"},
        other_board_name="Another Board",
    )
    session.commit()
    return people


@pytest.fixture
def world(session, clock, board_people):
    clock.set(NOW)
    board, chair, lead = board_people.board, board_people.chair, board_people.lead
    other_lead = factories.person(board, Role.LEAD, name="Other Lead")
    contact = factories.person(board, Role.LEAD, name="Team Contact")
    team = factories.team(board, "SEND (OCC)", contacts=[contact])
    area = factories.area(factories.plan(board, "CYPP 2025–2028", 2025, 2028), "Be Safe")
    meetings = {
        "summer": factories.meeting(board, date(2026, 9, 10), focus=area),
        "winter": factories.meeting(board, date(2027, 1, 21)),
        "too_old": factories.meeting(board, date(2025, 3, 13)),
        "too_far": factories.meeting(board, date(2030, 3, 14)),
    }
    actions = {
        "lead": factories.action(
            area, text=AWKWARD_TEXT, leads=[lead], months=[date(2026, 9, 1), date(2027, 1, 1)]
        ),
        "other": factories.action(
            area, text="Someone else's action", leads=[other_lead], months=[date(2026, 9, 1)]
        ),
        "team": factories.action(
            area, text="A team's action", leads=[team], months=[date(2026, 9, 1)]
        ),
        "complete": factories.action(
            area,
            text="Finished already",
            leads=[lead],
            months=[date(2026, 9, 1)],
            status=ActionStatus.COMPLETE,
        ),
        "far": factories.action(
            area, text="Far in the future", leads=[lead], months=[date(2035, 9, 1)]
        ),
    }
    other_meeting = factories.meeting(board_people.other_board, date(2026, 10, 8))
    # The chair is also a plain member of another board.
    session.add(Membership(board=board_people.other_board, person=chair, role=Role.MEMBER))
    people = dict(
        chair=chair, lead=lead, other_lead=other_lead, contact=contact, member=board_people.member
    )
    for person in people.values():
        person.calendar_token = f"token-of-{person.name.replace(' ', '-').lower()}-{person.id}"
    session.commit()
    return dict(
        board=board,
        people=people,
        meetings=meetings,
        actions=actions,
        other_meeting=other_meeting,
    )


def fetch(client_request, person: Person, expected_status: int = 200):
    response = client_request.client.get(
        client_request.url("calendars.feed_ics", token=person.calendar_token)
    )
    assert response.status_code == expected_status, response.status_code
    return response


def events(client_request, person: Person) -> dict[str, object]:
    calendar = Calendar.from_ical(fetch(client_request, person).data)
    return {str(e["UID"]).split("@")[0]: e for e in calendar.walk("VEVENT")}


def test_a_feed_is_a_valid_calendar_served_privately(client_request, world):
    response = fetch(client_request, world["people"]["chair"])
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Cache-Control"] == "private"
    body = response.data
    # RFC 5545 3.1: lines end in CRLF and are folded at 75 octets.
    assert body.endswith(b"\r\n") and b"\n" not in body.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))

    calendar = Calendar.from_ical(body)
    calendar.validate()
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"] == "-//Trust Tracker//Calendar feed//EN"
    assert calendar["X-WR-CALNAME"] == (
        "Trust Tracker: Another Board, Oxfordshire Children's Trust Board"
    )
    uids = []
    for event in calendar.walk("VEVENT"):
        for required in ("UID", "DTSTAMP", "DTSTART", "SUMMARY"):
            assert required in event, (required, event)
        assert event.stamp == NOW
        uids.append(str(event["UID"]))
    assert len(uids) == len(set(uids))
    # Nobody else's name or address is in it.
    text = body.decode()
    for key in ("lead", "other_lead", "contact", "member"):
        assert world["people"][key].name not in text
    assert "@example.org" not in text


def test_a_member_sees_their_boards_meetings_in_the_window_as_all_day_events(client_request, world):
    found = events(client_request, world["people"]["member"])
    meetings = world["meetings"]
    assert set(found) == {f"meeting-{meetings['summer'].id}", f"meeting-{meetings['winter'].id}"}
    summer = found[f"meeting-{meetings['summer'].id}"]
    assert summer.start == date(2026, 9, 10) and summer.end == date(2026, 9, 11)
    assert str(summer["SUMMARY"]) == "Oxfordshire Children's Trust Board meeting"
    assert "In-depth review: Be Safe" in str(summer["DESCRIPTION"])
    assert str(summer["URL"]).startswith("http://127.0.0.1:5000/boards/")


def test_a_lead_sees_their_own_due_dates_and_nobody_elses(client_request, world):
    found = events(client_request, world["people"]["lead"])
    action = world["actions"]["lead"]
    dues = {uid: e for uid, e in found.items() if uid.startswith("due-")}
    assert set(dues) == {f"due-{action.id}-2026-09", f"due-{action.id}-2027-01"}
    september = dues[f"due-{action.id}-2026-09"]
    # 10 working days before the meeting on Thursday 10 September, skipping the bank
    # holiday on Monday 31 August.
    assert september.start == date(2026, 8, 26)
    # 10 working days before the meeting on Thursday 21 January.
    assert dues[f"due-{action.id}-2027-01"].start == date(2027, 1, 7)
    assert str(september["URL"]).endswith(f"/actions/{action.id}")
    assert not any(uid.startswith(("forward-plan-", "digest-")) for uid in found)


def test_an_update_already_in_is_not_shown_as_still_due(client_request, world, session):
    from tracker.models import ProgressUpdate

    action, lead = world["actions"]["other"], world["people"]["other_lead"]
    session.add(
        ProgressUpdate(
            action=action,
            author=lead,
            text="In early",
            status=ActionStatus.ON_TRACK,
            created_at=datetime(2026, 8, 3, 9, tzinfo=UTC),
        )
    )
    session.commit()
    (event,) = [e for uid, e in events(client_request, lead).items() if uid.startswith("due-")]
    assert str(event["SUMMARY"]) == "Update received: Someone else's action"
    assert "came in on 3 August 2026" in str(event["DESCRIPTION"])


def test_a_deputy_sees_the_due_dates_of_the_person_away_until_they_are_back(
    client_request, world, session
):
    lead, deputy = world["people"]["lead"], world["people"]["other_lead"]
    lead.away_until, lead.deputy = date(2026, 10, 31), deputy
    session.commit()
    action = world["actions"]["lead"]
    found = events(client_request, deputy)
    dues = sorted(uid for uid in found if uid.startswith("due-"))
    # Their own, and the September one they cover; January's falls after the lead is back.
    assert dues == sorted(
        [f"due-{world['actions']['other'].id}-2026-09", f"due-{action.id}-2026-09-for-{lead.id}"]
    )
    covered = found[f"due-{action.id}-2026-09-for-{lead.id}"]
    assert str(covered["SUMMARY"]).startswith("Update due for David Clarke: ")
    assert "As deputy while they are away: David Clarke's update" in str(covered["DESCRIPTION"])
    assert covered.start == date(2026, 8, 26)
    # The lead still sees their own.
    assert f"due-{action.id}-2026-09" in events(client_request, lead)

    lead.away_until = date(2026, 1, 31)  # back before today
    session.commit()
    assert not any("-for-" in uid for uid in events(client_request, deputy))


def test_a_team_contact_sees_the_teams_due_dates(client_request, world):
    found = events(client_request, world["people"]["contact"])
    team_action = world["actions"]["team"]
    assert [uid for uid in found if uid.startswith("due-")] == [f"due-{team_action.id}-2026-09"]


def test_the_chairs_feed_has_the_forward_plan_and_digest_mornings_in_uk_time(client_request, world):
    response = fetch(client_request, world["people"]["chair"])
    calendar = Calendar.from_ical(response.data)
    found = {str(e["UID"]).split("@")[0]: e for e in calendar.walk("VEVENT")}
    summer, winter = world["meetings"]["summer"], world["meetings"]["winter"]
    # Another board's meetings appear only for that board's members: the chair is one.
    assert f"meeting-{world['other_meeting'].id}" in found
    # ...but chairs only this board, so no forward plan for the other one.
    assert f"forward-plan-{world['other_meeting'].id}" not in found

    expected = {
        # Thursday 20 August 2026 (21 days before), British Summer Time.
        f"forward-plan-{summer.id}": ("20260820T070000", timedelta(hours=1)),
        f"digest-{summer.id}": ("20260903T073000", timedelta(hours=1)),
        # Thursday 31 December 2026, Greenwich Mean Time.
        f"forward-plan-{winter.id}": ("20261231T070000", timedelta(0)),
        f"digest-{winter.id}": ("20270114T073000", timedelta(0)),
    }
    text = response.data.decode()
    (zone,) = calendar.walk("VTIMEZONE")
    assert zone["TZID"] == "Europe/London"
    # Offsets from the feed's own VTIMEZONE, as a calendar program reads them.
    tz = zone.to_tz()
    for uid, (local, offset) in expected.items():
        assert f"DTSTART;TZID=Europe/London:{local}" in text
        start = found[uid].start
        assert start.replace(tzinfo=None) == datetime.strptime(local, "%Y%m%dT%H%M%S")
        assert start.replace(tzinfo=tz).utcoffset() == offset
        assert start.utcoffset() == offset
        assert found[uid].end - start == timedelta(minutes=30)


def test_the_chairs_mornings_are_when_the_scheduler_acts(client_request, world, session):
    found = events(client_request, world["people"]["chair"])
    meeting = world["meetings"]["summer"]
    compile_at = found[f"forward-plan-{meeting.id}"].start
    digest_at = found[f"digest-{meeting.id}"].start

    compile_forward_plans(session, compile_at - timedelta(days=1))
    assert session.get(Meeting, meeting.id).forward_plan_compiled_at is None
    compile_forward_plans(session, compile_at)
    assert session.get(Meeting, meeting.id).forward_plan_compiled_at == compile_at

    def digests():
        return session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "digest")).all()

    send_digests(session, digest_at - timedelta(days=1))
    assert digests() == []
    send_digests(session, digest_at)
    assert digests()


def test_awkward_text_is_escaped_folded_and_read_back_unchanged(client_request, world):
    response = fetch(client_request, world["people"]["lead"])
    action = world["actions"]["lead"]
    found = {
        str(e["UID"]).split("@")[0]: e for e in Calendar.from_ical(response.data).walk("VEVENT")
    }
    due = found[f"due-{action.id}-2026-09"]
    assert str(due["SUMMARY"]) == (
        "Update due: Reduce waiting times, for CAMHS; with the schools and GPs…"
    )
    assert AWKWARD_TEXT in str(due["DESCRIPTION"])
    unfolded = response.data.replace(b"\r\n ", b"").decode()
    assert "Reduce waiting times\\, for CAMHS\\; with the schools\\nand GPs – “Be Happy" in (
        unfolded
    )


def test_resetting_the_link_stops_the_old_one(as_lead, world, session):
    lead = world["people"]["lead"]
    old = lead.calendar_token
    page = as_lead.get("calendars.your_calendar")
    assert page.select_one("#calendar-link")["value"].endswith(f"/calendar/{old}.ics")
    assert "Anyone with this link can see" in page.select_one(".govuk-warning-text").text

    as_lead.post("calendars.your_calendar", _expected_redirect="/account/calendar")
    session.expire_all()
    new = session.get(Person, lead.id).calendar_token
    assert new != old and len(new) >= 43
    as_lead.logout()
    assert as_lead.client.get(f"/calendar/{old}.ics").status_code == 404
    assert as_lead.client.get(f"/calendar/{new}.ics").status_code == 200
    # The change is audited, without the token.
    audit = session.scalars(select(AuditEvent).where(AuditEvent.entity == "person")).all()
    changes = [e.changes for e in audit if "calendar_token" in e.changes]
    assert changes and old not in str(changes) and new not in str(changes)


def test_a_person_without_a_link_creates_one(as_member, board_people, session):
    person = board_people.member
    page = as_member.get("calendars.your_calendar")
    assert page.select_one("#calendar-link") is None
    assert page.select_one("main form button").text.strip() == "Create my calendar link"
    as_member.post("calendars.your_calendar", _expected_redirect="/account/calendar")
    session.expire_all()
    token = session.get(Person, person.id).calendar_token
    assert token
    page = as_member.get("calendars.your_calendar")
    assert page.select_one("#calendar-link")["value"].endswith(f"/calendar/{token}.ics")


def test_the_reset_needs_a_csrf_token(app, as_lead, world, session, monkeypatch):
    lead = world["people"]["lead"]
    old = lead.calendar_token
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    as_lead.post("calendars.your_calendar", _expected_status=400)
    session.expire_all()
    assert session.get(Person, lead.id).calendar_token == old


@pytest.mark.parametrize("token", ["", "nonsense", "x" * 200])
def test_an_unknown_token_is_not_found(client_request, world, token):
    assert client_request.client.get(f"/calendar/{token}.ics").status_code == 404


def test_a_deactivated_persons_feed_is_not_found(client_request, world, session):
    lead = world["people"]["lead"]
    lead.deactivated_at = utcnow()
    session.commit()
    fetch(client_request, lead, expected_status=404)


def test_leaving_a_board_takes_its_dates_out_of_the_feed(client_request, world, session):
    member = world["people"]["member"]
    for membership in member.memberships:
        membership.archived_at = utcnow()
    session.commit()
    calendar = Calendar.from_ical(fetch(client_request, member).data)
    assert calendar.walk("VEVENT") == []
    assert calendar["X-WR-CALNAME"] == "Trust Tracker: no boards"


def libical_problems(body: bytes) -> list[str]:
    """What libical (the C library behind Evolution and others) finds wrong with ``body``:
    parse errors and RFC 5545 restrictions, as the X-LIC-ERROR lines it adds."""
    try:
        lib = ctypes.CDLL("libical.so.3")
    except OSError:
        pytest.skip("libical3 is not installed (scripts/test-services installs it as root)")
    lib.icalparser_parse_string.restype = ctypes.c_void_p
    lib.icalparser_parse_string.argtypes = [ctypes.c_char_p]
    lib.icalrestriction_check.argtypes = [ctypes.c_void_p]
    lib.icalcomponent_as_ical_string.restype = ctypes.c_char_p
    lib.icalcomponent_as_ical_string.argtypes = [ctypes.c_void_p]
    lib.icalcomponent_free.argtypes = [ctypes.c_void_p]
    component = lib.icalparser_parse_string(body)
    assert component, "libical could not parse the feed at all"
    try:
        lib.icalrestriction_check(component)
        checked = lib.icalcomponent_as_ical_string(component).decode()
    finally:
        lib.icalcomponent_free(component)
    lines = checked.replace("\r\n ", "").splitlines()
    return [
        " / ".join(lines[max(0, i - 3) : i + 1])
        for i, line in enumerate(lines)
        if "X-LIC-ERROR" in line
    ]


def test_libical_finds_nothing_wrong_with_any_feed(client_request, world):
    for person in world["people"].values():
        assert libical_problems(fetch(client_request, person).data) == [], person.name


def test_libical_does_find_what_is_wrong():
    broken = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:1\r\n"
        b"DTSTAMP:20260101T000000Z\r\nDTSTART:2026\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    assert any("VALUE-PARSE-ERROR" in problem for problem in libical_problems(broken))
