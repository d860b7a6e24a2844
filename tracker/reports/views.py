"""A meeting's report to the Health and Wellbeing Board: the page and its files for every
member; the secretariat writes into it and marks it final."""

from __future__ import annotations

from flask import Blueprint, Response, flash, g, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from tracker import clock
from tracker.extensions import db
from tracker.models import HwbReport, Meeting
from tracker.permissions import Right, board_scoped, requires
from tracker.reports import gathering, hwb, render
from tracker.reports.forms import FinalForm, performance_field, progress_field, report_form

bp = board_scoped(
    Blueprint(
        "reports", __name__, url_prefix="/boards/<board_slug>/meetings/<int:meeting_id>/report"
    )
)


def _meeting(meeting_id: int) -> Meeting:
    """The board's meeting; an archived one has no report (it is no longer in the board's
    run of meetings that reports count from)."""
    return db.session.scalars(
        select(Meeting).where(
            Meeting.id == meeting_id,
            Meeting.board_id == g.board.id,
            Meeting.archived_at.is_(None),
        )
    ).one()


@bp.get("")
def show(meeting_id: int):
    meeting = _meeting(meeting_id)
    report = hwb.build(db.session, meeting)
    return render_template(
        "reports/hwb_page.html",
        meeting=meeting,
        record=meeting.hwb_report,
        **render.template_context(report),
    )


@bp.get(".<any(html, docx, pdf):file_format>")
def download(meeting_id: int, file_format: str):
    meeting = _meeting(meeting_id)
    try:
        data = render.RENDERERS[file_format](hwb.build(db.session, meeting))
    except render.PdfUnavailable as error:
        flash(str(error), "error")
        return redirect(url_for("reports.show", meeting_id=meeting.id))
    draft = "" if meeting.hwb_report and meeting.hwb_report.is_final else "-draft"
    name = f"hwb-report-{g.board.slug}-{meeting.held_on:%Y-%m-%d}{draft}.{file_format}"
    return Response(
        data,
        # As given: "mimetype" would add a second charset to a type that names its own.
        content_type=render.FORMATS[file_format],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _refuse_if_final(meeting: Meeting):
    if meeting.hwb_report is not None and meeting.hwb_report.is_final:
        flash("The report is final: it is kept as it went to the board.", "error")
        return redirect(url_for("reports.show", meeting_id=meeting.id))
    return None


@bp.route("/edit", methods=["GET", "POST"])
@requires(Right.ADMINISTER)
def edit(meeting_id: int):
    meeting = _meeting(meeting_id)
    if refused := _refuse_if_final(meeting):
        return refused
    sources = gathering.sources(db.session, meeting)
    areas = [s.area for s in sources]
    form = report_form(meeting.held_on, areas)
    if not form.is_submitted():
        _fill(form, meeting.hwb_report, sources)
    if form.validate_on_submit():
        hwb.save(
            db.session,
            meeting,
            report_date=form.report_date.data,
            performance_summary=form.performance_summary.data or "",
            progress={a.id: form[progress_field(a)].data or "" for a in areas},
            performance={a.id: form[performance_field(a)].data or "" for a in areas},
        )
        db.session.commit()
        flash("The report is saved.", "success")
        return redirect(url_for("reports.show", meeting_id=meeting.id))
    return render_template(
        "reports/edit.html",
        form=form,
        meeting=meeting,
        sources=sources,
        progress_field=progress_field,
        performance_field=performance_field,
    )


def _fill(form, record: HwbReport | None, sources: list[gathering.AreaSources]) -> None:
    """What the secretariat wrote so far; a progress report not yet written starts as the
    draft from the updates."""
    form.report_date.data = record.report_date if record else None
    form.performance_summary.data = record.performance_summary if record else None
    for source in sources:
        form[progress_field(source.area)].data = source.progress or source.draft
        form[performance_field(source.area)].data = source.performance


@bp.route("/final", methods=["GET", "POST"])
@requires(Right.ADMINISTER)
def finalise(meeting_id: int):
    meeting = _meeting(meeting_id)
    if refused := _refuse_if_final(meeting):
        return refused
    form = FinalForm()
    if form.validate_on_submit():
        try:
            hwb.mark_final(db.session, meeting, current_user, clock.now())
        except hwb.ReportError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash("The report is final. It is kept as it stands now.", "success")
            return redirect(url_for("reports.show", meeting_id=meeting.id))
    return render_template(
        "reports/final.html",
        form=form,
        meeting=meeting,
        report_date=gathering.report_date(meeting),
    )
