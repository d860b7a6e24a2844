"""Reply addresses: ``updates+<token>@example.org``, one per person per action.

The token names the person and the action and when it was issued, with an HMAC of the three
under the app's secret key, so it cannot be made up or altered. It lives in the local part
of an address, which is 64 characters at most and which some mail servers change to lower
case, so it is short binary in lower-case base32: 32 characters, with a 64-bit signature
(a guess costs an e-mail, and is refused). Rotating SECRET_KEY stops every reply address.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import struct
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from email.utils import parseaddr
from urllib.parse import quote

from flask import current_app

from tracker.models import Action, Person
from tracker.rules.due import LONDON

_PAYLOAD = struct.Struct(">III")  # person id, action id, issued (seconds since 1970)
_SIGNATURE_BYTES = 8


class TokenRefused(Exception):
    """A reply address whose token is missing, made up or altered."""


@dataclass(frozen=True)
class ReplyToken:
    person_id: int
    action_id: int
    issued_at: datetime

    def expired(self, now: datetime) -> bool:
        return now - self.issued_at > current_app.config["REPLY_TOKEN_MAX_AGE"]


@dataclass(frozen=True)
class ReplyAddress:
    """What a reminder shows for one action: the address, and a mailto link with a subject."""

    address: str
    mailto: str


def _signature(payload: bytes) -> bytes:
    key = hashlib.sha256(b"reply-token:" + current_app.config["SECRET_KEY"].encode()).digest()
    return hmac.new(key, payload, hashlib.sha256).digest()[:_SIGNATURE_BYTES]


def make_token(person_id: int, action_id: int, issued_at: datetime) -> str:
    payload = _PAYLOAD.pack(person_id, action_id, int(issued_at.timestamp()))
    return base64.b32encode(payload + _signature(payload)).decode().lower()


def read_token(token: str) -> ReplyToken:
    """The token's person, action and issue time; TokenRefused if it is not genuine."""
    try:
        data = base64.b32decode(token.upper())
    except (binascii.Error, ValueError):
        raise TokenRefused from None
    payload, signature = data[: _PAYLOAD.size], data[_PAYLOAD.size :]
    if len(data) != _PAYLOAD.size + _SIGNATURE_BYTES or not hmac.compare_digest(
        signature, _signature(payload)
    ):
        raise TokenRefused
    person_id, action_id, issued = _PAYLOAD.unpack(payload)
    return ReplyToken(person_id, action_id, datetime.fromtimestamp(issued, UTC))


def _updates_address() -> tuple[str, str] | None:
    """The UPDATES_ADDRESS's local part and domain, or None when it is not set."""
    address = current_app.config.get("UPDATES_ADDRESS")
    if not address:
        return None
    local, _, domain = parseaddr(address)[1].rpartition("@")
    return local, domain


def reply_address(person: Person, action: Action, issued_on: date) -> ReplyAddress | None:
    """``person``'s reply address for ``action``, issued on ``issued_on`` (dated at the start
    of that day in London, so a job run twice for the same day writes the same addresses), or
    None without UPDATES_ADDRESS or when they have no e-mail address to reply from."""
    parts = _updates_address()
    if parts is None or not person.email:
        return None
    local, domain = parts
    issued_at = datetime.combine(issued_on, time(), tzinfo=LONDON)
    address = f"{local}+{make_token(person.id, action.id, issued_at)}@{domain}"
    subject = f"Progress update: {_shortened(action.text)}"
    return ReplyAddress(address, f"mailto:{address}?subject={quote(subject)}")


def _shortened(text: str, length: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def token_in(address: str) -> str | None:
    """The tag of ``address`` when it is the updates address with one ("" for the bare
    address), or None when it is some other address."""
    parts = _updates_address()
    if parts is None:
        return None
    local, _, domain = parseaddr(address)[1].rpartition("@")
    base, plus, tag = local.partition("+")
    if base.lower() != parts[0].lower() or domain.lower() != parts[1].lower():
        return None
    return tag if plus else ""
