"""The read API: its OpenAPI document is valid and every path's real answers match it;
anonymous callers read the public data, a token its board's internal data; tokens expire,
are rate-limited and logged by name."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from tests import factories
from tests.public_world import APPROVED, SUMMARY, UNAPPROVED, published_board
from tracker import clock
from tracker.api import tokens
from tracker.api.openapi import document
from tracker.models import ActionStatus, Role


def test_the_openapi_document_is_valid(client):
    served = client.get("/api/v1/openapi.json").get_json()
    assert served == document()
    validate(served)


def _schema_of(path: str) -> Draft202012Validator:
    spec = document()
    schema = spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
    # The document is the registry the schemas' $refs ("#/components/…") resolve in.
    registry = Registry().with_resource("urn:api", DRAFT202012.create_resource(spec))
    ref = schema["schema"]["$ref"].replace("#", "urn:api#")
    return Draft202012Validator({"$ref": ref}, registry=registry)


def _paths(w) -> dict[str, str]:
    slug, plan = w["board"].slug, w["plan"].id
    return {
        "/boards": "/api/v1/boards",
        "/boards/{board_slug}": f"/api/v1/boards/{slug}",
        "/boards/{board_slug}/plans": f"/api/v1/boards/{slug}/plans",
        "/boards/{board_slug}/plans/{plan_id}/areas": f"/api/v1/boards/{slug}/plans/{plan}/areas",
        "/boards/{board_slug}/plans/{plan_id}/actions": (
            f"/api/v1/boards/{slug}/plans/{plan}/actions"
        ),
        "/boards/{board_slug}/actions/{action_id}": (
            f"/api/v1/boards/{slug}/actions/{w['action'].id}"
        ),
        "/boards/{board_slug}/indicators": f"/api/v1/boards/{slug}/indicators",
        "/boards/{board_slug}/meetings": f"/api/v1/boards/{slug}/meetings",
    }


def test_every_path_is_described_and_its_answers_match_the_document(client, session):
    w = published_board(session)
    paths = _paths(w)
    assert set(paths) == set(document()["paths"])
    for header in ({}, {"Authorization": f"Bearer {w['secret']}"}):
        for described, url in paths.items():
            response = client.get(url, headers=header)
            assert response.status_code == 200, (url, response.get_json())
            errors = list(_schema_of(described).iter_errors(response.get_json()))
            assert not errors, (url, [e.message for e in errors])
    error = client.get(f"/api/v1/boards/{w['board'].slug}/plans?per_page=0").get_json()
    assert error == {
        "error": {"status": 400, "message": "per_page must be a whole number from 1 to 100"}
    }


def test_anonymous_callers_read_the_public_data_and_a_token_reads_what_a_member_sees(
    client, session
):
    w = published_board(session)
    url = f"/api/v1/boards/{w['board'].slug}/actions/{w['action'].id}"
    public = client.get(url).get_json()
    assert {u["text"] for u in public["updates"]} == {APPROVED, SUMMARY}
    assert public["leads"] == ["SEND (OCC)", "Lead officer"]
    internal = client.get(url, headers={"Authorization": f"Bearer {w['secret']}"}).get_json()
    assert UNAPPROVED in {u["text"] for u in internal["updates"]}
    assert internal["leads"] == ["SEND (OCC)", w["people"][Role.LEAD].name]
    indicators = f"/api/v1/boards/{w['board'].slug}/indicators"
    assert [i["number"] for i in client.get(indicators).get_json()["data"]] == ["2.5"]
    with_token = client.get(indicators, headers={"Authorization": f"Bearer {w['secret']}"})
    assert [i["number"] for i in with_token.get_json()["data"]] == ["2.5", "9.9"]


def test_filters_and_pages_as_the_plan_page(client, session):
    w = published_board(session)
    for n in range(30):
        factories.action(w["area"], text=f"Action {n}", plan_year=2026)
    session.commit()
    base = f"/api/v1/boards/{w['board'].slug}/plans/{w['plan'].id}/actions"
    first = client.get(f"{base}?per_page=20").get_json()
    assert (first["total"], len(first["data"]), first["previous"]) == (31, 20, None)
    second = client.get(first["next"]).get_json()
    assert len(second["data"]) == 11 and second["next"] is None
    assert client.get(f"{base}?year=2026").get_json()["total"] == 30
    # The public's status filter reads the published status: on track, not the off track
    # of the unapproved update.
    assert client.get(f"{base}?status=on_track").get_json()["total"] == 1
    assert client.get(f"{base}?status=off_track").get_json()["total"] == 0
    token = {"Authorization": f"Bearer {w['secret']}"}
    assert client.get(f"{base}?status=off_track", headers=token).get_json()["total"] == 1
    bad = client.get(f"{base}?status=lost")
    assert bad.status_code == 400 and "status" in bad.get_json()["error"]["message"]
    # RAG likewise: Green as published, not the Red of the unapproved update.
    assert client.get(f"{base}?rag=green").get_json()["total"] == 1
    assert client.get(f"{base}?rag=red").get_json()["total"] == 0
    assert client.get(f"{base}?rag=red", headers=token).get_json()["total"] == 1
    assert client.get(f"{base}?rag=blue").status_code == 400
    assert ActionStatus.OFF_TRACK.value == "off_track"


def test_a_token_opens_only_its_own_board_and_not_once_expired(client, session):
    w = published_board(session)
    other = published_board(session)
    header = {"Authorization": f"Bearer {w['secret']}"}
    assert client.get(f"/api/v1/boards/{other['board'].slug}", headers=header).status_code == 404
    assert [b["slug"] for b in client.get("/api/v1/boards", headers=header).get_json()["data"]] == [
        w["board"].slug
    ]
    w["token"].expires_at = clock.now() - timedelta(seconds=1)
    session.commit()
    response = client.get(f"/api/v1/boards/{w['board'].slug}", headers=header)
    assert response.status_code == 401
    assert (
        client.get(
            f"/api/v1/boards/{w['board'].slug}", headers={"Authorization": "Basic x"}
        ).status_code
        == 401
    )


def test_a_token_is_rate_limited_and_every_call_is_logged_by_its_name(client, session, caplog):
    w = published_board(session)
    header = {"Authorization": f"Bearer {w['secret']}"}
    url = f"/api/v1/boards/{w['board'].slug}"
    with caplog.at_level(logging.INFO, logger="tracker.api"):
        statuses = [
            client.get(url, headers=header).status_code for _ in range(tokens.CALLS_PER_MINUTE + 1)
        ]
    assert statuses[:-1] == [200] * tokens.CALLS_PER_MINUTE
    assert statuses[-1] == 429
    lines = [r.getMessage() for r in caplog.records if r.name == "tracker.api"]
    assert len(lines) == tokens.CALLS_PER_MINUTE + 1
    assert all("'Public Health Power BI'" in line for line in lines)
    assert not any(w["secret"] in line for line in lines)


def test_anonymous_answers_are_cached_and_token_answers_are_not(client, session):
    w = published_board(session)
    url = f"/api/v1/boards/{w['board'].slug}/meetings"
    first = client.get(url)
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    with_token = client.get(url, headers={"Authorization": f"Bearer {w['secret']}"})
    assert with_token.headers["Cache-Control"] == "no-store" and "ETag" not in with_token.headers
    for url in ("/api/v1/boards", "/api/v1/openapi.json"):
        etag = client.get(url).headers["ETag"]
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304


@pytest.mark.parametrize("secret", ["", "tt_", "tt_" + "x" * 500])
def test_a_malformed_token_is_refused_not_a_500(client, session, secret):
    w = published_board(session)
    response = client.get(
        f"/api/v1/boards/{w['board'].slug}", headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.status_code == 401
