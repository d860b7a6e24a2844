"""``flask demo load``: the demo board."""

from __future__ import annotations

from datetime import datetime

import click
from flask import current_app

from tracker.demo import load
from tracker.extensions import db


@click.group()
def demo() -> None:
    """Demo data built from the reference plan."""


@demo.command("load")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Build the live plan's reporting months around this date (default: today).",
)
def demo_load(today: datetime | None) -> None:
    """Load the demo board, plans, people, meetings and updates. Safe to run again."""
    if current_app.config["ENV_NAME"] == "production":
        raise click.UsageError(
            "the demo accounts share a published password: "
            "load them on a development instance, not with TRACKER_ENV=production"
        )
    summary = load(db.session, today.date() if today else None)
    db.session.commit()
    click.echo(summary)
