"""Typed text with a long address or a word longer than the page wraps: no page grows wider
than the screen, on a desktop (1280 px) or a small phone (320 px)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests import factories
from tests.browser.conftest import check_accessibility
from tests.browser.test_pages import sign_in
from tracker import clock
from tracker.extensions import db
from tracker.models import (
    ActionStatus,
    AreaPriority,
    ForwardPlanItem,
    ForwardPlanKind,
    IndicatorCommentary,
    IndicatorUnit,
    ProgressUpdate,
    Rag,
    Role,
)
from tracker.rules.due import plan_year

URL = "https://example.org/" + "reports/2026/" * 22 + "minutes.pdf?" + "x" * 20
WORD = "A" * 2000
assert len(URL) >= 300


@pytest.fixture
def long_text(app):
    today = clock.today()
    year = plan_year(today)
    board = factories.board("Children's Trust Board")
    people = {
        role: factories.person(
            board, role, name=f"{role.label} person", email=f"{role.value}@x.org"
        )
        for role in Role
    }
    plan = factories.plan(board, f"CYPP {year}–{year + 3}", year, year + 3)
    area = factories.area(plan, "Be Safe", 1)
    area.priorities.append(AreaPriority(plan_year=year, text=f"Focus on {WORD}"))
    held = today - timedelta(days=10)
    factories.meeting(board, today - timedelta(days=100))
    meeting = factories.meeting(board, held, focus=area)
    following = factories.meeting(board, today + timedelta(days=30), focus=area)
    action = factories.action(
        area,
        text=f"Embed the pathway {WORD}",
        leads=[people[Role.LEAD]],
        months=[today.replace(day=1)],
        measures=[f"Pathway known {WORD}"],
        plan_year=year,
    )
    db.session.add_all(
        [
            ProgressUpdate(
                action=action,
                author=people[Role.LEAD],
                text=f"The minutes are at {URL}, and {WORD}.",
                status=ActionStatus.OFF_TRACK,
                rag=Rag.RED,
                created_at=datetime(held.year, held.month, held.day, tzinfo=UTC)
                - timedelta(days=5),
            ),
            ForwardPlanItem(
                meeting=following,
                kind=ForwardPlanKind.ADDED,
                text=f"Update on {WORD}",
                position=0,
            ),
        ]
    )
    action.status, action.rag = ActionStatus.OFF_TRACK, Rag.RED
    indicator = factories.indicator(
        board,
        people[Role.LEAD],
        number="2.5",
        title=f"Reduce {WORD}",
        area=area,
        unit=IndicatorUnit.PERCENT,
        target=10,
        tolerance=1,
        readings={today.replace(day=1) - timedelta(days=200): 40},
    )
    db.session.add(
        IndicatorCommentary(
            indicator=indicator,
            author=people[Role.LEAD],
            text=f"See {URL}",
            # Written before the meeting, so its report carries it.
            created_at=datetime(held.year, held.month, held.day, tzinfo=UTC) - timedelta(days=1),
        )
    )
    db.session.commit()
    slug = f"/boards/{board.slug}"
    return {
        "action": f"{slug}/actions/{action.id}",
        "report": f"{slug}/meetings/{meeting.id}/report",
        "plan": f"{slug}/plans/{plan.id}",
        "meeting": f"{slug}/meetings/{following.id}",
        "my-actions": f"{slug}/my-actions",
        "overdue": f"{slug}/overdue",
        "framework": f"{slug}/framework/",
        "indicator": f"{slug}/framework/{indicator.id}",
        "admin-actions": f"{slug}/admin/actions",
        "admin-people": f"{slug}/admin/people",
    }


# What sticks out, to say where to look.
WIDEST = """[...document.querySelectorAll('main *')].filter(
    e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 5).map(
    e => e.tagName + '.' + e.className)"""


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("width", [1280, 320])
def test_long_addresses_and_words_wrap(page, long_text, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "admin@x.org")
    page.wait_for_url(f"**{long_text['plan'].split('/plans')[0]}/")
    too_wide = {}
    for name, path in long_text.items():
        page.goto(path)
        assert page.locator("h1").count() == 1, name
        if page_width(page) > width:
            too_wide[name] = (page_width(page), page.evaluate(WIDEST))
    assert too_wide == {}, f"wider than {width} px: {too_wide}"
    page.goto(long_text["action"])
    link = page.get_by_role("link", name=URL)
    assert link.get_attribute("href") == URL and link.get_attribute("rel") == "noopener noreferrer"
    check_accessibility(page, f"long-text-action-{width}")
    page.goto(long_text["report"])
    # In the update and in the note on the Red indicator.
    assert page.get_by_role("link", name=URL).count() == 2
    check_accessibility(page, f"long-text-report-{width}")
