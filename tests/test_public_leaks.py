"""Nothing leaks: boards with random published and unpublished things, and on no public page
(the plan's filtered by each of its choices too), file, feed or anonymous API answer of a
board, nor on the list of public boards, is there the text of an update not approved
(or withdrawn), a reading not approved (or corrected since), a forward plan not made
public, a person's name without their agreement, anyone's e-mail address, or anything of
another board.

Every example adds its boards to the same database, so the boards of earlier examples are
the "other boards" of later ones: their markers are forbidden too. A final report made
public is a paper the secretariat approved whole, as it went (see README): its files are
checked for names, addresses and other boards, not for the updates it was drafted from.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from itertools import count

from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import factories
from tests.public_world import update
from tracker import clock
from tracker.audit import acting_as
from tracker.meetings.forward_plan import add_item
from tracker.models import (
    ActionStatus,
    Frequency,
    IndicatorReading,
    IndicatorUnit,
    Rag,
    Role,
)
from tracker.models.publishing import PaperKind
from tracker.publishing import approvals
from tracker.publishing.data import PARTS
from tracker.reports import hwb

_numbers = count(1)

UPDATE = st.sampled_from(["approved", "summarised", "unapproved", "withdrawn"])
READING = st.sampled_from(["approved", "unapproved", "corrected", "withdrawn"])
# Mostly on: a board with nothing public shows too little to test.
MOSTLY = st.sampled_from([True, True, True, False])
BOARD = st.fixed_dictionaries(
    {
        "enabled": MOSTLY,
        "parts": st.fixed_dictionaries({part: MOSTLY for part in PARTS}),
        "actions": st.lists(
            st.fixed_dictionaries(
                {
                    "lead_agreed": st.booleans(),
                    "team": st.booleans(),
                    "updates": st.lists(UPDATE, max_size=4),
                }
            ),
            max_size=3,
        ),
        "indicators": st.lists(
            st.fixed_dictionaries(
                {"public": st.booleans(), "readings": st.lists(READING, max_size=3)}
            ),
            max_size=2,
        ),
        "meetings": st.lists(
            st.fixed_dictionaries(
                {
                    "forward_plan": st.sampled_from(["public", "published only", "withdrawn"]),
                    "report": st.sampled_from(["public", "final only", "withdrawn", "draft"]),
                }
            ),
            max_size=2,
        ),
        "chair_agreed": st.booleans(),
    }
)


class Markers:
    """Words and figures that must not appear, by where they may not appear."""

    def __init__(self) -> None:
        self.everywhere: set[str] = set()  # names, addresses
        self.but_reports: set[str] = set()  # update texts and forward plan items

    def forbid(self, text: str, *, in_reports: bool = True) -> None:
        (self.everywhere if in_reports else self.but_reports).add(text)


def _marker(kind: str) -> str:
    return f"{kind}{next(_numbers):05d}x"


def _figure(markers: Markers) -> float:
    """A reading's value no other figure shares, forbidden as the pages and files write it."""
    value = 8_100_000 + next(_numbers)
    markers.forbid(f"{value}", in_reports=False)
    markers.forbid(f"{value:,}", in_reports=False)
    return float(value)


def build(session, spec: dict, markers: Markers, own: Markers) -> object:
    """The board of ``spec``. What of it may not be on its own public answers goes into
    ``own``; everything of it at all into ``markers``, forbidden on other boards'."""
    now = clock.now()
    board = factories.board(_marker("Board"))
    people = {}
    for role in Role:
        name = _marker("Name")
        people[role] = factories.person(board, role, name=name, email=f"{name.lower()}@example.org")
        own.forbid(people[role].email)
        markers.forbid(name)
        markers.forbid(people[role].email)
    admin = people[Role.ADMIN]
    if spec["chair_agreed"]:
        approvals.agree_to_be_named(session, people[Role.CHAIR], True, now)
    else:
        own.forbid(people[Role.CHAIR].name)
    plan = factories.plan(board, _marker("Plan"), 2025, 2028)
    area = factories.area(plan, _marker("Area"))
    markers.forbid(board.name)
    markers.forbid(plan.name)
    shown = spec["enabled"] and spec["parts"]["plan"]
    # Reports are final before any update is posted: their text is the secretariat's own.
    meetings = []
    for n, meeting_spec in enumerate(spec["meetings"]):
        meeting = factories.meeting(board, date(2025, 3 + n * 3, 10), focus=area)
        item = _marker("Item")
        add_item(meeting, item)
        markers.forbid(item)
        meeting.forward_plan_published_at = meeting.recorded_at = now
        meeting_shown = spec["enabled"] and spec["parts"]["meetings"]
        if not (meeting_shown and meeting_spec["forward_plan"] == "public"):
            own.forbid(item, in_reports=False)
        if meeting_spec["report"] != "draft":
            with acting_as(session, admin.id):
                hwb.mark_final(session, meeting, admin, now)
        meetings.append((meeting, meeting_spec))
    for action_spec in spec["actions"]:
        lead = factories.person(board, Role.LEAD, name=_marker("Name"))
        markers.forbid(lead.name)
        own.forbid(lead.email)
        markers.forbid(lead.email)
        if action_spec["lead_agreed"]:
            approvals.agree_to_be_named(session, lead, True, now)
        else:
            own.forbid(lead.name)
        leads = [lead, factories.team(board, _marker("Team"))] if action_spec["team"] else [lead]
        action = factories.action(area, text=_marker("Action"), leads=leads)
        markers.forbid(action.text)
        for state in action_spec["updates"]:
            text = _marker("Update")
            markers.forbid(text)
            posted = update(session, action, lead, text, ActionStatus.AT_RISK, Rag.AMBER)
            summary = _marker("Summary") if state == "summarised" else None
            if summary:
                markers.forbid(summary)
                own.forbid(text, in_reports=False)  # the summary is shown in its place
            if state == "unapproved" or not shown:
                own.forbid(text, in_reports=False)
                if summary:
                    own.forbid(summary, in_reports=False)
            if state != "unapproved":
                decision = approvals.approve_update(session, posted, admin, now, summary)
                if state == "withdrawn":
                    own.forbid(text, in_reports=False)
                    session.flush()
                    approvals.withdraw(decision, now)
    _indicators(session, board, spec, admin, area, own, now)
    with acting_as(session, admin.id):
        pages = approvals.public_pages(session, board)
        pages.enabled = spec["enabled"]
        for part in PARTS:
            setattr(pages, part, spec["parts"][part])
        for meeting, meeting_spec in meetings:
            _papers(session, meeting, meeting_spec, admin, now)
    session.commit()
    return board


def _indicators(session, board, spec, admin, area, own, now) -> None:
    shown = spec["enabled"] and spec["parts"]["indicators"]
    for indicator_spec in spec["indicators"]:
        indicator = factories.indicator(
            board,
            admin,
            number=f"{next(_numbers)}.1",
            title=_marker("Indicator"),
            area=area,
            unit=IndicatorUnit.NUMBER,
            frequency=Frequency.MONTHLY,
        )
        visible = shown and indicator_spec["public"]
        if not visible:
            own.forbid(indicator.title, in_reports=False)
        if indicator_spec["public"]:
            approvals.publish_indicator(session, indicator, admin, now)
        for n, state in enumerate(indicator_spec["readings"]):
            allowed = visible and state == "approved"
            value = float(n + 1) if allowed else _figure(own)
            reading = IndicatorReading(
                indicator=indicator, period_start=date(2025, 4 + n, 1), value=value
            )
            session.add(reading)
            session.flush()
            if state != "unapproved":
                decision = approvals.approve_reading(session, reading, admin, now)
                session.flush()
                if state == "corrected":
                    reading.value = _figure(own)
                elif state == "withdrawn":
                    approvals.withdraw(decision, now)


def _papers(session, meeting, meeting_spec, admin, now) -> None:
    for kind, state in (
        (PaperKind.FORWARD_PLAN, meeting_spec["forward_plan"]),
        (PaperKind.REPORT, meeting_spec["report"]),
    ):
        if state in ("public", "withdrawn"):
            decision = approvals.publish_paper(session, meeting, kind, admin, now)
            if state == "withdrawn":
                session.flush()
                approvals.withdraw(decision, now)


def answers(client, board):
    """Every public page, file, feed and anonymous API answer of the board: (url, text)."""
    slug = board.slug
    queue = [f"/public/{slug}/", f"/public/{slug}/data", f"/public/{slug}/updates.atom"]
    queue += [
        f"/public/{slug}/data/{dataset}.{file_format}"
        for dataset in ("actions", "updates", "readings")
        for file_format in ("csv", "json")
    ]
    api = f"/api/v1/boards/{slug}"
    queue += [api, f"{api}/plans?per_page=100", f"{api}/indicators?per_page=100",
              f"{api}/meetings?per_page=100"]  # fmt: skip
    seen = set()
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200:
            assert response.status_code == 404, (url, response.status_code)
            continue
        body = response.get_data()
        if url.endswith(".docx"):
            body = zipfile.ZipFile(io.BytesIO(body)).read("word/document.xml")
        shown = body.decode("utf-8-sig")
        yield url, shown
        if response.mimetype == "text/html":
            soup = BeautifulSoup(shown, "html.parser")
            links = soup.select("a[href]")
            queue += [
                a["href"] for a in links if a["href"].startswith(f"/public/{slug}/")
                and not a["href"].endswith(".pdf")
            ]  # fmt: skip
            # The plan page's filters, each choice on its own.
            if "?" not in url:
                queue += [
                    f"{url}?{select['name']}={option['value']}"
                    for select in soup.select("form.app-filter select")
                    for option in select.select("option") if option["value"]
                ]  # fmt: skip
        if url.startswith(f"{api}/plans?"):
            for plan in json.loads(shown)["data"]:
                queue += [f"{api}/plans/{plan['id']}/areas", f"{api}/plans/{plan['id']}/actions"]
        if "/actions" in url and url.startswith(api) and "/actions/" not in url:
            queue += [f"{api}/actions/{action['id']}" for action in json.loads(shown)["data"]]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(specs=st.lists(BOARD, min_size=1, max_size=2))
def test_nothing_unapproved_unconsented_or_of_another_board_is_public(client, session, specs):
    # Every marker of every board built so far, in this example or an earlier one, and the
    # board it belongs to: the rows of earlier examples stay in the database.
    owners: dict[str, int] = session.info.setdefault("leak_markers", {})
    built = []
    for spec in specs:
        mine, own = Markers(), Markers()
        board = build(session, spec, mine, own)
        owners.update(dict.fromkeys(mine.everywhere | mine.but_reports, board.id))
        built.append((board, own))
    # The list of public boards names those with their pages on, and nothing of the rest.
    enabled: dict[str, bool] = session.info.setdefault("leak_boards", {})
    for (board, _), spec in zip(built, specs, strict=True):
        enabled[board.name] = spec["enabled"]
    listed = client.get("/public/").get_data(as_text=True)
    named = {name for name, on in enabled.items() if on}
    assert named <= {name for name in enabled if name in listed}
    assert not sorted(m for m in owners if m in listed and m not in named)
    for board, own in built:
        others = {marker for marker, owner in owners.items() if owner != board.id}
        for url, shown in answers(client, board):
            forbidden = own.everywhere | others
            if "/report." not in url:
                forbidden |= own.but_reports
            found = sorted(m for m in forbidden if m in shown)
            assert not found, (url, found)
