"""How a reply by e-mail reads in the trail."""

from __future__ import annotations

from typing import Any

from tracker.inbound.refusing import REASONS
from tracker.models import InboundMessage
from tracker.trail.fields import Field, Secret, Thing, Values, board, plain_text


def _refusal(value: Any, values: Values) -> str:
    return REASONS.get(value, str(value))


THINGS: dict[type, Thing] = {
    InboundMessage: Thing(
        "E-mail reply",
        ("subject",),
        {
            "message_id": Field("Message-ID", when_added=False),
            "received_at": Field("Received"),
            "via": Field("Received by", when_added=False),
            "mail_from": Field("Envelope sender", when_added=False),
            "sender": Field("From"),
            "recipient": Field("Sent to", when_added=False),
            "subject": Field("Subject", show=plain_text),
            "size": Field("Size (bytes)", when_added=False),
            "raw": Secret("The message as received"),
            "status": Field("Status"),
            "reason": Field("Why", show=_refusal),
            "board_id": board(),
            "action_id": Field("Action"),
            "person_id": Field("Reply address of"),
            "sender_id": Field("Sent by"),
            "text": Field("New text", show=plain_text),
            "attachments": Field("Attachments left off"),
            "update_id": Field("Progress update", when_added=False),
            "posted_by_id": Field("Posted by hand by"),
            "processed_at": Field("Processed", when_added=False),
            "attempts": Field("Attempts to process it", when_added=False),
        },
    ),
}
