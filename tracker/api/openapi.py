"""The read API's OpenAPI 3.1 description, served at /api/v1/openapi.json.

tests/test_api.py checks that the document is valid and that the real answers of every
path match the schemas here, so the two cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from tracker.models import ActionStatus, Direction, Frequency, IndicatorUnit, Rag

TEXT = {"type": "string"}
ID = {"type": "integer"}
NULLABLE_TEXT = {"type": ["string", "null"]}
RAG = {"enum": [r.value for r in Rag]}


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _list_of(name: str) -> dict[str, Any]:
    return _object(
        {
            "data": {"type": "array", "items": _ref(name)},
            "page": ID,
            "per_page": ID,
            "total": ID,
            "next": NULLABLE_TEXT,
            "previous": NULLABLE_TEXT,
            "licence": _ref("Licence"),
        }
    )


UPDATE = _object(
    {
        "id": ID,
        "action_id": ID,
        "at": {"type": "string", "format": "date-time"},
        "text": TEXT,
        "status": {"enum": [s.value for s in ActionStatus]},
        "rag": {"oneOf": [RAG, {"type": "null"}]},
        "by": {"type": "string", "description": "A name, or a role when not agreed to be named"},
    }
)
ACTION_PROPERTIES = {
    "id": ID,
    "plan_id": ID,
    "area_id": ID,
    "area": TEXT,
    "plan_year": {"type": "integer", "description": "2021 is the plan year 2021/22"},
    "text": TEXT,
    "agencies": {"type": "array", "items": TEXT},
    "leads": {"type": "array", "items": TEXT},
    "reporting_months": {"type": "array", "items": {"type": "string", "pattern": r"^\d{4}-\d{2}$"}},
    "latest_update": {"oneOf": [_ref("Update"), {"type": "null"}]},
}
SCHEMAS = {
    "Licence": _object({"name": TEXT, "url": TEXT}),
    "Error": _object({"error": _object({"status": ID, "message": TEXT})}),
    "Board": _object({"slug": TEXT, "name": TEXT}),
    "BoardDetail": _object(
        {
            "slug": TEXT,
            "name": TEXT,
            "public": _object(
                {p: {"type": "boolean"} for p in ("plan", "indicators", "meetings", "reports")}
            ),
            "licence": _ref("Licence"),
        }
    ),
    "Boards": _object(
        {"data": {"type": "array", "items": _ref("Board")}, "licence": _ref("Licence")}
    ),
    "Plan": _object({"id": ID, "name": TEXT, "start_year": ID, "end_year": ID}),
    "Area": _object(
        {
            "id": ID,
            "plan_id": ID,
            "position": ID,
            "name": TEXT,
            "outcomes": {"type": "array", "items": _object({"number": ID, "text": TEXT})},
            "priorities": {"type": "array", "items": _object({"plan_year": ID, "text": TEXT})},
        }
    ),
    "Update": UPDATE,
    "Action": _object(ACTION_PROPERTIES),
    "ActionWithUpdates": _object(
        {**ACTION_PROPERTIES, "updates": {"type": "array", "items": _ref("Update")}}
    ),
    "Indicator": _object(
        {
            "id": ID,
            "number": TEXT,
            "title": TEXT,
            "area": NULLABLE_TEXT,
            "unit": {"enum": [u.value for u in IndicatorUnit]},
            "direction": {"enum": [d.value for d in Direction]},
            "target": {"type": "number"},
            "frequency": {"enum": [f.value for f in Frequency]},
            "readings": {
                "type": "array",
                "items": _object(
                    {
                        "period_start": {"type": "string", "format": "date"},
                        "period": TEXT,
                        "value": {"type": "number"},
                        "rag": RAG,
                    }
                ),
            },
        }
    ),
    "Meeting": _object(
        {
            "id": ID,
            "held_on": {"type": "string", "format": "date"},
            "focus_area": NULLABLE_TEXT,
            "forward_plan": {
                "oneOf": [{"type": "array", "items": TEXT}, {"type": "null"}],
                "description": "The published forward plan's items; null until published",
            },
            "report_is_public": {"type": "boolean"},
        }
    ),
    "Plans": _list_of("Plan"),
    "Areas": _list_of("Area"),
    "Actions": _list_of("Action"),
    "Indicators": _list_of("Indicator"),
    "Meetings": _list_of("Meeting"),
}


def _parameter(name: str, where: str, schema: dict, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": where,
        "required": where == "path",
        "schema": schema,
        "description": description,
    }


BOARD = _parameter("board_slug", "path", TEXT, "The board's name in web addresses")
PLAN = _parameter("plan_id", "path", ID, "The plan's id")
PAGES = [
    _parameter("page", "query", {"type": "integer", "minimum": 1}, "Page number, from 1"),
    _parameter(
        "per_page", "query", {"type": "integer", "minimum": 1, "maximum": 100}, "Rows a page (25)"
    ),
]
FILTERS = [
    _parameter(
        "year", "query", {"type": "string", "pattern": r"^\d{4}$"}, "Plan year: 2021 for 2021/22"
    ),
    _parameter("area", "query", {"type": "string", "pattern": r"^\d+$"}, "Area of focus id"),
    _parameter(
        "lead",
        "query",
        {"type": "string", "pattern": r"^(person|team)-\d+$"},
        "A lead: person-3, team-7",
    ),
    _parameter(
        "month", "query", {"type": "string", "pattern": r"^\d{4}-\d{2}$"}, "Reporting month"
    ),
    _parameter("status", "query", {"enum": [s.value for s in ActionStatus]}, "Status"),
    _parameter("rag", "query", RAG, "RAG rating"),
]


ERRORS = {
    "400": "A parameter is not valid",
    "401": "The token is not valid",
    "404": "Not found, or not public",
    "429": "Too many calls with the token",
}


def _get(summary: str, schema: str, parameters: list) -> dict[str, Any]:
    ok: dict[str, Any] = {
        "description": summary,
        "content": {"application/json": {"schema": _ref(schema)}},
    }
    responses: dict[str, Any] = {"200": ok}
    # Anonymous answers only: a token's are never cached.
    responses["304"] = {"description": "Unchanged since the ETag or date asked about"}
    for code, why in ERRORS.items():
        responses[code] = {
            "description": why,
            "content": {"application/json": {"schema": _ref("Error")}},
        }
    return {"get": {"summary": summary, "parameters": parameters, "responses": responses}}


def document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Trust Tracker read API",
            "version": "1",
            "description": (
                "A board's plan, progress, performance indicators and meetings. Without a "
                "token: only what the board has published. With a board's token (Authorization: "
                "Bearer …): that board's data as a member sees it. Data under the Open "
                "Government Licence v3.0."
            ),
            "license": {
                "name": "Open Government Licence v3.0",
                "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
            },
        },
        "servers": [{"url": "/api/v1"}],
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{}, {"token": []}],
        "paths": {
            "/boards": _get("Boards with public data (or the token's board)", "Boards", []),
            "/boards/{board_slug}": _get(
                "A board and what of it is public", "BoardDetail", [BOARD]
            ),
            "/boards/{board_slug}/plans": _get("The board's plans", "Plans", [BOARD, *PAGES]),
            "/boards/{board_slug}/plans/{plan_id}/areas": _get(
                "A plan's areas of focus", "Areas", [BOARD, PLAN, *PAGES]
            ),
            "/boards/{board_slug}/plans/{plan_id}/actions": _get(
                "A plan's actions with their latest update, filtered as the plan page filters",
                "Actions",
                [BOARD, PLAN, *FILTERS, *PAGES],
            ),
            "/boards/{board_slug}/actions/{action_id}": _get(
                "An action with its updates",
                "ActionWithUpdates",
                [BOARD, _parameter("action_id", "path", ID, "The action's id")],
            ),
            "/boards/{board_slug}/indicators": _get(
                "The performance indicators with their readings", "Indicators", [BOARD, *PAGES]
            ),
            "/boards/{board_slug}/meetings": _get(
                "Meetings with their forward plans", "Meetings", [BOARD, *PAGES]
            ),
        },
    }
