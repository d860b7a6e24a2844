"""Whatever a person types, every document and e-mail it goes into still opens (issue 12).

Arbitrary Unicode (hypothesis) is posted as a lead's progress update through the web form,
and as an action's text through the secretariat's form; then every format it reaches is
made: the plan's exports (xlsx, docx, csv, json), the report to the Health and Wellbeing
Board (its page, html, docx and, with fewer examples as it is slow, pdf) and the e-mails
(the digest and the reminders, as queued in the outbox and as delivered over SMTP). None
answers 500, each file opens again in openpyxl or python-docx, the JSON parses, the PDF is a
PDF, and the text is there, cleaned of control characters, wherever a document shows it.

The report's part goes through its routes (``reports.show`` and
``reports.download``), of the reports blueprint.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, time, timedelta
from email.header import decode_header, make_header

import pytest
from bs4 import BeautifulSoup
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import delete, select

from jobs.meetings import send_digests
from jobs.reminders import send_reminders
from tests import factories, quarter
from tests.test_control_characters import fill
from tracker import clock
from tracker.forms import strip
from tracker.mail import SmtpSettings, flush, message_id
from tracker.models import DeliveryAttempt, OutboxMessage, ProgressUpdate, outbox_action
from tracker.rules.due import LONDON
from tracker.rules.timetable import digest_day
from tracker.text import FORMULA_STARTS, clean, from_csv

# Any text, often beginning as a formula would, with control characters among the rest.
TYPED = st.one_of(
    st.text(min_size=1, max_size=200),
    st.builds(str.__add__, st.sampled_from(FORMULA_STARTS), st.text(max_size=60)),
    st.builds(
        "".join,
        st.lists(st.sampled_from(["a", " ", "\n", "\x00", "\x0b", "\x1f", "\x85", "\u2028"])),
    ),
)
EXAMPLES = settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
FEW_EXAMPLES = settings(EXAMPLES, max_examples=4)
REMINDER_DAY = date(2021, 8, 10)  # the quarter's reminders, ten working days before the 24th


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON).astimezone(UTC)


@pytest.fixture
def board(session):
    """The quarter's board (reminders for its September actions), with a meeting to come
    whose report and digest hold every update since the September meeting."""
    world = quarter.build(session)
    held_on = clock.today() + timedelta(days=60)
    world["meeting"] = factories.meeting(world["board"], held_on)
    session.commit()
    return world


class Documents:
    """The documents and e-mails the typed text goes into, fetched as their readers would."""

    def __init__(self, app, session, client_request, board, sink) -> None:
        self.session, self.client_request, self.board, self.sink = (
            session,
            client_request,
            board,
            sink,
        )
        self.client = client_request.client
        self.slug = board["board"].slug
        self.smtp = SmtpSettings(host="127.0.0.1", port=sink.port, mail_from="t@example.org")

    def _as(self, person) -> None:
        self.session.refresh(person)
        self.client_request.login(person)

    def get(self, path: str) -> bytes:
        response = self.client.get(f"/boards/{self.slug}{path}")
        assert response.status_code == 200, f"GET {path}: {response.status_code}"
        return response.data

    def post_update(self, text: str) -> str | None:
        """``text`` posted by the lead on their action: what was kept, or None if refused."""
        action = self.board["late"]
        self.session.refresh(action)
        self._as(self.board["lead"])
        response = self.client.post(
            f"/boards/{self.slug}/actions/{action.id}/updates/new",
            data={"seen_version": action.version, "status": "on_track", "rag": "red", "text": text},
        )
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 200:
            return None
        latest = self.session.scalars(
            select(ProgressUpdate.text)
            .where(ProgressUpdate.action_id == action.id)
            .order_by(ProgressUpdate.id.desc())
        ).first()
        assert latest == strip(clean(text))
        return latest

    def edit_action(self, text: str) -> str:
        """``text`` as the team action's text, through the secretariat's form: its text now."""
        action = self.board["team_action"]
        self._as(self.board["admin"])
        path = f"/boards/{self.slug}/admin/actions/{action.id}"
        page = BeautifulSoup(self.get(f"/admin/actions/{action.id}"), "html.parser")
        form = next(f for f in page.find_all("form") if f.find("textarea", attrs={"name": "text"}))
        data = {**fill(form, path, typing=lambda value: value), "text": [text]}
        response = self.client.post(path, data=data)
        assert response.status_code in (200, 302), response.status_code
        self.session.refresh(action)
        assert "\x0b" not in action.text and "\x00" not in action.text
        return action.text

    def plan_exports(self, progress: str | None) -> None:
        self._as(self.board["lead"])
        plan = self.board["late"].area.plan_id
        files = {f: self.get(f"/plans/{plan}/export.{f}") for f in ("xlsx", "docx", "csv", "json")}
        sheet = load_workbook(io.BytesIO(files["xlsx"])).worksheets[0]
        rows = {row[0].value: row for row in sheet.iter_rows(min_row=3)}
        tables = Document(io.BytesIO(files["docx"])).tables
        cells = {row.cells[0].text: row.cells for row in tables[0].rows[1:]}
        lines = list(csv.reader(io.StringIO(files["csv"].decode("utf-8-sig"))))
        by_text = {from_csv(line[2]): line for line in lines[1:]}
        actions = {a["text"]: a for a in json.loads(files["json"])["actions"]}
        if progress is not None:
            assert (rows["Late action"][-1].value or "") == progress  # "" reads back as None
            assert cells["Late action"][-1].text == progress
            assert from_csv(by_text["Late action"][-1]) == progress
            assert actions["Late action"]["progress"] == progress

    def report(self, formats: tuple[str, ...]) -> None:
        self._as(self.board["admin"])
        meeting = {"board_slug": self.slug, "meeting_id": self.board["meeting"].id}
        page = self.client.get(self.client_request.url("reports.show", **meeting))
        assert page.status_code == 200, page.status_code
        for file_format in formats:
            url = self.client_request.url("reports.download", file_format=file_format, **meeting)
            response = self.client.get(url)
            if file_format == "pdf" and response.status_code == 302:
                pytest.skip("WeasyPrint cannot draw PDFs here (Pango is missing)")
            assert response.status_code == 200, f"report.{file_format}: {response.status_code}"
            if file_format == "html":
                assert BeautifulSoup(response.data.decode(), "html.parser").find("h1")
            elif file_format == "docx":
                assert Document(io.BytesIO(response.data)).paragraphs
            else:
                assert response.data.startswith(b"%PDF-")

    def e_mails(self, progress: str | None, action_text: str) -> None:
        """The reminders (the team action's lead among them) and the digest (every member),
        queued, then delivered as they were queued."""
        for table in (DeliveryAttempt.__table__, outbox_action, OutboxMessage.__table__):
            self.session.execute(delete(table))
        self.sink.messages.clear()
        send_reminders(self.session, at(REMINDER_DAY, 8))
        send_digests(self.session, at(digest_day(self.board["meeting"].held_on), 7, 30))
        self.session.commit()
        queued = {
            message_id(m.key, self.smtp.mail_from): m
            for m in self.session.scalars(select(OutboxMessage))
        }
        # The lead of the team action has a digest too: the rows come back in no set order.
        (reminder,) = [
            m for m in queued.values() if m.recipient == "send@example.org" and m.kind == "reminder"
        ]
        # Plain text lays typed text out as a list item: on one line, or indented under it.
        assert _words(action_text) in _words(reminder.body_text)
        digests = [m for m in queued.values() if m.kind == "digest"]
        assert len(digests) == 4
        assert progress is None or all(_words(progress) in _words(m.body_text) for m in digests)
        assert flush(self.session, clock.now(), self.smtp).sent == len(queued)
        assert len(self.sink.messages) == len(queued)
        for received in self.sink.messages:
            message = queued[received["Message-ID"]]
            subject = str(make_header(decode_header(received["Subject"])))
            assert subject == message.subject and "\n" not in subject
            text, html = (
                part.get_payload(decode=True).decode().replace("\r\n", "\n")
                for part in received.walk()
                if not part.is_multipart()
            )
            assert (text, html) == (message.body_text, message.body_html)


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def documents(app, session, client_request, board, sink) -> Documents:
    return Documents(app, session, client_request, board, sink)


@EXAMPLES
@given(text=TYPED)
def test_any_text_reaches_every_export_report_and_e_mail_unbroken(documents, text):
    progress = documents.post_update(text)
    action_text = documents.edit_action(text)
    documents.plan_exports(progress)
    documents.report(("html", "docx"))
    documents.e_mails(progress, action_text)


@FEW_EXAMPLES
@given(text=TYPED)
def test_any_text_reaches_the_reports_pdf_unbroken(documents, text):
    documents.post_update(text)
    documents.report(("pdf",))
