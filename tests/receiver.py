"""The mail receiver (tracker.inbound.receiver) on a free loopback port, in a thread of the
test process, sharing the test's app and database."""

from __future__ import annotations

import asyncio
import smtplib
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from flask import Flask

from tests.smtp_sink import free_port
from tracker.extensions import db
from tracker.inbound.receiver import start, workers


class Receiver:
    def __init__(self, app: Flask, *, lmtp: bool = False) -> None:
        self.app, self.lmtp, self.port = app, lmtp, free_port()
        self.loop = asyncio.new_event_loop()
        self.executor = ThreadPoolExecutor(max_workers=workers(app))
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        started = start(self.app, self.executor, "127.0.0.1", self.port, lmtp=self.lmtp)
        self.server, self.handler = asyncio.run_coroutine_threadsafe(started, self.loop).result(10)
        return self

    def __exit__(self, *exc) -> None:
        self.loop.call_soon_threadsafe(self.server.close)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.executor.shutdown(wait=True)
        self.loop.close()

    def send(self, raw: bytes, to: str, mail_from: str = "david.clarke@example.org") -> None:
        """Deliver ``raw`` as a mail server would, and wait until it is processed. The test's
        own session is committed first and after, as the test client does, so that it
        neither holds a lock nor reads from before the message came."""
        db.session.commit()
        with smtplib.SMTP("127.0.0.1", self.port, timeout=10) as smtp:
            smtp.sendmail(mail_from, [to], raw)
        self.wait()
        db.session.commit()

    def wait(self, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while self.handler.processing:
            assert time.monotonic() < deadline, "the receiver did not finish processing"
            time.sleep(0.02)
