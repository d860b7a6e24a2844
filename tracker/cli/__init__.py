"""Command-line commands, registered on the app: ``flask --app tracker COMMAND``.

A module per area: ``boards``, ``plans`` (import and export), ``reports``, ``jobs`` (the
scheduler, the jobs by hand and the outbox), ``check`` and ``demo``; backups and mail
have theirs in their own packages. The CLI is the one place that wires ``jobs`` to the app.
"""

from __future__ import annotations

import click
from flask import Flask

from tracker.backup.commands import backup, restore
from tracker.cli.boards import boards
from tracker.cli.check import check
from tracker.cli.demo import demo
from tracker.cli.jobs import jobs, outbox, scheduler
from tracker.cli.plans import plan
from tracker.cli.reports import report
from tracker.inbound.cli import mail
from tracker.text import clean

COMMANDS = (backup, restore, demo, boards, jobs, outbox, scheduler, plan, report, check, mail)


def register_commands(app: Flask) -> None:
    for command in COMMANDS:
        app.cli.add_command(command)
    # Last, so that it reaches every command above.
    clean_text_parameters(app.cli)


class CleanText(click.types.StringParamType):
    """Text given on the command line, cleaned (``tracker.text.clean``) as a form's is."""

    def convert(self, value, param, ctx) -> str:
        return clean(super().convert(value, param, ctx))


def clean_text_parameters(command: click.Command) -> None:
    """Every plain text option and argument of ``command`` and its subcommands cleaned of
    control characters, as forms clean what is posted: names given here end up in the
    database and in documents too. Paths, choices, numbers and dates are left alone."""
    for param in command.params:
        if type(param.type) is click.types.StringParamType:
            param.type = CleanText()
    for subcommand in getattr(command, "commands", {}).values():
        clean_text_parameters(subcommand)
