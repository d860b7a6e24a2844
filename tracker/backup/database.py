"""What a backup needs to know of a database, whatever its engine."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa

from tracker.backup import Refused

# Alembic's bookkeeping: a database holding only this holds no data.
VERSION_TABLE = "alembic_version"
KINDS = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}


@dataclass(frozen=True)
class Snapshot:
    """A database as it stood at one moment: the file holding it, and what was in it."""

    path: Path
    taken_at: datetime
    revision: str
    tables: dict[str, int]
    # The engine and the versions of the server and tools, for the manifest.
    details: dict[str, str]


def where(url: sa.URL) -> str:
    return url.render_as_string(hide_password=True)


def count_rows(connection: sa.Connection) -> dict[str, int]:
    """Rows in every table, in the connection's transaction (so in its snapshot)."""
    return {
        name: connection.scalar(sa.select(sa.func.count()).select_from(sa.table(name)))
        for name in sorted(sa.inspect(connection).get_table_names())
    }


def with_rows(counts: dict[str, int]) -> dict[str, int]:
    """The tables holding data: Alembic's own table aside."""
    return {name: rows for name, rows in counts.items() if rows and name != VERSION_TABLE}


def rows_held(url: sa.URL) -> dict[str, int]:
    """The tables holding rows in the database at ``url`` (none when it does not exist)."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            return with_rows(count_rows(connection))
    except sa.exc.OperationalError as error:
        raise Refused(
            f"the database at {where(url)} did not answer ({first_line(error)}): create it "
            "(see the README's restore drill) and check DATABASE_URL"
        ) from None
    finally:
        engine.dispose()


def first_line(error: sa.exc.DBAPIError) -> str:
    """What the database driver said, without SQLAlchemy's statement and links."""
    said = str(error.orig or error).strip()
    return said.splitlines()[0] if said else type(error.orig).__name__


def summary(counts: dict[str, int], most: int = 6) -> str:
    """ "1,204 progress_update, 322 action, … (23 tables, 5,120 rows)": the biggest first."""
    biggest = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    shown = ", ".join(f"{rows:,} {name}" for name, rows in biggest[:most])
    more = ", …" if len(counts) > most else ""
    return f"{shown}{more} ({len(counts)} tables, {sum(counts.values()):,} rows)"
