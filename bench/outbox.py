"""Outbox delivery rate beside plain smtplib, to the same local SMTP server, in the same run.

    python -m bench.outbox [--messages 500]

The SMTP server is aiosmtpd's sink, in a process of its own as a mail server would be.
Queues the messages in a fresh SQLite outbox and times ``tracker.mail.flush`` (one
transaction per message, every attempt recorded); then times plain ``smtplib`` building and
sending the same messages over one connection. Prints one line and writes
bench/results/outbox.json.
"""

from __future__ import annotations

import argparse
import json
import smtplib
import socket
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from email.message import EmailMessage
from time import perf_counter, sleep

from sqlalchemy import func, insert, select

from bench.pages import RESULTS
from tracker import create_app
from tracker.extensions import db
from tracker.mail import SmtpSettings, flush
from tracker.models import OutboxMessage, OutboxStatus

MAIL_FROM = "Trust Tracker <tracker@example.org>"
# About the size of a chaser listing a few overdue actions.
TEXT = "Dear lead,\n\n" + "An action is overdue: please post an update.\n" * 20
HTML = "<p>Dear lead,</p><ul>" + "<li>An action is overdue: please post an update.</li>" * 20


def _messages(count: int, batch: int) -> list[dict]:
    return [
        {
            "key": f"bench:{batch}:{n}",
            "kind": "chaser",
            "recipient": f"lead{n}@example.org",
            "subject": f"Overdue progress updates ({n})",
            "body_text": TEXT,
            "body_html": HTML + "</ul>",
        }
        for n in range(count)
    ]


def _start_sink() -> tuple[subprocess.Popen, int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    sink = subprocess.Popen(  # noqa: S603 (our own interpreter, fixed arguments)
        [
            sys.executable,
            "-m",
            "aiosmtpd",
            "-n",
            "-c",
            "aiosmtpd.handlers.Sink",
            "-l",
            f"127.0.0.1:{port}",
        ],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return sink, port
        except OSError:
            sleep(0.05)
    sink.kill()
    raise RuntimeError("the aiosmtpd sink did not start")


def _smtplib(port: int, messages: list[dict]) -> None:
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for m in messages:
            email = EmailMessage()
            email["Subject"], email["From"], email["To"] = m["subject"], MAIL_FROM, m["recipient"]
            email.set_content(m["body_text"])
            email.add_alternative(m["body_html"], subtype="html")
            assert not smtp.send_message(email)  # every recipient accepted


def bench_outbox(count: int, rounds: int = 4) -> dict:
    """``count`` messages each way, sent in ``rounds`` taking turns, so that a machine
    busier at one moment than another weighs on both alike."""
    sink, port = _start_sink()
    settings = SmtpSettings(host="127.0.0.1", port=port, mail_from=MAIL_FROM)
    outbox_seconds = smtplib_seconds = 0.0
    try:
        with tempfile.TemporaryDirectory() as folder:
            app = create_app("test", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/o.sqlite"})
            with app.app_context():
                db.create_all()
                for batch in range(rounds):
                    messages = _messages(count // rounds, batch)
                    now = datetime.now(UTC)
                    db.session.execute(
                        insert(OutboxMessage), [{**m, "created_at": now} for m in messages]
                    )
                    db.session.commit()
                    started = perf_counter()
                    result = flush(db.session, now, settings)
                    outbox_seconds += perf_counter() - started
                    assert result.sent == len(messages), result
                    started = perf_counter()
                    _smtplib(port, messages)
                    smtplib_seconds += perf_counter() - started
                sent = db.session.scalar(
                    select(func.count()).where(OutboxMessage.status == OutboxStatus.SENT)
                )
                assert sent == count // rounds * rounds, sent
                db.engine.dispose()
    finally:
        sink.terminate()
        sink.wait()
    count = count // rounds * rounds
    outbox_rate, smtplib_rate = count / outbox_seconds, count / smtplib_seconds
    return {
        "measure": "outbox",
        "messages": count,
        "outbox_per_second": outbox_rate,
        "smtplib_per_second": smtplib_rate,
        "ratio": outbox_rate / smtplib_rate,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=500)
    args = parser.parse_args()
    row = bench_outbox(args.messages)
    print(
        f"outbox  {row['messages']} messages  outbox {row['outbox_per_second']:6.0f}/s  "
        f"smtplib {row['smtplib_per_second']:6.0f}/s  outbox / smtplib {row['ratio']:.2f}"
    )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "outbox.json").write_text(json.dumps(row, indent=2))


if __name__ == "__main__":
    main()
