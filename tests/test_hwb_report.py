"""The report to the Health and Wellbeing Board: each section with the right items, as a
page, an HTML file, a Word document (real headings and tables) and a PDF with the same
headings."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import UTC, date, datetime

import pytest
from docx import Document

from tests import factories
from tests.helpers import text
from tracker import clock
from tracker.indicators.framework import add_commentary
from tracker.models import (
    ActionStatus,
    AreaPriority,
    ForwardPlanItem,
    ForwardPlanKind,
    ProgressUpdate,
    Rag,
    Role,
)
from tracker.reports import hwb

SECTIONS = [
    "1. Progress reports on priority work",
    "2. Note on what is being done in areas rated Red or Amber in the Performance Framework",
    "3. Summary of other items discussed by the board",
    "4. Forward plan for next meeting",
]


@pytest.fixture
def world(session, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: datetime(2019, 5, 24, 9, tzinfo=UTC))
    board = factories.board("Oxfordshire Children's Trust Board")
    chair = factories.person(board, Role.CHAIR, name="Cllr Steve Harrod")
    lead = factories.person(board, Role.LEAD, name="Sarah Breton")
    plan = factories.plan(board, "CYPP 2018–2021", 2018, 2021)
    safe = factories.area(plan, "Be Safe", 3)
    safe.priorities.append(AreaPriority(plan_year=2018, text="Focus on domestic abuse"))
    successful = factories.area(plan, "Be Successful", 1)
    pathway = factories.action(
        safe,
        text="Embed the domestic abuse pathway",
        leads=[lead],
        measures=["Pathway known and used"],
        months=[date(2019, 3, 1)],
    )
    factories.action(
        successful, text="Set up the Learner Engagement Board", measures=["Fewer exclusions"]
    )
    factories.meeting(board, date(2018, 12, 20))
    meeting = factories.meeting(board, date(2019, 3, 21), focus=safe)
    following = factories.meeting(board, date(2019, 6, 20))
    session.add_all(
        [
            ProgressUpdate(
                action=pathway,
                author=lead,
                text="Too early: before the last report.",
                status=ActionStatus.ON_TRACK,
                created_at=datetime(2018, 12, 1, tzinfo=UTC),
            ),
            ProgressUpdate(
                action=pathway,
                author=lead,
                text="The new Pathway was launched in July.",
                status=ActionStatus.ON_TRACK,
                rag=Rag.GREEN,
                created_at=datetime(2019, 3, 1, tzinfo=UTC),
            ),
            ForwardPlanItem(
                meeting=following,
                kind=ForwardPlanKind.ADDED,
                position=0,
                text="Progress of the LGBT Strategy",
            ),
        ]
    )
    meeting.summary_of_other_items = "A SEND report was received.\nFamily Safeguarding Plus."
    red = factories.indicator(
        board, lead, number="2.5", target=11.5, tolerance=1, readings={date(2019, 1, 1): 15.0}
    )
    factories.indicator(
        board,
        lead,
        number="3.5",
        title="Reduce social care referrals",
        target=10,
        tolerance=2,
        readings={date(2019, 1, 1): 11.0},
    )
    factories.indicator(
        board,
        lead,
        number="4.2",
        title="Good level of development",
        target=70,
        tolerance=1,
        readings={date(2019, 1, 1): 60.0},
    )
    add_commentary(
        session, indicator=red, text="A Learner Engagement strategy is in place.", by=lead
    )
    session.commit()
    return dict(board=board, meeting=meeting, chair=chair)


def test_the_report_gathers_each_section(session, world):
    report = hwb.build(session, world["meeting"])
    assert (report.chair, report.plan_year_label) == ("Cllr Steve Harrod", "2018/19")
    safe = next(p for p in report.priorities if p.area.name == "Be Safe")
    assert safe.focus == "Focus on domestic abuse" and safe.reviewed_on == date(2019, 3, 21)
    assert safe.deliverables == ["Pathway known and used"]
    # Only the updates since the previous report (the December meeting).
    assert [u.text for p in safe.progress for u in p.updates] == [
        "The new Pathway was launched in July."
    ]
    assert [(s.indicator.number, s.rag) for s in report.red_and_amber] == [
        ("2.5", Rag.RED),
        ("3.5", Rag.AMBER),
    ]
    assert [i.text for i in report.forward_plan] == ["Progress of the LGBT Strategy"]


def test_the_word_report_has_real_headings_tables_and_lists(app, session, world, client_request):
    client_request.login(world["chair"])
    response = client_request.client.get(
        client_request.url(
            "meetings.hwb_report",
            board_slug=world["board"].slug,
            meeting_id=world["meeting"].id,
            file_format="docx",
        )
    )
    assert response.status_code == 200
    document = Document(io.BytesIO(response.data))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == SECTIONS
    assert "Priority: Be Safe" in [
        p.text for p in document.paragraphs if p.style.name == "Heading 2"
    ]
    red_amber = document.tables[-1]
    assert [c.text for c in red_amber.rows[0].cells] == [
        "Indicator number",
        "RAG",
        "What is being done to improve performance?",
    ]
    assert [c.text for c in red_amber.rows[1].cells][1:] == [
        "R",
        "A Learner Engagement strategy is in place.",
    ]
    assert [p.text for p in document.paragraphs if p.style.name == "List Number"][-1] == (
        "Progress of the LGBT Strategy"
    )
    body = "\n".join(p.text for p in document.paragraphs)
    assert "A SEND report was received." in body and "Family Safeguarding Plus." in body


def test_the_page_and_the_html_file(app, session, world, client_request):
    client_request.login(world["chair"])
    page = client_request.get(
        "meetings.hwb_report_page", board_slug=world["board"].slug, meeting_id=world["meeting"].id
    )
    assert [text(h) for h in page.select(".app-report h2")] == SECTIONS
    assert "The new Pathway was launched in July." in text(page)
    assert "Too early" not in text(page)
    html = client_request.client.get(
        client_request.url(
            "meetings.hwb_report",
            board_slug=world["board"].slug,
            meeting_id=world["meeting"].id,
            file_format="html",
        )
    ).get_data(as_text=True)
    assert "<h2>4. Forward plan for next meeting</h2>" in html


PDFTOTEXT = shutil.which("pdftotext")


@pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (Debian's poppler-utils) is missing")
def test_the_pdf_has_the_same_headings(app, session, world, tmp_path):
    path = tmp_path / "report.pdf"
    result = app.test_cli_runner().invoke(
        args=[
            "report",
            "hwb",
            "--meeting",
            str(world["meeting"].id),
            "--format",
            "pdf",
            "-o",
            str(path),
        ]
    )
    if "Pango" in result.output:
        pytest.skip(result.output.strip())
    assert result.exit_code == 0, result.output
    words = " ".join(
        subprocess.run(  # noqa: S603 (a fixed program on a file the test wrote)
            [PDFTOTEXT, str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
    )
    for heading in SECTIONS + ["Priority: Be Safe", "Report to the Health and Wellbeing Board"]:
        assert heading in words


def test_the_cli_refuses_an_unknown_meeting(app, session, tmp_path):
    result = app.test_cli_runner().invoke(
        args=[
            "report",
            "hwb",
            "--meeting",
            "999",
            "--format",
            "docx",
            "-o",
            str(tmp_path / "r.docx"),
        ]
    )
    assert result.exit_code == 2 and "there is no meeting 999" in result.output


def test_the_digest_links_to_the_draft_report(session, world):
    from sqlalchemy import select

    from jobs.meetings import send_digests
    from tracker.models import OutboxMessage

    following = hwb.build(session, world["meeting"]).next_meeting
    send_digests(session, datetime(2019, 6, 13, 6, 30, tzinfo=UTC))
    session.commit()
    body = session.scalars(select(OutboxMessage.body_text)).first()
    assert f"/meetings/{following.id}/report" in body
