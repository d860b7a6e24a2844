"""The outbox: every e-mail the system decided to send, as it will be (or was) delivered."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, url_for
from sqlalchemy import select

from tracker import clock
from tracker.admin.blueprint import bp
from tracker.extensions import db
from tracker.models import OutboxMessage, OutboxStatus
from tracker.permissions import Right, requires

# The stored HTML is our own rendering, but it is shown in a sandboxed response of its own
# so that nothing in a message can run script or reach the page around it.
MESSAGE_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def _visible_messages():
    """The board's own messages only, in every environment: a message of no board (a sign-in
    or reset link) is its recipient's alone; an operator reads one with
    ``flask --app tracker outbox show ID``."""
    return select(OutboxMessage).where(OutboxMessage.board_id == g.board.id)


@bp.get("/outbox")
@requires(Right.ADMINISTER)
def outbox():
    messages = db.session.scalars(
        _visible_messages()
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
        .limit(500)
    ).all()
    return render_template("admin/outbox.html", messages=messages)


@bp.get("/outbox/<int:message_id>")
@requires(Right.ADMINISTER)
def outbox_message(message_id: int):
    message = db.session.scalars(_visible_messages().where(OutboxMessage.id == message_id)).one()
    return render_template("admin/outbox_message.html", message=message)


@bp.get("/outbox/<int:message_id>/html")
@requires(Right.ADMINISTER)
def outbox_message_html(message_id: int):
    message = db.session.scalars(_visible_messages().where(OutboxMessage.id == message_id)).one()
    return (
        message.body_html,
        200,
        {
            "Content-Type": "text/html; charset=utf-8",
            "Content-Security-Policy": MESSAGE_CSP,
        },
    )


@bp.post("/outbox/<int:message_id>/retry")
@requires(Right.ADMINISTER)
def outbox_retry(message_id: int):
    """Queue a failed message again; it gets a fresh 24 hours of retries."""
    message = db.session.scalars(
        _visible_messages().where(
            OutboxMessage.id == message_id, OutboxMessage.status == OutboxStatus.FAILED
        )
    ).one()
    message.status, message.next_attempt_at = OutboxStatus.PENDING, None
    message.created_at = clock.now()
    db.session.commit()
    flash(f"The message to {message.recipient} is queued again.", "success")
    return redirect(url_for("admin.outbox_message", message_id=message.id))
