"""``flask --app tracker check``: is this instance configured to run?

Each check answers one question about the configuration with a line for the operator; the
command fails when any check fails, so a deployment script can stop before serving.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import Flask

from config.settings import DEVELOPMENT_SECRET_KEY
from tracker import schema

# Keys that are published, so never secret: the development default and the example file's.
PUBLISHED_KEYS = {DEVELOPMENT_SECRET_KEY, "change-me-to-a-long-random-string"}
MIN_KEY_LENGTH = 32
TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str

    def __str__(self) -> str:
        return f"{'ok  ' if self.ok else 'FAIL'}  {self.name}: {self.detail}"


def secret_key(config: Mapping[str, Any]) -> Check:
    key = config.get("SECRET_KEY") or ""
    if not key:
        return Check("secret key", False, "SECRET_KEY is not set")
    if config["ENV_NAME"] != "production":
        return Check("secret key", True, f"set ({config['ENV_NAME']} instance)")
    if key in PUBLISHED_KEYS:
        return Check(
            "secret key", False, "SECRET_KEY is a published example: set a random one of your own"
        )
    if len(key) < MIN_KEY_LENGTH:
        return Check(
            "secret key",
            False,
            f"SECRET_KEY has {len(key)} characters: use {MIN_KEY_LENGTH} or more, at random",
        )
    return Check("secret key", True, f"set ({len(key)} characters)")


def database(app: Flask) -> Check:
    """The database answers and its schema is at the newest migration."""
    url = sa.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    where = url.render_as_string(hide_password=True)
    connect_args = (
        {"connect_timeout": TIMEOUT_SECONDS} if url.get_backend_name() == "postgresql" else {}
    )
    engine = sa.create_engine(url, connect_args=connect_args, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            current = schema.current(connection)
    except sa.exc.OperationalError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        return Check("database", False, f"{where} did not answer: {reason}")
    finally:
        engine.dispose()
    script = schema.scripts(app)
    newest = schema.head(script)
    if current == newest:
        return Check("database", True, f"{where} answers, migrated to {newest}")
    if current is not None and current not in schema.known(script):
        return Check("database", False, f"{where}: {schema.ahead_of_the_code(current, newest)}")
    return Check(
        "database",
        False,
        f"{where} is at {current or 'no migration'}, the newest is {newest}: "
        "run flask --app tracker db upgrade",
    )


def mail_server(config: Mapping[str, Any]) -> Check:
    """The SMTP server answers EHLO (and STARTTLS with a trusted certificate when asked)."""
    host, port = config.get("SMTP_HOST"), config["SMTP_PORT"]
    if not host:
        return Check("mail server", True, "no SMTP_HOST: e-mails stay in the outbox")
    try:
        with smtplib.SMTP(host, port, timeout=TIMEOUT_SECONDS) as smtp:
            code, _ = smtp.ehlo()
            if code != 250:
                return Check("mail server", False, f"{host}:{port} answered EHLO with {code}")
            if config.get("SMTP_TLS"):
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
    except (OSError, smtplib.SMTPException) as error:
        return Check("mail server", False, f"{host}:{port} could not be reached: {error}")
    tls = " with STARTTLS" if config.get("SMTP_TLS") else ""
    return Check("mail server", True, f"{host}:{port} answers{tls}")


def run_checks(app: Flask) -> list[Check]:
    return [secret_key(app.config), database(app), mail_server(app.config)]
