"""Command-line commands, registered on the app: ``flask --app tracker COMMAND``."""

from __future__ import annotations

import click
from flask import Flask

from tracker.extensions import db


def register_commands(app: Flask) -> None:
    app.cli.add_command(demo)


@click.group()
def demo() -> None:
    """Demo data built from the reference plan."""


@demo.command("load")
def demo_load() -> None:
    """Load the demo board, plan, people, meetings and updates. Safe to run again."""
    from tracker.demo import load

    summary = load(db.session)
    db.session.commit()
    click.echo(summary)
