"""Fixtures shared by the whole suite.

Every test that uses ``app`` (or anything built on it) runs once on SQLite and once on
PostgreSQL; the PostgreSQL run is skipped, with the reason printed, when no server answers.
The schema is created once per database per session; each test starts from empty tables.
"""

from __future__ import annotations

import os
import pwd
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from tests import factories
from tests.helpers import ClientRequest
from tests.moments import Clock
from tests.private_postgres import PG_BIN, PrivatePostgres
from tests.smtp_sink import SmtpSink
from tracker import create_app
from tracker.extensions import db

POSTGRES_URL = os.environ.get(
    "TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def postgres_unavailable(url: str = POSTGRES_URL) -> str | None:
    """Why PostgreSQL cannot be used for tests, or None when it can."""
    engine = sa.create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect():
            return None
    except sa.exc.OperationalError as error:
        return f"PostgreSQL at {engine.url.render_as_string()} did not answer: {error.orig}"
    finally:
        engine.dispose()


def scratch_postgres_database(name: str) -> str:
    """A fresh, empty database beside the one in POSTGRES_URL, and its URL."""
    engine = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return sa.make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'tracker.sqlite'}"
    reason = postgres_unavailable()
    if reason:
        pytest.skip(reason)
    return scratch_postgres_database(f"tracker_test_{os.getpid()}")


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path) -> str:
    """The URL of a database with nothing in it, not even a schema, on each database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.sqlite'}"
    reason = postgres_unavailable()
    if reason:
        pytest.skip(reason)
    return scratch_postgres_database(f"tracker_empty_{os.getpid()}")


@pytest.fixture
def private_postgres() -> Iterator[PrivatePostgres]:
    """A PostgreSQL server of the test's own, started, and removed afterwards."""
    if not (PG_BIN / "initdb").exists():
        pytest.skip(f"no PostgreSQL server binaries in {PG_BIN}: cannot start one of our own")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root with no postgres user to run a private PostgreSQL")
    server = PrivatePostgres()
    try:
        server.init()
        server.start()
        yield server
    finally:
        server.remove()


class FreshContextClient(FlaskClient):
    """Each request runs in an app context of its own, as in production.

    Without this, requests would share the test's app context: its flask.g (where
    flask-login caches the signed-in person) and its database session. The test's own
    session is committed first, so the request sees what the test arranged.
    """

    def open(self, *args, **kwargs):
        db.session.commit()
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def _app(database_url: str) -> Iterator[Flask]:
    app = create_app(
        "test",
        {"SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": False},
    )
    app.test_client_class = FreshContextClient
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def app(_app: Flask) -> Iterator[Flask]:
    """The app, inside an app context, with empty tables before and after the test."""
    with _app.app_context():
        _empty_tables()
        yield _app
        db.session.remove()
        _empty_tables()


def _empty_tables() -> None:
    db.session.rollback()
    tables = db.metadata.sorted_tables
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            connection.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(tables):
                connection.execute(table.delete())


@pytest.fixture
def session(app: Flask):
    return db.session


@pytest.fixture
def client(app: Flask):
    return app.test_client()


@pytest.fixture
def client_request(app: Flask, client) -> ClientRequest:
    return ClientRequest(app, client)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """The app's clock, pinned with ``clock.set(date(2021, 9, 20))`` (09:00 in London) or
    ``clock.set(moment)``; unpinned until then."""
    return Clock(monkeypatch)


@pytest.fixture
def board_people(session) -> factories.BoardPeople:
    """A board with one person in each role, and an outsider: the admin of another board."""
    people = factories.board_with_people()
    session.commit()
    return people


def _signed_in_as(who: str):
    @pytest.fixture
    def signed_in(app: Flask, board_people) -> ClientRequest:
        """Signed in as that one of board_people, on a client of its own: a test can hold
        several people signed in at once."""
        request = ClientRequest(app, app.test_client())
        request.login(getattr(board_people, who))
        return request

    return signed_in


as_admin = _signed_in_as("admin")
as_chair = _signed_in_as("chair")
as_lead = _signed_in_as("lead")
as_member = _signed_in_as("member")
as_outsider = _signed_in_as("outsider")


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    """A real SMTP server on a free loopback port, keeping what it receives."""
    server = SmtpSink().start()
    yield server
    server.stop()
