"""Which module snapshots and loads a database, by its kind."""

from __future__ import annotations

from types import ModuleType

import sqlalchemy as sa

from tracker.backup import Refused, postgres, sqlite
from tracker.backup.database import where


def engine_of(url: sa.URL) -> ModuleType:
    """The module that snapshots and loads this kind of database."""
    try:
        return {"postgresql": postgres, "sqlite": sqlite}[url.get_backend_name()]
    except KeyError:
        raise Refused(
            f"{where(url)} is a {url.get_backend_name()} database: backups are made of "
            "PostgreSQL and SQLite databases only"
        ) from None
