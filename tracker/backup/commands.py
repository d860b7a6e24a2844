"""``flask --app tracker backup`` and ``flask --app tracker restore``."""

from __future__ import annotations

import time
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from tracker.backup import Refused
from tracker.backup.database import KINDS, summary, where
from tracker.backup.restore import NotMigrated
from tracker.backup.restore import restore as restore_backup
from tracker.backup.take import take
from tracker.formatting import london_datetime, plural


@click.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the backup to this file (default: a new file in BACKUP_DIR, keeping "
    "BACKUP_KEEP of them and the first of each of BACKUP_KEEP_MONTHS months).",
)
@with_appcontext
def backup(output: Path | None) -> None:
    """Back up the database and the instance folder into one archive, while the app runs."""
    started = time.perf_counter()
    try:
        taken = take(current_app._get_current_object(), output)
    except Refused as refusal:
        raise click.ClickException(f"{refusal} (no backup was written)") from None
    manifest = taken.manifest
    others = len(manifest.files) - 1
    click.echo(
        f"Backed up {_database()} at schema {manifest.schema_revision} "
        f"({summary(manifest.tables)}) and {plural(others, 'instance file')} to {taken.path} "
        f"({taken.path.stat().st_size / 1e6:,.1f} MB) in {time.perf_counter() - started:.1f}s."
    )
    for path in taken.removed:
        click.echo(f"Removed an older backup: {path.name}")


@click.command()
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--replace",
    is_flag=True,
    help="Replace what the database (and the instance folder) holds. Stop the web app and "
    "the scheduler first.",
)
@click.option("--dry-run", is_flag=True, help="Check the backup and the database; change nothing.")
@click.option(
    "--instance-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Put the backup's instance files here (default: this app's instance folder).",
)
@with_appcontext
def restore(archive: Path, replace: bool, dry_run: bool, instance_dir: Path | None) -> None:
    """Restore a backup into an empty database, then migrate it to the newest schema."""
    started = time.perf_counter()
    try:
        restored = restore_backup(
            current_app._get_current_object(),
            archive,
            replace=replace,
            dry_run=dry_run,
            instance=instance_dir,
        )
    except Refused as refusal:
        raise click.ClickException(f"{refusal}. Nothing was changed.") from None
    except NotMigrated as failure:
        raise click.ClickException(str(failure)) from None
    manifest = restored.manifest
    click.echo(
        f"{archive}: a backup of {KINDS[manifest.engine]} at schema {manifest.schema_revision}, "
        f"taken {london_datetime(manifest.created_at)} (UK time) by Trust Tracker "
        f"{manifest.tracker_version}; {summary(manifest.tables)}."
    )
    into = _database()
    if dry_run:
        held = f"replacing {summary(restored.replaced)}" if restored.replaced else "which is empty"
        then = (
            f"migrated from {manifest.schema_revision} to {restored.newest}"
            if manifest.schema_revision != restored.newest
            else "left at the newest schema"
        )
        click.echo(
            f"Dry run: every member matches its checksum; it would be restored into {into}, "
            f"{held}, and {then}. Nothing was changed."
        )
        return
    held = f"replacing {summary(restored.replaced)}" if restored.replaced else "which was empty"
    click.echo(f"Restored into {into}, {held}; every table holds the rows the backup counted.")
    if manifest.schema_revision != restored.newest:
        click.echo(f"Migrated from {manifest.schema_revision} to {restored.newest}.")
    else:
        click.echo(f"Already at the newest schema, {restored.newest}.")
    if restored.files:
        click.echo(f"Put back {plural(len(restored.files), 'instance file')}.")
    click.echo(f"Done in {time.perf_counter() - started:.1f}s.")


def _database() -> str:
    return where(sa.make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]))
