"""Taking a backup: the database's snapshot and the instance folder's files, in one archive."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from tracker import clock
from tracker.backup import Refused, archive, files, rotation
from tracker.backup.archive import Manifest
from tracker.backup.engines import engine_of


@dataclass(frozen=True)
class Taken:
    path: Path
    manifest: Manifest
    # Older scheduled backups deleted by the rotation.
    removed: list[Path]


def take(app: Flask, output: Path | None) -> Taken:
    """Back up to ``output``, or when None to a new file in BACKUP_DIR, then rotate there."""
    backup_dir = Path(app.config["BACKUP_DIR"]) if app.config.get("BACKUP_DIR") else None
    if output is None:
        if backup_dir is None:
            raise Refused("say where to write the backup: -o FILE, or set BACKUP_DIR")
        try:
            backup_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as error:
            raise Refused(f"could not make BACKUP_DIR {backup_dir}: {error.strerror}") from None
        output = backup_dir / rotation.name_for(clock.now())
    if output.exists():
        raise Refused(f"{output} already exists: choose another name, or remove it first")
    if not output.parent.is_dir():
        raise Refused(f"there is no folder {output.parent} to write {output.name} into")
    if not os.access(output.parent, os.W_OK | os.X_OK):
        raise Refused(f"{output.parent} is not writable by this user")
    url = sa.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    engine = engine_of(url)
    kept = files.kept(
        Path(app.instance_path), [*engine.own_files(url), *([backup_dir] if backup_dir else [])]
    )
    # Work files beside the archive: the same disk, and the space it needs anyway.
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".trust-tracker-") as work:
        snapshot = engine.take(url, Path(work))
        manifest = archive.write(
            output,
            Manifest(
                created_at=snapshot.taken_at,
                tracker_version=version("trust-tracker"),
                schema_revision=snapshot.revision,
                database=snapshot.details,
                tables=snapshot.tables,
                files={},
            ),
            {engine.MEMBER: snapshot.path, **kept},
        )
    removed = []
    if backup_dir is not None and output.parent.resolve() == backup_dir.resolve():
        removed = rotation.rotate(
            backup_dir, app.config["BACKUP_KEEP"], app.config["BACKUP_KEEP_MONTHS"]
        )
    return Taken(output, manifest, removed)
