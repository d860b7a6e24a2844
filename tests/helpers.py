"""Test helpers: a client that checks every page it fetches, and small HTML readers."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from flask import Flask, url_for
from flask.testing import FlaskClient

from tracker.models import Person


class ClientRequest:
    """``client_request.get("actions.show", board_slug=..., action_id=...)``.

    Asserts the status (a redirect must be expected explicitly, with ``_expected_redirect``),
    returns the page parsed with BeautifulSoup, and checks on every HTML page that it has a
    title and an h1, no duplicate ids, and no form without a method.
    """

    def __init__(self, app: Flask, client: FlaskClient) -> None:
        self.app = app
        self.client = client

    def login(self, person: Person) -> None:
        with self.client.session_transaction() as session:
            session["_user_id"] = person.get_id()
            session["_fresh"] = True

    def logout(self) -> None:
        with self.client.session_transaction() as session:
            session.clear()

    def url(self, endpoint: str, **values: Any) -> str:
        with self.app.test_request_context():
            return url_for(endpoint, **values)

    def get(
        self,
        endpoint: str,
        *,
        _expected_status: int = 200,
        _expected_redirect: str | None = None,
        **values: Any,
    ) -> BeautifulSoup:
        response = self.client.get(self.url(endpoint, **values))
        return self._check(response, _expected_status, _expected_redirect)

    def post(
        self,
        endpoint: str,
        *,
        _data: dict[str, Any] | None = None,
        _expected_status: int | None = None,
        _expected_redirect: str | None = None,
        **values: Any,
    ) -> BeautifulSoup:
        response = self.client.post(self.url(endpoint, **values), data=_data or {})
        if _expected_status is None:
            _expected_status = 302 if _expected_redirect else 200
        return self._check(response, _expected_status, _expected_redirect)

    def _check(
        self, response: Any, expected_status: int, expected_redirect: str | None
    ) -> BeautifulSoup:
        if expected_redirect is not None:
            expected_status = expected_status if expected_status in (301, 302, 303) else 302
        body = response.get_data(as_text=True)
        assert response.status_code == expected_status, (
            f"expected {expected_status}, got {response.status_code}: {body[:2000]}"
        )
        if expected_redirect is not None:
            location = urlsplit(response.headers["Location"])
            target = location.path + (f"?{location.query}" if location.query else "")
            assert target == expected_redirect, f"redirected to {target}"
        page = BeautifulSoup(body, "html.parser")
        if response.mimetype == "text/html" and response.status_code < 300:
            check_page(page)
        return page


def check_page(page: BeautifulSoup) -> None:
    assert page.title and page.title.text.strip(), "page has no <title>"
    assert page.find("h1"), "page has no <h1>"
    ids = Counter(tag["id"] for tag in page.find_all(id=True))
    duplicates = [i for i, n in ids.items() if n > 1]
    assert not duplicates, f"duplicate ids: {duplicates}"
    for form in page.find_all("form"):
        assert form.get("method"), f"form without a method: {form.get('action')}"
    # A separator glued to a word ("JSON· Import"): the template lost a space.
    shown = page.get_text("")
    glued = re.search(r"\S·|·\S", shown)
    assert not glued, (
        f"no space around a separator: {shown[glued.start() - 30 : glued.end() + 30]!r}"
    )


def text(tag: Any) -> str:
    """The visible text of a tag with white space folded."""
    return " ".join(tag.get_text(" ").split()) if tag is not None else ""


def h1(page: BeautifulSoup) -> str:
    return text(page.find("h1"))


def error_summary(page: BeautifulSoup) -> list[str]:
    summary = page.select_one(".govuk-error-summary")
    return [text(li) for li in summary.select("li")] if summary else []


def field_error(page: BeautifulSoup, field_id: str) -> str:
    """The GOV.UK error message shown beside one field, or ''."""
    message = page.select_one(f"#{field_id}-error")
    return text(message).removeprefix("Error:").strip() if message else ""


def assert_security_headers(response: Any) -> None:
    """The headers every answer carries (tracker.SECURITY_HEADERS), pages not cached."""
    from tracker import SECURITY_HEADERS
    from tracker.admin.outbox import MESSAGE_CSP

    for name, value in SECURITY_HEADERS.items():
        if name == "Content-Security-Policy" and response.request.path.endswith("/html"):
            # An e-mail's own HTML, shown to its admin with a stricter policy of its own.
            assert response.headers[name] in (value, MESSAGE_CSP), response.request.path
            continue
        assert response.headers.get(name) == value, f"{response.request.path}: {name}"
    path = response.request.path
    if path.startswith(("/public/", "/api/v1/")):
        # Public answers may be kept if asked for again each time (tracker.publishing.cache).
        assert response.headers["Cache-Control"] in ("no-store", "public, no-cache"), path
    elif not path.startswith("/static/"):
        assert response.headers["Cache-Control"] == "no-store", path
