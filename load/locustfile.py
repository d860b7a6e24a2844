"""Locust users for ``make load``: leads reading and posting updates, chairs reading dashboards.

Run by load/run.py against gunicorn on a scratch database loaded with the demo board. Every
update a lead posts successfully is written to the file in LOAD_POSTED_FILE when Locust
stops, so the run can check that each one is in the database.
"""

from __future__ import annotations

import json
import os
import random
import re
import uuid

from locust import HttpUser, between, events, task

PASSWORD = "trust-tracker-demo"  # noqa: S105  # nosec B105
BOARD = "/boards/oxfordshire-childrens-trust"
LEADS = [
    "david.clarke@example.org",
    "emma.leaver@example.org",
    "maria.godfrey@example.org",
    "sarah.breton@example.org",
]
CHAIRS = ["steve.harrod@example.org", "secretariat@example.org"]
HIDDEN = re.compile(r'<input[^>]*name="(csrf_token|seen_version)"[^>]*value="([^"]*)"')
UPDATE_LINK = re.compile(r'href="(/boards/[^"]+/actions/\d+)/updates/new"')
ACTION_LINK = re.compile(r'href="(/boards/[^"]+/actions/\d+)"')

posted: list[str] = []


def hidden_fields(html: str) -> dict[str, str]:
    return dict(HIDDEN.findall(html))


class Person(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    accounts: list[str] = []

    def on_start(self) -> None:
        page = self.client.get("/sign-in", name="sign in (form)")
        response = self.client.post(
            "/sign-in",
            data={
                "email": random.choice(self.accounts),  # noqa: S311  # nosec B311
                "password": PASSWORD,
                **hidden_fields(page.text),
            },
            name="sign in",
        )
        if "Sign out" not in response.text:
            response.failure("not signed in")


class Lead(Person):
    weight = 3
    accounts = LEADS

    @task(3)
    def my_actions(self) -> None:
        self.client.get(f"{BOARD}/my-actions", name="my actions")

    @task(2)
    def read_an_action(self) -> None:
        page = self.client.get(f"{BOARD}/my-actions", name="my actions")
        actions = ACTION_LINK.findall(page.text)
        if actions:
            self.client.get(random.choice(actions), name="action")  # noqa: S311  # nosec B311

    @task(1)
    def post_an_update(self) -> None:
        page = self.client.get(f"{BOARD}/my-actions", name="my actions")
        actions = UPDATE_LINK.findall(page.text)
        if not actions:
            return
        action = random.choice(actions)  # noqa: S311  # nosec B311
        form = self.client.get(f"{action}/updates/new", name="update form")
        marker = f"Load test update {uuid.uuid4()}"
        with self.client.post(
            f"{action}/updates/new",
            data={"status": "on_track", "rag": "green", "text": marker, **hidden_fields(form.text)},
            name="post update",
            catch_response=True,
        ) as response:
            if "Your progress update has been posted." in response.text:
                posted.append(marker)
                response.success()
            elif "Someone else updated this action while you were writing" in response.text:
                # Another lead updated the same action meanwhile: refused, nothing saved.
                response.success()
            else:
                response.failure(f"update not posted ({response.status_code})")


class Chair(Person):
    weight = 1
    accounts = CHAIRS

    @task(2)
    def overdue_and_red(self) -> None:
        self.client.get(f"{BOARD}/overdue", name="overdue and red")

    @task(1)
    def the_plan(self) -> None:
        self.client.get(f"{BOARD}/", name="plan")

    @task(1)
    def meetings(self) -> None:
        self.client.get(f"{BOARD}/meetings/", name="meetings")


@events.quitting.add_listener
def _write_posted(environment, **_) -> None:
    with open(os.environ.get("LOAD_POSTED_FILE", "load-posted.json"), "w") as file:
        json.dump(posted, file)
