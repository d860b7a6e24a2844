"""``flask --app tracker check``: is this instance configured to run?

Each check answers one question about the configuration with a line for the operator; the
command fails when any check fails, so a deployment script can stop before serving.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask

from config.settings import DEVELOPMENT_SECRET_KEY
from tracker import clock, schema
from tracker.backup import Refused, rotation
from tracker.backup.archive import read_manifest
from tracker.backup.database import first_line
from tracker.formatting import plural

# Keys that are published, so never secret: the development default and the example file's.
PUBLISHED_KEYS = {DEVELOPMENT_SECRET_KEY, "change-me-to-a-long-random-string"}
MIN_KEY_LENGTH = 32
TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    # Passed, but the operator should look: the command still succeeds (the units run it
    # before starting, and an old backup is no reason to stop serving).
    warn: bool = False

    def __str__(self) -> str:
        label = "WARN" if self.warn else "ok  " if self.ok else "FAIL"
        return f"{label}  {self.name}: {self.detail}"


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
        return Check("database", False, f"{where} did not answer: {first_line(error)}")
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


def last_backup(config: Mapping[str, Any], now: datetime) -> Check | None:
    """The newest backup in BACKUP_DIR is readable and no older than BACKUP_MAX_AGE_HOURS.

    Nothing to say when no backup folder is set, but in production, where it is a warning.
    """
    folder = config.get("BACKUP_DIR")
    if not folder:
        if config["ENV_NAME"] != "production":
            return None
        return Check(
            "backup",
            True,
            "BACKUP_DIR is not set: nothing checks that backups are taken "
            "(see the README's backup schedule)",
            warn=True,
        )
    try:
        backups = rotation.scheduled(Path(folder))
    except OSError as error:
        return Check("backup", True, f"cannot read {folder}: {error.strerror}", warn=True)
    if not backups:
        return Check(
            "backup", True, f"no backup in {folder} yet: run flask --app tracker backup", warn=True
        )
    _, newest = backups[0]
    try:
        manifest = read_manifest(newest)
    except Refused as refusal:
        return Check("backup", True, f"the newest backup cannot be read: {refusal}", warn=True)
    age = now - manifest.created_at
    limit = timedelta(hours=config["BACKUP_MAX_AGE_HOURS"])
    detail = f"the newest, {newest}, is {_age(age)} old"
    if age > limit:
        return Check(
            "backup",
            True,
            f"{detail}, more than BACKUP_MAX_AGE_HOURS ({config['BACKUP_MAX_AGE_HOURS']}): "
            "see why backups stopped (journalctl -u trust-tracker-backup)",
            warn=True,
        )
    return Check("backup", True, f"{detail} (schema {manifest.schema_revision})")


def _age(age: timedelta) -> str:
    hours, minutes = divmod(max(int(age.total_seconds()), 0) // 60, 60)
    days, hours = divmod(hours, 24)
    if days:
        return f"{plural(days, 'day')} {plural(hours, 'hour')}"
    return plural(hours, "hour") if hours else plural(minutes, "minute")


def run_checks(app: Flask) -> list[Check]:
    checks = [secret_key(app.config), database(app), mail_server(app.config)]
    backup = last_backup(app.config, clock.now())
    return [*checks, backup] if backup else checks
