"""The plan page. (Stub: being written.)"""

from flask import Blueprint

from tracker.permissions import board_scoped

bp = board_scoped(Blueprint("plans", __name__, url_prefix="/boards/<board_slug>"))


@bp.get("/")
def index():
    return "plan"
