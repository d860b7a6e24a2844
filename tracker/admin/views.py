"""The admin start page: every section with how many live things it holds."""

from __future__ import annotations

from flask import render_template
from sqlalchemy import func, select

from tracker.admin import indicators, plan_content, simple
from tracker.admin.blueprint import bp
from tracker.extensions import db
from tracker.permissions import Right, requires


@bp.get("/")
@requires(Right.ADMINISTER)
def index():
    sections = []
    for section in [*plan_content.SECTIONS, *simple.SECTIONS, indicators.SECTION]:
        live = section.query().where(section.model.archived_at.is_(None)).order_by(None)
        count = db.session.scalar(select(func.count()).select_from(live.subquery()))
        sections.append((section, count))
    return render_template("admin/index.html", sections=sections)
