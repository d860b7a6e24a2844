"""The performance framework's pages: the framework, an indicator, readings, RAG by hand,
what is being done, and importing readings from a file."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import PurePath

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker import clock
from tracker.extensions import db
from tracker.indicators import framework, imports
from tracker.indicators.chart import standing_chart
from tracker.indicators.forms import CommentaryForm, ImportForm, ReadingForm, ReadingRagForm
from tracker.indicators.framework import (
    IndicatorStanding,
    add_commentary,
    assess,
    computed_rag,
    format_difference,
    format_value,
    reading_rag,
    set_rag,
    standings,
)
from tracker.models import (
    AuditEvent,
    Frequency,
    Indicator,
    IndicatorCommentary,
    IndicatorReading,
    Rag,
)
from tracker.permissions import Right, board_scoped, can_report_on, can_set_rag, may, requires
from tracker.rules import periods
from tracker.trail import describe_events

bp = board_scoped(Blueprint("indicators", __name__, url_prefix="/boards/<board_slug>/framework"))


@bp.app_template_filter("indicator_value")
def _indicator_value(value, unit) -> str:
    return format_value(value, unit)


@bp.app_template_filter("period_label")
def _period_label(start, frequency) -> str:
    return periods.label(start, frequency)


@bp.app_template_filter("difference")
def _difference(value, unit) -> str:
    return format_difference(value, unit)


@bp.app_template_global("period_examples")
def _period_examples() -> list[str]:
    """A period of each frequency, as of today: "August 2026", "2026 Q2", …"""
    return [periods.example(frequency, clock.today()) for frequency in Frequency]


def _load_indicator(indicator_id: int) -> Indicator:
    """The board's indicator (archived ones too); another board's is a 404."""
    indicator = db.session.scalars(
        select(Indicator)
        .where(Indicator.id == indicator_id, Indicator.board_id == g.board.id)
        .options(
            selectinload(Indicator.readings),
            selectinload(Indicator.commentaries).selectinload(IndicatorCommentary.author),
        )
    ).one_or_none()
    if indicator is None:
        abort(404)
    return indicator


def _standing(indicator: Indicator) -> IndicatorStanding:
    return assess([indicator], clock.today())[0]


def _reporter(indicator: Indicator) -> Indicator:
    if not can_report_on(db.session, g.membership, indicator, clock.today()):
        abort(403)
    return indicator


@bp.get("/")
def index():
    all_standings = standings(db.session, g.board, clock.today())
    by_area: dict = defaultdict(list)
    for standing in all_standings:
        by_area[standing.indicator.area].append(standing)
    return render_template(
        "indicators/index.html",
        areas=sorted(by_area.items(), key=lambda kv: _area_order(kv[0])),
        total=len(all_standings),
        counts=Counter(s.rag for s in all_standings),
    )


def _area_order(area) -> tuple:
    """Areas as the plan lists them, the newest plan first; indicators without one last."""
    if area is None:
        return (1, 0, 0, 0)
    return (0, -area.plan.start_year, area.position, area.id)


@bp.get("/<int:indicator_id>")
def show(indicator_id: int):
    indicator = _load_indicator(indicator_id)
    standing = _standing(indicator)
    audit = []
    if may().administer:
        reading_ids = [r.id for r in indicator.readings]
        audit = describe_events(
            db.session,
            db.session.scalars(
                select(AuditEvent)
                .where(
                    (AuditEvent.entity == "indicator") & (AuditEvent.entity_id == indicator.id)
                    | (AuditEvent.entity == "indicator_reading")
                    & AuditEvent.entity_id.in_(reading_ids)
                )
                .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            ).all(),
        )
    return render_template(
        "indicators/show.html",
        indicator=indicator,
        standing=standing,
        chart=standing_chart(standing),
        rows=[(r, reading_rag(indicator, r)) for r in reversed(standing.readings)],
        audit=audit,
    )


@bp.route("/<int:indicator_id>/readings/new", methods=["GET", "POST"])
def add_reading(indicator_id: int):
    indicator = _reporter(_load_indicator(indicator_id))
    form = ReadingForm(indicator=indicator)
    if not form.is_submitted():
        waiting = framework.first_ended_without_reading(_standing(indicator), clock.today())
        form.period.data = periods.label(waiting, indicator.frequency) if waiting else None
    if form.validate_on_submit():
        try:
            framework.add_reading(
                db.session,
                indicator=indicator,
                period_start=form.period_start,
                value=form.value.number,
                note=form.note.data,
                by=current_user,
                today=clock.today(),
            )
        except framework.ReadingRefused as error:
            form.period.errors.append(str(error))
        else:
            db.session.commit()
            flash(
                f"Reading for {periods.label(form.period_start, indicator.frequency)} saved.",
                "success",
            )
            return redirect(url_for("indicators.show", indicator_id=indicator.id))
    return render_template(
        "indicators/reading_form.html", indicator=indicator, form=form, reading=None
    )


@bp.route("/<int:indicator_id>/readings/<int:reading_id>", methods=["GET", "POST"])
def correct_reading(indicator_id: int, reading_id: int):
    indicator = _reporter(_load_indicator(indicator_id))
    reading = next((r for r in indicator.readings if r.id == reading_id), None)
    if reading is None:
        abort(404)
    form = ReadingForm(indicator=indicator, correcting=reading)
    if form.validate_on_submit():
        framework.correct_reading(
            db.session,
            reading=reading,
            value=form.value.number,
            note=form.note.data,
            by=current_user,
            reason=form.reason.data,
        )
        db.session.commit()
        flash(f"Reading for {form.period.data} corrected.", "success")
        return redirect(url_for("indicators.show", indicator_id=indicator.id))
    return render_template(
        "indicators/reading_form.html", indicator=indicator, form=form, reading=reading
    )


@bp.route("/<int:indicator_id>/rag", methods=["GET", "POST"], endpoint="set_rag")
def set_rag_form(indicator_id: int):
    indicator = _load_indicator(indicator_id)
    if not can_set_rag(g.membership, indicator):
        abort(403)
    reading: IndicatorReading | None = _standing(indicator).latest
    if reading is None:
        abort(404)
    form = ReadingRagForm(rag=reading.rag_override.value if reading.rag_override else "computed")
    if form.validate_on_submit():
        rag = None if form.rag.data == "computed" else Rag(form.rag.data)
        set_rag(db.session, reading=reading, rag=rag, reason=form.reason.data, by=current_user)
        db.session.commit()
        flash(f"The RAG rating is now {reading_rag(indicator, reading).label}.", "success")
        return redirect(url_for("indicators.show", indicator_id=indicator.id))
    return render_template(
        "indicators/set_rag.html",
        indicator=indicator,
        reading=reading,
        computed=computed_rag(indicator, reading),
        form=form,
    )


@bp.route(
    "/<int:indicator_id>/what-is-being-done", methods=["GET", "POST"], endpoint="add_commentary"
)
def add_commentary_form(indicator_id: int):
    indicator = _reporter(_load_indicator(indicator_id))
    standing = _standing(indicator)
    form = CommentaryForm()
    if not form.is_submitted() and standing.commentary:
        form.text.data = standing.commentary.text
    if form.validate_on_submit():
        add_commentary(db.session, indicator=indicator, text=form.text.data, by=current_user)
        db.session.commit()
        flash("What is being done to improve performance is saved.", "success")
        return redirect(url_for("indicators.show", indicator_id=indicator.id))
    return render_template(
        "indicators/commentary.html", indicator=indicator, standing=standing, form=form
    )


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="readings-import")


@bp.route("/import", methods=["GET", "POST"])
@requires(Right.ADMINISTER)
def import_readings():
    """Upload a file and see what it would change; nothing is written until confirmed."""
    form = ImportForm()
    result, payload, filename = None, None, None
    if form.validate_on_submit():
        upload = form.file.data
        filename = PurePath(getattr(upload, "filename", "") or "").name
        if not filename:
            form.file.errors.append("Select a CSV or Excel file of readings")
        else:
            try:
                rows = imports.read_rows(filename, upload.read())
            except imports.FileRejected as error:
                form.file.errors.append(str(error))
            else:
                result = imports.check(db.session, g.board, rows, clock.today())
                payload = _signer().dumps({"filename": filename, "rows": rows})
    return render_template(
        "indicators/import.html", form=form, result=result, payload=payload, filename=filename
    )


@bp.post("/import/confirm")
@requires(Right.ADMINISTER)
def confirm_import():
    """Check the rows again (the framework may have changed since) and write them all."""
    try:
        data = _signer().loads(request.form.get("payload", ""))
        filename, rows = data["filename"], [(row, cells) for row, cells in data["rows"]]
    except (BadSignature, KeyError, TypeError, ValueError):
        flash("The checked file was lost on the way: upload it again.", "error")
        return redirect(url_for("indicators.import_readings"))
    today = clock.today()
    result = imports.check(db.session, g.board, rows, today)
    if result.problems:
        return render_template(
            "indicators/import.html", form=ImportForm(), result=result, filename=filename
        )
    counts = imports.apply(db.session, result, by=current_user, filename=filename, today=today)
    db.session.commit()
    flash(imports.summary(filename, counts), "success")
    return redirect(url_for("indicators.index"))
