"""The secretariat's pages: one module per thing they manage, all on one blueprint."""

from tracker.admin import (  # noqa: F401  (each module adds its routes to bp)
    data,
    inbox,
    indicators,
    outbox,
    people,
    plan_content,
    plan_import,
    reminders,
    report_settings,
    simple,
    views,
)
from tracker.admin.blueprint import bp

__all__ = ["bp"]
