"""PostgreSQL: ``pg_dump`` in its custom format, loaded back with ``pg_restore`` and ``psql``.

The backup opens a repeatable-read transaction, exports its snapshot and hands it to
``pg_dump``: the dump and the manifest's row counts see the same moment, however many
updates are posted meanwhile. The restore is one transaction (``psql --single-transaction``):
drop what the database holds, load the dump, check every table's rows against the manifest.
Any failure rolls all of it back.

The tools come with Debian's ``postgresql-client-N`` package, N being the server's major
version: ``pg_dump`` must be at least as new as the server it dumps, and ``pg_restore`` at
least as new as the ``pg_dump`` that wrote the dump.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess  # nosec B404 (the PostgreSQL client tools, given argument lists)
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from psycopg.conninfo import make_conninfo

from tracker import clock, schema
from tracker.backup import Refused
from tracker.backup.archive import Manifest
from tracker.backup.database import Snapshot, count_rows, first_line, where

MEMBER = "database.pgdump"
# pg_dump waits this long for a table locked by a migration, then gives up.
LOCK_WAIT = "5min"
# The restore gives up at once on a table the web app or the scheduler is using.
RESTORE_LOCK_WAIT = "10s"
_WHERE_IN_FILE = re.compile(r"^psql:[^:]*:\d+: ")


def exists(url: sa.URL) -> bool:
    """Whether the database is there to look at (a server's database answers, or says why)."""
    return True


def own_files(url: sa.URL) -> list[Path]:
    """Files of the database to leave out of the instance folder's: none, it is on a server."""
    return []


def take(url: sa.URL, workdir: Path) -> Snapshot:
    engine = _engine(url)
    try:
        with engine.connect() as connection:
            server = _server_version(connection)
            pg_dump = _tool("pg_dump", at_least=server)
            connection.rollback()
            connection.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin():
                snapshot = connection.scalar(sa.text("SELECT pg_export_snapshot()"))
                taken_at = clock.now()
                revision = schema.current(connection)
                if revision is None:
                    raise Refused(_never_migrated(url))
                tables = count_rows(connection)
                where_tables = connection.scalar(sa.text("SELECT current_schema()"))
                dump = workdir / MEMBER
                _run(
                    url,
                    pg_dump.path,
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    f"--lock-wait-timeout={LOCK_WAIT}",
                    f"--file={dump}",
                    dbname=True,
                )
    except sa.exc.OperationalError as error:
        raise Refused(f"the database at {where(url)} did not answer: {first_line(error)}") from None
    finally:
        engine.dispose()
    return Snapshot(
        path=dump,
        revision=revision,
        tables=tables,
        taken_at=taken_at,
        details={
            "engine": "postgresql",
            "schema": where_tables,
            "server_version": server.text,
            "pg_dump_version": pg_dump.version.text,
        },
    )


def restorable(url: sa.URL, manifest: Manifest) -> None:
    """Refuse before anything is touched when the tools or the server are too old."""
    made_by = Version(manifest.database["pg_dump_version"])
    source = Version(manifest.database["server_version"])
    engine = _engine(url)
    try:
        with engine.connect() as connection:
            server = _server_version(connection)
    except sa.exc.OperationalError as error:
        raise Refused(f"the database at {where(url)} did not answer: {first_line(error)}") from None
    finally:
        engine.dispose()
    if server.major < source.major:
        raise Refused(
            f"the backup is of PostgreSQL {source.major} and {where(url)} is PostgreSQL "
            f"{server.major}: restore it into PostgreSQL {source.major} or newer"
        )
    for name in ("pg_restore", "psql"):
        _tool(name, at_least=made_by)


def verify(dump: Path, manifest: Manifest) -> None:
    """pg_restore can read the whole table of contents of the dump."""
    _run(None, _tool("pg_restore").path, "--list", str(dump), what="read the dump")


def load(url: sa.URL, dump: Path, manifest: Manifest, workdir: Path) -> None:
    script = workdir / "restore.sql"
    # Objects owned by, and granted to, whoever restores: the roles of the machine that
    # made the backup may not exist here.
    _run(
        None,
        _tool("pg_restore").path,
        "--no-owner",
        "--no-privileges",
        f"--file={script}",
        str(dump),
        what="read the dump",
    )
    drop = workdir / "drop.sql"
    drop.write_text(_drop_everything(url))
    check = workdir / "check.sql"
    check.write_text(_check_counts(manifest))
    _run(
        url,
        _tool("psql").path,
        "--no-psqlrc",
        "--quiet",
        "--set=ON_ERROR_STOP=1",
        "--single-transaction",
        f"--file={drop}",
        f"--file={script}",
        f"--file={check}",
        dbname=True,
        what=f"restore into {where(url)}",
    )


def _drop_everything(url: sa.URL) -> str:
    """SQL dropping every table, view and sequence in the database's schema."""
    kinds = {"v": "VIEW", "m": "MATERIALIZED VIEW", "r": "TABLE", "p": "TABLE", "S": "SEQUENCE"}
    engine = _engine(url)
    try:
        with engine.connect() as connection:
            objects = connection.execute(
                sa.text(
                    "SELECT c.relkind, n.nspname, c.relname FROM pg_class c "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = current_schema() AND c.relkind IN ('v','m','r','p','S') "
                    "ORDER BY position(c.relkind::text in 'vmrpS'), c.relname"
                )
            ).all()
            quote = connection.dialect.identifier_preparer.quote
    finally:
        engine.dispose()
    lines = [f"SET lock_timeout = '{RESTORE_LOCK_WAIT}';", "SET client_min_messages = warning;"]
    lines += [
        f"DROP {kinds[kind]} IF EXISTS {quote(space)}.{quote(name)} CASCADE;"
        for kind, space, name in objects
    ]
    return "\n".join(lines) + "\n"


def _check_counts(manifest: Manifest) -> str:
    """A block that fails the transaction unless every table holds the rows counted.
    (The manifest's table names are plain identifiers: see archive.Manifest.from_json.)"""
    space = manifest.database["schema"]
    checks = "\n".join(
        f"  SELECT count(*) INTO found FROM {space}.{name};\n"  # noqa: S608  # nosec B608
        f"  IF found <> {rows} THEN RAISE EXCEPTION "
        f"'{name} holds % rows after loading; the backup counted {rows}', found; END IF;"
        for name, rows in manifest.tables.items()
    )
    return f"DO $$\nDECLARE found bigint;\nBEGIN\n{checks}\nEND $$;\n"


@dataclass(frozen=True)
class Version:
    """A PostgreSQL version as it names itself ("15.20 (Debian 15.20-0+deb12u1)")."""

    text: str

    @property
    def major(self) -> int:
        return int(re.match(r"\d+", self.text).group())


def _server_version(connection: sa.Connection) -> Version:
    return Version(connection.scalar(sa.text("SHOW server_version")))


@dataclass(frozen=True)
class _Tool:
    path: str
    version: Version


def _tool(name: str, at_least: Version | None = None) -> _Tool:
    package = f"postgresql-client-{at_least.major}" if at_least else "postgresql-client"
    path = shutil.which(name)
    if path is None:
        raise Refused(
            f"{name} is not installed: install Debian's {package} "
            f"(apt-get install {package}), of the server's major version"
        )
    answer = subprocess.run(  # noqa: S603  # nosec B603 (a PostgreSQL tool, no shell)
        [path, "--version"], capture_output=True, text=True, check=False
    )
    found = re.search(r"\(PostgreSQL\) (\d+(?:\.\d+)?)", answer.stdout)
    if found is None:
        raise Refused(f"{path} --version did not say which PostgreSQL it is: {answer.stdout}")
    version = Version(found.group(1))
    if at_least is not None and version.major < at_least.major:
        raise Refused(
            f"{name} is from PostgreSQL {version.major}, older than the PostgreSQL "
            f"{at_least.major} it must work with: install Debian's {package} "
            f"(apt-get install {package})"
        )
    return _Tool(path, version)


def _run(url: sa.URL | None, *args: str, dbname: bool = False, what: str | None = None) -> None:
    """Run a PostgreSQL tool; the password goes in its environment, never its arguments."""
    env = dict(os.environ)
    argv = list(args)
    if url is not None:
        params = {
            "host": url.host,
            "port": url.port,
            "user": url.username,
            "dbname": url.database,
            **{key: value for key, value in url.query.items() if isinstance(value, str)},
        }
        if url.password is not None:
            env["PGPASSWORD"] = str(url.password)
        env.setdefault("PGCONNECT_TIMEOUT", "10")
        if dbname:
            conninfo = make_conninfo("", **{k: str(v) for k, v in params.items() if v})
            argv += ["--no-password", f"--dbname={conninfo}"]
    result = subprocess.run(  # noqa: S603  # nosec B603 (a PostgreSQL tool, no shell)
        argv, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        tool = Path(args[0]).name
        # psql names the work file and line ("psql:/tmp/.../drop.sql:5: ERROR: ..."): not news.
        lines = [_WHERE_IN_FILE.sub("", line).strip() for line in result.stderr.splitlines()]
        errors = [line for line in lines if line.startswith(("ERROR", "FATAL", "pg_"))]
        said = " ".join(errors or [line for line in lines[-3:] if line])
        if "lock timeout" in said:
            said += " (stop the web app and the scheduler first)"
        raise Refused(f"{tool} could not {what or 'finish'}: {said}")


def _never_migrated(url: sa.URL) -> str:
    return (
        f"the database at {where(url)} has no Trust Tracker schema (it was never migrated): "
        "there is nothing to back up; check DATABASE_URL"
    )


def _engine(url: sa.URL) -> sa.Engine:
    return sa.create_engine(url, poolclass=sa.pool.NullPool, connect_args={"connect_timeout": 10})
