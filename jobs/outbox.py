"""Deliver the outbox (every minute, and by ``flask --app tracker outbox flush``)."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy.orm import Session

from tracker.mail import SmtpSettings, flush


def deliver_outbox(session: Session, now: datetime) -> str:
    settings = SmtpSettings.from_config(current_app.config)
    if settings is None:
        return "no SMTP_HOST set: messages stay in the outbox"
    return str(flush(session, now, settings))
