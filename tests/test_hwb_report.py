"""The report to the Health and Wellbeing Board: what each section holds, the files it is
written as (Word, HTML, PDF), and a final report kept as it went.

Two boards are built as the board stood for its reports of May 2019 and March 2021
(tests/reference/, as published), and the reports the tracker writes for them are compared
with those, heading by heading and field by field.
"""

from __future__ import annotations

import html as html_module
import io
import re
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from docx import Document
from docx.oxml.ns import qn
from sqlalchemy import select

from tests import factories
from tracker import clock
from tracker.demo.data import read
from tracker.formatting import ordinal_date
from tracker.indicators.framework import add_commentary
from tracker.models import (
    ActionStatus,
    AreaPriority,
    Direction,
    ForwardPlanItem,
    ForwardPlanKind,
    Indicator,
    IndicatorCommentary,
    Outcome,
    ProgressUpdate,
    Role,
)
from tracker.reports import gathering, hwb, render, word
from tracker.reports.report import (
    DRAFT_NOTE,
    FORWARD_PLAN_LEAD,
    HEADER_LABELS,
    INDICATOR_HEADINGS,
    KEEP_TOGETHER_BELOW,
    PRIORITY_LABELS,
    SECTIONS,
    Block,
    Report,
    blocks,
)

REFERENCE = Path(__file__).parent / "reference"


def update(action, author, text: str, on: date) -> ProgressUpdate:
    return ProgressUpdate(
        action=action,
        author=author,
        text=text,
        status=ActionStatus.ON_TRACK,
        created_at=datetime(on.year, on.month, on.day, tzinfo=UTC),
    )


def reference_text(name: str) -> str:
    """A reference report's words in order, without its mark-up and line breaks."""
    text = (REFERENCE / name).read_text(encoding="utf-8")
    text = re.sub(r"\s*<sup>\s*(st|nd|rd|th)\s*</sup>", r"\1", text)
    text = html_module.unescape(re.sub(r"<[^>]+>", " ", text))
    return " ".join(text.replace("**", " ").replace("#", " ").replace("\uf0b7", " ").split())


def parsed_2019() -> dict[str, list[str]]:
    """The headings and labels of the May 2019 report, read from its bold mark-up."""
    lines = (REFERENCE / "hwb-report-2019-05.txt").read_text(encoding="utf-8").splitlines()
    start_of_1 = next(i for i, line in enumerate(lines) if line.startswith("**1."))
    bold = [
        re.match(r"<b>(.*?)</b>", line).group(1).rstrip(":")
        for line in lines[:start_of_1]
        if line.startswith("<b>")
    ]
    sections = [
        m.group(1) for line in lines if (m := re.match(r"^[#*\s]*([1-4]\. [^*]+?)\**\s*$", line))
    ]
    priority_labels = list(
        dict.fromkeys(
            re.match(r"<b>(.*?)</b>\t", line).group(1)
            for line in lines[start_of_1:]
            if re.match(r"<b>(Priority|Focus|Deliverable|Progress report)</b>\t", line)
        )
    )
    indicator_line = next(line for line in lines if line.startswith("<b>Indicator Number"))
    return {
        "header": bold[:5],
        "year": [bold[5]],
        "sections": sections,
        "priority": priority_labels,
        "indicators": re.findall(r"<b>(.*?)</b>", indicator_line),
    }


def parsed_2021_header() -> list[str]:
    """The header labels of the March 2021 report: each line's words before ":" or "–"."""
    text = (REFERENCE / "hwb-report-2021-03.txt").read_text(encoding="utf-8")
    header = text[: text.index("Priorities for")]
    return [
        m.group(1).strip()
        for line in header.splitlines()
        if (m := re.match(r"^\s*([A-Z][A-Za-z ]+?)\s*(?::| – )", line))
    ]


def in_order(text: str, needles: list[str]) -> list[str]:
    """The needles not found in ``text`` after the previous one."""
    missing, at = [], 0
    for needle in needles:
        found = text.find(needle, at)
        if found < 0:
            missing.append(needle)
        else:
            at = found + len(needle)
    return missing


def test_the_two_reference_reports_share_their_headings_and_labels():
    labels = parsed_2019()
    assert labels["header"] == list(HEADER_LABELS)
    assert labels["header"] == parsed_2021_header()
    assert labels["sections"] == list(SECTIONS)
    assert labels["priority"] == list(PRIORITY_LABELS)
    assert labels["indicators"] == list(INDICATOR_HEADINGS)
    assert labels["year"] == ["Priorities for 2019-20"]
    later = reference_text("hwb-report-2021-03.txt")
    assert not in_order(later, reading_order(labels) + [FORWARD_PLAN_LEAD])


def reading_order(labels: dict[str, list[str]]) -> list[str]:
    """The headings and labels as a reader meets them."""
    return [
        *labels["header"],
        "Priorities for 20",
        "Priority focus for 20",
        labels["sections"][0],
        *labels["priority"],
        labels["sections"][1],
        *labels["indicators"],
        *labels["sections"][2:],
    ]


def _board_as_it_was(session, *, curly: bool, years: dict[int, dict[str, str]]):
    board = factories.board("Children’s Trust Board" if curly else "Children's Trust Board")
    board.short_name = "CTB"
    board.hwb_priorities = "A Healthy Start in Life"
    chair = factories.person(board, Role.CHAIR, name="Cllr Steve Harrod")
    lead = factories.person(board, Role.LEAD, name="Sarah Breton")
    plan = factories.plan(board, "CYPP 2018–2021", 2018, 2021)
    areas = {}
    number = 1
    outcomes_of = read("cypp-2018-2021")["outcomes"]
    for position, (name, outcomes) in enumerate(outcomes_of.items(), start=1):
        area = factories.area(plan, name, position)
        for text in outcomes:
            area.outcomes.append(Outcome(number=number, text=text))
            number += 1
        for year, priorities in years.items():
            if name in priorities:
                area.priorities.append(AreaPriority(plan_year=year, text=priorities[name]))
        areas[name] = area
    return board, chair, lead, areas


PRIORITIES_2018 = {
    "Be Successful": "Focus on children missing out on education",
    "Be Happy and Healthy": "Focus on social and emotional well-being and mental health",
    "Be Safe": "Focus on domestic abuse",
}
PRIORITIES_2020 = {
    "Be Successful": "Focus on children not engaged in education",
    "Be Happy and Healthy": "Focus on social, emotional, physical & mental well-being",
    "Be Safe": "Focus on domestic abuse",
}


@pytest.fixture
def may_2019(session):
    """The board as it sent its report of 24 May 2019 on its meeting of 21 March 2019."""
    board, chair, lead, areas = _board_as_it_was(
        session, curly=False, years={2018: PRIORITIES_2018}
    )
    board.published_notes_url = (
        "https://www.oxfordshire.gov.uk/cms/content/children-and-young-peoples-plan-2018-2021"
    )
    board.published_notes_text = "(Link to current Children and Young People's Plan)"
    factories.action(
        areas["Be Successful"],
        text="Draw up and implement an Inclusion Strategy",
        measures=[
            "Reduce the number of permanent exclusions to 44 in school year 18/19",
            "Reduce the number of children on part time timetables in school year 18/19",
        ],
    )
    pathway = factories.action(
        areas["Be Safe"],
        text="Embed the domestic abuse pathway",
        leads=[lead],
        measures=["The Domestic Abuse Strategic Board is responsible for this action"],
        months=[date(2019, 3, 1)],
    )
    factories.action(
        areas["Be Happy and Healthy"],
        measures=[
            "Increase the number of early help assessments in the financial year 2018/19",
            "Increase the number of Young Carers known and supported in Oxfordshire",
            "Monitor the proportion of self-referrals into CAMHS",
        ],
    )
    factories.meeting(board, date(2018, 9, 20), focus=areas["Be Successful"])
    factories.meeting(board, date(2018, 12, 20), focus=areas["Be Happy and Healthy"])
    meeting = factories.meeting(board, date(2019, 3, 21), focus=areas["Be Safe"])
    following = factories.meeting(board, date(2019, 6, 20), focus=areas["Be Supported"])
    later = factories.meeting(board, date(2019, 9, 19), focus=areas["Be Successful"])
    session.add_all(
        [
            update(pathway, lead, "Too early: before the last report.", date(2018, 12, 1)),
            update(
                pathway,
                lead,
                "An update was provided on the Young People Domestic Abuse Pathway.",
                date(2019, 3, 1),
            ),
            update(pathway, lead, "The new Pathway was launched in July 2018.", date(2019, 3, 2)),
            update(pathway, lead, "Too late: after the meeting.", date(2019, 4, 1)),
            ForwardPlanItem(
                meeting=following,
                kind=ForwardPlanKind.ADDED,
                position=0,
                text="Progress of the LGBT Strategy",
            ),
        ]
    )
    meeting.summary_of_other_items = (
        "A SEND report was received for information. The following actions were noted:\n"
        "- Refresh and develop the SEND strategic plan.\n"
        "- Better use of data.\n"
        "An update was also received on a new Family Safeguarding Plus Model."
    )
    meeting.recorded_at = datetime(2019, 3, 22, tzinfo=UTC)
    since_2018 = datetime(2018, 6, 1, tzinfo=UTC)
    red = factories.indicator(
        board, lead, number="2.5", target=11.5, tolerance=1, readings={date(2019, 1, 1): 15.0}
    )
    amber = factories.indicator(
        board,
        lead,
        number="3.5",
        title="Reduce the number of social care referrals to the level of our statistical "
        "neighbours",
        target=10,
        tolerance=2,
        readings={date(2019, 1, 1): 11.0},
    )
    unread = factories.indicator(
        board, lead, number="1.3", title="Increase the proportion of first CAMHS appointments"
    )
    later_one = factories.indicator(board, lead, number="9.9", title="Added after the meeting")
    factories.indicator(
        board,
        lead,
        number="4.2",
        title="Good level of development",
        direction=Direction.HIGHER,
        target=70,
        tolerance=1,
        readings={date(2019, 1, 1): 71.0},
    )
    for indicator in (red, amber, unread):
        indicator.created_at = since_2018
    later_one.created_at = datetime(2019, 5, 1, tzinfo=UTC)
    session.add(
        IndicatorCommentary(
            indicator=red,
            author=lead,
            text="A Learner Engagement strategy is in place.",
            created_at=since_2018,
        )
    )
    session.commit()
    return dict(
        board=board,
        meeting=meeting,
        chair=chair,
        lead=lead,
        areas=areas,
        pathway=pathway,
        later=later,
        report_date=date(2019, 5, 24),
        reference="hwb-report-2019-05.txt",
    )


@pytest.fixture
def march_2021(session):
    """The board as it sent its report of 5 March 2021 on its virtual meeting of 9 December
    2020."""
    board, chair, lead, areas = _board_as_it_was(
        session, curly=True, years={2018: PRIORITIES_2018, 2020: PRIORITIES_2020}
    )
    board.published_notes_url = (
        "https://www.oxfordshire.gov.uk/residents/children-education-and-families/"
        "childrens-services/delivering-services-children/children-young-peoples-plan"
    )
    board.published_notes_text = "Children & Young People's Plan 2018 - 2022"
    factories.meeting(board, date(2020, 9, 10), focus=areas["Be Successful"])
    meeting = factories.meeting(board, date(2020, 12, 9), focus=areas["Be Happy and Healthy"])
    meeting.note = "Virtual meeting due to COVID-19 restrictions"
    meeting.recorded_at = datetime(2020, 12, 10, tzinfo=UTC)
    factories.meeting(board, date(2021, 3, 18), focus=areas["Be Safe"])
    cared_for = factories.indicator(
        board,
        lead,
        number="1.1",
        title="Reduce the number of children we care for (previously looked after children) "
        "to 750 by March 2021",
        target=750,
        tolerance=50,
        readings={date(2020, 7, 1): 780},
    )
    suspended = factories.indicator(
        board,
        lead,
        number="1.3",
        title="Increase the proportion of children that have their first CAMHS appointment "
        "within 12 weeks to 75%",
    )
    for indicator in (cared_for, suspended):
        indicator.created_at = datetime(2019, 4, 1, tzinfo=UTC)
    add_commentary(
        session,
        indicator=suspended,
        text="Local and national reporting suspended in March 2020 to allow greater focus on "
        "managing COVID-19.",
        by=lead,
    )
    session.commit()
    return dict(
        board=board,
        meeting=meeting,
        chair=chair,
        lead=lead,
        areas=areas,
        report_date=date(2021, 3, 5),
        reference="hwb-report-2021-03.txt",
    )


@pytest.fixture(params=["may_2019", "march_2021"])
def as_sent(request, session):
    """Each reference board, its report dated as it was sent."""
    world = request.getfixturevalue(request.param)
    hwb.save(
        session,
        world["meeting"],
        report_date=world["report_date"],
        performance_summary="",
        progress={},
        performance={},
    )
    session.commit()
    return world


def test_ordinal_dates():
    assert [ordinal_date(date(2019, 5, d)) for d in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 31)] == [
        "1st May 2019",
        "2nd May 2019",
        "3rd May 2019",
        "4th May 2019",
        "11th May 2019",
        "12th May 2019",
        "13th May 2019",
        "21st May 2019",
        "22nd May 2019",
        "23rd May 2019",
        "31st May 2019",
    ]


def docx_of(report: Report) -> Document:
    return Document(io.BytesIO(word.to_docx(report)))


def docx_text(document) -> str:
    """The document's words in reading order, tables included."""
    parts = []
    for block in document.element.body.iterchildren():
        if block.tag == qn("w:p"):
            parts.append("".join(t.text or "" for t in block.iter(qn("w:t"))))
        elif block.tag == qn("w:tbl"):
            for row in block.iter(qn("w:tr")):
                for cell in row.iter(qn("w:tc")):
                    parts.append(
                        " ".join("".join(t.text or "" for t in cell.iter(qn("w:t"))).split())
                    )
    return " ".join(" ".join(parts).split())


def test_the_word_and_html_reports_carry_the_reference_headings_in_order(app, session, as_sent):
    report = hwb.build(session, as_sent["meeting"])
    labels = parsed_2019()
    year = re.search(r"Priorities for \d{4}-\d{2}", reference_text(as_sent["reference"])).group()
    document = docx_of(report)
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == labels[
        "sections"
    ]
    header, *tables = document.tables
    assert [row.cells[0].text for row in header.rows] == [*labels["header"], year]
    priority_tables = [t for t in tables if t.rows[0].cells[0].text == "Priority"]
    assert [[row.cells[0].text for row in t.rows] for t in priority_tables] == [
        labels["priority"]
    ] * 4
    assert [c.text for c in tables[-1].rows[0].cells] == labels["indicators"]
    assert not in_order(docx_text(document), reading_order(labels) + [FORWARD_PLAN_LEAD])

    page = BeautifulSoup(render.to_html(report), "html.parser")
    assert [h.get_text() for h in page.find_all("h2")] == labels["sections"]
    assert [th.get_text() for th in page.select("#report-header th")] == [*labels["header"], year]
    for table in page.select(".app-report-priority"):
        assert [th.get_text() for th in table.select("th")] == labels["priority"]
    assert [th.get_text() for th in page.select(".app-report-indicators thead th")] == labels[
        "indicators"
    ]
    words = " ".join(page.body.get_text(" ").split())
    assert not in_order(words, reading_order(labels) + [FORWARD_PLAN_LEAD])


def test_the_header_says_what_the_reference_reports_say(app, session, as_sent):
    """Each header field as the board wrote it then, from the same facts."""
    report = hwb.build(session, as_sent["meeting"])
    reference = reference_text(as_sent["reference"])
    held = report.meetings[0]
    fields = [
        report.report_from,
        ordinal_date(report.report_date),
        f"{ordinal_date(held.held_on)} – {held.note}" if held.note else ordinal_date(held.held_on),
        *report.hwb_priorities,
        report.published_notes.url,
        report.published_notes.text,
        report.priorities_label,
        *[a.priority_focus for a in report.areas if a.priority_focus],
        *[outcome for a in report.areas[:3] for outcome in a.outcomes],
    ]
    assert [f for f in fields if f not in reference] == []
    # The same words reach the files.
    words = docx_text(docx_of(report))
    assert [f for f in fields if f not in words] == []


def test_the_report_of_march_2019_gathers_each_section(app, session, may_2019):
    report = hwb.build(session, may_2019["meeting"])
    assert (report.report_from, report.report_date) == (
        "Children's Trust Board (Chair – Cllr Steve Harrod)",
        date(2019, 3, 21),  # the meeting's, until the secretariat sets it
    )
    assert [(m.held_on, m.note) for m in report.meetings] == [(date(2019, 3, 21), None)]
    assert report.priorities_label == "Priorities for 2018-19"
    successful, healthy, safe, supported = report.priorities
    assert (
        successful.focus == "Children missing out on education (September 2018 CTB meeting focus)"
    )
    assert safe.focus == "Domestic abuse (March 2019 CTB meeting focus)"
    assert supported.focus == "No priority focus set for 2018/19"
    assert len(healthy.deliverables) == 3
    # The progress report is drafted from the updates since the previous meeting, in the
    # order they came, without who wrote them or when.
    assert safe.progress == (
        "An update was provided on the Young People Domestic Abuse Pathway.\n\n"
        "The new Pathway was launched in July 2018."
    )
    # No updates: the next meeting that reviews the area, else plainly none.
    assert successful.progress == "To be reviewed at a future meeting (September 2019)"
    assert supported.progress == "To be reviewed at a future meeting (June 2019)"
    assert healthy.progress == gathering.NO_UPDATES
    # Red, then Amber, then those with no reading that the framework held then.
    assert [(row.indicator.split()[0], row.rag) for row in report.indicators] == [
        ("2.5", "R"),
        ("3.5", "A"),
        ("1.3", "N/A"),
    ]
    assert [row.what_is_being_done for row in report.indicators] == [
        "A Learner Engagement strategy is in place.",
        "No note yet from the indicator's owner.",
        "No reading yet.",
    ]
    assert report.forward_plan == ["Progress of the LGBT Strategy"]
    assert report.next_meeting == date(2019, 6, 20)


def test_a_past_report_reads_the_note_as_it_stood_at_its_meeting(app, session, may_2019):
    red = session.scalars(select(Indicator).where(Indicator.number == "2.5")).one()
    add_commentary(session, indicator=red, text="Written after the meeting.", by=may_2019["lead"])
    session.commit()
    report = hwb.build(session, may_2019["meeting"])
    assert report.indicators[0].what_is_being_done == "A Learner Engagement strategy is in place."


def test_what_the_secretariat_writes_replaces_the_drafts(app, session, may_2019):
    meeting, areas = may_2019["meeting"], may_2019["areas"]
    drafts = {s.area.name: s.draft for s in gathering.sources(session, meeting)}
    hwb.save(
        session,
        meeting,
        report_date=date(2019, 5, 24),
        performance_summary="Performance remains steady.",
        progress={
            areas["Be Successful"].id: "See section 2 below.",
            # Left as drafted: not kept, so it goes on following the updates.
            areas["Be Safe"].id: drafts["Be Safe"],
            areas["Be Supported"].id: "",
        },
        performance={areas["Be Safe"].id: "- MASH enquiries up 34%.\n- Fewer CP plans."},
    )
    session.commit()
    assert sorted((n.kind.value, n.text) for n in meeting.hwb_report.narratives) == [
        ("performance", "- MASH enquiries up 34%.\n- Fewer CP plans."),
        ("progress", "See section 2 below."),
    ]
    session.add(
        update(
            may_2019["pathway"],
            may_2019["lead"],
            "Training in May and June will target schools.",
            date(2019, 3, 10),
        )
    )
    session.commit()
    report = hwb.build(session, meeting)
    assert report.report_date == date(2019, 5, 24)
    assert report.priorities_label == "Priorities for 2019-20"
    assert report.priorities[0].progress == "See section 2 below."
    assert report.priorities[2].progress.endswith("Training in May and June will target schools.")
    assert report.performance_summary == "Performance remains steady."
    assert [(n.area, n.text) for n in report.performance_notes] == [
        ("Be Safe", "- MASH enquiries up 34%.\n- Fewer CP plans.")
    ]


def test_a_report_covers_every_meeting_since_the_last_final_one(app, session, march_2021):
    board, areas = march_2021["board"], march_2021["areas"]
    meeting = march_2021["meeting"]
    september = hwb.build(session, meeting).meetings  # no report final yet: its own meeting
    assert [m.held_on for m in september] == [date(2020, 12, 9)]
    earlier = factories.meeting(board, date(2020, 3, 12), focus=areas["Be Safe"])
    earlier.recorded_at = datetime(2020, 3, 13, tzinfo=UTC)
    hwb.mark_final(session, earlier, march_2021["chair"], datetime(2020, 5, 1, tzinfo=UTC))
    factories.meeting(board, date(2020, 6, 11)).note = "Virtual meeting"
    session.commit()
    report = hwb.build(session, meeting)
    assert [(m.held_on, m.note) for m in report.meetings] == [
        (date(2020, 6, 11), "Virtual meeting"),
        (date(2020, 9, 10), None),
        (date(2020, 12, 9), "Virtual meeting due to COVID-19 restrictions"),
    ]


def test_a_final_report_is_kept_as_it_went(app, session, may_2019, monkeypatch):
    meeting, areas = may_2019["meeting"], may_2019["areas"]
    hwb.save(
        session,
        meeting,
        report_date=date(2019, 5, 24),
        performance_summary="",
        progress={areas["Be Supported"].id: "VOXY presented the results of the survey."},
        performance={},
    )
    moment = datetime(2019, 5, 24, 9, tzinfo=UTC)
    sent = hwb.mark_final(session, meeting, may_2019["chair"], moment)
    session.commit()
    files = (render.to_html(sent), docx_text(docx_of(sent)))
    assert sent.is_final and sent.final_at == moment

    # Everything the report was gathered from changes afterwards...
    session.add(update(may_2019["pathway"], may_2019["lead"], "A later update.", date(2019, 3, 20)))
    areas["Be Safe"].name = "Be Safe and Sound"
    may_2019["pathway"].measures[0].text = "A new measure"
    may_2019["board"].hwb_priorities = "Something else"
    may_2019["chair"].name = "A new chair"
    meeting.summary_of_other_items = "Rewritten"
    session.commit()
    # ...and so does the code that gathers a live report.
    monkeypatch.setattr(hwb, "gather", lambda *_: pytest.fail("a final report was gathered"))

    kept = hwb.build(session, meeting)
    assert kept == sent
    assert (render.to_html(kept), docx_text(docx_of(kept))) == files
    assert "A later update." not in files[0] and "Be Safe and Sound" not in files[0]
    with pytest.raises(hwb.ReportError, match="already final"):
        hwb.mark_final(session, meeting, may_2019["chair"], moment)
    with pytest.raises(hwb.ReportError, match="can no longer be changed"):
        hwb.save(
            session, meeting, report_date=None, performance_summary="", progress={}, performance={}
        )


def test_a_report_is_final_only_once_its_meeting_is_recorded(app, session, may_2019):
    meeting = may_2019["later"]
    with pytest.raises(hwb.ReportError, match="Record the meeting"):
        hwb.mark_final(session, meeting, may_2019["chair"], clock.now())


def test_the_kept_report_reads_back_exactly(app, session, may_2019):
    report = hwb.build(session, may_2019["meeting"])
    report.final_at = datetime(2019, 5, 24, 9, 30, tzinfo=UTC)
    assert Report.from_json(report.to_json()) == report
    with pytest.raises(ValueError, match="version 99"):
        Report.from_json({**report.to_json(), "version": 99})


def test_the_word_report_is_a4_numbered_and_marked_draft(app, session, may_2019):
    report = hwb.build(session, may_2019["meeting"])
    document = docx_of(report)
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert round(section.left_margin.cm, 2) == round(section.right_margin.cm, 2) == 2
    footer = section.footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer
    header = section.header._element.xml
    assert "DRAFT" in header and 'string="DRAFT"' in header  # the line, and the watermark
    assert DRAFT_NOTE in [p.text for p in document.paragraphs]

    # Each priority's deliverables are a list of its own that starts at 1.
    lists = []
    for table in document.tables[1:5]:
        cell = table.rows[2].cells[1]
        ids = {
            p._p.pPr.numPr.numId.val
            for p in cell.paragraphs
            if p._p.pPr is not None and p._p.pPr.numPr is not None
        }
        lists.append((len(cell.paragraphs), ids))
    successful, healthy, safe, _ = lists
    assert successful[0] == 2 and healthy[0] == 3 and safe[0] == 1  # one alone: a paragraph
    assert len(successful[1]) == len(healthy[1]) == 1 and successful[1] != healthy[1]
    numbering = document.part.numbering_part.element
    for (num_id,) in (successful[1], healthy[1]):
        num = numbering.num_having_numId(num_id)
        assert num.find(qn("w:lvlOverride")).find(qn("w:startOverride")).get(qn("w:val")) == "1"
    # The indicator table's heading row repeats on every page; a long row may break across
    # pages, a short one moves whole.
    indicators = document.tables[-1]
    assert indicators.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    short, long = KEEP_TOGETHER_BELOW - 1, KEEP_TOGETHER_BELOW
    report.indicators[0].what_is_being_done = "x" * long
    report.indicators[1].what_is_being_done = "x" * short
    rows = docx_of(report).tables[-1].rows[1:3]
    assert [
        r._tr.trPr is not None and r._tr.trPr.find(qn("w:cantSplit")) is not None for r in rows
    ] == [False, True]
    # The link to published notes is a link.
    assert may_2019["board"].published_notes_url in [
        rel.target_ref for rel in document.part.rels.values() if rel.is_external
    ]


def test_a_final_word_report_has_no_draft_mark(app, session, may_2019):
    report = hwb.mark_final(session, may_2019["meeting"], may_2019["chair"], clock.now())
    document = docx_of(report)
    assert "DRAFT" not in document.sections[0].header._element.xml
    assert DRAFT_NOTE not in docx_text(document)
    assert "DRAFT" not in render.to_html(report).replace("DRAFT –", "")


def test_text_no_document_can_hold_is_dropped_on_the_way_out(app, session, may_2019):
    """Old updates and notes may hold a vertical tab or an escape: Word's XML has no place
    for them."""
    session.add(
        update(
            may_2019["pathway"],
            may_2019["lead"],
            "Pasted \x0bfrom\x1b a PDF\x0c.",
            date(2019, 3, 5),
        )
    )
    may_2019["meeting"].summary_of_other_items = "Other\x08 items"
    session.commit()
    report = hwb.build(session, may_2019["meeting"])
    words = docx_text(docx_of(report))
    assert "Pasted from a PDF." in words and "Other items" in words
    page = render.to_html(report)
    assert "Pasted from a PDF." in page and "\x0b" not in page and "\x08" not in page


def test_the_html_file_stands_alone_for_the_pdf(app, session, may_2019):
    page = render.to_html(hwb.build(session, may_2019["meeting"]))
    assert "size: A4" in page and "counter(pages)" in page
    assert 'class="app-report-watermark"' in page
    soup = BeautifulSoup(page, "html.parser")
    assert [li.get_text() for li in soup.select("#report-forward-plan li")] == [
        "Progress of the LGBT Strategy"
    ]
    # Typed lines that start with "- " are a list.
    assert [li.get_text() for li in soup.find_all("h2")[2].find_next("ul").find_all("li")] == [
        "Refresh and develop the SEND strategic plan.",
        "Better use of data.",
    ]


def test_typed_text_becomes_paragraphs_and_lists():
    assert blocks("One.\n\n- a\n• b\n* c\nTwo.\n– d\n") == [
        Block(False, ["One."]),
        Block(True, ["a", "b", "c"]),
        Block(False, ["Two."]),
        Block(True, ["d"]),
    ]
    assert blocks(None) == blocks("  \n ") == []


PDFTOTEXT = shutil.which("pdftotext")


@pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (Debian's poppler-utils) is missing")
def test_the_pdf_from_the_cli_has_the_same_headings_and_page_numbers(
    app, session, may_2019, tmp_path
):
    path = tmp_path / "report.pdf"
    result = app.test_cli_runner().invoke(
        args=[
            "report",
            "hwb",
            "--meeting",
            str(may_2019["meeting"].id),
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
            [PDFTOTEXT, str(path), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert not in_order(words, [*SECTIONS])
    assert "Page 1 of" in words and "DRAFT" in words


def test_the_cli_refuses_an_unknown_meeting(app, session, tmp_path):
    result = app.test_cli_runner().invoke(
        args=["report", "hwb", "--meeting", "999", "--format", "docx", "-o", str(tmp_path / "r")]
    )
    assert result.exit_code == 2 and "there is no meeting 999" in result.output


def test_the_digest_links_to_the_draft_report(session, may_2019):
    from sqlalchemy import select

    from jobs.meetings import send_digests
    from tracker.models import Meeting, OutboxMessage

    following = session.scalars(select(Meeting).where(Meeting.held_on == date(2019, 6, 20))).one()
    send_digests(session, datetime(2019, 6, 13, 6, 30, tzinfo=UTC))
    session.commit()
    body = session.scalars(select(OutboxMessage.body_text)).first()
    assert f"/meetings/{following.id}/report" in body


def test_a_plan_is_over_after_its_last_year(session):
    """CYPP 2018–2021 ends in the spring of 2021: a report from June 2021, in plan year
    2021/22, is not on it but on the board's latest plan."""
    board = factories.board()
    factories.area(factories.plan(board, "CYPP 2018–2021", 2018, 2021), "Be Successful")
    factories.area(factories.plan(board, "CYPP 2022–2025", 2022, 2025), "Start Well")
    meeting = factories.meeting(board, date(2021, 6, 10))
    session.commit()
    assert [a.name for a in hwb.build(session, meeting).areas] == ["Start Well"]
