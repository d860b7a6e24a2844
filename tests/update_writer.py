"""A lead officer posting progress updates through the app, one after another, until stopped.

    python -m tests.update_writer DATABASE_URL BOARD_SLUG ACTION_ID EMAIL PASSWORD

The writer that keeps the database busy while tests/test_backup_live.py takes a backup. It
signs in with the sign-in form and, for each update, opens the form and posts it with the
form's own hidden fields, as a browser would. Once the app has answered that an update was
posted (so it is committed) it prints the update's text, one a line. SIGTERM stops it after
the update in hand.
"""

from __future__ import annotations

import signal
import sys
from typing import Any

from bs4 import BeautifulSoup

from tracker import create_app

stopping = False


def _stop(signum: int, frame: Any) -> None:
    global stopping
    stopping = True


def submit(client: Any, path: str, **fields: str) -> Any:
    """Open the form at ``path`` and post it with ``fields`` over its hidden ones."""
    page = BeautifulSoup(client.get(path).get_data(as_text=True), "html.parser")
    # The form posting back to its page (not the header's sign-out button).
    form = next(form for form in page.find_all("form", method="post") if not form.get("action"))
    data = {i["name"]: i.get("value", "") for i in form.find_all("input", type="hidden")}
    return client.post(path, data=data | fields)


def main() -> None:
    url, slug, action_id, email, password = sys.argv[1:]
    signal.signal(signal.SIGTERM, _stop)
    app = create_app("development", {"SQLALCHEMY_DATABASE_URI": url})
    client = app.test_client()
    signed_in = submit(client, "/sign-in", email=email, password=password)
    if signed_in.status_code != 302:
        sys.exit(f"could not sign in as {email}: {signed_in.status_code}")
    number = 0
    while not stopping:
        number += 1
        text = f"Writer update {number}"
        answer = submit(
            client,
            f"/boards/{slug}/actions/{action_id}/updates/new",
            status="on_track",
            rag="green",
            text=text,
        )
        if answer.status_code != 302:
            sys.exit(f"{text} was not posted: {answer.status_code}")
        print(text, flush=True)


if __name__ == "__main__":
    main()
