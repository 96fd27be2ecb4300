"""The OpenAPI 3 document, generated from the same pydantic schemas the engine validates with."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from pydantic import BaseModel

from .event_types import EVENT_DATA, Event
from .export.formats import FORMATS
from .ops import REGISTRY
from .services import JoinRequest, MapCreate, MeUpdate, WorkshopCreate

REF = "#/components/schemas/{model}"


def _add(schemas: dict[str, Any], name: str, schema: dict[str, Any]) -> None:
    """One name, one schema: two models of the same name (an op's and an event's) must not overwrite."""
    if schemas.get(name, schema) != schema:
        raise RuntimeError(f"two different schemas named {name} in the OpenAPI document")
    schemas[name] = schema


def _component(schemas: dict[str, Any], model: type[BaseModel], name: str | None = None) -> dict[str, str]:
    schema = model.model_json_schema(ref_template=REF)
    for sub_name, sub in schema.pop("$defs", {}).items():
        _add(schemas, sub_name, sub)
    name = name or model.__name__
    schemas[name] = schema
    return {"$ref": REF.format(model=name)}


def _op_component(schemas: dict[str, Any], type_: str, model: type[BaseModel]) -> dict[str, str]:
    fields = model.model_json_schema(ref_template=REF)
    for sub_name, sub in fields.pop("$defs", {}).items():
        _add(schemas, sub_name, sub)
    fields.setdefault("properties", {})
    fields["properties"] = {
        "op_id": {"type": "string", "format": "uuid", "description": "client-made; makes the op idempotent"},
        "type": {"type": "string", "const": type_},
        **fields["properties"],
    }
    fields["required"] = ["op_id", "type", *fields.get("required", [])]
    fields["title"] = type_
    # The shape of this op's `data` in its ack and its event (workshop/event_types.py).
    fields["x-event-data"] = _component(schemas, EVENT_DATA[type_], "data_" + EVENT_DATA[type_].__name__)
    name = "op_" + type_.replace(".", "_")
    schemas[name] = fields
    return {"$ref": REF.format(model=name)}


def _json(schema: dict[str, Any], description: str = "") -> dict[str, Any]:
    return {"description": description or "OK", "content": {"application/json": {"schema": schema}}}


def _file(mimetype: str) -> dict[str, Any]:
    return {
        "description": "a file (Content-Disposition: attachment)",
        "content": {mimetype: {"schema": {"type": "string", "format": "binary"}}},
    }


def _error_responses(*codes: int) -> dict[str, Any]:
    return {str(c): {"$ref": "#/components/responses/Error"} for c in codes}


@lru_cache(maxsize=1)
def openapi_document() -> dict[str, Any]:
    schemas: dict[str, Any] = {}
    op_refs = [_op_component(schemas, t, spec.schema) for t, spec in sorted(REGISTRY.items())]
    schemas["Op"] = {"oneOf": op_refs, "discriminator": {"propertyName": "type"}}
    schemas["Error"] = {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "field": {"type": "string"}},
            }
        },
    }
    data_refs = [
        {"$ref": REF.format(model="data_" + m.__name__)}
        for m in sorted(set(EVENT_DATA.values()), key=lambda m: m.__name__)
    ]
    schemas["Ack"] = {
        "type": "object",
        "required": ["ok"],
        "properties": {
            "ok": {"type": "boolean"},
            "seq": {"type": "integer"},
            "data": {"anyOf": data_refs, "description": "its op type's x-event-data"},
            "duplicate": {"type": "boolean"},
        },
    }
    _component(schemas, Event)
    schemas["Event"]["properties"]["data"] = {"anyOf": data_refs, "description": "its op type's x-event-data"}
    obj = {"type": "object"}
    bearer = [{"bearer": []}]
    wid = {"name": "wid", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}
    mid = {"name": "mid", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}
    paths = {
        "/api/workshops": {
            "post": {
                "summary": "Create a workshop and its first map; answers the facilitator token",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _component(schemas, WorkshopCreate)}},
                },
                "responses": {
                    "201": _json(obj, "the workshop, its map, the facilitator token and links"),
                    **_error_responses(400, 413, 429),
                },
            }
        },
        "/api/join": {
            "post": {
                "summary": "Join a workshop with its code, as participant or observer",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _component(schemas, JoinRequest)}},
                },
                "responses": {
                    "201": _json(obj, "{participant, token, workshop_id, map_ids}"),
                    **_error_responses(400, 404, 413, 429),
                },
            }
        },
        "/api/me": {
            "get": {
                "summary": "Who this token is: participant, workshop, maps, join link",
                "security": bearer,
                "responses": {"200": _json(obj), **_error_responses(401)},
            },
            "patch": {
                "summary": "The facilitator chooses the side its emotion ratings count on (null: none)",
                "security": bearer,
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _component(schemas, MeUpdate)}},
                },
                "responses": {"200": _json(obj, "{participant}"), **_error_responses(400, 401, 403, 413)},
            },
        },
        "/api/workshops/{wid}": {
            "get": {
                "summary": "The workshop, its maps and participants",
                "parameters": [wid],
                "security": bearer,
                "responses": {"200": _json(obj), **_error_responses(401, 404)},
            }
        },
        "/api/workshops/{wid}/maps": {
            "post": {
                "summary": "Add a map (facilitator)",
                "parameters": [wid],
                "security": bearer,
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _component(schemas, MapCreate)}},
                },
                "responses": {"201": _json(obj, "{map}"), **_error_responses(400, 401, 403, 404, 413)},
            }
        },
        "/api/maps/{mid}": {
            "get": {
                "summary": "The map's snapshot as this token may see it",
                "parameters": [mid],
                "security": bearer,
                "responses": {"200": _json(obj, "snapshot"), **_error_responses(401, 404)},
            }
        },
        "/api/maps/{mid}/ops": {
            "post": {
                "summary": "Apply one op; the event is broadcast to the map's room",
                "parameters": [mid],
                "security": bearer,
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": REF.format(model="Op")}}},
                },
                "responses": {
                    "200": _json({"$ref": REF.format(model="Ack")}),
                    **_error_responses(400, 401, 403, 404, 409, 413, 429),
                },
            }
        },
        "/api/maps/{mid}/events": {
            "get": {
                "summary": "Events after seq `since`, or a snapshot when `since` is too old",
                "parameters": [mid, {"name": "since", "in": "query", "schema": {"type": "integer", "default": 0}}],
                "security": bearer,
                "responses": {"200": _json(obj, "{events} or {snapshot}"), **_error_responses(400, 401, 404)},
            }
        },
        # Exports: built from workshop/export/formats.py below; the import (workshop/export/routes.py):
        "/api/workshops/import": {
            "post": {
                "summary": "A new workshop from a workshop.json document (new ids, new facilitator token)",
                "description": "Needs a facilitator's token of any workshop on this server; at most 8 MB "
                "(see docs/api.md, Exports and import).",
                "parameters": [
                    {
                        "name": "lang",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "string", "enum": ["fr", "en"]},
                    }
                ],
                "security": bearer,
                "requestBody": {"required": True, "content": {"application/json": {"schema": obj}}},
                "responses": {
                    "201": _json(obj, "like POST /api/workshops, plus `imported`"),
                    **_error_responses(400, 401, 403, 413, 429),
                },
            }
        },
        # Who runs the room (workshop/facilitators.py): facilitators only; tokens are not map state.
        "/api/workshops/{wid}/facilitators": {
            "post": {
                "summary": "Make a participant a co-facilitator",
                "parameters": [wid],
                "security": bearer,
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["participant_id"],
                                "properties": {"participant_id": {"type": "string"}},
                            }
                        }
                    },
                },
                "responses": {"200": _json(obj, "{participant}"), **_error_responses(400, 401, 403, 404, 413)},
            }
        },
        "/api/workshops/{wid}/facilitators/{pid}": {
            "delete": {
                "summary": "A co-facilitator becomes a participant again (never the workshop's creator)",
                "parameters": [
                    wid,
                    {"name": "pid", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}},
                ],
                "security": bearer,
                "responses": {"200": _json(obj, "{participant}"), **_error_responses(401, 403, 404)},
            }
        },
        "/api/workshops/{wid}/facilitator-link": {
            "post": {
                "summary": "A new facilitator token for the caller; the old link stops working",
                "parameters": [wid],
                "security": bearer,
                "requestBody": {
                    "content": {
                        "application/json": {"schema": {"type": "object", "properties": {"map_id": {"type": "string"}}}}
                    }
                },
                "responses": {
                    "200": _json(obj, "{facilitator_token, facilitator_url, map_ids}"),
                    **_error_responses(400, 401, 403, 404, 413),
                },
            }
        },
        "/api/workshops/{wid}/join-code": {
            "post": {
                "summary": "A new join code; the old code and join link stop working",
                "parameters": [wid],
                "security": bearer,
                "responses": {"200": _json(obj, "{join_code, join_url}"), **_error_responses(401, 403, 404)},
            }
        },
        "/api/openapi.json": {"get": {"summary": "This document", "responses": {"200": _json(obj)}}},
        "/healthz": {"get": {"summary": "Liveness", "responses": {"200": _json(obj, "{ok: true}")}}},
    }
    lang = {
        "name": "lang",
        "in": "query",
        "required": False,
        "schema": {"type": "string", "enum": ["fr", "en"]},
        "description": "the export's language (default: the workshop's)",
    }
    for fmt in FORMATS:  # any member of the workshop may export; PDFs may answer 429 (a bounded gate)
        ok = _json(obj, "a workshop.json document") if fmt.ext == "json" else _file(fmt.content_type.split(";")[0])
        paths[fmt.openapi_path] = {
            "get": {
                "summary": fmt.summary,
                "parameters": [wid if fmt.scope == "workshop" else mid, lang],
                "security": bearer,
                "responses": {"200": ok, **_error_responses(401, 404, *((429,) if fmt.pdf else ()))},
            }
        }
    from .listening.openapi import paths as listening_paths  # Mirror listening (CONTRACT.md §7)

    paths.update(listening_paths(schemas, _component, _json, _file, _error_responses))
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Parcours",
            "version": "1.0.0",
            "description": "Real-time customer-journey workshop board. Socket.IO carries the same ops.",
        },
        "paths": paths,
        "components": {
            "schemas": schemas,
            "responses": {"Error": _json({"$ref": REF.format(model="Error")}, "an error")},
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
