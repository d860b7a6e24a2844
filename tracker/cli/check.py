"""``flask check``: is this instance configured to run?"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from tracker.check import run_checks


@click.command()
@with_appcontext
def check() -> None:
    """Check the configuration: secret key, database migrated, mail server answering, and
    the newest backup's age when BACKUP_DIR is set."""
    results = run_checks(current_app._get_current_object())
    for result in results:
        click.echo(str(result))
    failed = [r.name for r in results if not r.ok]
    if failed:
        raise click.ClickException(f"configuration check failed: {', '.join(failed)}")
    if any(r.warn for r in results):
        click.echo("All checks passed. Read the warning above.")
    else:
        click.echo("All checks passed.")
