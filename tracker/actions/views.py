"""Actions, my actions, overdue and red, posting an update. (Stub: being written.)"""

from flask import Blueprint

from tracker.permissions import board_scoped

bp = board_scoped(Blueprint("actions", __name__, url_prefix="/boards/<board_slug>"))


@bp.get("/my-actions")
def mine():
    return "mine"


@bp.get("/overdue")
def overdue():
    return "overdue"
