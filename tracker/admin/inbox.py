"""Admin → Inbox: the replies by e-mail that came in for this board, what became of each and
why, and posting a refused one by hand as its sender once the secretariat has checked it."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, url_for
from flask_login import current_user

from tracker import clock
from tracker.actions.forms import ProgressUpdateForm
from tracker.actions.updates import ActionChanged
from tracker.actions.views import CHANGED_MESSAGE
from tracker.admin.blueprint import bp
from tracker.extensions import db
from tracker.inbound import reading
from tracker.inbound.inbox import board_inbox
from tracker.inbound.posting import ByHand, may_post, post_by_hand
from tracker.inbound.refusing import REASONS
from tracker.models import ActionStatus, InboundMessage, InboundStatus, Rag
from tracker.permissions import Right, requires


@bp.get("/inbox")
@requires(Right.ADMINISTER)
def inbox():
    messages = db.session.scalars(
        board_inbox(g.board.id)
        .order_by(InboundMessage.received_at.desc(), InboundMessage.id.desc())
        .limit(500)
    ).all()
    return render_template("admin/inbox.html", messages=messages, reasons=REASONS)


def _message(message_id: int) -> InboundMessage:
    return db.session.scalars(board_inbox(g.board.id).where(InboundMessage.id == message_id)).one()


def _by_hand_possible(message: InboundMessage) -> bool:
    """A refused reply about one of the board's actions, from someone who may post on it."""
    return (
        message.status is InboundStatus.REFUSED
        and message.action is not None
        and message.board_id == g.board.id
        and message.sender_person is not None
        and may_post(db.session, message.sender_person, message.action, clock.today())
    )


@bp.route("/inbox/<int:message_id>", methods=["GET", "POST"])
@requires(Right.ADMINISTER)
def inbox_message(message_id: int):
    message = _message(message_id)
    body = reading.body_of(reading.parse(message.raw)).text if message.raw else None
    form = _by_hand_form(message, body) if _by_hand_possible(message) else None
    if form is not None and form.validate_on_submit():
        try:
            _post_by_hand(message, form)
        except ActionChanged:
            message = _message(message_id)
            form.refuse_stale(message.action.version, CHANGED_MESSAGE)
        else:
            db.session.commit()
            flash(f"Posted as {message.sender_person.name}'s update.", "success")
            return redirect(url_for("admin.inbox_message", message_id=message.id))
    return render_template(
        "admin/inbox_message.html", message=message, body=body, form=form, reasons=REASONS
    )


def _by_hand_form(message: InboundMessage, body: str | None) -> ProgressUpdateForm:
    """The refused reply as an update to check and post, as its sender wrote it."""
    action = message.action
    # Refused before its text was looked for (an expired address): found now.
    wanted = reading.read_update(message.text or reading.new_text(body or ""))
    rag = wanted.rag or action.rag
    form = ProgressUpdateForm(
        seen_version=action.version,
        status=(wanted.status or action.status).value,
        rag=rag.value if rag else "none",
        text=wanted.text,
    )
    form.submit.label.text = f"Post as {message.sender_person.name}"
    return form


def _post_by_hand(message: InboundMessage, form: ProgressUpdateForm) -> None:
    action = message.action
    if form.seen_version.data != action.version:
        raise ActionChanged
    post_by_hand(
        db.session,
        message,
        by=current_user,
        update=ByHand(
            action=action,
            status=ActionStatus(form.status.data),
            rag=None if form.rag.data == "none" else Rag(form.rag.data),
            text=form.text.data.strip(),
        ),
        now=clock.now(),
    )
