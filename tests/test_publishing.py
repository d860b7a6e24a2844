"""Publishing: nothing is public until approved, withdrawing removes it at once, every
decision is in the audit trail, people are named only if they agreed, and every public
answer can be revalidated (ETag, Last-Modified, 304)."""

from __future__ import annotations

import csv
import io
import json
from xml.etree import ElementTree

from sqlalchemy import select

from tests import factories
from tests.helpers import error_summary, h1, text
from tests.public_world import APPROVED, SUMMARY, UNAPPROVED, published_board
from tracker import clock
from tracker.models import AuditEvent, Role
from tracker.models.publishing import ApiToken, PublicPages, PublishedUpdate
from tracker.publishing import approvals
from tracker.publishing.cache import CACHE_CONTROL
from tracker.text import for_csv
from tracker.trail import describe_events


def _get(client_request, endpoint, **values):
    response = client_request.client.get(client_request.url(endpoint, **values))
    response.close()
    return response


def test_nothing_is_public_by_default(client_request, session):
    board = factories.board()
    admin = factories.person(board, Role.ADMIN)
    session.commit()
    assert _get(client_request, "public.home", board_slug=board.slug).status_code == 404
    client_request.login(admin)
    page = client_request.get("publishing.settings", board_slug=board.slug)
    assert not any(box.has_attr("checked") for box in page.select("input[type=checkbox]"))
    # Turned on with nothing chosen: the pages exist and show no plan.
    client_request.post(
        "publishing.settings",
        board_slug=board.slug,
        _data={"enabled": "y"},
        _expected_redirect=client_request.url("publishing.settings", board_slug=board.slug),
    )
    client_request.logout()
    page = client_request.get("public.home", board_slug=board.slug)
    assert "The board has not published its plan." in text(page)
    assert _get(client_request, "public.indicators", board_slug=board.slug).status_code == 404


def test_the_public_see_approved_updates_only_and_the_summary_in_place_of_the_text(
    client_request, session
):
    w = published_board(session)
    page = client_request.get("public.action", board_slug=w["board"].slug, action_id=w["action"].id)
    shown = text(page)
    assert APPROVED in shown and SUMMARY in shown
    assert UNAPPROVED not in shown and "Long internal text" not in shown
    # The update itself is as its author wrote it.
    assert w["summarised"].text == "Long internal text to summarise"
    plan = client_request.get("public.plan", board_slug=w["board"].slug, plan_id=w["plan"].id)
    # Latest approved: the summary, On track and Green, not the later Off track / Red.
    row = text(plan.select_one("tbody tr"))
    assert SUMMARY in row and "On track" in row and "Green" in row and "Red" not in row
    assert "Lead: SEND (OCC), Lead officer" in row


def test_withdrawing_removes_at_once_and_both_decisions_are_in_the_trail(client_request, session):
    w = published_board(session)
    admin = w["people"][Role.ADMIN]
    client_request.login(admin)
    decision = session.scalars(
        select(PublishedUpdate).where(PublishedUpdate.update_id == w["approved"].id)
    ).one()
    client_request.post(
        "publishing.decide",
        board_slug=w["board"].slug,
        thing="update",
        thing_id=w["approved"].id,
        verb="withdraw",
        _expected_redirect=client_request.url("publishing.updates", board_slug=w["board"].slug),
    )
    client_request.logout()
    page = client_request.get("public.action", board_slug=w["board"].slug, action_id=w["action"].id)
    assert APPROVED not in text(page)
    events = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.entity == "published_update", AuditEvent.entity_id == decision.id)
        .order_by(AuditEvent.id)
    ).all()
    entries = describe_events(session, events)
    assert [e.summary for e in entries] == [
        "Public progress update: added progress update " + str(w["approved"].id),
        "Public progress update: withdrawn from the public pages progress update "
        + str(w["approved"].id),
    ]
    assert entries[1].who == admin.name
    # The approval shows on the action's own trail too.
    assert all(e.action_id == w["action"].id for e in events)


def test_a_chair_approves_with_a_summary_and_a_member_cannot(client_request, session):
    w = published_board(session)
    client_request.login(w["people"][Role.CHAIR])
    client_request.post(
        "publishing.approve_update",
        board_slug=w["board"].slug,
        update_id=w["hidden"].id,
        _data={"summary": "Two schools are catching up"},
        _expected_status=302,
    )
    client_request.logout()
    page = client_request.get("public.action", board_slug=w["board"].slug, action_id=w["action"].id)
    assert "Two schools are catching up" in text(page) and UNAPPROVED not in text(page)
    client_request.login(w["people"][Role.MEMBER])
    response = client_request.client.post(
        client_request.url(
            "publishing.approve_update", board_slug=w["board"].slug, update_id=w["hidden"].id
        )
    )
    assert response.status_code == 403


def test_a_summary_too_long_is_refused_with_a_message_and_changes_nothing(client_request, session):
    w = published_board(session)
    client_request.login(w["people"][Role.ADMIN])
    client_request.post(
        "publishing.approve_update",
        board_slug=w["board"].slug,
        update_id=w["hidden"].id,
        _data={"summary": "x" * 5001},
        _expected_status=302,
    )
    page = client_request.get("publishing.updates", board_slug=w["board"].slug)
    assert "The public summary must be 5,000 characters or fewer" in text(page)
    assert (
        session.scalars(
            select(PublishedUpdate).where(PublishedUpdate.update_id == w["hidden"].id)
        ).first()
        is None
    )


def test_indicators_one_by_one_and_readings_per_period_at_the_value_approved(
    client_request, session
):
    w = published_board(session)
    slug = w["board"].slug
    page = client_request.get("public.indicators", board_slug=slug)
    assert "Hidden" not in text(page)
    assert (
        _get(
            client_request,
            "public.indicator",
            board_slug=slug,
            indicator_id=w["hidden_indicator"].id,
        ).status_code
        == 404
    )
    page = client_request.get("public.indicator", board_slug=slug, indicator_id=w["indicator"].id)
    figures = [text(td) for td in page.select("tbody td.govuk-table__cell--numeric")]
    assert figures == ["12.5%"]  # 97.25% is not approved
    assert page.select_one("svg[role=img]") is not None
    # Corrected after approval: not public until approved again.
    w["indicator"].readings[0].value = 13.0
    session.commit()
    page = client_request.get("public.indicator", board_slug=slug, indicator_id=w["indicator"].id)
    assert [text(td) for td in page.select("tbody td.govuk-table__cell--numeric")] == []


def test_papers_can_be_public_only_once_published_or_final(client_request, session):
    w = published_board(session)
    meeting = factories.meeting(w["board"], w["meeting"].held_on.replace(year=2026))
    session.commit()
    client_request.login(w["people"][Role.ADMIN])
    for kind, message in (
        ("forward_plan", "Publish the forward plan on the meeting's page first."),
        ("report", "Only a report marked final can be made public."),
    ):
        client_request.post(
            "publishing.decide",
            board_slug=w["board"].slug,
            thing=kind,
            thing_id=meeting.id,
            verb="publish",
            _expected_status=302,
        )
        page = client_request.get("publishing.meetings", board_slug=w["board"].slug)
        assert message in text(page)
    client_request.logout()
    page = client_request.get("public.meeting", board_slug=w["board"].slug, meeting_id=meeting.id)
    assert "The forward plan has not been published." in text(page)
    assert "Report to the Health and Wellbeing Board" not in text(page)


def test_the_final_report_is_public_in_every_format_without_the_chairs_name(
    client_request, session
):
    w = published_board(session)
    slug, meeting_id = w["board"].slug, w["meeting"].id
    page = client_request.get("public.meeting", board_slug=slug, meeting_id=meeting_id)
    assert "Update on the Youth Strategy" in text(page)
    for file_format in ("html", "docx"):
        response = _get(
            client_request, "public.report", board_slug=slug, meeting_id=meeting_id,
            file_format=file_format,
        )  # fmt: skip
        assert response.status_code == 200 and response.headers["ETag"]
    html = _get(client_request, "public.report", board_slug=slug, meeting_id=meeting_id,
                file_format="html").get_data(as_text=True)  # fmt: skip
    assert "Secret chair name" not in html
    approvals.agree_to_be_named(session, w["people"][Role.CHAIR], True, clock.now())
    session.commit()
    html = _get(client_request, "public.report", board_slug=slug, meeting_id=meeting_id,
                file_format="html").get_data(as_text=True)  # fmt: skip
    assert "Secret chair name" in html


def test_a_person_is_named_only_once_they_agree(client_request, session):
    w = published_board(session)
    lead = w["people"][Role.LEAD]
    slug = w["board"].slug
    page = client_request.get("public.action", board_slug=slug, action_id=w["action"].id)
    assert lead.name not in text(page) and "Lead officer" in text(page)
    client_request.login(lead)
    page = client_request.post(
        "public_name.edit", _data={"agreed": "y"}, _expected_redirect="/account/public-name"
    )
    client_request.logout()
    page = client_request.get("public.action", board_slug=slug, action_id=w["action"].id)
    assert lead.name in text(page) and lead.email not in page.decode()
    client_request.login(lead)
    client_request.post("public_name.edit", _data={}, _expected_redirect="/account/public-name")
    client_request.logout()
    page = client_request.get("public.action", board_slug=slug, action_id=w["action"].id)
    assert lead.name not in text(page)


def test_every_public_answer_is_revalidated_and_304_while_unchanged(client_request, session):
    w = published_board(session)
    url = client_request.url("public.plan", board_slug=w["board"].slug, plan_id=w["plan"].id)
    first = client_request.client.get(url)
    assert first.headers["Cache-Control"] == CACHE_CONTROL
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    again = client_request.client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    assert (
        client_request.client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    )
    # A withdrawal changes the version: the next request gets the page again.
    decision = session.scalars(select(PublishedUpdate)).first()
    approvals.withdraw(decision, clock.now())
    session.commit()
    changed = client_request.client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_open_data_states_its_licence_and_its_cells_cannot_run(client_request, session):
    w = published_board(session)
    slug = w["board"].slug
    w["action"].text = '=HYPERLINK("http://evil")'
    session.commit()
    page = client_request.get("public.open_data", board_slug=slug)
    assert "Open Government Licence v3.0" in text(page)
    body = _get(client_request, "public.download", board_slug=slug, dataset="actions",
                file_format="csv").get_data(as_text=True)  # fmt: skip
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][-1] == "Licence" and rows[1][-1].startswith("Open Government Licence v3.0")
    assert rows[1][3] == for_csv(w["action"].text) and rows[1][3].startswith("'")
    document = json.loads(
        _get(
            client_request,
            "public.download",
            board_slug=slug,
            dataset="updates",
            file_format="json",
        ).get_data()  # fmt: skip
    )
    assert document["licence"]["name"] == "Open Government Licence v3.0"
    assert {u["text"] for u in document["updates"]} == {APPROVED, SUMMARY}
    feed = ElementTree.fromstring(  # noqa: S314  (our own feed)
        _get(client_request, "public.feed", board_slug=slug).get_data()
    )
    atom = "{http://www.w3.org/2005/Atom}"
    assert feed.find(f"{atom}rights").text.startswith("Open Government Licence v3.0")
    assert len(feed.findall(f"{atom}entry")) == 2


def test_the_admin_pages_list_and_decide(client_request, session):
    w = published_board(session)
    client_request.login(w["people"][Role.ADMIN])
    slug = w["board"].slug
    page = client_request.get("publishing.updates", board_slug=slug)
    assert h1(page) == "Progress updates" and len(page.select(".govuk-summary-card")) == 3
    page = client_request.get("publishing.indicators", board_slug=slug)
    assert "Hidden" in text(page)
    page = client_request.get("publishing.meetings", board_slug=slug)
    assert "Withdraw" in text(page)
    assert session.scalars(select(PublicPages)).one().enabled


def test_api_tokens_are_shown_once_stored_hashed_and_revocable(client_request, session):
    w = published_board(session)
    client_request.login(w["people"][Role.ADMIN])
    slug = w["board"].slug
    page = client_request.post(
        "publishing.api_tokens", board_slug=slug, _data={"name": "Excel", "lifetime": "30"}
    )
    secret = text(page.select_one("#new-token"))
    assert secret.startswith("tt_")
    page = client_request.get("publishing.api_tokens", board_slug=slug)
    assert page.select_one("#new-token") is None and secret not in page.decode()
    stored = session.scalars(select(ApiToken).where(ApiToken.name == "Excel")).one()
    assert stored.token_hash != secret and secret not in json.dumps(
        [e.changes for e in session.scalars(select(AuditEvent))]
    )
    page = client_request.post(
        "publishing.api_tokens", board_slug=slug, _data={"name": "", "lifetime": "7"}
    )
    assert error_summary(page) == ["Enter a name for the token", "Choose when the token expires"]
    url = client_request.url("api.board", board_slug=slug)
    client_request.logout()
    assert (
        client_request.client.get(url, headers={"Authorization": f"Bearer {secret}"}).status_code
        == 200
    )
    client_request.login(w["people"][Role.ADMIN])
    client_request.post(
        "publishing.revoke_token", board_slug=slug, token_id=stored.id, _expected_status=302
    )
    client_request.logout()
    assert (
        client_request.client.get(url, headers={"Authorization": f"Bearer {secret}"}).status_code
        == 401
    )


def test_a_sign_in_elsewhere_leaves_the_public_version_and_a_named_person_changes_it(
    client_request, session
):
    w = published_board(session)
    url = client_request.url("public.action", board_slug=w["board"].slug, action_id=w["action"].id)
    etag = client_request.client.get(url).headers["ETag"]
    unnamed = w["people"][Role.MEMBER]
    unnamed.last_signed_in_at = clock.now()
    session.commit()
    assert client_request.client.get(url, headers={"If-None-Match": etag}).status_code == 304
    lead = w["people"][Role.LEAD]
    approvals.agree_to_be_named(session, lead, True, clock.now())
    session.commit()
    named = client_request.client.get(url, headers={"If-None-Match": etag})
    assert named.status_code == 200 and lead.name in named.get_data(as_text=True)
    lead.name = "Renamed Lead"
    session.commit()
    renamed = client_request.client.get(url, headers={"If-None-Match": named.headers["ETag"]})
    assert renamed.status_code == 200 and "Renamed Lead" in renamed.get_data(as_text=True)


def test_the_list_of_public_boards_names_only_those_with_public_pages_on(client_request, session):
    shown = published_board(session, "Shown Trust Board")
    off = published_board(session, "Switched Off Board")
    approvals.public_pages(session, off["board"]).enabled = False
    archived = published_board(session, "Archived Board")
    archived["board"].archived_at = clock.now()
    never = factories.board("Never Public Board")
    session.commit()
    page = client_request.get("public.index")
    listed = [(a.text, a["href"]) for a in page.select("#boards a")]
    home = client_request.url("public.home", board_slug=shown["board"].slug)
    assert listed == [("Shown Trust Board", home)]
    for hidden in (off["board"], archived["board"], never):
        assert hidden.name not in page.text and hidden.slug not in page.text
    response = _get(client_request, "public.index")
    assert response.headers["Cache-Control"] == CACHE_CONTROL
    etag = {"If-None-Match": response.headers["ETag"]}
    assert (
        client_request.client.get(client_request.url("public.index"), headers=etag).status_code
        == 304
    )


def test_the_public_plan_filters_as_the_api_on_what_is_published(client_request, session):
    w = published_board(session)
    slug, plan_id = w["board"].slug, w["plan"].id
    other_area = factories.area(w["plan"], "Be Happy and Healthy")
    agreed = factories.person(w["board"], Role.LEAD, name="Named Lead")
    approvals.agree_to_be_named(session, agreed, True, clock.now())
    factories.action(other_area, text="Launch the CAMHS guide", leads=[agreed])
    session.commit()

    def shown(**args):
        page = client_request.get("public.plan", board_slug=slug, plan_id=plan_id, **args)
        return page, [a.text for a in page.select("tbody a")]

    page, actions = shown()
    assert actions == ["Embed the domestic abuse pathway", "Launch the CAMHS guide"]
    # Leads offered as the public read them: the team and the named lead, nobody by role.
    leads = [o.text for o in page.select("#lead option")]
    assert leads == ["Any", "Named Lead", "SEND (OCC)"]
    assert "Secret lead name" not in page.text
    assert [o.text for o in page.select("#rag option")] == ["Any", "Red", "Amber", "Green"]
    assert shown(area=str(other_area.id))[1] == ["Launch the CAMHS guide"]
    assert shown(lead=f"person-{agreed.id}")[1] == ["Launch the CAMHS guide"]
    # Status and RAG as published: On track and Green, not the unapproved Off track and Red.
    assert shown(status="on_track", rag="green")[1] == ["Embed the domestic abuse pathway"]
    page, actions = shown(status="off_track")
    assert actions == [] and "No actions match the filters." in text(page)
    assert shown(rag="red")[1] == []
    # A value not among the choices says so and filters nothing, as the plan page does.
    page, actions = shown(rag="blue")
    assert len(actions) == 2
    assert "Choose one of the options for RAG rating" in error_summary(page)
