"""Fetching replies from an IMAP mailbox: ``flask --app tracker mail fetch``, and the
scheduler's inbox job every minute when IMAP_HOST is set.

For organisations that can give the tracker a mailbox but not a mail route. Over TLS with
the certificate checked (Python's default context: the system's trusted authorities, or
those in SSL_CERT_FILE), signing in with a password or with OAuth2 (XOAUTH2: an app's
client credentials, as Microsoft 365 requires). Each message is stored (and committed)
before it is moved to the Processed folder, and processed after, so a crash at any point
leaves it either in the mailbox, to be fetched again, or stored; two fetchers at once store
and post each message once (its Message-ID is unique).
"""

from __future__ import annotations

import json
import logging
import ssl
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError
from sqlalchemy.orm import Session

from tracker.inbound.process import process, store

log = logging.getLogger("tracker.inbound")

BATCH = 50
TIMEOUT = 30  # seconds, for the mail server and the token endpoint alike


class FetchFailed(Exception):
    """The mailbox could not be reached or signed in to."""


@dataclass(frozen=True)
class ImapSettings:
    host: str
    port: int
    user: str
    password: str | None
    folder: str
    processed: str
    token_url: str | None
    client_id: str | None
    client_secret: str | None
    scope: str

    @classmethod
    def from_config(cls, config: Any) -> ImapSettings | None:
        """The settings in the app's config, or None when no IMAP_HOST is set."""
        if not config.get("IMAP_HOST"):
            return None
        return cls(
            host=config["IMAP_HOST"],
            port=config["IMAP_PORT"],
            user=config.get("IMAP_USER") or "",
            password=config.get("IMAP_PASSWORD"),
            folder=config["IMAP_FOLDER"],
            processed=config["IMAP_PROCESSED_FOLDER"],
            token_url=config.get("IMAP_OAUTH2_TOKEN_URL"),
            client_id=config.get("IMAP_OAUTH2_CLIENT_ID"),
            client_secret=config.get("IMAP_OAUTH2_CLIENT_SECRET"),
            scope=config["IMAP_OAUTH2_SCOPE"],
        )


@dataclass
class FetchResult:
    stored: int = 0
    posted: int = 0

    def __str__(self) -> str:
        return f"{self.stored} fetched, {self.posted} processed"


def access_token(settings: ImapSettings) -> str:
    """An OAuth2 access token by the client credentials grant (RFC 6749 §4.4)."""
    body = urllib.parse.urlencode(
        {
            "grant_type": "client_credentials",
            "client_id": settings.client_id or "",
            "client_secret": settings.client_secret or "",
            "scope": settings.scope,
        }
    ).encode()
    if not (settings.token_url or "").startswith(("https://", "http://")):
        raise FetchFailed("IMAP_OAUTH2_TOKEN_URL must be an http(s) address")
    request = urllib.request.Request(settings.token_url, data=body, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:  # noqa: S310  # nosec B310
            token = json.load(answer).get("access_token")
    except (OSError, ValueError) as error:
        raise FetchFailed(f"no OAuth2 token from {settings.token_url}: {error}") from None
    if not token:
        raise FetchFailed(f"no access_token in the answer of {settings.token_url}")
    return token


def connect(settings: ImapSettings) -> IMAPClient:
    """Signed in to the mailbox, over TLS with the server's certificate checked."""
    token = access_token(settings) if settings.token_url else None
    try:
        client = IMAPClient(
            settings.host,
            settings.port,
            ssl=True,
            ssl_context=ssl.create_default_context(),
            timeout=TIMEOUT,
        )
    except (OSError, IMAPClientError) as error:
        raise FetchFailed(f"cannot reach {settings.host}:{settings.port}: {error}") from None
    try:
        if token is not None:
            client.oauth2_login(settings.user, token)
        else:
            client.login(settings.user, settings.password or "")
    except IMAPClientError as error:
        client.shutdown()
        raise FetchFailed(f"cannot sign in to {settings.host}: {error}") from None
    return client


def fetch(session: Session, now: datetime, settings: ImapSettings, limit_bytes: int) -> FetchResult:
    """Store, move and process every message in the mailbox's folder."""
    result = FetchResult()
    client = connect(settings)
    try:
        client.select_folder(settings.folder)
        _make_folder(client, settings.processed)
        uids = client.search("ALL")
        for start in range(0, len(uids), BATCH):
            for uid, (raw, size) in _messages(client, uids[start : start + BATCH], limit_bytes):
                row = store(
                    session, raw, via="imap", recipients=(), mail_from=None, now=now, size=size
                )
                result.stored += 1
                _move(client, uid, settings.processed)
                if process(session, row.id, now) is not None:
                    result.posted += 1
    finally:
        client.logout()
    return result


def _make_folder(client: IMAPClient, name: str) -> None:
    if client.folder_exists(name):
        return
    try:
        client.create_folder(name)
    except IMAPClientError:
        # Another fetcher made it a moment ago.
        if not client.folder_exists(name):
            raise


def _messages(client: IMAPClient, uids: list[int], limit_bytes: int):
    """(uid, (raw, size)) for each message still there: all of it, or only its headers
    when it is over the size limit (it is refused on its headers alone)."""
    sizes = client.fetch(uids, ["RFC822.SIZE"])
    small = [uid for uid in uids if uid in sizes and sizes[uid][b"RFC822.SIZE"] <= limit_bytes]
    large = [uid for uid in uids if uid in sizes and uid not in small]
    fetched = {}
    if small:
        fetched.update({u: d[b"BODY[]"] for u, d in client.fetch(small, ["BODY.PEEK[]"]).items()})
    if large:
        headers = client.fetch(large, ["BODY.PEEK[HEADER]"])
        fetched.update({u: d[b"BODY[HEADER]"] for u, d in headers.items()})
    # A message another fetcher moved meanwhile is missing from the answer, or empty (NIL):
    # it is theirs.
    for uid in uids:
        if fetched.get(uid) is not None:
            yield uid, (fetched[uid], sizes[uid][b"RFC822.SIZE"])


def _move(client: IMAPClient, uid: int, folder: str) -> None:
    try:
        if client.has_capability("MOVE"):
            client.move([uid], folder)
        else:
            client.copy([uid], folder)
            client.delete_messages([uid])
            client.uid_expunge([uid])
    except IMAPClientError:
        # Another fetcher moved it first (it is stored either way); anything else is raised.
        if client.search(["UID", str(uid)]):
            raise
