"""``flask --app tracker mail …``: the mail receiver, the IMAP fetcher and the inbox."""

from __future__ import annotations

import logging

import click
from flask import current_app
from sqlalchemy import select

from jobs.schedule import run as run_job
from tracker import clock
from tracker.extensions import db
from tracker.models import InboundMessage, InboundStatus
from tracker.rules.due import LONDON


@click.group()
def mail() -> None:
    """Replies by e-mail: receiving them, fetching them, what came in."""


@mail.command("receive")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=2525, show_default=True, type=click.IntRange(1, 65535))
@click.option("--lmtp", is_flag=True, help="Speak LMTP (for a local delivery agent) not SMTP.")
def receive(host: str, port: int, lmtp: bool) -> None:
    """Receive replies over SMTP (or LMTP) until stopped (SIGTERM)."""
    from tracker.inbound.receiver import serve

    if not current_app.config.get("UPDATES_ADDRESS"):
        raise click.UsageError("set UPDATES_ADDRESS (e.g. updates@example.org) to receive replies")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    serve(current_app._get_current_object(), host, port, lmtp=lmtp)


@mail.command("fetch")
def fetch() -> None:
    """Fetch replies from the IMAP mailbox once (needs IMAP_HOST), and retry what waits."""
    click.echo(run_job(db.session, "inbox", clock.now()))


@mail.command("inbox")
@click.option("--status", type=click.Choice([s.value for s in InboundStatus]))
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True)
def inbox(status: str | None, limit: int) -> None:
    """The newest messages received, and what became of each (all boards)."""
    from tracker.inbound.refusing import REASONS

    query = select(InboundMessage).order_by(InboundMessage.id.desc()).limit(limit)
    if status:
        query = query.where(InboundMessage.status == InboundStatus(status))
    for message in db.session.scalars(query):
        received = message.received_at.astimezone(LONDON)
        outcome = message.status.label
        if message.reason:
            outcome += f": {REASONS.get(message.reason, message.reason)}"
        click.echo(
            f"{message.id:>6} {received:%Y-%m-%d %H:%M} {message.sender or '(no sender)':<32} "
            f"{outcome}"
        )
