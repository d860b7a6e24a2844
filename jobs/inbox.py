"""Replies by e-mail: fetch the IMAP mailbox and retry what waits (every minute), and delete
stored messages once kept long enough (daily)."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy.orm import Session

from tracker.inbound.fetch import FetchFailed, ImapSettings, fetch
from tracker.inbound.process import delete_old, process_pending


def receive_mail(session: Session, now: datetime) -> str:
    settings = ImapSettings.from_config(current_app.config)
    if settings is None:
        fetched = "no IMAP_HOST set"
    else:
        try:
            fetched = str(fetch(session, now, settings, current_app.config["INBOUND_MAX_BYTES"]))
        except FetchFailed as error:
            # The mailbox is down or refuses us: what waits is still retried meanwhile.
            fetched = f"mailbox not fetched: {error}"
    return f"{fetched}; {process_pending(session, now)}"


def clear_inbox(session: Session, now: datetime) -> str:
    return delete_old(session, now)
