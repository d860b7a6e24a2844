"""Outbox delivery rate beside plain smtplib, to the same local SMTP server, in the same run.

    python -m bench.outbox [--messages 500] [--rounds 5]

The SMTP server is aiosmtpd's sink, in a process of its own as a mail server would be.
Each round queues the same messages in a fresh SQLite outbox and times ``tracker.mail.flush``
(one transaction per message, every attempt recorded; one SMTP connection), and times plain
``smtplib`` building and sending those messages over one connection; the two take turns
going first. A first round warms both up and is not counted. The figures are medians over
the rounds, the ratio the median of each round's ratio. Then it times building the messages
alone, each way, to show what a message costs beyond building it. Prints two lines and writes
bench/results/outbox.json.
"""

from __future__ import annotations

import argparse
import smtplib
import socket
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from email.generator import BytesGenerator
from email.message import EmailMessage
from io import BytesIO
from time import perf_counter, sleep
from types import SimpleNamespace

from sqlalchemy import func, insert, select

from bench import write_results
from tracker import create_app
from tracker.extensions import db
from tracker.mail import Sender, SmtpSettings, flush
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
            "reply_to": None,
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


def _email(m: dict) -> EmailMessage:
    email = EmailMessage()
    email["Subject"], email["From"], email["To"] = m["subject"], MAIL_FROM, m["recipient"]
    email.set_content(m["body_text"])
    email.add_alternative(m["body_html"], subtype="html")
    return email


def _smtplib(port: int, messages: list[dict]) -> float:
    started = perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for m in messages:
            assert not smtp.send_message(_email(m))  # every recipient accepted
    return perf_counter() - started


def _outbox(settings: SmtpSettings, messages: list[dict]) -> float:
    now = datetime.now(UTC)
    db.session.execute(insert(OutboxMessage), [{**m, "created_at": now} for m in messages])
    db.session.commit()
    started = perf_counter()
    result = flush(db.session, now, settings)
    seconds = perf_counter() - started
    assert result.sent == len(messages), result
    return seconds


def _building(settings: SmtpSettings, messages: list[dict], rounds: int) -> tuple[float, float]:
    """Median seconds to build and flatten the messages: as the outbox does, and as
    smtplib's send_message does an EmailMessage."""
    sender, rows = Sender.of(settings), [SimpleNamespace(**m) for m in messages]
    outbox, plain = [], []
    for _ in range(rounds):
        started = perf_counter()
        for row in rows:
            sender.email(row).as_bytes()
        outbox.append(perf_counter() - started)
        started = perf_counter()
        for m in messages:
            BytesGenerator(BytesIO()).flatten(_email(m), linesep="\r\n")
        plain.append(perf_counter() - started)
    return statistics.median(outbox), statistics.median(plain)


def bench_outbox(count: int, rounds: int = 5) -> dict:
    sink, port = _start_sink()
    settings = SmtpSettings(host="127.0.0.1", port=port, mail_from=MAIL_FROM)
    each = count // rounds
    outbox, plain = [], []
    try:
        with tempfile.TemporaryDirectory() as folder:
            app = create_app("test", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/o.sqlite"})
            with app.app_context():
                db.create_all()
                warm_up = _messages(min(each, 50), -1)
                _outbox(settings, warm_up)
                _smtplib(port, warm_up)
                for batch in range(rounds):
                    messages = _messages(each, batch)
                    if batch % 2:
                        plain.append(_smtplib(port, messages))
                        outbox.append(_outbox(settings, messages))
                    else:
                        outbox.append(_outbox(settings, messages))
                        plain.append(_smtplib(port, messages))
                sent = db.session.scalar(
                    select(func.count()).where(OutboxMessage.status == OutboxStatus.SENT)
                )
                assert sent == len(warm_up) + each * rounds, sent
                db.engine.dispose()
    finally:
        sink.terminate()
        sink.wait()
    build_outbox, build_plain = _building(settings, _messages(each, 0), rounds)
    ratios = [p / o for o, p in zip(outbox, plain, strict=True)]
    outbox_ms = statistics.median(outbox) / each * 1000
    plain_ms = statistics.median(plain) / each * 1000
    return {
        "measure": "outbox",
        "messages": each * rounds,
        "rounds": rounds,
        "outbox_per_second": 1000 / outbox_ms,
        "smtplib_per_second": 1000 / plain_ms,
        "ratio": statistics.median(ratios),
        "round_ratios": ratios,
        "per_message_ms": {
            "outbox": outbox_ms,
            "outbox_building": build_outbox / each * 1000,
            "smtplib": plain_ms,
            "smtplib_building": build_plain / each * 1000,
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    row = bench_outbox(args.messages, args.rounds)
    ms = row["per_message_ms"]
    beyond_outbox, beyond_smtplib = (
        ms["outbox"] - ms["outbox_building"],
        ms["smtplib"] - ms["smtplib_building"],
    )
    print(
        f"outbox  {row['messages']} messages  outbox {row['outbox_per_second']:6.0f}/s  "
        f"smtplib {row['smtplib_per_second']:6.0f}/s  outbox / smtplib {row['ratio']:.2f} "
        f"(rounds {min(row['round_ratios']):.2f}-{max(row['round_ratios']):.2f})"
    )
    print(
        f"        per message: outbox {ms['outbox']:.2f} ms = building "
        f"{ms['outbox_building']:.2f} + SMTP and database {beyond_outbox:.2f}"
        f"  smtplib {ms['smtplib']:.2f} ms = building {ms['smtplib_building']:.2f}"
        f" + SMTP {beyond_smtplib:.2f}"
    )
    write_results("outbox", row)


if __name__ == "__main__":
    main()
