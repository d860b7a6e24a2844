"""The admin start page. (Stub: being written.)"""

from tracker.admin.blueprint import bp
from tracker.models import Role
from tracker.permissions import requires_role


@bp.get("/")
@requires_role(Role.ADMIN)
def index():
    return "admin"
