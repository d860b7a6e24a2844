from flask import Blueprint

from tracker.permissions import board_scoped

bp = board_scoped(Blueprint("admin", __name__, url_prefix="/boards/<board_slug>/admin"))
