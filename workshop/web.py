"""What every HTTP route needs, in one place: the app's state, the caller (its bearer token), the
public base URL, a JSON object body, and errors in the contract's shape (CONTRACT.md §3).

The REST API (api.py), the facilitators' routes, the exports, the listenings and the pages all use
these; `answer_errors(bp)` gives a blueprint the contract's error answers.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, request
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException

from .auth import actor_of, participant_for
from .errors import OpError, from_validation
from .ops.base import Actor
from .state import AppState
from .throttle import RateLimited


def state() -> AppState:
    return current_app.extensions["parcours"]


def socketio() -> Any:
    return current_app.extensions["socketio"]


def base_url() -> str:
    """Where join links and QR codes point: PARCOURS_PUBLIC_URL, else the request's host."""
    return state().settings.public_url or request.host_url.rstrip("/")


def json_object() -> Any:
    """The request's body, which must be a JSON object."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise OpError("invalid", "the body must be a JSON object")
    return body


def current_actor() -> Actor:
    """The participant whose bearer token came with the request (`unauthorized` otherwise)."""
    header = request.headers.get("Authorization", "")
    token = header[7:].strip() if header[:7].lower() == "bearer " else None
    with state().db.read() as s:
        p = participant_for(s, token)
        if p is None:
            raise OpError("unauthorized", "a valid bearer token is required")
        return actor_of(p)


def op_error(err: OpError) -> Any:
    response = jsonify(err.body())
    if isinstance(err, RateLimited):
        response.headers["Retry-After"] = str(err.retry_after)
    return response, err.status


def validation_error(exc: ValidationError) -> Any:
    return op_error(from_validation(exc))


def http_error(exc: HTTPException) -> Any:
    """Werkzeug's own errors (404 route, 405, 413 body too large) in the contract's shape."""
    code = {
        404: "not_found",
        405: "invalid",
        413: "too_large",
        401: "unauthorized",
        403: "forbidden",
        429: "rate_limited",
    }.get(exc.code or 400, "invalid")
    response = jsonify({"error": {"code": code, "message": exc.description or exc.name}})
    allowed = getattr(exc, "valid_methods", None)
    if allowed:  # 405 says which methods the path has
        response.headers["Allow"] = ", ".join(allowed)
    return response, exc.code


def answer_errors(bp: Blueprint) -> None:
    """Refusals (OpError) and malformed bodies (pydantic) answered in the contract's shape."""
    bp.register_error_handler(OpError, op_error)
    bp.register_error_handler(ValidationError, validation_error)
