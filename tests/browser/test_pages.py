"""Each role signs in through the real form, lands on its page, and every page passes axe."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from tests import factories, replies
from tests.browser.conftest import check_accessibility
from tracker import clock
from tracker.extensions import db
from tracker.inbound.process import process, store
from tracker.inbound.tokens import reply_address
from tracker.models import (
    ActionStatus,
    Direction,
    Frequency,
    IndicatorCommentary,
    IndicatorUnit,
    Meeting,
    ProgressUpdate,
    Rag,
    Role,
)
from tracker.rules import periods


@pytest.fixture
def board_world(app):
    board = factories.board("Oxfordshire Children's Trust Board")
    people = {
        role: factories.person(
            board, role, name=f"{role.label} person", email=f"{role.value}@example.org"
        )
        for role in Role
    }
    plan = factories.plan(board, "CYPP 2025–2028", 2025, 2028)
    area = factories.area(plan, "Be Safe", 1)
    meeting = factories.meeting(board, date(2030, 3, 14), focus=area)
    action = factories.action(
        area,
        text="Embed the young people's domestic abuse pathway",
        leads=[people[Role.LEAD]],
        months=[date(2021, 9, 1)],
        measures=["Pathway known", "Pathway used"],
    )
    factories.agency(board, "Thames Valley Police")
    indicator = _framework(board, area, people[Role.LEAD])
    db.session.commit()
    return dict(
        board=board,
        people=people,
        action=action,
        slug=board.slug,
        meeting=meeting,
        indicator=indicator,
    )


def _last_periods(frequency: Frequency, count: int) -> list[date]:
    start = periods.previous_period(periods.period_of(clock.today(), frequency), frequency)
    starts = [start]
    while len(starts) < count:
        starts.insert(0, periods.previous_period(starts[0], frequency))
    return starts


def _framework(board, area, owner):
    """A Red, an Amber and a Green indicator, with readings up to the last quarter."""
    quarters = _last_periods(Frequency.QUARTERLY, 6)
    looked_after = factories.indicator(
        board,
        owner,
        number="3.14",
        title="Reduce the number of looked after children to the average of our "
        "statistical neighbours",
        area=area,
        unit=IndicatorUnit.NUMBER,
        target=672,
        tolerance=40,
        readings=dict(zip(quarters, [702, 741, 764, 794, 780, 786], strict=True)),
    )
    db.session.add(
        IndicatorCommentary(
            indicator=looked_after,
            author=owner,
            text="Each current looked after case has been reviewed by a senior manager.",
        )
    )
    factories.indicator(
        board,
        owner,
        number="3.5",
        title="Reduce the number of social care referrals to the level of our statistical "
        "neighbours",
        area=area,
        unit=IndicatorUnit.RATE,
        target=450,
        tolerance=50,
        readings=dict(zip(quarters[-2:], [497.0, 476.2], strict=True)),
    )
    factories.indicator(
        board,
        owner,
        number="4.2",
        title="Increase the % of children reaching a good level of development",
        unit=IndicatorUnit.PERCENT,
        direction=Direction.HIGHER,
        target=75,
        tolerance=3,
        frequency=Frequency.YEARLY,
        readings=dict(zip(_last_periods(Frequency.YEARLY, 2), [74.0, 76.5], strict=True)),
    )
    return looked_after


def sign_in(page, email: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize(
    ("role", "landing", "heading"),
    [
        (Role.LEAD, "/my-actions", "My actions"),
        (Role.CHAIR, "/overdue", "Overdue and red"),
        (Role.ADMIN, "/", "CYPP 2025–2028"),
        (Role.MEMBER, "/", "CYPP 2025–2028"),
    ],
)
def test_each_role_signs_in_and_lands_on_its_page(page, board_world, role, landing, heading):
    sign_in(page, f"{role.value}@example.org")
    page.wait_for_url(f"**/boards/{board_world['slug']}{landing}")
    assert page.locator("h1").inner_text() == heading
    check_accessibility(page, f"landing-{role.value}")


def test_sign_in_page_and_errors(page, board_world):
    page.goto("/sign-in")
    check_accessibility(page, "sign-in")
    # The form posts back to the same address: wait for the page that answers it.
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert page.locator(".govuk-error-summary").is_visible()
    check_accessibility(page, "sign-in-errors")
    page.goto("/password-reset")
    check_accessibility(page, "password-reset")
    page.goto("/no-such-page")
    check_accessibility(page, "not-found")


def test_lead_posts_an_update_with_the_keyboard_only(page, board_world):
    sign_in(page, "lead@example.org")
    page.wait_for_url("**/my-actions")
    # Tab to the action's "Post an update" button and press Enter.
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.textContent")
        if focused and focused.strip().startswith("Post an update"):
            break
    else:
        pytest.fail("could not reach 'Post an update' with the Tab key")
    page.keyboard.press("Enter")
    page.wait_for_url("**/updates/new")
    check_accessibility(page, "post-update")

    # Submitting empty shows the errors, which must be accessible too.
    page.get_by_role("button", name="Post update").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".govuk-error-summary")
    check_accessibility(page, "post-update-errors")

    # Status: focus the first radio, then arrow keys move through the group.
    page.locator("#status").focus()
    page.keyboard.press("ArrowDown")  # On track
    page.keyboard.press("Tab")  # into the RAG group, on the checked "No rating yet"
    for _ in range(3):  # wraps to Red, then Amber, then Green
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.type("Pathway training delivered to 40 school staff.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/actions/{board_world['action'].id}")
    assert "Pathway training delivered to 40 school staff." in page.content()
    check_accessibility(page, "action-after-update")

    db.session.rollback()  # end the test's snapshot to see what the server wrote
    update = db.session.scalars(select(ProgressUpdate)).one()
    assert update.status.value == "on_track" and update.rag is Rag.GREEN


def test_every_board_page_passes_axe(page, board_world):
    sign_in(page, "admin@example.org")
    page.wait_for_url(f"**/boards/{board_world['slug']}/")
    slug, action_id = board_world["slug"], board_world["action"].id
    indicator_id = board_world["indicator"].id
    pages = {
        "plan": f"/boards/{slug}/",
        "plan-filtered": f"/boards/{slug}/plans/{board_world['action'].area.plan_id}?status=x",
        "action": f"/boards/{slug}/actions/{action_id}",
        "set-rag": f"/boards/{slug}/actions/{action_id}/rag",
        "my-actions": f"/boards/{slug}/my-actions",
        "overdue": f"/boards/{slug}/overdue",
        "meetings": f"/boards/{slug}/meetings/",
        "admin": f"/boards/{slug}/admin/",
        "admin-people": f"/boards/{slug}/admin/people",
        "admin-invite": f"/boards/{slug}/admin/people/new",
        "admin-actions": f"/boards/{slug}/admin/actions",
        "admin-action-edit": f"/boards/{slug}/admin/actions/{action_id}",
        "admin-action-new": f"/boards/{slug}/admin/actions/new",
        "admin-areas-new": f"/boards/{slug}/admin/areas/new",
        "admin-meetings-new": f"/boards/{slug}/admin/meetings/new",
        "admin-teams-new": f"/boards/{slug}/admin/teams/new",
        "admin-agencies": f"/boards/{slug}/admin/agencies",
        "admin-plans-new": f"/boards/{slug}/admin/plans/new",
        "admin-outbox": f"/boards/{slug}/admin/outbox",
        "admin-reminders": f"/boards/{slug}/admin/reminders",
        "admin-report-settings": f"/boards/{slug}/admin/report",
        "meeting": f"/boards/{slug}/meetings/{board_world['meeting'].id}",
        "framework": f"/boards/{slug}/framework/",
        "indicator": f"/boards/{slug}/framework/{indicator_id}",
        "indicator-reading": f"/boards/{slug}/framework/{indicator_id}/readings/new",
        "indicator-rag": f"/boards/{slug}/framework/{indicator_id}/rag",
        "indicator-commentary": f"/boards/{slug}/framework/{indicator_id}/what-is-being-done",
        "indicator-import": f"/boards/{slug}/framework/import",
        "admin-indicators": f"/boards/{slug}/admin/indicators",
        "admin-indicator-edit": f"/boards/{slug}/admin/indicators/{indicator_id}",
        "change-password": "/account/password",
        "your-emails": "/account/emails",
        "your-calendar-none": "/account/calendar",
    }
    for name, path in pages.items():
        page.goto(path)
        check_accessibility(page, name)
    # The calendar page once it shows a link, its warning and how to subscribe.
    page.goto("/account/calendar")
    page.get_by_role("button", name="Create my calendar link").click()
    page.wait_for_selector("#calendar-link")
    assert page.get_by_label("Your calendar link").input_value().endswith(".ics")
    check_accessibility(page, "your-calendar")
    # An admin form with errors.
    page.goto(f"/boards/{slug}/admin/actions/new")
    page.get_by_role("button", name="Save").click()
    page.wait_for_selector(".govuk-error-summary")
    check_accessibility(page, "admin-action-errors")

    # A reading with errors, and an import with a problem in a row.
    page.goto(f"/boards/{slug}/framework/{indicator_id}/readings/new")
    page.get_by_label("Value").fill("lots")
    page.get_by_role("button", name="Save reading").click()
    page.wait_for_selector(".govuk-error-summary")
    check_accessibility(page, "indicator-reading-errors")
    page.goto(f"/boards/{slug}/framework/import")
    page.get_by_label("Readings file").set_input_files(
        files=[
            {
                "name": "readings.csv",
                "mimeType": "text/csv",
                "buffer": b"Indicator number,Period,Value\n3.14,2021 Q5,700\n3.5,2021 Q1,480\n",
            }
        ]
    )
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_selector("#import-problems")
    check_accessibility(page, "indicator-import-errors")
    page.get_by_label("Readings file").set_input_files(
        files=[
            {
                "name": "readings.csv",
                "mimeType": "text/csv",
                "buffer": b"Indicator number,Period,Value\n3.5,2021 Q1,480\n",
            }
        ]
    )
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_selector("#import-preview")
    check_accessibility(page, "indicator-import-preview")


def test_secretariat_imports_a_plan_through_the_preview(page, board_world, tmp_path):
    from tests import plan_files
    from tests.test_plan_import import NEXT_YEARS_PLAN

    sign_in(page, "admin@example.org")
    page.wait_for_url(f"**/boards/{board_world['slug']}/")
    page.goto(f"/boards/{board_world['slug']}/admin/import")
    check_accessibility(page, "admin-import")

    bad = tmp_path / "plan.csv"
    bad.write_text("Area,Actions,Reporting month\nBe Safe,An action,Jnu 22\n")
    page.get_by_label("Plan").select_option(label="CYPP 2025–2028")
    page.get_by_label("File").set_input_files(str(bad))
    page.get_by_role("button", name="Preview the import").click()
    page.wait_for_selector(".govuk-error-summary")
    assert "row 2, Reporting month: 'Jnu 22' is not a month" in page.content()
    check_accessibility(page, "admin-import-problems")

    odd = tmp_path / "next.csv"
    odd.write_text(NEXT_YEARS_PLAN)
    page.goto(f"/boards/{board_world['slug']}/admin/import")
    page.get_by_label("Plan").select_option(label="CYPP 2025–2028")
    page.get_by_label("File").set_input_files(str(odd))
    page.get_by_role("button", name="Preview the import").click()
    page.wait_for_selector("#import-warnings")
    assert "'Ongoing' names no month" in page.locator("#import-warnings").inner_text()
    check_accessibility(page, "admin-import-preview-warnings")

    good = tmp_path / "annex2.docx"
    good.write_bytes(plan_files.annex_2_docx())
    page.goto(f"/boards/{board_world['slug']}/admin/import")
    page.get_by_label("Plan").select_option(label="CYPP 2025–2028")
    page.get_by_label("File").set_input_files(str(good))
    page.get_by_role("button", name="Preview the import").click()
    page.wait_for_selector("#import-counts")
    assert page.locator("#import-counts").inner_text() == "11 new, 0 changed, 0 unchanged actions."
    check_accessibility(page, "admin-import-preview")
    page.get_by_role("button", name="Import", exact=True).click()
    page.wait_for_url("**/plans/*")
    assert "Imported annex2.docx: 11 new" in page.content()


def test_secretariat_shapes_records_and_reports_a_meeting(page, board_world):
    past = factories.meeting(board_world["board"], date(2021, 3, 18))
    db.session.commit()
    slug, upcoming = board_world["slug"], board_world["meeting"]
    sign_in(page, "admin@example.org")
    page.wait_for_url(f"**/boards/{slug}/")

    page.goto(f"/boards/{slug}/meetings/{upcoming.id}")
    page.get_by_label("Add an item").fill("Update on the Youth Strategy")
    page.get_by_role("button", name="Add to the forward plan").click()
    page.wait_for_selector("#forward-plan")
    check_accessibility(page, "meeting-admin")
    page.get_by_role("link", name="Remove Update on the Youth Strategy").click()
    page.wait_for_url("**/remove")
    check_accessibility(page, "meeting-remove-item")
    page.get_by_role("button", name="Remove the item").click()
    page.wait_for_selector(".govuk-error-summary")
    check_accessibility(page, "meeting-remove-item-errors")
    page.goto(f"/boards/{slug}/meetings/{upcoming.id}")
    page.get_by_role("button", name="Publish the forward plan").click()
    page.wait_for_selector("#forward-plan-state")
    assert page.locator("#forward-plan-state").inner_text().startswith("Published")

    page.goto(f"/boards/{slug}/meetings/{past.id}/record")
    check_accessibility(page, "meeting-record")
    page.get_by_label("Summary of other items discussed by the Board").fill("A SEND report.")
    page.get_by_role("button", name="Save the record of the meeting").click()
    page.wait_for_selector("#summary-of-other-items")
    page.goto(f"/boards/{slug}/meetings/{past.id}/report")
    check_accessibility(page, "hwb-report")
    page.goto(f"/boards/{slug}/meetings/")
    check_accessibility(page, "meetings-with-next")


def test_secretariat_posts_a_refused_reply_by_hand(page, board_world, app, monkeypatch):
    monkeypatch.setitem(app.config, "UPDATES_ADDRESS", "updates@example.org")
    lead, action = board_world["people"][Role.LEAD], board_world["action"]
    # Replied to an address that had expired: refused, for the secretariat to look at.
    expired = reply_address(lead, action, clock.today() - timedelta(days=90)).address
    raw = replies.plain(expired, "On track: the pathway is in use.", sender=lead.email)
    stored = store(
        db.session, raw, via="smtp", recipients=[expired], mail_from=lead.email, now=clock.now()
    )
    process(db.session, stored.id, clock.now())
    slug = board_world["slug"]
    sign_in(page, "admin@example.org")
    page.wait_for_url(f"**/boards/{slug}/")
    page.goto(f"/boards/{slug}/admin/inbox")
    check_accessibility(page, "admin-inbox")
    page.locator("tbody a").first.click()
    page.wait_for_selector("text=Post it by hand")
    check_accessibility(page, "admin-inbox-message")
    page.get_by_label("Progress update").fill("")
    page.get_by_role("button", name=f"Post as {lead.name}").click()
    page.wait_for_selector(".govuk-error-summary")
    check_accessibility(page, "admin-inbox-message-errors")
    page.get_by_label("Progress update").fill("The pathway is in use.")
    page.get_by_role("button", name=f"Post as {lead.name}").click()
    page.wait_for_selector(f"text=Posted as {lead.name}'s update.")
    db.session.commit()
    texts = db.session.scalars(select(ProgressUpdate.text)).all()
    assert "The pathway is in use." in texts


def test_secretariat_writes_and_marks_final_the_report(page, board_world):
    past = factories.meeting(
        board_world["board"], date(2021, 3, 18), focus=board_world["action"].area
    )
    db.session.add(
        ProgressUpdate(
            action=board_world["action"],
            author=board_world["people"][Role.LEAD],
            text="Pathway training delivered to 40 school staff.",
            status=ActionStatus.ON_TRACK,
            created_at=datetime(2021, 3, 1, tzinfo=UTC),
        )
    )
    db.session.commit()
    slug, past_id, area_id = board_world["slug"], past.id, board_world["action"].area_id
    db.session.rollback()  # the server writes from here on
    report = f"/boards/{slug}/meetings/{past_id}/report"
    sign_in(page, "admin@example.org")
    page.wait_for_url(f"**/boards/{slug}/")

    page.goto(report)
    assert page.locator("#report-state").inner_text().startswith("Draft")
    check_accessibility(page, "hwb-report-draft")
    page.get_by_role("link", name="Change the report").click()
    page.wait_for_url("**/report/edit")
    field = page.get_by_label("Progress report: Be Safe")
    assert field.input_value() == "Pathway training delivered to 40 school staff."
    page.locator(f"#updates-{area_id} summary").click()
    check_accessibility(page, "hwb-report-edit")

    page.locator("#report_date-day").fill("31")
    page.locator("#report_date-month").fill("2")
    page.locator("#report_date-year").fill("2021")
    page.get_by_role("button", name="Save the report").click()
    page.wait_for_selector(".govuk-error-summary")
    assert "Enter a real date, like" in page.locator(".govuk-error-summary").inner_text()
    check_accessibility(page, "hwb-report-edit-errors")

    page.locator("#report_date-day").fill("5")
    page.locator("#report_date-month").fill("4")
    field.fill("The Pathway is embedded in every secondary school.\n- 40 staff trained")
    page.get_by_role("button", name="Save the report").click()
    page.wait_for_url(f"**{report}")
    assert "5th April 2021" in page.locator("#report-header").inner_text()
    assert "40 staff trained" in page.locator(".app-report").inner_text()

    page.get_by_role("link", name="Mark the report final").click()
    page.wait_for_url("**/report/final")
    assert page.locator("#not-recorded").is_visible()
    check_accessibility(page, "hwb-report-final-not-recorded")
    db.session.get(Meeting, past_id).recorded_at = clock.now()
    db.session.commit()
    page.reload()
    check_accessibility(page, "hwb-report-final")
    page.get_by_role("button", name="Mark the report final").click()
    page.wait_for_url(f"**{report}")
    assert page.locator("#report-state").inner_text().startswith("Final")
    assert page.get_by_role("link", name="Change the report").count() == 0
    check_accessibility(page, "hwb-report-final-kept")


def test_secretariat_downloads_a_persons_data_and_erases_them(page, board_world):
    """Data protection pages: the notice signed out and in, Admin → Data with an error, a
    person's data, and erasing them once they are off the board."""
    page.goto("/privacy")
    check_accessibility(page, "privacy-signed-out")
    sign_in(page, "admin@example.org")
    slug = board_world["slug"]
    page.wait_for_url(f"**/boards/{slug}/")
    page.get_by_role("link", name="Privacy notice").click()
    page.wait_for_url("**/privacy")
    check_accessibility(page, "privacy")
    page.goto(f"/boards/{slug}/admin/data")
    page.get_by_label("Keep delivered e-mails for (days)").fill("a year")
    page.get_by_role("button", name="Save").click()
    page.wait_for_selector(".govuk-error-summary")
    check_accessibility(page, "admin-data-errors")
    page.goto(f"/boards/{slug}/admin/people")
    page.get_by_role("link", name="Download their data (Lead officer person)").click()
    page.wait_for_selector("h1:has-text('Data held about Lead officer person')")
    check_accessibility(page, "person-data")
    page.goto(f"/boards/{slug}/admin/people")
    page.get_by_role("button", name="Remove Lead officer person").click()
    page.get_by_role("link", name="Erase Lead officer person").click()
    check_accessibility(page, "person-erase")
    page.get_by_role("button", name="Erase this person").click()
    page.wait_for_selector(".govuk-notification-banner")
    lead_id = board_world["people"][Role.LEAD].id
    assert f"Former lead officer {lead_id}" in page.inner_text("main")
