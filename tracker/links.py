"""Absolute links for e-mails, built from BASE_URL.

E-mails are written by web requests and by the scheduler alike, so links never depend on the
host of a request (which an attacker could set) or on there being a request at all.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app


def absolute_url(endpoint: str, **values: Any) -> str:
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme
    )
    return adapter.build(endpoint, values, force_external=True)
