"""The secretariat's pages. (Stub: being written.)"""

from flask import Blueprint

from tracker.models import Role
from tracker.permissions import board_scoped, requires_role

bp = board_scoped(Blueprint("admin", __name__, url_prefix="/boards/<board_slug>/admin"))


@bp.get("/")
@requires_role(Role.ADMIN)
def index():
    return "admin"
