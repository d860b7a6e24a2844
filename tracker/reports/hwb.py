"""The board's report to the Health and Wellbeing Board after a meeting.

``build`` gives the report as plain text and dates (a ``tracker.reports.report.Report``),
which ``tracker.reports.render`` writes as HTML, Word or PDF. A draft is gathered afresh
(``tracker.reports.gathering``) from the plan, the progress updates, the framework and what
the secretariat wrote on the report page (``save``); once the secretariat marks it final,
the ``Report`` is kept as JSON in the meeting's ``HwbReport`` row and every later ``build``
returns that, whatever changes after.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from tracker.models import HwbNarrative, HwbReport, Meeting, NarrativeKind, Person
from tracker.reports.gathering import gather, sources
from tracker.reports.report import Report, cleaned


class ReportError(ValueError):
    """A change the report cannot take; the message says why."""


def build(session: Session, meeting: Meeting) -> Report:
    """The meeting's report: as kept if it is final, otherwise as it stands now."""
    record = meeting.hwb_report
    if record is not None and record.final_content is not None:
        return Report.from_json(record.final_content)
    return gather(session, meeting)


def record_for(session: Session, meeting: Meeting) -> HwbReport:
    """The meeting's report row, added on the secretariat's first change."""
    if meeting.hwb_report is None:
        meeting.hwb_report = HwbReport()
        session.add(meeting.hwb_report)
    return meeting.hwb_report


def mark_final(session: Session, meeting: Meeting, by: Person, now: datetime) -> Report:
    """Keep the report as it stands now; from here on it is what went to the board."""
    if meeting.hwb_report is not None and meeting.hwb_report.is_final:
        raise ReportError("The report is already final")
    if meeting.recorded_at is None:
        raise ReportError("Record the meeting before marking its report final")
    report = cleaned(gather(session, meeting))
    report.final_at = now
    record = record_for(session, meeting)
    record.final_content = report.to_json()
    record.final_at, record.final_by_id = now, by.id
    return report


def save(
    session: Session,
    meeting: Meeting,
    *,
    report_date: date | None,
    performance_summary: str,
    progress: dict[int, str],
    performance: dict[int, str],
) -> None:
    """What the secretariat wrote on the report page. A progress report left empty, or as
    drafted from the updates, is not kept: the report goes on drafting it from the updates."""
    if meeting.hwb_report is not None and meeting.hwb_report.is_final:
        raise ReportError("The report is final: it can no longer be changed")
    record = record_for(session, meeting)
    record.report_date = report_date
    record.performance_summary = performance_summary or None
    drafts = {s.area.id: s.draft for s in sources(session, meeting)}
    wanted = {
        (area_id, NarrativeKind.PROGRESS): text
        for area_id, text in progress.items()
        if text and text != drafts.get(area_id)
    }
    wanted |= {
        (area_id, NarrativeKind.PERFORMANCE): text for area_id, text in performance.items() if text
    }
    kept = {(n.area_id, n.kind): n for n in record.narratives}
    for key, narrative in kept.items():
        if key not in wanted:
            record.narratives.remove(narrative)
        elif narrative.text != wanted[key]:
            narrative.text = wanted[key]
    for (area_id, kind), text in wanted.items():
        if (area_id, kind) not in kept:
            record.narratives.append(HwbNarrative(area_id=area_id, kind=kind, text=text))
