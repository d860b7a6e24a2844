"""Importing a plan from the board's own file: upload, preview, confirm.

Nothing is written before the secretariat confirms. The uploaded file waits for the
confirmation under the instance folder, never where it could be served, named by a random
token that only the uploader's session holds, and is deleted once used (or after a day).
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path, PurePath

from flask import current_app, flash, g, redirect, render_template, session, url_for
from flask_login import current_user
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovSelect, GovSubmitInput
from sqlalchemy import select
from wtforms import HiddenField, SubmitField

from tracker import clock
from tracker.admin.blueprint import bp
from tracker.audit import acting_as
from tracker.extensions import db
from tracker.forms import ChoiceSelectField, Form
from tracker.imports.comparison import compare
from tracker.imports.plan_import import write
from tracker.imports.plan_reader import DraftPlan, read_plan
from tracker.imports.sources import FileRejected, read_tables
from tracker.models import Plan, utcnow
from tracker.permissions import Right, requires
from tracker.plans import live_plans
from tracker.privacy.retention import clear_pending_imports

MAX_PROBLEMS_SHOWN = 200
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")


class ImportForm(Form):
    plan = ChoiceSelectField(
        "Plan",
        widget=GovSelect(),
        message="Select the plan to import into",
        description="To import into a new plan, add it under Admin → Plans first.",
    )
    file = FileField(
        "File",
        widget=GovFileInput(),
        description="An Excel workbook (.xlsx), Word document (.docx), CSV or JSON file, "
        "up to 10 MB.",
        validators=[FileRequired(message="Select the file to import")],
    )
    submit = SubmitField("Preview the import", widget=GovSubmitInput())


class ConfirmForm(Form):
    token = HiddenField()
    submit = SubmitField("Import", widget=GovSubmitInput())


def _uploads() -> Path:
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(exist_ok=True)
    # File times are the machine's, whatever day the clock is set to.
    clear_pending_imports(folder, utcnow())
    return folder


def _preview(plan: Plan, draft: DraftPlan, filename: str, confirm: ConfirmForm | None):
    comparison, rows, warnings = None, [], []
    if not draft.problems:
        comparison = compare(db.session, g.board, plan, draft, (plan.start_year, plan.end_year))
        warnings = [*draft.warnings, *comparison.warnings]
        rows = (
            [(a, "New") for a in comparison.new_actions]
            + [(a, "Changed: " + ", ".join(c)) for a, c in comparison.changed_actions]
            + [(a, "Unchanged") for a in comparison.unchanged_actions]
        )
    return render_template(
        "admin/import_preview.html",
        plan=plan,
        draft=draft,
        filename=filename,
        comparison=comparison,
        rows=rows,
        warnings=warnings,
        problems=[{"text": str(p)} for p in draft.problems[:MAX_PROBLEMS_SHOWN]],
        max_problems=MAX_PROBLEMS_SHOWN,
        confirm=confirm,
    )


@bp.route("/import", methods=["GET", "POST"])
@requires(Right.ADMINISTER)
def import_plan():
    form = ImportForm()
    plans = list(db.session.scalars(live_plans(g.board.id)))
    form.plan.choices = [("", "Choose a plan")] + [(str(p.id), p.name) for p in plans]
    if not form.validate_on_submit():
        return render_template("admin/import.html", form=form, has_plans=bool(plans))
    plan = next(p for p in plans if str(p.id) == form.plan.data)
    upload = form.file.data
    filename = PurePath(upload.filename or "").name
    data = upload.read()
    try:
        draft = read_plan(read_tables(filename, data))
    except FileRejected as error:
        form.file.errors = [str(error)]
        return render_template("admin/import.html", form=form, has_plans=bool(plans))
    confirm = None
    if not draft.problems:
        token = secrets.token_urlsafe(24)
        (_uploads() / token).write_bytes(data)
        session["plan_import"] = {"token": token, "filename": filename, "plan_id": plan.id}
        confirm = ConfirmForm(token=token)
    return _preview(plan, draft, filename, confirm)


@bp.post("/import/confirm")
@requires(Right.ADMINISTER)
def confirm_import():
    pending, stored = _checked_upload()
    if stored is None:
        flash("That import has expired or was already done: upload the file again.", "error")
        return redirect(url_for("admin.import_plan"))
    plan = db.session.scalars(
        select(Plan).where(Plan.id == pending["plan_id"], Plan.board_id == g.board.id)
    ).one()
    draft = read_plan(read_tables(pending["filename"], stored.read_bytes()))
    if draft.problems:  # cannot happen for the same file, but the file is re-read to be sure
        return _preview(plan, draft, pending["filename"], None)
    comparison = compare(db.session, g.board, plan, draft, (plan.start_year, plan.end_year))
    with acting_as(db.session, current_user.id, reason=f"imported from {pending['filename']}"):
        write(db.session, g.board, plan, draft, author=current_user, now=clock.now())
    db.session.commit()
    stored.unlink(missing_ok=True)
    session.pop("plan_import", None)
    flash(
        f"Imported {pending['filename']}: {len(comparison.new_actions)} new, "
        f"{len(comparison.changed_actions)} changed, {len(comparison.unchanged_actions)} "
        "unchanged actions.",
        "success",
    )
    return redirect(url_for("plans.show", plan_id=plan.id))


def _checked_upload() -> tuple[dict, Path | None]:
    """The import the preview offered and the file it checked, if this confirms that one and
    the file is still kept."""
    form = ConfirmForm()
    pending = session.get("plan_import") or {}
    token = pending.get("token", "")
    stored = _uploads() / token if _TOKEN.fullmatch(token) else None
    confirmed = form.validate_on_submit() and form.token.data == token
    return pending, stored if confirmed and stored and stored.is_file() else None
