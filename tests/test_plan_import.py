"""Importing plans into the database and exporting them: CLI, web, all or nothing, round trips."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import func, select

from tests import factories, plan_files
from tests.helpers import error_summary, h1, text
from tracker import clock
from tracker.extensions import db
from tracker.imports.comparison import compare
from tracker.imports.plan_import import write
from tracker.imports.plan_reader import read_plan
from tracker.imports.sources import read_tables
from tracker.models import (
    Action,
    AreaOfFocus,
    AuditEvent,
    Board,
    Invitation,
    Membership,
    OutboxMessage,
    Person,
    Plan,
    ProgressUpdate,
    Role,
)
from tracker.plans.export.content import exported_actions


def snapshot() -> dict[str, int]:
    """Rows per table: equal before and after means nothing was written."""
    with db.engine.connect() as connection:
        return {
            table.name: connection.execute(select(func.count()).select_from(table)).scalar()
            for table in db.metadata.sorted_tables
        }


@pytest.fixture
def board_with_people(session):
    board = factories.board("Oxfordshire Children's Trust Board")
    admin = factories.person(board, Role.ADMIN, name="Sam Patel", email="sam@example.org")
    clarke = factories.person(board, Role.LEAD, name="David Clarke")
    factories.team(board, "SEND (OCC)")
    plan = factories.plan(board, "CYPP 2018–2021", 2018, 2021)
    factories.area(plan, "Be Successful", 1)
    factories.area(plan, "Be Happy and Healthy", 2)
    factories.area(plan, "Be Safe", 3)
    session.commit()
    return dict(board=board, admin=admin, clarke=clarke, plan=plan)


def run(app, *args):
    return app.test_cli_runner().invoke(args=[str(a) for a in args])


def run_import(app, path, *more):
    """``plan import`` into the board_with_people fixture's plan."""
    board, plan = "Oxfordshire Children's Trust Board", "CYPP 2018–2021"
    return run(app, "plan", "import", path, "--board", board, "--plan", plan, *more)


def test_cli_imports_annex_2_matching_existing_areas_people_and_teams(
    app, session, board_with_people, tmp_path
):
    path = tmp_path / "annex2.docx"
    path.write_bytes(plan_files.annex_2_docx())
    result = run_import(app, path)
    assert result.exit_code == 0, result.output
    assert "Actions: 11 new, 0 changed, 0 unchanged" in result.output
    assert "Area 'Be Healthy' matched to the existing area 'Be Happy and Healthy'" in result.output
    # David Clarke exists; the others are new people with no e-mail address yet.
    assert "New people (no e-mail yet" in result.output and "Emma Leaver" in result.output
    assert session.scalar(select(func.count()).select_from(Action)) == 11
    assert session.scalar(select(func.count()).where(Person.name == "David Clarke")) == 1
    assert session.scalar(select(func.count()).select_from(AreaOfFocus)) == 3
    emma = session.scalars(select(Person).where(Person.name == "Emma Leaver")).one()
    assert emma.email is None
    assert (
        session.scalars(select(Membership.role).where(Membership.person_id == emma.id)).one()
        is Role.LEAD
    )
    year_2 = session.scalars(select(Action).where(Action.text == plan_files.YEAR_2_ACTION)).one()
    assert year_2.plan_year == 2019 and len(year_2.measures) == 11
    healthy = session.scalars(
        select(AreaOfFocus).where(AreaOfFocus.name == "Be Happy and Healthy")
    ).one()
    assert healthy.priority_for(2018).text == (
        "Focus on social and emotional well-being and mental health"
    )
    # Every change is audited, and attributed to the import.
    reasons = set(session.scalars(select(AuditEvent.reason).where(AuditEvent.entity == "action")))
    assert reasons == {f"imported from {path}"}

    again = run_import(app, path)
    assert again.exit_code == 0, again.output
    assert "Actions: 0 new, 0 changed, 11 unchanged" in again.output
    assert session.scalar(select(func.count()).select_from(Action)) == 11


def test_cli_creates_the_board_and_plan_and_dry_run_writes_nothing(app, session, tmp_path):
    path = tmp_path / "annex2.xlsx"
    path.write_bytes(plan_files.annex_2_xlsx())
    before = snapshot()
    dry = run(
        app,
        "plan",
        "import",
        path,
        "--board",
        "Cherwell Board",
        "--plan",
        "CYPP 2018–2021",
        "--dry-run",
    )
    assert dry.exit_code == 0, dry.output
    assert "New board: Cherwell Board" in dry.output
    assert "New plan: CYPP 2018–2021 (2018–2021)" in dry.output
    assert "Dry run: nothing was written." in dry.output
    assert snapshot() == before

    real = run(app, "plan", "import", path, "--board", "Cherwell Board", "--plan", "CYPP 2018–2021")
    assert real.exit_code == 0, real.output
    plan = session.scalars(select(Plan)).one()
    assert (plan.board.name, plan.start_year, plan.end_year) == ("Cherwell Board", 2018, 2021)
    assert [a.name for a in plan.areas] == ["Be Successful", "Be Happy and Healthy", "Be Safe"]
    assert session.scalar(select(func.count()).select_from(Action)) == 10
    names = session.scalars(select(Person.name).order_by(Person.name)).all()
    assert names == [
        "David Clarke",
        "Donna Husband",
        "Emma Leaver",
        "Maria Godfrey",
        "Sarah Breton",
    ]


def test_cli_invites_an_admin_for_a_new_board(app, session, tmp_path):
    path = tmp_path / "annex2.xlsx"
    path.write_bytes(plan_files.annex_2_xlsx())
    board_and_plan = ("--board", "Cherwell Board", "--plan", "CYPP 2018–2021")
    first = run(app, "plan", "import", path, *board_and_plan)
    assert first.exit_code == 0, first.output
    assert "Cherwell Board has no admin yet: import again with --admin-email" in first.output

    admin = ("--admin-email", "Clerk@Example.org", "--admin-name", "Cherwell Clerk")
    second = run(app, "plan", "import", path, *board_and_plan, *admin)
    assert second.exit_code == 0, second.output
    assert "Actions: 0 new, 0 changed, 10 unchanged" in second.output
    assert "Invited clerk@example.org as an admin of Cherwell Board." in second.output
    membership = session.scalars(
        select(Membership).join(Person).where(Person.email == "clerk@example.org")
    ).one()
    assert (membership.board.name, membership.role) == ("Cherwell Board", Role.ADMIN)
    assert session.scalars(select(OutboxMessage.recipient)).all() == ["clerk@example.org"]

    third = run(app, "plan", "import", path, *board_and_plan, *admin)
    assert third.exit_code == 0, third.output
    assert "clerk@example.org is already a member of Cherwell Board." in third.output
    assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 1

    before = snapshot()
    alone = run(app, "plan", "import", path, *board_and_plan, "--admin-email", "x@example.org")
    assert alone.exit_code == 2 and "give --admin-email and --admin-name together" in alone.output
    wrong = run(app, "plan", "import", path, *board_and_plan, *admin[:1], "nobody", *admin[2:])
    assert wrong.exit_code == 2 and "'nobody' is not an e-mail address" in wrong.output
    assert snapshot() == before


def test_cli_refuses_a_file_with_mistakes_and_changes_nothing(
    app, session, board_with_people, tmp_path
):
    path = tmp_path / "plan.csv"
    path.write_text("Area,Actions,Reporting month\nBe Safe,Good,Sep 21\nBe Safe,Bad,Jnu 22\n")
    before = snapshot()
    result = run_import(app, path)
    assert result.exit_code == 1
    assert "The file, row 3, Reporting month: 'Jnu 22' is not a month" in result.output
    assert "1 problem(s)" in result.output and "nothing was imported" in result.output
    assert "Traceback" not in result.output
    assert snapshot() == before


def test_cli_refuses_an_unreadable_file(app, session, tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(b"not a workbook at all")
    result = run(app, "plan", "import", path, "--board", "B", "--plan", "P 2020-2021")
    assert result.exit_code == 1
    assert "'plan.xlsx' is damaged or incomplete" in result.output
    assert session.scalar(select(func.count()).select_from(Board)) == 0


def test_progress_column_becomes_the_first_update_by_the_importer(
    app, session, board_with_people, tmp_path
):
    path = tmp_path / "plan.csv"
    path.write_text("Area,Actions,Status,Progress\nBe Safe,Act,On track,Launched in July.\n")
    assert run_import(app, path, "--by", "sam@example.org").exit_code == 0
    update = session.scalars(select(ProgressUpdate)).one()
    assert (update.text, update.author.name, update.status.value) == (
        "Launched in July.",
        "Sam Patel",
        "on_track",
    )
    # Again: the same update is not posted twice.
    assert run_import(app, path).exit_code == 0
    assert session.scalar(select(func.count()).select_from(ProgressUpdate)) == 1
    unknown = run_import(app, path, "--by", "nobody@example.org")
    assert unknown.exit_code == 2 and "nobody has the e-mail address" in unknown.output


def _import_into(session, board, plan, data: bytes, filename: str, author) -> None:
    draft = read_plan(read_tables(filename, data))
    assert not draft.problems, draft.problems
    write(session, board, plan, draft, author=author, now=factories_now())
    session.commit()


def factories_now():
    return clock.now()


@pytest.mark.parametrize("file_format", ["xlsx", "docx", "csv", "json"])
def test_export_then_import_into_an_empty_plan_gives_the_same_plan(
    app, session, board_with_people, tmp_path, file_format
):
    board, plan = board_with_people["board"], board_with_people["plan"]
    _import_into(
        session, board, plan, plan_files.annex_2_docx(), "annex2.docx", board_with_people["admin"]
    )
    action = session.scalars(select(Action)).first()
    action.rag = None
    session.add(
        ProgressUpdate(
            action=action,
            author=board_with_people["clarke"],
            text="Learner Engagement services launch in October.",
            status=action.status,
        )
    )
    session.commit()
    path = tmp_path / f"plan.{file_format}"
    result = run(
        app,
        "plan",
        "export",
        "--board",
        board.name,
        "--plan",
        plan.name,
        "--format",
        file_format,
        "-o",
        path,
    )
    assert result.exit_code == 0, result.output

    empty = factories.plan(board, "CYPP copy 2018–2021", 2018, 2021)
    session.commit()
    _import_into(session, board, empty, path.read_bytes(), path.name, board_with_people["admin"])
    original, copy = exported_actions(session, plan), exported_actions(session, empty)
    assert len(copy) == 11
    assert copy == original


def test_exports_look_like_the_boards_tables(app, session, board_with_people, client_request):
    board, plan = board_with_people["board"], board_with_people["plan"]
    _import_into(
        session, board, plan, plan_files.annex_2_docx(), "annex2.docx", board_with_people["admin"]
    )
    client_request.login(board_with_people["clarke"])

    def download(file_format):
        response = client_request.client.get(
            client_request.url(
                "plans.export", board_slug=board.slug, plan_id=plan.id, file_format=file_format
            )
        )
        assert response.status_code == 200
        assert "attachment" in response.headers["Content-Disposition"]
        return response.data

    workbook = load_workbook(io.BytesIO(download("xlsx")))
    assert workbook.sheetnames == ["Be Successful", "Be Happy and Healthy", "Be Safe"]
    sheet = workbook["Be Safe"]
    assert sheet["A1"].value == "Be Safe – Focus on domestic abuse"
    assert [c.value for c in sheet[2]][:5] == [
        "Actions",
        "Responsible agencies",
        "How we will know this area of focus has improved",
        "Children's Trust Board leads",
        "Reporting timetable",
    ]
    assert [c.value for c in sheet[2]][-1] == "Progress"

    document = Document(io.BytesIO(download("docx")))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[1:] == [
        "Be Successful – Focus on children missing out on education",
        "Be Happy and Healthy – Focus on social and emotional well-being and mental health",
        "Be Safe – Focus on domestic abuse",
    ]
    assert len(document.tables) == 3 and document.tables[0].rows[0].cells[0].text == "Actions"

    actions = json.loads(download("json"))["actions"]
    assert set(actions[0]) >= {
        "area",
        "priority_focus",
        "text",
        "agencies",
        "measures",
        "leads",
        "reporting_months",
        "status",
    }
    assert actions[0]["reporting_months"] == ["2018-09"]
    assert download("csv").startswith("\ufeffArea of focus,Priority focus,Actions".encode())


def test_web_import_previews_then_writes_only_on_confirm(
    app, session, board_with_people, admin_request
):
    board, plan = board_with_people["board"], board_with_people["plan"]
    before = snapshot()
    page = admin_request.post(
        "admin.import_plan",
        board_slug=board.slug,
        _data={
            "plan": str(plan.id),
            "file": (io.BytesIO(plan_files.annex_2_docx()), "annex2.docx"),
        },
    )
    assert h1(page) == "Check what annex2.docx will change"
    assert text(page.select_one("#import-counts")) == "11 new, 0 changed, 0 unchanged actions."
    assert "Emma Leaver" in text(page) and "Be Happy and Healthy" in text(page)
    assert snapshot() == before

    token = _confirm(admin_request, board, plan, page)
    assert session.scalar(select(func.count()).select_from(Action)) == 11
    actors = set(session.scalars(select(AuditEvent.actor_id).where(AuditEvent.entity == "action")))
    assert actors == {board_with_people["admin"].id}
    # The stored upload is used once.
    admin_request.post(
        "admin.confirm_import",
        board_slug=board.slug,
        _data={"token": token},
        _expected_redirect=f"/boards/{board.slug}/admin/import",
    )
    assert session.scalar(select(func.count()).select_from(Action)) == 11


def _confirm(admin_request, board, plan, page) -> str:
    """Press Import on the preview; the import's token, to try using it again."""
    token = page.select_one("input[name=token]")["value"]
    admin_request.post(
        "admin.confirm_import",
        board_slug=board.slug,
        _data={"token": token},
        _expected_redirect=f"/boards/{board.slug}/plans/{plan.id}",
    )
    return token


@pytest.fixture
def admin_request(client_request, board_with_people):
    client_request.login(board_with_people["admin"])
    return client_request


def test_web_import_shows_every_problem_and_writes_nothing(
    app, session, board_with_people, admin_request
):
    board, plan = board_with_people["board"], board_with_people["plan"]
    data = plan_files.xlsx_file(
        {
            "Be Safe": [
                ["Actions", "Lead", "Reporting timetable"],
                ["One", "David Clarke", "Jnu 22"],
                ["Two", "David Clarke", "Sept 2021"],
                ["Three", "SEND (OCC)", "13/2021"],
            ]
        }
    )
    before = snapshot()
    page = admin_request.post(
        "admin.import_plan",
        board_slug=board.slug,
        _data={"plan": str(plan.id), "file": (io.BytesIO(data), "plan.xlsx")},
    )
    assert error_summary(page) == [
        "Sheet 'Be Safe', row 2, Reporting timetable: 'Jnu 22' is not a month",
        "Sheet 'Be Safe', row 4, Reporting timetable: '13/2021' is not a month",
    ]
    assert page.select_one("input[name=token]") is None
    assert snapshot() == before


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "plan.xlsx", "'plan.xlsx' is empty"),
        (b"GIF89a", "plan.docx", "'plan.docx' is damaged or incomplete: it cannot be opened"),
        (b"x", "plan.txt", "'plan.txt' is not a .xlsx, .docx, .csv or .json file"),
    ],
)
def test_web_import_refuses_unreadable_files_beside_the_field(
    app, session, board_with_people, admin_request, data, filename, message
):
    board, plan = board_with_people["board"], board_with_people["plan"]
    page = admin_request.post(
        "admin.import_plan",
        board_slug=board.slug,
        _data={"plan": str(plan.id), "file": (io.BytesIO(data), filename)},
    )
    assert error_summary(page) == [message]


def test_web_import_needs_a_plan_and_a_file(app, session, board_with_people, admin_request):
    page = admin_request.post(
        "admin.import_plan", board_slug=board_with_people["board"].slug, _data={}
    )
    assert error_summary(page) == ["Select the plan to import into", "Select the file to import"]


def test_web_import_of_a_huge_upload_is_refused(
    app, session, board_with_people, admin_request, monkeypatch
):
    # A smaller limit for the test: the test client spools a large body to a file it never closes.
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 100_000)
    board, plan = board_with_people["board"], board_with_people["plan"]
    big = io.BytesIO(b"x" * 200_000)
    admin_request.post(
        "admin.import_plan",
        board_slug=board.slug,
        _expected_status=413,
        _data={"plan": str(plan.id), "file": (big, "plan.csv")},
    )


def test_an_imported_lead_gets_an_address_and_an_invitation(
    app, session, board_with_people, admin_request
):
    board = board_with_people["board"]
    person = Person(name="Emma Leaver", email=None)
    membership = Membership(board=board, person=person, role=Role.LEAD)
    session.add_all([person, membership])
    session.commit()
    people = admin_request.get("admin.people", board_slug=board.slug)
    assert "Emma Leaver Not invited No e-mail address yet" in text(people)
    page = admin_request.post(
        "admin.person_address",
        board_slug=board.slug,
        membership_id=membership.id,
        _data={"email": "sam@example.org"},
    )
    assert error_summary(page) == ["A member of this board has this e-mail address already"]
    for email in ("emma.typo@example.org", "Emma@Example.org"):  # the second corrects the first
        admin_request.post(
            "admin.person_address",
            board_slug=board.slug,
            membership_id=membership.id,
            _data={"email": email},
            _expected_redirect=f"/boards/{board.slug}/admin/people",
        )
    people = admin_request.get("admin.people", board_slug=board.slug)
    assert "Emma Leaver Invited emma@example.org" in text(people)
    # Theirs once they accept (tracker.auth.addresses); the first link no longer works.
    session.refresh(person)
    assert person.email is None
    offered = session.scalars(select(Invitation).order_by(Invitation.id)).all()
    assert [(i.email, i.cancelled_at is None) for i in offered] == [
        ("emma.typo@example.org", False),
        ("emma@example.org", True),
    ]


def test_leads_without_an_address_get_no_e_mail(app, session, board_with_people):
    from datetime import date

    from tracker.actions.standing import standings
    from tracker.leads import lead_people
    from tracker.reminders.recipients import by_recipient

    board, plan = board_with_people["board"], board_with_people["plan"]
    nameless = Person(name="Emma Leaver", email=None)
    session.add_all([nameless, Membership(board=board, person=nameless, role=Role.LEAD)])
    area = plan.areas[0]
    factories.action(area, leads=[nameless, board_with_people["clarke"]], months=[date(2021, 9, 1)])
    session.commit()
    rows = standings(session, board, date(2021, 10, 1))
    leads = by_recipient(session, board, rows, lambda s: lead_people(s.action), date(2021, 10, 1))
    assert [p.name for p in leads] == ["David Clarke"]


def test_compare_reads_only(app, session, board_with_people):
    draft = read_plan(read_tables("annex2.docx", plan_files.annex_2_docx()))
    before = snapshot()
    plan = board_with_people["plan"]
    comparison = compare(session, board_with_people["board"], plan, draft, (2018, 2021))
    session.commit()
    assert len(comparison.new_actions) == 11 and snapshot() == before


def test_cli_refuses_a_new_board_whose_address_is_taken(app, session, board_with_people, tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text("Area,Actions,Reporting month\nBe Safe,Act,Sep 21\n")
    before = snapshot()
    taken = board_with_people["board"].slug.replace("-", " ").upper() + "!"
    for name, message in ((taken, "already exists"), ("!!!", "name of 1 to 200 characters")):
        result = run(app, "plan", "import", path, "--board", name, "--plan", "P 2021-2022")
        assert result.exit_code == 2 and message in result.output, result.output
        assert "Traceback" not in result.output
    assert snapshot() == before


NEXT_YEARS_PLAN = (
    "Area of focus,Actions,Responsible Agencies,Children's Trust Board Leads,"
    "Reporting Timetable,Progress\n"
    "BE SAFE – Focus on domestic abuse,Embed the young people's domestic abuse pathway,"
    '"Oxfordshire County Council, Thames Valley Police, Oxford Health, Early Help/LCSS, '
    "Schools, CAMHS, Public Health, Youth Justice Service, District Councils, Voluntary "
    'sector",Domestic abuse operational group – led by Sarah Breton and Sarah Carter,'
    "Q3 2021/22,Pathway relaunched in June.\n"
    ",Review the missing children protocol,Police,Early Help (OCC) Youth Justice (OCC),"
    "Ongoing,\n"
    'Be Successful,Reduce exclusions,Schools,"Emma Leaver, Maria Godfrey and Donna Husband",'
    "Sep 21 / Mar 22,\n"
)


def test_cli_sets_up_a_new_instance_as_the_readme_shows(app, session, tmp_path):
    """On an empty database: the board, its plan, its first admin invited, and the Progress
    column's updates posted by that admin."""
    path = tmp_path / "plan.csv"
    path.write_text(NEXT_YEARS_PLAN)
    result = run(
        app,
        "plan",
        "import",
        path,
        "--board",
        "New board",
        "--plan",
        "CYPP 2021–2024",
        "--admin-email",
        "New.Clerk@example.org",
        "--admin-name",
        "New Clerk",
    )
    assert result.exit_code == 0, result.output
    assert "Invited new.clerk@example.org as an admin of New board." in result.output
    update = session.scalars(select(ProgressUpdate)).one()
    assert (update.text, update.author.email) == (
        "Pathway relaunched in June.",
        "new.clerk@example.org",
    )
    # Ten agencies on one line are ten agencies; the group's two people are its contacts.
    embed = session.scalars(select(Action).where(Action.text.startswith("Embed"))).one()
    assert len(embed.agencies) == 10 and "Early Help/LCSS" in [a.name for a in embed.agencies]
    (lead,) = embed.leads
    assert lead.team.name == "Domestic abuse operational group"
    assert [p.name for p in lead.team.contacts] == ["Sarah Breton", "Sarah Carter"]
    assert embed.months == [date(2021, 12, 1)]
    review = session.scalars(select(Action).where(Action.text.startswith("Review"))).one()
    assert [str(lead) for lead in review.leads] == ["Early Help (OCC)", "Youth Justice (OCC)"]
    assert review.months == [] and [a.name for a in review.agencies] == ["Police"]
    # The "Ongoing" timetable is said, and did not stop the import.
    assert (
        "Warning: The file, row 3, Reporting Timetable: 'Ongoing' names no month: the action "
        "comes in without a reporting month" in result.output
    )
    assert "Without a reporting month (1): The file, row 3 (Ongoing)" in result.output

    again = run(app, "plan", "import", path, "--board", "New board", "--plan", "CYPP 2021–2024")
    assert again.exit_code == 0, again.output
    assert "Actions: 0 new, 0 changed, 3 unchanged" in again.output
    assert session.scalar(select(func.count()).select_from(ProgressUpdate)) == 1


def test_cli_says_who_could_author_the_updates(app, session, tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text(NEXT_YEARS_PLAN)
    before = snapshot()
    result = run(app, "plan", "import", path, "--board", "New board", "--plan", "CYPP 2021–2024")
    assert result.exit_code == 2
    assert "invite the board's admin with --admin-email and --admin-name" in result.output
    assert snapshot() == before


def test_web_preview_shows_how_leads_and_timetables_were_read(
    app, session, board_with_people, admin_request
):
    board, plan = board_with_people["board"], board_with_people["plan"]
    page = admin_request.post(
        "admin.import_plan",
        board_slug=board.slug,
        _data={"plan": str(plan.id), "file": (io.BytesIO(NEXT_YEARS_PLAN.encode()), "next.csv")},
    )
    assert h1(page) == "Check what next.csv will change"
    warnings = [text(li) for li in page.select("#import-warnings li")]
    assert (
        "The file, row 3, Reporting Timetable: 'Ongoing' names no month: the action comes in "
        "without a reporting month"
    ) in warnings
    assert (
        "Leads: 8 not yet on the board (Sarah Breton, Sarah Carter, Emma Leaver, Maria Godfrey, "
        "Donna Husband, Domestic abuse operational group, Early Help (OCC), Youth Justice (OCC)): "
        "they are added (people without an e-mail address), so check none is there under "
        "another spelling"
    ) in warnings
    timetables = [
        [text(td) for td in tr.select("td")] for tr in page.select("#import-timetables tbody tr")
    ]
    assert timetables == [
        ["Q3 2021/22", "December 2021"],
        ["Ongoing", "No reporting month"],
        ["Sep 21 / Mar 22", "September 2021, March 2022"],
    ]
    assert [text(li) for li in page.select("#import-without-month li")] == [
        "The file, row 3: Review the missing children protocol (“Ongoing”)"
    ]
    leads = [text(tr.select("td")[3]) for tr in page.select("#import-actions tbody tr")]
    assert leads == [
        "Domestic abuse operational group (team: Sarah Breton, Sarah Carter)",
        "Early Help (OCC) (team) Youth Justice (OCC) (team)",
        "Emma Leaver (person) Maria Godfrey (person) Donna Husband (person)",
    ]
    # Confirmed, the import goes ahead despite the warnings.
    _confirm(admin_request, board, plan, page)
    assert session.scalar(select(func.count()).select_from(Action)) == 3


def _deep_json(depth: int) -> bytes:
    return b'{"actions": ' + b"[" * depth + b"]" * depth + b"}"


def test_a_json_plan_nested_past_reading_is_refused(
    app, session, board_with_people, admin_request, tmp_path
):
    board, plan = board_with_people["board"], board_with_people["plan"]
    page = admin_request.post(
        "admin.import_plan",
        board_slug=board.slug,
        _data={"plan": str(plan.id), "file": (io.BytesIO(_deep_json(200_000)), "plan.json")},
    )
    assert error_summary(page) == [
        "'plan.json' is nested too deeply to read: a plan's JSON is a list of actions, each an "
        "object of text and lists of text"
    ]
    path = tmp_path / "plan.json"
    path.write_bytes(_deep_json(200_000))
    result = run_import(app, path)
    assert result.exit_code == 1 and "is nested too deeply to read" in result.output
    assert "Traceback" not in result.output


def test_a_lead_nobody_knows_is_a_warning_and_a_near_miss_is_named(
    app, session, board_with_people, tmp_path
):
    path = tmp_path / "plan.csv"
    path.write_text("Area,Actions,Lead,Reporting month\nBe Safe,Act,Dave Clarke,Sep 21\n")
    result = run_import(app, path)
    assert result.exit_code == 0, result.output
    assert (
        "Warning: Lead 'Dave Clarke': is new to the board: is it 'David Clarke'?" in result.output
    )
    assert "Warning: Leads: 1 not yet on the board (Dave Clarke)" in result.output
    assert session.scalar(select(func.count()).where(Person.name == "Dave Clarke")) == 1
