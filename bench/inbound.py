"""Replies by e-mail processed per second through the mail receiver, beside the web form's
posting rate, in the same run on the same database.

    python -m bench.inbound [--replies 300] [--database-url URL]

Each lead has one action; the receiver (tracker.inbound.receiver, on a loopback port in
this process) is sent Outlook-style replies (tests/replies.py: quoted history, signature,
disclaimer, an inline logo) over one SMTP connection, and the clock runs until the last is
posted. Then as many updates are posted through the form (Flask's test client, signed in
as each lead). Prints one line and writes bench/results/inbound.json.
"""

from __future__ import annotations

import argparse
import asyncio
import smtplib
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from email import message_from_bytes, policy
from email.message import EmailMessage
from time import perf_counter

from sqlalchemy import func, select

from bench import write_results
from tests import factories, replies
from tests.smtp_sink import free_port
from tracker import clock, create_app
from tracker.extensions import db
from tracker.inbound.receiver import start, workers
from tracker.inbound.tokens import reply_address
from tracker.models import InboundMessage, InboundStatus, Person, ProgressUpdate, Role


def _reminder(to: str, reply_to: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Trust Tracker <no-reply@example.org>"
    message["To"], message["Reply-To"] = to, reply_to
    message["Subject"] = "Progress updates due from you: Children's Trust Board"
    message["Message-ID"] = f"<{reply_to}>"
    message.set_content("Dear lead,\n\nThese progress updates are due from you soon.\n" * 3)
    message.add_alternative("<p>Dear lead,</p><p>These progress updates are due.</p>", "html")
    return message_from_bytes(message.as_bytes(), policy=policy.default)


def _world(count: int) -> tuple[str, list[tuple[int, int, bytes, str]]]:
    """The board, and for each lead: their id, their action's id, a reply and its address."""
    board = factories.board("Children's Trust Board")
    area = factories.area(factories.plan(board, "CYPP", 2025, 2028))
    rows = []
    for n in range(count):
        lead = factories.person(board, Role.LEAD, email=f"lead{n}@example.org")
        action = factories.action(area, leads=[lead])
        to = reply_address(lead, action, clock.today()).address
        reply = replies.outlook(
            _reminder(lead.email, to),
            "On track: two more family support workers started this month.",
            sender=f"Lead {n} <{lead.email}>",
        )
        rows.append((lead.id, action.id, reply, to))
    db.session.commit()
    return board.slug, rows


def _through_the_receiver(app, rows) -> float:
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    executor = ThreadPoolExecutor(max_workers=workers(app))
    port = free_port()
    server, _ = asyncio.run_coroutine_threadsafe(
        start(app, executor, "127.0.0.1", port), loop
    ).result(10)
    started = perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for lead_id, _, reply, to in rows:
            smtp.sendmail(f"lead{lead_id}@example.org", [to], reply)
    waiting = select(func.count()).where(InboundMessage.status == InboundStatus.POSTED)
    while db.session.scalar(waiting) < len(rows):
        db.session.commit()
        time.sleep(0.01)
    seconds = perf_counter() - started
    loop.call_soon_threadsafe(server.close)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)
    executor.shutdown()
    return seconds


def _through_the_form(app, slug: str, rows) -> float:
    client = app.test_client()
    sessions = {}
    with app.app_context():
        for lead_id, *_ in rows:
            sessions[lead_id] = db.session.get(Person, lead_id).get_id()
    started = perf_counter()
    for lead_id, action_id, *_ in rows:
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = sessions[lead_id], True
        # Each request in an app context of its own, as in production (not the bench's).
        with app.app_context():
            response = client.post(
                f"/boards/{slug}/actions/{action_id}/updates/new",
                data={"seen_version": 2, "status": "on_track", "rag": "green", "text": "Form."},
            )
        assert response.status_code == 302, response.status_code
    return perf_counter() - started


def bench_inbound(count: int, database_url: str | None) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        url = database_url or f"sqlite:///{folder}/inbound.sqlite"
        app = create_app(
            "test",
            {
                "SQLALCHEMY_DATABASE_URI": url,
                "UPDATES_ADDRESS": "updates@example.org",
                "WTF_CSRF_ENABLED": False,
            },
        )
        with app.app_context():
            db.drop_all()
            db.create_all()
            slug, rows = _world(count)
            receiver = _through_the_receiver(app, rows)
            form = _through_the_form(app, slug, rows)
            db.session.commit()
            posted = db.session.scalar(select(func.count()).select_from(ProgressUpdate))
            assert posted == 2 * count, posted
            db.session.remove()
            db.engine.dispose()
    return {
        "measure": "inbound",
        "database": url.split(":", 1)[0],
        "replies": count,
        "receiver_per_second": count / receiver,
        "form_per_second": count / form,
        "ratio": form / receiver,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--replies", type=int, default=300)
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    args = parser.parse_args()
    row = bench_inbound(args.replies, args.database_url)
    print(
        f"inbound {row['replies']} replies ({row['database']})  receiver "
        f"{row['receiver_per_second']:6.1f}/s  web form {row['form_per_second']:6.1f}/s  "
        f"receiver / form {row['ratio']:.2f}"
    )
    write_results("inbound", row)


if __name__ == "__main__":
    main()
