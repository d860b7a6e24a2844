"""How publishing (tracker.publishing) reads in the trail: what the public pages show, and
the read API's tokens."""

from __future__ import annotations

from typing import Any

from tracker.models.publishing import (
    ApiToken,
    PublicName,
    PublicPages,
    PublishedIndicator,
    PublishedPaper,
    PublishedReading,
    PublishedUpdate,
)
from tracker.trail.fields import Field, Moment, Secret, Thing, Values, board, plain_text
from tracker.trail.indicators import measured


def _update(value: Any, values: Values) -> str:
    return f"progress update {value}"


def _withdrawn() -> Moment:
    return Moment(
        "Withdrawn from the public pages",
        set_verb="withdrawn from the public pages",
        cleared_verb="made public again",
    )


def _approved_by() -> Field:
    return Field("Approved for the public pages by")


THINGS: dict[type, Thing] = {
    PublicPages: Thing(
        "Public pages",
        ("board_id",),
        {
            "board_id": board(),
            "enabled": Field("Public pages on"),
            "plan": Field("The plan is public"),
            "indicators": Field("The performance framework is public"),
            "meetings": Field("Meetings and forward plans are public"),
            "reports": Field("Reports to the HWB are public"),
        },
    ),
    PublishedUpdate: Thing(
        "Public progress update",
        ("update_id",),
        {
            "board_id": board(),
            "action_id": Field("Action", when_added=False),
            "update_id": Field("Update", show=_update),
            "summary": Field("Public summary", show=plain_text),
            "approved_by_id": _approved_by(),
            "approved_at": Field("Approved", when_added=False),
            "withdrawn_at": _withdrawn(),
        },
    ),
    PublishedIndicator: Thing(
        "Public indicator",
        ("indicator_id",),
        {
            "board_id": board(),
            "indicator_id": Field("Indicator"),
            "approved_by_id": _approved_by(),
            "approved_at": Field("Approved", when_added=False),
            "withdrawn_at": _withdrawn(),
        },
    ),
    PublishedReading: Thing(
        "Public reading",
        ("reading_id",),
        {
            "board_id": board(),
            "indicator_id": Field("Indicator"),
            "reading_id": Field("Reading", when_added=False),
            "value": Field("Value approved", show=measured),
            "approved_by_id": _approved_by(),
            "approved_at": Field("Approved", when_added=False),
            "withdrawn_at": _withdrawn(),
        },
    ),
    PublishedPaper: Thing(
        "Public paper",
        ("kind",),
        {
            "board_id": board(),
            "meeting_id": Field("Meeting"),
            "kind": Field("Paper"),
            "approved_by_id": _approved_by(),
            "approved_at": Field("Approved", when_added=False),
            "withdrawn_at": _withdrawn(),
        },
    ),
    PublicName: Thing(
        "Name on public pages",
        ("person_id",),
        {"person_id": Field("Person"), "agreed_at": Field("Agreed")},
        removed="agreement withdrawn",
    ),
    ApiToken: Thing(
        "API token",
        ("name",),
        {
            "board_id": board(),
            "name": Field("Name"),
            "token_hash": Secret("Token"),
            "created_by_id": Field("Made by"),
            "expires_at": Field("Expires"),
            "revoked_at": Moment("Revoked", set_verb="revoked", cleared_verb="restored"),
        },
    ),
}
