"""Daily: delete what is past the boards' retention periods (tracker.privacy.retention)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from flask import current_app
from sqlalchemy.orm import Session

from tracker.privacy.retention import apply


def apply_retention(session: Session, now: datetime) -> str:
    return str(apply(session, now, Path(current_app.instance_path) / "imports"))
