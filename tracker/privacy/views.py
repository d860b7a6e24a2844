"""The privacy notice, linked from the foot of every page: for the board a signed-in person
is on, from its settings (Admin → Data); for anyone else, what every board holds and the
default periods, since who is signed out cannot be told which boards exist."""

from __future__ import annotations

from flask import Blueprint, g, render_template

from tracker.permissions import with_board_navigation
from tracker.privacy.retention import DEFAULT_DAYS, PENDING_IMPORTS_KEPT

bp = Blueprint("privacy", __name__)


@bp.get("/privacy")
@with_board_navigation
def notice():
    board = getattr(g, "board", None)
    days = {name: getattr(board, name) if board else d for name, d in DEFAULT_DAYS.items()}
    return render_template(
        "privacy/notice.html", days=days, pending_imports_kept=PENDING_IMPORTS_KEPT
    )
