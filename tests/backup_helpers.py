"""Shared by the backup tests: databases to back up and restore into, and reading them whole."""

from __future__ import annotations

import io
import json
import os
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import Result
from flask import Flask

from tests.conftest import POSTGRES_URL, postgres_unavailable, scratch_postgres_database
from tracker import create_app
from tracker.extensions import db


def app_for(url: str, instance: Path) -> Flask:
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
    app.instance_path = str(instance)
    return app


def flask(url: str, instance: Path, *args: str, **config) -> Result:
    """``flask --app tracker ARGS`` on the database at ``url``, in this process."""
    app = app_for(url, instance)
    app.config.update(config)
    result = app.test_cli_runner().invoke(args=list(args))
    with app.app_context():
        db.engine.dispose()
    return result


def rows(url: str) -> dict[str, dict[tuple, tuple]]:
    """Every row of every table by its primary key, to compare two databases whole."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    metadata = sa.MetaData()
    metadata.reflect(engine)
    try:
        with engine.connect() as connection:
            return {
                name: {
                    tuple(row[c.name] for c in table.primary_key): tuple(row.values())
                    for row in connection.execute(table.select()).mappings()
                }
                for name, table in metadata.tables.items()
            }
    finally:
        engine.dispose()


def rewrite(
    archive: Path,
    output: Path,
    *,
    member: Callable[[str, bytes], bytes] = lambda name, data: data,
    manifest: Callable[[dict], dict] = lambda body: body,
) -> Path:
    """A copy of ``archive`` with its members or its manifest changed as given."""
    with tarfile.open(archive) as source, tarfile.open(output, "w") as copy:
        for info in source.getmembers():
            data = source.extractfile(info).read()
            if info.name == "manifest.json":
                data = json.dumps(manifest(json.loads(data))).encode()
            else:
                data = member(info.name, data)
            info.size = len(data)
            copy.addfile(info, io.BytesIO(data))
    return output


class Databases:
    """Empty databases of one kind, made on demand: ``databases.new("source")``.

    A PostgreSQL database made once is emptied for the next test of this process that asks
    for it by name, rather than dropped and made again: dropping a database waits for a
    checkpoint, seconds on a busy server. (As tests/conftest.py does, they are left behind.)
    """

    made: set[str] = set()

    def __init__(self, kind: str, folder: Path) -> None:
        self.kind, self.folder = kind, folder

    def new(self, name: str) -> str:
        if self.kind == "sqlite":
            return f"sqlite:///{self.folder / f'{name}.sqlite'}"
        database = f"tracker_backup_{name}_{os.getpid()}"
        if database not in self.made:
            self.made.add(database)
            return scratch_postgres_database(database)
        url = sa.make_url(POSTGRES_URL).set(database=database)
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
        engine.dispose()
        return url.render_as_string(hide_password=False)


def databases_of(kind: str, folder: Path) -> Databases:
    if kind == "postgresql" and (reason := postgres_unavailable()):
        pytest.skip(reason)
    return Databases(kind, folder)
