"""The board's meetings. (Stub: being written.)"""

from flask import Blueprint

from tracker.permissions import board_scoped

bp = board_scoped(Blueprint("meetings", __name__, url_prefix="/boards/<board_slug>/meetings"))


@bp.get("/")
def index():
    return "meetings"
