"""Refusing a reply by e-mail, and answering its sender where the reason allows.

A reply from anyone but the token's person (or their deputy while they are away) is refused
without telling anyone anything; other refusals get one polite answer per sender per day;
automatic messages are never answered.
"""

from __future__ import annotations

from datetime import datetime
from email.utils import parseaddr

from flask import current_app
from sqlalchemy.orm import Session

from tracker.actions.forms import MAX_TEXT
from tracker.inbound.tokens import token_in
from tracker.links import absolute_url
from tracker.models import Action, InboundMessage, InboundStatus
from tracker.outbox import enqueue
from tracker.rules.due import london_date

# Why a message was refused, or not answered, in the secretariat's words (Admin → Inbox).
REASONS = {
    "out_of_office": "Out-of-office reply",
    "automatic": "Automatic message",
    "delivery_report": "Delivery report from a mail server",
    "dmarc_fail": "Failed its domain's sender check (DMARC): it may be forged",
    "too_large": "Larger than the size limit",
    "no_token": "Not sent to a reply address of an action",
    "bad_token": "The reply address was altered or made up",
    "expired": "The reply address had expired",
    "not_the_lead": "Not sent by the lead (nor by their deputy while they are away)",
    "may_not_post": "The sender may not post on this action",
    "no_text": "No text in the message",
    "empty": "No new text above the quoted e-mail",
    "too_long": f"Longer than an update may be ({MAX_TEXT:,} characters)",
    "unreadable": "Could not be processed",
}
# Refusals whose sender is sent one polite answer a day. Not the others: a reply from
# someone other than the lead must tell nobody anything; a forged one (DMARC) or a machine's
# must not be answered; one that could not be read is for the secretariat to look at.
ANSWERED = frozenset(
    {
        "too_large",
        "no_token",
        "bad_token",
        "expired",
        "may_not_post",
        "no_text",
        "empty",
        "too_long",
    }
)


def refuse(
    session: Session,
    row: InboundMessage,
    reason: str,
    now: datetime,
    action: Action | None = None,
) -> InboundStatus:
    """Refuse the message for ``reason``; answer its sender if the reason allows, once a
    day. ``action`` is named in the answer only once the sender is known to be its lead."""
    row.status, row.reason = InboundStatus.REFUSED, reason
    if reason in ANSWERED and row.sender and not _ours(row.sender):
        board = action.area.plan.board if action is not None else None
        link = (
            absolute_url("actions.post_update", board_slug=board.slug, action_id=action.id)
            if action is not None
            else absolute_url("auth.home")
        )
        enqueue(
            session,
            key=f"reply_refused:{row.sender}:{london_date(now)}",
            kind="reply_refused",
            recipient=row.sender,
            subject="Your e-mail to Trust Tracker was not posted",
            template="reply_refused",
            board_id=board.id if board else None,
            reason=reason,
            action=action,
            link=link,
            limit=current_app.config["INBOUND_MAX_BYTES"],
        )
    return row.status


def _ours(address: str) -> bool:
    """One of the tracker's own addresses: never answered, so two robots cannot loop."""
    return (
        address == parseaddr(current_app.config["MAIL_FROM"])[1].lower()
        or token_in(address) is not None
    )
