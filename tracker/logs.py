"""What may be written to logs: no token from a link, and no whole e-mail address.

Logs are read by more people, and kept longer, than the database. A reset or invitation
link's token would let its reader in, a calendar feed's would show them a person's dates;
an address is personal data, and the outbox message's
id already tells an operator which message a line is about.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from gunicorn.glogging import Logger

TOKEN_IN_PATH = re.compile(r"(/(?:password-reset|invitations|calendar)/)[^/?#\s\"]+")
EMAIL = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+)")


def mask_emails(text: str) -> str:
    """``david.clarke@example.org`` as ``d***@example.org``."""
    return EMAIL.sub(r"\1***@\2", text)


def redact(text: str) -> str:
    return mask_emails(TOKEN_IN_PATH.sub(r"\1[token]", text))


class RedactingFilter(logging.Filter):
    """Masks a record's text as ``redact`` does: on the development server's logger
    (werkzeug), whose request lines carry each path in full."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = redact(record.getMessage()), ()
        return True


def redact_development_server_log() -> None:
    logger = logging.getLogger("werkzeug")
    if not any(isinstance(f, RedactingFilter) for f in logger.filters):
        logger.addFilter(RedactingFilter())


class AccessLogger(Logger):
    """gunicorn's access log with the tokens in links and any e-mail address masked."""

    def atoms(self, resp: Any, req: Any, environ: dict, request_time: Any) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()
        }
