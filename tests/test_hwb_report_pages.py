"""The report page: every member reads it and downloads its files; the secretariat writes
the report date and the narratives, marks it final once the meeting is recorded, and sets
the report's header under Admin."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from docx import Document
from sqlalchemy import select

from tests import factories
from tests.helpers import error_summary, field_error, text
from tracker import clock, examples
from tracker.models import (
    ActionStatus,
    AuditEvent,
    HwbNarrative,
    HwbReport,
    Meeting,
    ProgressUpdate,
    Role,
)
from tracker.reports.report import SECTIONS


@pytest.fixture
def world(session, board_people):
    board, people = board_people.board, board_people.people
    plan = factories.plan(board, "CYPP 2018–2021", 2018, 2021)
    safe = factories.area(plan, "Be Safe", 1)
    supported = factories.area(plan, "Be Supported", 2)
    pathway = factories.action(safe, text="Embed the pathway", leads=[people[Role.LEAD]])
    meeting = factories.meeting(board, date(2019, 3, 21), focus=safe)
    factories.meeting(board, date(2019, 6, 20), focus=supported)
    session.add(
        ProgressUpdate(
            action=pathway,
            author=people[Role.LEAD],
            text="The new Pathway was launched in July 2018.",
            status=ActionStatus.ON_TRACK,
            created_at=datetime(2019, 3, 1, tzinfo=UTC),
        )
    )
    session.commit()
    return dict(board=board, people=people, meeting=meeting, safe=safe, supported=supported)


def _values(world, **extra):
    return {"board_slug": world["board"].slug, "meeting_id": world["meeting"].id, **extra}


def _form(world, **fields):
    data = {
        "report_date": ["24", "5", "2019"],
        "performance_summary": "",
        f"progress_{world['safe'].id}": "The Pathway is embedded.",
        f"progress_{world['supported'].id}": "",
        f"performance_{world['safe'].id}": "",
        f"performance_{world['supported'].id}": "",
    }
    data.update(fields)
    return data


def test_every_member_reads_the_draft_and_downloads_it(as_member, world):
    page = as_member.get("reports.show", **_values(world))
    assert [text(h) for h in page.select(".app-report h2")] == list(SECTIONS)
    assert text(page.select_one("#report-state")).startswith("Draft")
    assert "The new Pathway was launched in July 2018." in text(page)
    assert not page.find("a", string="Change the report")
    for file_format in ("docx", "html"):
        response = as_member.client.get(
            as_member.url("reports.download", **_values(world, file_format=file_format))
        )
        assert response.status_code == 200
        assert response.headers["Content-Disposition"].endswith(f'-2019-03-21-draft.{file_format}"')
    document = Document(io.BytesIO(_docx(as_member, world)))
    assert "DRAFT" in document.sections[0].header._element.xml


def _docx(client_request, world) -> bytes:
    return client_request.client.get(
        client_request.url("reports.download", **_values(world, file_format="docx"))
    ).data


def test_the_secretariat_writes_the_report(as_admin, session, world):
    admin = world["people"][Role.ADMIN]
    page = as_admin.get("reports.show", **_values(world))
    assert page.find("a", string="Change the report")
    form = as_admin.get("reports.edit", **_values(world))
    # Pre-filled from the updates since the previous meeting.
    area = world["safe"].id
    assert (
        text(form.select_one(f"#progress_{area}")) == "The new Pathway was launched in July 2018."
    )
    assert "1 progress update it is drafted from" in text(form.select_one(f"#updates-{area}"))

    as_admin.post(
        "reports.edit",
        _data=_form(
            world,
            performance_summary="Performance remains\x0b affected by COVID-19.",
            **{f"performance_{area}": "- MASH enquiries up 34%."},
        ),
        _expected_redirect=as_admin.url("reports.show", **_values(world)),
        **_values(world),
    )
    record = session.scalars(select(HwbReport)).one()
    assert record.report_date == date(2019, 5, 24)
    assert record.performance_summary == "Performance remains affected by COVID-19."  # cleaned
    assert sorted(n.text for n in record.narratives) == [
        "- MASH enquiries up 34%.",
        "The Pathway is embedded.",
    ]
    page = as_admin.get("reports.show", **_values(world))
    assert "24th May 2019" in text(page.select_one("#report-header"))
    assert "The Pathway is embedded." in text(page)
    # Every change is in the audit trail, by the secretariat.
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.entity.in_(["hwb_report", "hwb_narrative"]))
    ).all()
    assert {(e.entity, e.verb, e.actor_id) for e in events} == {
        ("hwb_report", "created", admin.id),
        ("hwb_narrative", "created", admin.id),
    }


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"report_date": ["31", "2", "2019"]},
            "report_date",
            f"Enter a real date, like {examples.day(clock.today())}",
        ),
        (
            {"report_date": ["24", "5", "1950"]},
            "report_date",
            "The report date must be between the years 2000 and 2100",
        ),
        (
            {"report_date": ["20", "3", "2019"]},
            "report_date",
            "The report date must be on or after the day of the meeting, 21 March 2019",
        ),
        (
            {"progress_SAFE": "x" * 20_001},
            "progress_SAFE",
            "The progress report for Be Safe must be 20,000 characters or fewer",
        ),
        (
            {"performance_summary": "x" * 20_001},
            "performance_summary",
            "The opening note of section 2 must be 20,000 characters or fewer",
        ),
    ],
)
def test_what_cannot_be_saved_is_said_beside_its_field(
    as_admin, session, world, fields, field, message
):
    safe = str(world["safe"].id)
    fields = {k.replace("SAFE", safe): v for k, v in fields.items()}
    page = as_admin.post(
        "reports.edit", _data=_form(world, **fields), _expected_status=200, **_values(world)
    )
    assert error_summary(page) == [message]
    assert field_error(page, field.replace("SAFE", safe)) == message
    assert session.scalars(select(HwbReport)).all() == []


def test_anything_typed_is_answered_without_an_error_page(as_admin, session, world):
    for junk in ("\x00\x0b\x1b", "'; drop table meeting; --", "<script>x</script>", "9" * 40):
        data = {key: junk for key in _form(world)}
        response = as_admin.client.post(as_admin.url("reports.edit", **_values(world)), data=data)
        assert response.status_code in (200, 302)
    assert _docx(as_admin, world)[:2] == b"PK"


def test_an_archived_meeting_has_no_report(as_admin, session, world):
    world["meeting"].archived_at = datetime(2019, 4, 1, tzinfo=UTC)
    session.commit()
    as_admin.get("reports.show", _expected_status=404, **_values(world))


def test_only_the_secretariat_writes_or_marks_it_final(client_request, session, world):
    for role in (Role.CHAIR, Role.LEAD, Role.MEMBER):
        client_request.login(world["people"][role])
        for endpoint in ("reports.edit", "reports.finalise"):
            client_request.post(
                endpoint, _data=_form(world), _expected_status=403, **_values(world)
            )
    assert session.scalars(select(HwbReport)).all() == []


def test_marked_final_once_the_meeting_is_recorded_then_kept(as_admin, session, world):
    admin = world["people"][Role.ADMIN]
    page = as_admin.get("reports.finalise", **_values(world))
    assert "once the meeting is recorded" in text(page.select_one("#not-recorded"))
    page = as_admin.post("reports.finalise", _expected_status=200, **_values(world))
    assert "Record the meeting before marking its report final" in text(page)
    assert session.scalars(select(HwbReport)).all() == []

    meeting = session.get(Meeting, world["meeting"].id)
    meeting.recorded_at = datetime(2019, 3, 22, tzinfo=UTC)
    session.commit()
    page = as_admin.get("reports.finalise", **_values(world))
    assert "21st March 2019" in text(page)  # the report date it will carry
    as_admin.post(
        "reports.finalise",
        _expected_redirect=as_admin.url("reports.show", **_values(world)),
        **_values(world),
    )
    record = session.scalars(select(HwbReport)).one()
    assert record.final_by_id == admin.id and record.final_content["version"] == 1
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.entity == "hwb_report", AuditEvent.verb == "created")
    ).one()
    assert event.changes["final_content"][1]["priorities"][0]["area"] == "Be Safe"

    page = as_admin.get("reports.show", **_values(world))
    assert text(page.select_one("#report-state")).startswith("Final")
    assert not page.find("a", string="Change the report")
    response = as_admin.client.get(
        as_admin.url("reports.download", **_values(world, file_format="docx"))
    )
    assert response.headers["Content-Disposition"].endswith('-2019-03-21.docx"')
    assert "DRAFT" not in Document(io.BytesIO(response.data)).sections[0].header._element.xml
    # Nothing changes it any more.
    for endpoint in ("reports.edit", "reports.finalise"):
        as_admin.post(
            endpoint,
            _data=_form(world),
            _expected_redirect=as_admin.url("reports.show", **_values(world)),
            **_values(world),
        )
    assert session.scalars(select(HwbNarrative)).all() == []


def test_the_admin_sets_the_reports_header(as_admin, session, world):
    admin = world["people"][Role.ADMIN]
    page = as_admin.get("admin.index", board_slug=world["board"].slug)
    assert page.find("a", string="Report to the HWB")
    url = "https://www.oxfordshire.gov.uk/cms/content/children-and-young-peoples-plan-2018-2021"
    settings = {
        "short_name": "CTB",
        "hwb_priorities": "A Healthy Start in Life\r\n\r\nLiving Well",
        "published_notes_url": url,
        "published_notes_text": "Children and Young People's Plan",
    }
    as_admin.post(
        "admin.report_settings",
        _data=settings,
        _expected_redirect=as_admin.url("admin.report_settings", board_slug=world["board"].slug),
        board_slug=world["board"].slug,
    )
    page = as_admin.get("reports.show", **_values(world))
    header = text(page.select_one("#report-header"))
    assert "A Healthy Start in Life Living Well" in header and url in header
    assert page.select_one(f'#report-header a[href="{url}"]')
    assert "(March 2019 CTB meeting focus)" in text(page)
    event = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.entity == "board", AuditEvent.entity_id == world["board"].id)
        .order_by(AuditEvent.id.desc())
    ).first()
    assert event.actor_id == admin.id and event.changes["short_name"] == [None, "CTB"]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"published_notes_url": "javascript:alert(1)"},
            "published_notes_url",
            "Enter the link as a web address that starts with https://, like "
            "https://www.oxfordshire.gov.uk/cms/content/children-and-young-peoples-plan",
        ),
        (
            {"published_notes_text": "The plan"},
            "published_notes_url",
            "Enter the web address the link goes to",
        ),
        ({"short_name": "x" * 51}, "short_name", "The short name must be 50 characters or fewer"),
    ],
)
def test_report_settings_say_what_is_wrong(as_admin, session, world, fields, field, message):
    page = as_admin.post(
        "admin.report_settings",
        _data=fields,
        _expected_status=200,
        board_slug=world["board"].slug,
    )
    assert error_summary(page) == [message]
    assert field_error(page, field) == message
    session.expire_all()
    assert world["board"].short_name is None and world["board"].published_notes_url is None


def test_a_meeting_note_is_set_with_the_meeting(as_admin, session, world):
    meeting = world["meeting"]
    as_admin.post(
        "admin.meetings_edit",
        _data={
            "held_on": ["21", "3", "2019"],
            "focus_area": str(world["safe"].id),
            "note": " Virtual meeting due to COVID-19 restrictions\x0b ",
        },
        _expected_redirect=as_admin.url("admin.meetings", board_slug=world["board"].slug),
        board_slug=world["board"].slug,
        object_id=meeting.id,
    )
    session.expire_all()
    assert meeting.note == "Virtual meeting due to COVID-19 restrictions"
    page = as_admin.get("reports.show", **_values(world))
    assert "21st March 2019 – Virtual meeting due to COVID-19 restrictions" in text(
        page.select_one("#report-header")
    )
    page = as_admin.get("meetings.show", board_slug=world["board"].slug, meeting_id=meeting.id)
    assert "Virtual meeting due to COVID-19 restrictions" in text(page)
