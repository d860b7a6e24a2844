"""The public pages and the publishing pages in a real browser: axe finds nothing, and the
public pages work with JavaScript off (they have none)."""

from __future__ import annotations

from tests.browser.conftest import check_accessibility
from tests.browser.test_pages import sign_in
from tests.public_world import APPROVED, published_board
from tracker.extensions import db
from tracker.models import Role


def test_public_pages_pass_axe(page, app):
    w = published_board(db.session)
    slug = w["board"].slug
    paths = {
        "public-index": "/public/",
        "public-home": f"/public/{slug}/",
        "public-plan": f"/public/{slug}/plans/{w['plan'].id}",
        "public-plan-filtered": f"/public/{slug}/plans/{w['plan'].id}?status=on_track&rag=red",
        "public-plan-bad-filter": f"/public/{slug}/plans/{w['plan'].id}?rag=blue",
        "public-action": f"/public/{slug}/actions/{w['action'].id}",
        "public-indicators": f"/public/{slug}/indicators",
        "public-indicator": f"/public/{slug}/indicators/{w['indicator'].id}",
        "public-meetings": f"/public/{slug}/meetings",
        "public-meeting": f"/public/{slug}/meetings/{w['meeting'].id}",
        "public-data": f"/public/{slug}/data",
    }
    for name, path in paths.items():
        page.goto(path)
        assert page.locator("#last-updated").is_visible(), name
        check_accessibility(page, name)


def test_public_pages_need_no_script(browser, live_server, app):
    w = published_board(db.session)
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    # The plan's filters are a plain form.
    page.goto(f"/public/{w['board'].slug}/plans/{w['plan'].id}")
    page.get_by_label("RAG rating").select_option("red")
    page.get_by_role("button", name="Filter actions").click()
    assert "rag=red" in page.url
    assert "No actions match the filters." in page.locator("main").inner_text()
    page.get_by_role("link", name="Clear filters").click()
    assert page.locator("tbody tr").count() == 1
    page.goto(f"/public/{w['board'].slug}/actions/{w['action'].id}")
    assert APPROVED in page.locator("main").inner_text()
    page.emulate_media(media="print")
    assert page.locator("h1").is_visible()
    context.close()


def test_publishing_pages_pass_axe(page, app):
    w = published_board(db.session)
    slug = w["board"].slug
    sign_in(page, w["people"][Role.ADMIN].email)
    for name, path in {
        "publishing-settings": f"/boards/{slug}/admin/publishing",
        "publishing-updates": f"/boards/{slug}/admin/publishing/updates",
        "publishing-indicators": f"/boards/{slug}/admin/publishing/indicators",
        "publishing-meetings": f"/boards/{slug}/admin/publishing/meetings",
        "publishing-tokens": f"/boards/{slug}/admin/publishing/tokens",
        "public-name": "/account/public-name",
    }.items():
        page.goto(path)
        check_accessibility(page, name)
    page.goto(f"/boards/{slug}/admin/publishing/tokens")
    page.get_by_label("Name of the token").fill("Power BI")
    page.get_by_role("button", name="Make the token").click()
    assert page.locator("#new-token").inner_text().startswith("tt_")
    check_accessibility(page, "publishing-token-made")
