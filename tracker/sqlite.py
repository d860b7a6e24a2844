"""SQLite transactions as SQLAlchemy documents them ("Serializable isolation / Savepoints /
Transactional DDL"): the sqlite3 driver's own transaction handling is turned off, SQLAlchemy
emits BEGIN itself, and a connection opened with ``sqlite_immediate=True`` begins with BEGIN
IMMEDIATE, taking the write lock at once. The outbox sender and the jobs do, so that on
SQLite two of them queue behind each other instead of both reading the same pending message.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import Connection, event
from sqlalchemy.engine import Engine


@event.listens_for(Engine, "connect")
def _let_sqlalchemy_begin(dbapi_connection: Any, connection_record: Any) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.isolation_level = None
        # Write-ahead logging: readers (the web app) never block the writer (the scheduler)
        # or each other; writers still take turns.
        dbapi_connection.execute("PRAGMA journal_mode=WAL")
        dbapi_connection.execute("PRAGMA synchronous=NORMAL")


@event.listens_for(Engine, "begin")
def _begin(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        immediate = connection.get_execution_options().get("sqlite_immediate")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
