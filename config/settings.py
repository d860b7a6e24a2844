"""Settings, read from environment variables only.

Defaults are safe to publish: they run a development instance on a SQLite file under
instance/ with no mail server, so messages stay in the outbox.
"""

import os
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"
# Published here, so never secret: `flask --app tracker check` refuses it in production.
DEVELOPMENT_SECRET_KEY = "development-only-not-secret"  # noqa: S105  # nosec B105


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE / 'tracker.sqlite'}")
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants the driver named.
    if url.startswith(("postgres://", "postgresql://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


class Config:
    ENV_NAME = "production"
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = _database_url()
    # pool_pre_ping: a connection dropped while PostgreSQL restarted is replaced, not used.
    # hide_parameters: database errors, which reach the logs, never carry the values
    # (addresses, password hashes, message bodies).
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000")
    MAIL_FROM = os.environ.get("MAIL_FROM", "Trust Tracker <no-reply@trust-tracker.invalid>")
    SMTP_HOST = os.environ.get("SMTP_HOST")
    SMTP_PORT = int(os.environ.get("SMTP_PORT", "25"))
    SMTP_USER = os.environ.get("SMTP_USER")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD")
    SMTP_TLS = _bool("SMTP_TLS", False)

    # Replies by e-mail (tracker.inbound). Without UPDATES_ADDRESS e-mails carry no reply
    # addresses; with it, each action listed gets updates+<token>@... of its own.
    UPDATES_ADDRESS = os.environ.get("UPDATES_ADDRESS") or None
    REPLY_TOKEN_MAX_AGE = timedelta(days=int(os.environ.get("REPLY_TOKEN_DAYS", "60")))
    INBOX_KEEP = timedelta(days=int(os.environ.get("INBOX_KEEP_DAYS", "30")))
    INBOUND_MAX_BYTES = int(os.environ.get("INBOUND_MAX_BYTES", str(1024 * 1024)))
    # The authserv-id of the organisation's own mail server: only its Authentication-Results
    # header is believed (anyone can write one into a message they send).
    TRUSTED_AUTHSERV_ID = os.environ.get("TRUSTED_AUTHSERV_ID") or None
    IMAP_HOST = os.environ.get("IMAP_HOST") or None
    IMAP_PORT = int(os.environ.get("IMAP_PORT", "993"))
    IMAP_USER = os.environ.get("IMAP_USER")
    IMAP_PASSWORD = os.environ.get("IMAP_PASSWORD")
    IMAP_FOLDER = os.environ.get("IMAP_FOLDER", "INBOX")
    IMAP_PROCESSED_FOLDER = os.environ.get("IMAP_PROCESSED_FOLDER", "Processed")
    # OAuth2 (XOAUTH2) instead of a password, as Microsoft 365 requires: the client
    # credentials of an app registration allowed IMAP.AccessAsApp on the mailbox.
    IMAP_OAUTH2_TOKEN_URL = os.environ.get("IMAP_OAUTH2_TOKEN_URL") or None
    IMAP_OAUTH2_CLIENT_ID = os.environ.get("IMAP_OAUTH2_CLIENT_ID")
    IMAP_OAUTH2_CLIENT_SECRET = os.environ.get("IMAP_OAUTH2_CLIENT_SECRET")
    IMAP_OAUTH2_SCOPE = os.environ.get(
        "IMAP_OAUTH2_SCOPE", "https://outlook.office365.com/.default"
    )

    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    REMEMBER_COOKIE_HTTPONLY = True
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    WTF_CSRF_TIME_LIMIT = 12 * 3600
    MAX_CONTENT_LENGTH = 10 * 1024 * 1024

    INVITATION_MAX_AGE = timedelta(days=7)
    PASSWORD_RESET_MAX_AGE = timedelta(hours=1)
    # Sign-in throttling (tracker.auth.throttle): after a few failures for one account the
    # next try waits, the delay doubling to at most a few minutes (never a lock-out); a client
    # address with too many failures is refused until it stops for the window.
    SIGN_IN_FREE_FAILURES = 3
    SIGN_IN_DELAY = timedelta(seconds=2)
    SIGN_IN_MAX_DELAY = timedelta(minutes=2)
    SIGN_IN_CLIENT_MAX_FAILURES = int(os.environ.get("SIGN_IN_CLIENT_MAX_FAILURES", "50"))
    SIGN_IN_FAILURE_WINDOW = timedelta(minutes=int(os.environ.get("SIGN_IN_WINDOW_MINUTES", "60")))
    # How many reverse proxies in front of the app set X-Forwarded-For: the client's address
    # is then read from it (werkzeug's ProxyFix). 0 when gunicorn is reached directly; never
    # more than there are, or a client could name any address it likes.
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))

    TIMEZONE = "Europe/London"

    # Backups (flask --app tracker backup): the folder scheduled backups go to; how many of
    # them to keep (the newest, and the first of each month); and after how many hours
    # `flask --app tracker check` warns that the newest one is too old.
    BACKUP_DIR = os.environ.get("BACKUP_DIR") or None
    BACKUP_KEEP = int(os.environ.get("BACKUP_KEEP", "14"))
    BACKUP_KEEP_MONTHS = int(os.environ.get("BACKUP_KEEP_MONTHS", "12"))
    BACKUP_MAX_AGE_HOURS = int(os.environ.get("BACKUP_MAX_AGE_HOURS", "26"))


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE


class TestConfig(DevelopmentConfig):
    ENV_NAME = "test"
    TESTING = True
    # Only ever used by the test suite's own instances.
    SECRET_KEY = "test-only-not-secret"  # noqa: S105  # nosec B105
    SERVER_NAME = None


CONFIGS = {
    "production": Config,
    "development": DevelopmentConfig,
    "test": TestConfig,
}


def config_for(name: str | None) -> type[Config]:
    name = name or os.environ.get("TRACKER_ENV", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise SystemExit(
            f"TRACKER_ENV={name!r} is not one of: {', '.join(sorted(CONFIGS))}"
        ) from None
