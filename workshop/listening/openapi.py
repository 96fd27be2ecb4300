"""The OpenAPI paths of Mirror listening (CONTRACT.md §7), from the same pydantic schemas the routes use.
`workshop/openapi.py` merges them into its document."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .schemas import ListeningCreate, ListeningUpdate, ResponseBody, VerbatimModeration


def paths(
    schemas: dict[str, Any],
    component: Callable[..., dict[str, str]],
    json_: Callable[..., dict[str, Any]],
    file_: Callable[[str], dict[str, Any]],
    errors: Callable[..., dict[str, Any]],
) -> dict[str, Any]:
    obj = {"type": "object"}
    bearer = [{"bearer": []}]

    def param(name: str) -> dict[str, Any]:
        # Ids are UUIDs; a listening's `code` is a secret like a join code.
        schema = {"type": "string"} if name == "code" else {"type": "string", "format": "uuid"}
        return {"name": name, "in": "path", "required": True, "schema": schema}

    def body(model: Any) -> dict[str, Any]:
        return {"required": True, "content": {"application/json": {"schema": component(schemas, model)}}}

    return {
        "/api/maps/{mid}/listenings": {
            "post": {
                "summary": "Create a Mirror listening on the map (facilitator): two secret links, one per silo",
                "parameters": [param("mid")],
                "security": bearer,
                "requestBody": body(ListeningCreate),
                "responses": {"201": json_(obj, "{listening}"), **errors(400, 401, 403, 404, 413)},
            },
            "get": {
                "summary": "The map's listenings (codes and links for the facilitator only)",
                "parameters": [param("mid")],
                "security": bearer,
                "responses": {"200": json_(obj, "{listenings}"), **errors(401, 404)},
            },
        },
        "/api/listenings/{lid}": {
            "get": {
                "summary": "A listening and its results per silo and per step (`?moderation=1`: the "
                "facilitator also gets the hidden verbatims)",
                "parameters": [param("lid")],
                "security": bearer,
                "responses": {"200": json_(obj, "{listening, results}"), **errors(401, 404)},
            },
            "patch": {
                "summary": "Rename, close or reopen a listening, or change the invited counts after creation "
                "(facilitator; `null` unsets a silo's count and its participation)",
                "parameters": [param("lid")],
                "security": bearer,
                "requestBody": body(ListeningUpdate),
                "responses": {"200": json_(obj, "{listening}"), **errors(400, 401, 403, 404, 413)},
            },
        },
        "/api/listenings/{lid}/verbatims/{vid}": {
            "patch": {
                "summary": "Hide a verbatim (moderation) or show it again (facilitator)",
                "parameters": [param("lid"), param("vid")],
                "security": bearer,
                "requestBody": body(VerbatimModeration),
                "responses": {"200": json_(obj, "{verbatim: {id, hidden}}"), **errors(400, 401, 403, 404, 413)},
            }
        },
        "/api/listenings/{lid}/export/responses.csv": {
            "get": {
                "summary": "One answer a row (silo, stage, step, score, important, verbatim, updated_at); "
                "no respondent id; formula-like text cells prefixed with '",
                "parameters": [param("lid")],
                "security": bearer,
                "responses": {"200": file_("text/csv"), **errors(401, 403, 404)},
            }
        },
        "/api/listen/{code}": {
            "get": {
                "summary": "The respondent's view of a listening: title, silo, status, locale, steps",
                "parameters": [param("code")],
                "responses": {"200": json_(obj, "{listening, steps}"), **errors(404)},
            }
        },
        "/api/listen/{code}/responses/{rid}": {
            "put": {
                "summary": "Create (201) or replace (200) the response of respondent key `rid` (a UUID kept "
                "on the device); idempotent. 429 with Retry-After for a runaway device, a flood "
                "on one link, or when the server's saves are full (send it again after the wait)",
                "parameters": [param("code"), param("rid")],
                "requestBody": body(ResponseBody),
                "responses": {
                    "200": json_(obj, "{response} replaced"),
                    "201": json_(obj, "{response} created"),
                    **errors(400, 404, 409, 413, 429),
                },
            },
            "get": {
                "summary": "The respondent's own saved response",
                "parameters": [param("code"), param("rid")],
                "responses": {"200": json_(obj, "{response}"), **errors(400, 404)},
            },
        },
        "/listen/{code}": {
            "get": {
                "summary": "The respondent's page (HTML, phone first)",
                "parameters": [param("code")],
                "responses": {"200": {"description": "text/html"}, "404": {"description": "unknown code"}},
            }
        },
    }
