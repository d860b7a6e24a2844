"""Restoring a backup into an empty database (or over one, when told to), then migrating it
to the code's newest revision.

Everything that can be checked is checked before anything is changed: the manifest and
every member against their checksums, that the code can migrate from the backup's revision,
the kind of database, that it holds nothing (or that replacing it was asked for), the
tools' versions and the instance files it would overwrite. Each refusal says which.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import sqlalchemy as sa
from alembic import command
from alembic.util import CommandError
from flask import Flask

from tracker import schema
from tracker.backup import Refused, archive, files
from tracker.backup.archive import Manifest
from tracker.backup.database import KINDS, first_line, rows_held, summary, where
from tracker.backup.engines import engine_of
from tracker.extensions import db


class NotMigrated(Exception):
    """The backup was restored, but migrating it to the newest revision failed."""


@dataclass(frozen=True)
class Restored:
    manifest: Manifest
    # The tables that held rows before (replaced, or on a dry run, that would be).
    replaced: dict[str, int]
    newest: str
    files: list[Path] = field(default_factory=list)


@dataclass(frozen=True)
class _Checked:
    """A backup that can be restored here, and what restoring it replaces."""

    manifest: Manifest
    url: sa.URL
    engine: ModuleType
    held: dict[str, int]
    newest: str
    # The instance folder's files in the backup, and where they go.
    kept: dict[str, archive.Member]
    instance: Path


def restore(
    app: Flask,
    path: Path,
    *,
    replace: bool = False,
    dry_run: bool = False,
    instance: Path | None = None,
) -> Restored:
    checked = _check(app, path, replace, instance or Path(app.instance_path))
    manifest, url, engine = checked.manifest, checked.url, checked.engine
    with tempfile.TemporaryDirectory(prefix="trust-tracker-restore-") as work:
        extracted = archive.extract(path, manifest, Path(work))
        engine.verify(extracted[engine.MEMBER], manifest)
        if dry_run:
            return Restored(manifest, checked.held, checked.newest)
        # No pooled connection may outlive the database it was opened on.
        db.engine.dispose()
        engine.load(url, extracted[engine.MEMBER], manifest, Path(work))
        written = files.put({name: extracted[name] for name in checked.kept}, checked.instance)
    db.engine.dispose()
    _migrate(app, manifest, checked.newest)
    return Restored(manifest, checked.held, checked.newest, written)


def _check(app: Flask, path: Path, replace: bool, instance: Path) -> _Checked:
    """Everything that can be known before reading the members, or a refusal saying which."""
    manifest = archive.read_manifest(path)
    script = schema.scripts(app)
    newest = schema.head(script)
    if manifest.schema_revision not in schema.known(script):
        raise Refused(
            f"{path} was taken at schema revision {manifest.schema_revision}, which this "
            f"version of Trust Tracker does not know (its newest is {newest}): a newer version "
            "made it, and this one cannot migrate from it. Restore it with that version"
        )
    url = sa.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    engine = engine_of(url)
    kind = url.get_backend_name()
    if manifest.engine != kind:
        theirs = KINDS.get(manifest.engine, manifest.engine)
        raise Refused(
            f"{path} is a backup of a {theirs} database and DATABASE_URL names a {KINDS[kind]} "
            f"one ({where(url)}): a backup restores into the same kind of database only, so "
            f"set DATABASE_URL to an empty {theirs} database"
        )
    if engine.MEMBER not in manifest.files:
        raise Refused(f"{path} is damaged: it holds no {engine.MEMBER}")
    held = rows_held(url) if engine.exists(url) else {}
    if held and not replace:
        raise Refused(
            f"the database at {where(url)} is not empty: it holds {summary(held)}. To replace "
            "all of it with the backup, stop the web app and the scheduler and run again with "
            "--replace; to keep it, set DATABASE_URL to an empty database"
        )
    engine.restorable(url, manifest)
    kept = {name: m for name, m in manifest.files.items() if name != engine.MEMBER}
    if any(files.destination(name, instance) is None for name in kept):
        raise Refused(f"{path} is damaged: it holds files outside the instance folder")
    clashes = files.differing(kept, instance)
    if clashes and not replace:
        raise Refused(
            f"{len(clashes)} file(s) in {instance} hold something other than the backup's "
            f"({', '.join(clashes[:5])}): run again with --replace to overwrite them, or "
            "restore with --instance-dir set to an empty folder"
        )
    return _Checked(manifest, url, engine, held, newest, kept, instance)


def _migrate(app: Flask, manifest: Manifest, newest: str) -> None:
    if manifest.schema_revision == newest:
        return
    try:
        command.upgrade(app.extensions["migrate"].migrate.get_config(), "head")
    except CommandError as error:
        reason = str(error)
    except sa.exc.DBAPIError as error:
        reason = first_line(error)
    else:
        return
    raise NotMigrated(
        f"the backup was restored (at schema revision {manifest.schema_revision}), but "
        f"migrating it to {newest} failed: {reason}. Fix the cause and run "
        "flask --app tracker db upgrade"
    )
