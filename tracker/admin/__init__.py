"""The secretariat's pages: one module per thing they manage, all on one blueprint."""

from tracker.admin import outbox, people, plan_content, simple, views  # noqa: F401  (add routes)
from tracker.admin.blueprint import bp

__all__ = ["bp"]
