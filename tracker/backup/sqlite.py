"""SQLite: the online backup API, both ways.

Backing up copies the database in one step of ``sqlite3_backup``, which reads it in one
transaction: a consistent copy while the web app writes (in WAL mode writers carry on).
The manifest's counts are read from the copy. Restoring checks the copy (its integrity and
its rows against the manifest) and copies it over the database in one step: the database
is replaced whole, or not at all.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlalchemy as sa

from tracker import clock, schema
from tracker.backup import Refused
from tracker.backup.archive import FETCH_AGAIN, Manifest
from tracker.backup.database import Snapshot, count_rows, where

MEMBER = "database.sqlite"
SIDECARS = ("-wal", "-shm", "-journal")
# How long to wait for a writer's lock before giving up.
BUSY_SECONDS = 30


def exists(url: sa.URL) -> bool:
    """Whether the database file is there (looking must not create it)."""
    return _path(url).exists()


def own_files(url: sa.URL) -> list[Path]:
    """The database's files, which the instance folder's files leave out."""
    path = _path(url)
    return [path, *(path.with_name(path.name + suffix) for suffix in SIDECARS)]


def take(url: sa.URL, workdir: Path) -> Snapshot:
    path = _path(url)
    if not path.is_file():
        raise Refused(f"there is no database file at {path}: check DATABASE_URL")
    copy = workdir / MEMBER
    try:
        source = sqlite3.connect(
            f"{path.absolute().as_uri()}?mode=rw", uri=True, timeout=BUSY_SECONDS
        )
        try:
            taken_at = clock.now()
            with sqlite3.connect(copy) as target:
                source.backup(target)
            target.close()
            version = source.execute("SELECT sqlite_version()").fetchone()[0]
        finally:
            source.close()
    except sqlite3.Error as error:
        raise Refused(f"could not copy {path}: {error}") from None
    revision, tables = _read(copy)
    if revision is None:
        raise Refused(
            f"the database at {where(url)} has no Trust Tracker schema (it was never migrated): "
            "there is nothing to back up; check DATABASE_URL"
        )
    return Snapshot(
        path=copy,
        taken_at=taken_at,
        revision=revision,
        tables=tables,
        details={"engine": "sqlite", "sqlite_version": version},
    )


def restorable(url: sa.URL, manifest: Manifest) -> None:
    path = _path(url)
    if not path.parent.is_dir():
        raise Refused(f"there is no folder {path.parent} to restore {path.name} into: create it")


def verify(copy: Path, manifest: Manifest) -> None:
    """The copy is a sound SQLite database holding the rows the manifest counted."""
    try:
        with sqlite3.connect(f"{copy.as_uri()}?mode=ro", uri=True) as connection:
            problems = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        connection.close()
    except sqlite3.DatabaseError as error:
        problems = [str(error)]
    if problems != ["ok"]:
        raise Refused(
            f"the backup's database is damaged ({'; '.join(problems[:3])}): {FETCH_AGAIN}"
        )
    _, tables = _read(copy)
    if tables != manifest.tables:
        raise Refused(
            f"the backup's database does not hold the rows its manifest counted: {FETCH_AGAIN}"
        )


def load(url: sa.URL, copy: Path, manifest: Manifest, workdir: Path) -> None:
    path = _path(url)
    try:
        source = sqlite3.connect(f"{copy.as_uri()}?mode=ro", uri=True)
        try:
            with sqlite3.connect(path, timeout=BUSY_SECONDS) as target:
                source.backup(target)
            target.close()
        finally:
            source.close()
    except sqlite3.Error as error:
        raise Refused(
            f"could not restore into {path}: {error} (stop the web app and the scheduler first)"
        ) from None


def _read(copy: Path) -> tuple[str | None, dict[str, int]]:
    """The revision and rows per table of a database file."""
    engine = sa.create_engine(f"sqlite:///{copy}", poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            return schema.current(connection), count_rows(connection)
    finally:
        engine.dispose()


def _path(url: sa.URL) -> Path:
    if url.database in (None, "", ":memory:"):
        raise Refused(
            f"{where(url)} is a database in memory: back up and restore a database in a file"
        )
    return Path(url.database)
