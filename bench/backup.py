"""Seconds to back up and restore a large board's database, beside the database's own tools.

    python -m bench.backup [--actions 10000]

Data from bench/generate.py (10 boards, 10,000 actions, 50,000 updates, ...) in a migrated
database, on SQLite and, when it answers, on PostgreSQL (scratch databases beside the tests'
TEST_DATABASE_URL). ``flask --app tracker backup`` is timed beside the bare copy it wraps (``pg_dump
-Fc`` to a file; for SQLite a copy of the file), and ``restore`` into an empty database
beside the bare load (``pg_restore --single-transaction``; a copy of the file), as ratios
in the same run. Prints a line per measurement and writes bench/results/backup.json.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
from datetime import date
from pathlib import Path
from time import perf_counter

import sqlalchemy as sa
from flask_migrate import upgrade

from bench import write_results
from bench.generate import bench_day, generate
from tests.conftest import POSTGRES_URL, postgres_unavailable, scratch_postgres_database
from tracker import create_app
from tracker.extensions import db


def _flask(url: str, folder: Path, *args: str) -> float:
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": url})
    app.instance_path = str(folder / "instance")
    started = perf_counter()
    with app.app_context():
        result = app.test_cli_runner().invoke(args=list(args))
        seconds = perf_counter() - started
        assert result.exit_code == 0, result.output
        db.engine.dispose()
    return seconds


def _fill(url: str, actions: int) -> None:
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        generate(db.session, boards=10, actions=actions, today=bench_day(date.today()))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def _libpq(url: str) -> list[str]:
    parts = sa.make_url(url)
    return [
        "-h",
        parts.host,
        "-p",
        str(parts.port or 5432),
        "-U",
        parts.username,
        "-d",
        parts.database,
    ]


def _drop(*urls: str) -> None:
    engine = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        for url in urls:
            name = sa.make_url(url).database
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def bench_engine(kind: str, actions: int, folder: Path) -> dict:
    if kind == "sqlite":
        source, target = (f"sqlite:///{folder / name}.sqlite" for name in ("source", "target"))
    else:
        source, target = (scratch_postgres_database(f"bench_backup_{name}") for name in ("a", "b"))
    _fill(source, actions)
    archive = folder / f"{kind}.tar"
    backup = _flask(source, folder, "backup", "-o", str(archive))
    restore = _flask(target, folder, "restore", str(archive))
    started = perf_counter()
    if kind == "sqlite":
        shutil.copyfile(sa.make_url(source).database, folder / "copy.sqlite")
        bare_backup = perf_counter() - started
        started = perf_counter()
        shutil.copyfile(folder / "copy.sqlite", folder / "again.sqlite")
        bare_restore = perf_counter() - started
    else:
        dump = folder / "bare.pgdump"
        subprocess.run(["pg_dump", "-Fc", "-f", str(dump), *_libpq(source)], check=True)  # noqa: S603,S607
        bare_backup = perf_counter() - started
        empty = scratch_postgres_database("bench_backup_c")
        started = perf_counter()
        load = ["pg_restore", "--single-transaction", "--no-owner", *_libpq(empty)]
        subprocess.run([*load, str(dump)], check=True)  # noqa: S603,S607
        bare_restore = perf_counter() - started
    if kind == "postgresql":
        _drop(source, target, empty)
    return {
        "database": kind,
        "actions": actions,
        "archive_mb": archive.stat().st_size / 1e6,
        "backup_seconds": backup,
        "bare_backup_seconds": bare_backup,
        "restore_seconds": restore,
        "bare_restore_seconds": bare_restore,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--actions", type=int, default=10_000)
    args = parser.parse_args()
    kinds = ["sqlite"]
    if reason := postgres_unavailable():
        print(f"postgresql skipped: {reason}")
    else:
        kinds.append("postgresql")
    rows = []
    for kind in kinds:
        with tempfile.TemporaryDirectory() as folder:
            row = bench_engine(kind, args.actions, Path(folder))
        rows.append(row)
        bare = "pg_dump" if kind == "postgresql" else "a file copy"
        load = "pg_restore" if kind == "postgresql" else "a file copy"
        print(
            f"backup   {kind:<10} {row['actions']} actions  {row['backup_seconds']:.2f}s "
            f"({bare} alone {row['bare_backup_seconds']:.2f}s: "
            f"{row['backup_seconds'] / row['bare_backup_seconds']:.1f}x)  "
            f"archive {row['archive_mb']:.1f} MB"
        )
        print(
            f"restore  {kind:<10} {row['actions']} actions  {row['restore_seconds']:.2f}s "
            f"({load} alone {row['bare_restore_seconds']:.2f}s: "
            f"{row['restore_seconds'] / row['bare_restore_seconds']:.1f}x)"
        )
    write_results("backup", rows)


if __name__ == "__main__":
    main()
