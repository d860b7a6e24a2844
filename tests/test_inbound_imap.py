"""Fetching replies from a real IMAP mailbox (Dovecot over TLS), with a password and with
OAuth2, moving each only once it is stored, and two fetchers at once."""

from __future__ import annotations

import shutil
import ssl
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from imapclient import IMAPClient
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import OperationalError

from jobs.schedule import run
from tests import factories, replies
from tests.imap_server import CLIENT_ID, CLIENT_SECRET, PASSWORD, USER, ImapServer, TokenService
from tests.imap_server import unavailable as imap_unavailable
from tracker.extensions import db
from tracker.inbound.fetch import FetchFailed, ImapSettings, fetch
from tracker.inbound.tokens import reply_address
from tracker.models import InboundMessage, InboundStatus, ProgressUpdate, Role

NOW = datetime(2021, 8, 10, 9, 14, tzinfo=UTC)


@pytest.fixture(scope="module")
def tokens():
    service = TokenService().start()
    yield service
    service.stop()


@pytest.fixture(scope="module")
def imap(tokens):
    reason = imap_unavailable()
    if reason:
        pytest.skip(reason)
    # Not under pytest's temporary folder, which only its owner may enter: Dovecot keeps the
    # mail as another user when the tests run as root.
    folder = Path(tempfile.mkdtemp(prefix="tracker-imap-"))
    server = ImapServer(folder, tokens)
    try:
        server.start()
    except RuntimeError as error:
        shutil.rmtree(folder)
        pytest.skip(f"Dovecot could not be started here: {error}")
    yield server
    server.stop()
    shutil.rmtree(folder)


@pytest.fixture
def mailbox(imap, app, monkeypatch, clock):
    """The test's own connection to the mailbox, emptied first; the app set to fetch it."""
    monkeypatch.setenv("SSL_CERT_FILE", str(imap.ca))
    for name, value in {
        "IMAP_HOST": "127.0.0.1",
        "IMAP_PORT": imap.port,
        "IMAP_USER": USER,
        "IMAP_PASSWORD": PASSWORD,
        "UPDATES_ADDRESS": "updates@example.org",
    }.items():
        monkeypatch.setitem(app.config, name, value)
    clock.set(NOW)
    client = IMAPClient(
        "127.0.0.1", imap.port, ssl_context=ssl.create_default_context(cafile=str(imap.ca))
    )
    client.login(USER, PASSWORD)
    for folder in ("INBOX", "Processed"):
        if client.folder_exists(folder):
            client.select_folder(folder)
            client.delete_messages(client.search("ALL"))
            client.expunge()
    yield client
    client.logout()


@pytest.fixture
def world(app, session):
    board = factories.board("Oxfordshire Children's Trust Board")
    lead = factories.person(board, Role.LEAD, name="David Clarke", email="david.clarke@example.org")
    area = factories.area(factories.plan(board, "CYPP", 2021, 2022))
    actions = [factories.action(area, leads=[lead]) for _ in range(10)]
    session.commit()
    return dict(board=board, lead=lead, actions=actions)


def put(mailbox, raw: bytes) -> None:
    mailbox.append("INBOX", raw)


def count(mailbox, folder: str) -> int:
    mailbox.select_folder(folder)
    return len(mailbox.search("ALL"))


def reply_to(world, n: int = 0) -> str:
    return reply_address(world["lead"], world["actions"][n], NOW.date()).address


def posted(session) -> list[str]:
    session.commit()
    return sorted(session.scalars(select(ProgressUpdate.text)))


def test_the_inbox_job_fetches_posts_and_then_moves_each_reply(session, world, mailbox):
    put(mailbox, replies.plain(reply_to(world), "On track: fetched from the mailbox."))
    assert run(session, "inbox", NOW) == "1 fetched, 1 processed; 0 of 0 waiting messages processed"
    assert posted(session) == ["Fetched from the mailbox."]
    assert (count(mailbox, "INBOX"), count(mailbox, "Processed")) == (0, 1)
    [message] = session.scalars(select(InboundMessage)).all()
    assert (message.via, message.recipient) == ("imap", reply_to(world))
    assert run(session, "inbox", NOW).startswith("0 fetched")


def test_the_servers_certificate_is_checked(session, world, mailbox, monkeypatch):
    monkeypatch.delenv("SSL_CERT_FILE")
    put(mailbox, replies.plain(reply_to(world), "Not over an unchecked connection."))
    summary = run(session, "inbox", NOW)
    assert summary.startswith("mailbox not fetched: cannot reach 127.0.0.1")
    assert "CERTIFICATE_VERIFY_FAILED" in summary
    assert posted(session) == [] and count(mailbox, "INBOX") == 1


def test_oauth2_sign_in_as_for_microsoft_365(app, session, world, mailbox, tokens, monkeypatch):
    monkeypatch.setitem(app.config, "IMAP_PASSWORD", None)
    monkeypatch.setitem(app.config, "IMAP_OAUTH2_TOKEN_URL", f"{tokens.url}/token")
    monkeypatch.setitem(app.config, "IMAP_OAUTH2_CLIENT_ID", CLIENT_ID)
    monkeypatch.setitem(app.config, "IMAP_OAUTH2_CLIENT_SECRET", CLIENT_SECRET)
    put(mailbox, replies.plain(reply_to(world), "Signed in with OAuth2."))
    issued = tokens.issued
    assert run(session, "inbox", NOW).startswith("1 fetched")
    assert posted(session) == ["Signed in with OAuth2."] and tokens.issued == issued + 1
    monkeypatch.setitem(app.config, "IMAP_OAUTH2_CLIENT_SECRET", "wrong")
    with pytest.raises(FetchFailed, match="no OAuth2 token"):
        fetch(session, NOW, ImapSettings.from_config(app.config), 1_000_000)


def test_a_message_is_moved_only_once_it_is_stored(app, session, world, mailbox):
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("holds SQLite's write lock to stop the store; PostgreSQL would wait")
    put(mailbox, replies.plain(reply_to(world), "Waits in the mailbox."))
    session.commit()
    # Another process holds the database's write lock: storing fails, the message stays.
    blocker = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    with blocker.connect().execution_options(sqlite_immediate=True) as connection:
        with connection.begin():
            connection.execute(text("SELECT 1"))
            with pytest.raises(OperationalError, match="database is locked"):
                fetch(session, NOW, ImapSettings.from_config(app.config), 1_000_000)
    blocker.dispose()
    session.rollback()
    assert (count(mailbox, "INBOX"), count(mailbox, "Processed")) == (1, 0)
    assert run(session, "inbox", NOW).startswith("1 fetched")
    assert posted(session) == ["Waits in the mailbox."]


def test_two_fetchers_at_once_post_each_reply_once(app, session, world, mailbox):
    expected = []
    for n in range(20):
        typed = f"Reply {n:02d}."
        put(mailbox, replies.plain(reply_to(world, n % 10), typed))
        expected.append(typed)
    settings = ImapSettings.from_config(app.config)
    results, errors = [], []

    def fetcher() -> None:
        with app.app_context():
            try:
                results.append(fetch(db.session, NOW, settings, 1_000_000))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=fetcher) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors and len(results) == 2
    # Whatever a fetcher left waiting (it lost a race for an action) is processed next run.
    run(session, "inbox", NOW)
    assert posted(session) == expected
    statuses = session.scalars(select(InboundMessage.status)).all()
    assert statuses == [InboundStatus.POSTED] * 20
    # Both may have moved a message at the same moment: Dovecot then leaves two copies in
    # Processed (IMAP's MOVE is a copy and an expunge), but the mailbox is empty and every
    # reply is posted once.
    assert count(mailbox, "INBOX") == 0
    mailbox.select_folder("Processed")
    ids = mailbox.fetch(mailbox.search("ALL"), ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])
    assert len({data[b"BODY[HEADER.FIELDS (MESSAGE-ID)]"] for data in ids.values()}) == 20


def test_an_over_long_message_is_fetched_as_its_headers(app, session, world, mailbox):
    raw = replies.plain(reply_to(world), "Big.\n" + ("x" * 76 + "\n") * 14_000)
    put(mailbox, raw)
    run(session, "inbox", NOW)
    [message] = session.scalars(select(InboundMessage)).all()
    assert (message.reason, message.size) == ("too_large", len(raw))
    assert len(message.raw) < 1_000
