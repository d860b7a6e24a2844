"""/api/v1/…: thin views over tracker.publishing.data and the modules beside it for each kind of
thing, answered as JSON.

Without a token a caller reads the public data of boards with public pages on, cached like
the public pages. With ``Authorization: Bearer <token>`` it reads the token's board as a
member does (and no other board), uncached; each such call is counted against the token's
rate limit and logged with the token's name, never the token.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, abort, g, jsonify, make_response, request, url_for
from sqlalchemy.exc import NoResultFound
from werkzeug.exceptions import HTTPException

from tracker import clock
from tracker.api import tokens
from tracker.api.openapi import document
from tracker.extensions import csrf, db
from tracker.models import ActionStatus, Board, Rag
from tracker.pagination import Page
from tracker.publishing import cache, data, indicator_data, meeting_data, plan_data, serialise

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
log = logging.getLogger("tracker.api")

PER_PAGE, MOST_PER_PAGE = 25, 100
FILTERS = {
    "year": re.compile(r"\d{4}"),
    "area": re.compile(r"\d{1,9}"),
    "lead": re.compile(r"(person|team)-\d{1,9}"),
    "month": re.compile(r"\d{4}-(0[1-9]|1[0-2])"),
    "status": re.compile("|".join(s.value for s in ActionStatus)),
    "rag": re.compile("|".join(r.value for r in Rag)),
}


class ApiError(HTTPException):
    def __init__(self, code: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.extra = code, message, headers or {}


@bp.errorhandler(HTTPException)
def _json_error(error: HTTPException):
    message = getattr(error, "message", None) or error.description
    response = jsonify({"error": {"status": error.code, "message": message}})
    response.headers.update(getattr(error, "extra", {}))
    return response, error.code


@bp.errorhandler(NoResultFound)
def _not_found(error: NoResultFound):
    return _json_error(ApiError(404, "Not found"))


@bp.before_request
def _identify_caller() -> None:
    g.api_token = None
    header = request.headers.get("Authorization")
    if header is None:
        return
    scheme, _, secret = header.partition(" ")
    now = clock.now()
    token = tokens.find(db.session, secret.strip(), now) if scheme == "Bearer" else None
    if token is None:
        raise ApiError(401, "The token is not known, has expired or was revoked")
    allowed = tokens.allow_call(db.session, token, now)
    db.session.commit()
    log.info("API call with token %r: %s %s", token.name, request.method, request.path)
    if not allowed:
        raise ApiError(429, "Too many calls with this token: wait a minute", {"Retry-After": "60"})
    g.api_token = token


def _audience(board_slug: str) -> data.Audience:
    token = g.api_token
    if token is not None:
        board = db.session.get(Board, token.board_id)
        if board.slug != board_slug or board.is_archived:
            raise ApiError(404, "This token reads only its own board")
        return data.Audience(board, internal=True)
    board = data.public_board(db.session, board_slug)
    if board is None:
        raise ApiError(404, "No board with public data has this name")
    return data.Audience(board)


def _answer(audience: data.Audience | None, build) -> Response:
    """``build()``'s JSON; for anonymous callers cached and answered 304 when unchanged (by
    the board's version, or without a board the whole site's)."""
    if g.api_token is not None:
        return jsonify(build())
    now = clock.now()
    if audience is None:
        version = cache.site_version(db.session, now)
    else:
        version = cache.board_version(db.session, audience.board, now)
    if (unchanged := cache.not_modified(version)) is not None:
        return unchanged
    return cache.stamped(make_response(jsonify(build())), version)


def _paged(rows_total: int) -> Page:
    asked = request.args.get("per_page", str(PER_PAGE))
    if not asked.isdigit() or not 1 <= int(asked) <= MOST_PER_PAGE:
        raise ApiError(400, f"per_page must be a whole number from 1 to {MOST_PER_PAGE}")
    page = request.args.get("page", "1")
    if not page.isdigit() or int(page) < 1:
        raise ApiError(400, "page must be a whole number from 1")
    return Page(number=int(page), size=int(asked), total=rows_total)


def _listing(page: Page, rows: list[dict[str, Any]]) -> dict[str, Any]:
    def link(number: int) -> str | None:
        if not 1 <= number <= page.pages or number == page.number:
            return None
        args = {**request.args.to_dict(), "page": number}
        return url_for(request.endpoint, **(request.view_args or {}), **args)

    return {
        "data": rows,
        "page": page.number,
        "per_page": page.size,
        "total": page.total,
        "next": link(page.number + 1),
        "previous": link(page.number - 1),
        "licence": serialise.licence(),
    }


def _chosen_filters() -> dict[str, str]:
    chosen = {}
    for name, pattern in FILTERS.items():
        value = request.args.get(name)
        if value is None:
            continue
        if not pattern.fullmatch(value):
            raise ApiError(400, f"The filter {name}={value[:50]!r} is not one the plan offers")
        chosen[name] = value
    return chosen


@bp.get("/openapi.json")
def openapi():
    return _answer(None, document)


@bp.get("/boards")
def boards():
    if g.api_token is not None:
        found = [db.session.get(Board, g.api_token.board_id)]
    else:
        found = data.public_boards(db.session)
    return _answer(
        None, lambda: {"data": [serialise.board(b) for b in found], "licence": serialise.licence()}
    )


@bp.get("/boards/<board_slug>")
def board(board_slug: str):
    audience = _audience(board_slug)
    return _answer(
        audience,
        lambda: {
            **serialise.board(audience.board),
            "public": {p: data.shows(db.session, audience, p) for p in data.PARTS},
            "licence": serialise.licence(),
        },
    )


def _list(audience: data.Audience, rows: Callable[[], list], shape: Callable) -> Response:
    """A page of ``rows()``, each as ``shape`` gives it."""

    def build() -> dict[str, Any]:
        found = rows()
        page = _paged(len(found))
        return _listing(page, [shape(r) for r in found[page.offset : page.offset + page.size]])

    return _answer(audience, build)


@bp.get("/boards/<board_slug>/plans")
def plans(board_slug: str):
    audience = _audience(board_slug)
    return _list(audience, lambda: plan_data.plans(db.session, audience), serialise.plan)


@bp.get("/boards/<board_slug>/plans/<int:plan_id>/areas")
def areas(board_slug: str, plan_id: int):
    audience = _audience(board_slug)
    plan = plan_data.plan(db.session, audience, plan_id) or abort(404)
    return _list(audience, lambda: plan_data.areas(db.session, plan), serialise.area)


@bp.get("/boards/<board_slug>/plans/<int:plan_id>/actions")
def actions(board_slug: str, plan_id: int):
    audience = _audience(board_slug)
    plan = plan_data.plan(db.session, audience, plan_id) or abort(404)
    chosen = _chosen_filters()

    def build() -> dict[str, Any]:
        page = _paged(plan_data.count_actions(db.session, audience, plan, chosen))
        query = (
            plan_data.actions_select(audience, plan, chosen).limit(page.size).offset(page.offset)
        )
        views = plan_data.action_views(db.session, audience, db.session.scalars(query).all())
        return _listing(page, [serialise.action(v) for v in views])

    return _answer(audience, build)


@bp.get("/boards/<board_slug>/actions/<int:action_id>")
def action(board_slug: str, action_id: int):
    audience = _audience(board_slug)
    found = plan_data.action(db.session, audience, action_id) or abort(404)

    def build() -> dict[str, Any]:
        view = plan_data.action_views(db.session, audience, [found])[0]
        return serialise.action(view, plan_data.history(db.session, audience, found))

    return _answer(audience, build)


@bp.get("/boards/<board_slug>/indicators")
def indicators(board_slug: str):
    audience = _audience(board_slug)
    return _list(
        audience, lambda: indicator_data.indicators(db.session, audience), serialise.indicator
    )


@bp.get("/boards/<board_slug>/meetings")
def meetings(board_slug: str):
    audience = _audience(board_slug)
    return _list(audience, lambda: meeting_data.meetings(db.session, audience), serialise.meeting)
