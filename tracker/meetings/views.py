"""The board's meetings: upcoming and past, with the priority each reviews in depth."""

from __future__ import annotations

from flask import Blueprint, g, render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker import clock
from tracker.extensions import db
from tracker.models import Meeting
from tracker.permissions import board_scoped

bp = board_scoped(Blueprint("meetings", __name__, url_prefix="/boards/<board_slug>/meetings"))


@bp.get("/")
def index():
    today = clock.today()
    meetings = db.session.scalars(
        select(Meeting)
        .where(Meeting.board_id == g.board.id, Meeting.archived_at.is_(None))
        .options(selectinload(Meeting.focus_area))
        .order_by(Meeting.held_on)
    ).all()
    upcoming = [m for m in meetings if m.held_on >= today]
    past = [m for m in reversed(meetings) if m.held_on < today]
    return render_template("meetings/index.html", upcoming=upcoming, past=past)


@bp.get("/<int:meeting_id>")
def show(meeting_id: int):
    meeting = db.session.scalars(
        select(Meeting)
        .where(Meeting.id == meeting_id, Meeting.board_id == g.board.id)
        .options(selectinload(Meeting.forward_plan), selectinload(Meeting.focus_area))
    ).one()
    return render_template("meetings/show.html", meeting=meeting)
