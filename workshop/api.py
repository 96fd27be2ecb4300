"""REST adapter (CONTRACT.md §2): the same engine as Socket.IO, answers in the contract's shapes."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, request
from pydantic import ValidationError
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from . import engine, services, shapes, throttle, views
from .auth import actor_of, normal_join_code, participant_for
from .errors import HTTP_STATUS, OpError, from_validation
from .models import Map, Participant, Workshop
from .openapi import openapi_document
from .ops.base import Actor
from .realtime import broadcast
from .state import AppState

bp = Blueprint("api", __name__, url_prefix="/api")


def state() -> AppState:
    return current_app.extensions["parcours"]


def _socketio() -> Any:
    return current_app.extensions["socketio"]


def base_url() -> str:
    return state().settings.public_url or request.host_url.rstrip("/")


def _body() -> Any:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise OpError("invalid", "the body must be a JSON object")
    return body


def current_actor() -> Actor:
    header = request.headers.get("Authorization", "")
    token = header[7:].strip() if header[:7].lower() == "bearer " else None
    with state().db.read() as s:
        p = participant_for(s, token)
        if p is None:
            raise OpError("unauthorized", "a valid bearer token is required")
        return actor_of(p)


def _map_for(actor: Actor, map_id: str) -> Map:
    with state().db.read() as s:
        m = s.get(Map, map_id)
    if m is None or m.workshop_id != actor.workshop_id:
        raise OpError("not_found", "no such map")
    return m


@bp.errorhandler(OpError)
def op_error(err: OpError) -> Any:
    response = jsonify(err.body())
    if isinstance(err, throttle.RateLimited):
        response.headers["Retry-After"] = str(err.retry_after)
    return response, err.status


@bp.errorhandler(ValidationError)
def validation_error(exc: ValidationError) -> Any:
    return op_error(from_validation(exc))


def http_error(exc: HTTPException) -> Any:
    """Werkzeug's own errors (404 route, 405, 413 body too large) in the contract's shape."""
    code = {404: "not_found", 405: "invalid", 413: "too_large", 401: "unauthorized",
            403: "forbidden", 429: "rate_limited"}.get(exc.code or 400, "invalid")
    response = jsonify({"error": {"code": code, "message": exc.description or exc.name}})
    allowed = getattr(exc, "valid_methods", None)
    if allowed:  # 405 says which methods the path has
        response.headers["Allow"] = ", ".join(allowed)
    return response, exc.code


@bp.post("/workshops")
def create_workshop() -> Any:
    throttle.spend("create")
    answer, _facilitator = services.create_workshop(state().db, _body(), base_url())
    return jsonify(answer), 201


@bp.post("/join")
def join() -> Any:
    body = _body()
    # Once an address has guessed too many codes, every join from it waits, valid code or not:
    # the answer must not tell which codes exist.
    throttle.check("join_guess")
    throttle.spend("join")
    code = body.get("code") if isinstance(body, dict) else None
    if isinstance(code, str):  # the budget of the workshop this code names, whoever asks
        throttle.spend_for("join_workshop", normal_join_code(code)[:64])
    try:
        answer = services.join(state().db, body)
    except OpError as err:
        if err.code == "not_found":
            throttle.spend("join_guess")
        raise
    return jsonify(answer), 201


@bp.get("/me")
def me() -> Any:
    """Who this token is: its participant, its workshop with its maps, and the join link."""
    actor = current_actor()
    with state().db.read() as s:
        p, w = s.get(Participant, actor.id), s.get(Workshop, actor.workshop_id)
        maps = s.scalars(select(Map).where(Map.workshop_id == w.id).order_by(Map.position))
        answer = {"participant": shapes.participant(p, True), "workshop": shapes.workshop(w),
                  "maps": [shapes.map_(m) for m in maps], "join_url": f"{base_url()}/join/{w.join_code}"}
    response = jsonify(answer)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.patch("/me")
def update_me() -> Any:
    """The facilitator chooses the side its emotion ratings count on (or none: they count nowhere)."""
    actor = current_actor()
    req = services.MeUpdate.model_validate(_body())
    return jsonify({"participant": services.set_perspective(state().db, actor, req.perspective)})


@bp.get("/workshops/<wid>")
def get_workshop(wid: str) -> Any:
    actor = current_actor()
    return jsonify(services.workshop_view(state().db, actor, wid, state().presence.online(wid)))


@bp.post("/workshops/<wid>/maps")
def add_map(wid: str) -> Any:
    actor = current_actor()
    return jsonify(services.add_map(state().db, actor, wid, _body())), 201


@bp.get("/maps/<mid>")
def get_map(mid: str) -> Any:
    actor = current_actor()
    _map_for(actor, mid)
    with state().db.read() as s:
        return jsonify(views.snapshot_for(s, s.get(Map, mid), actor, state().presence.online(actor.workshop_id)))


@bp.post("/maps/<mid>/ops")
def post_op(mid: str) -> Any:
    actor = current_actor()
    raw = _body()
    state().limiter.check(actor.id)
    outcome = engine.apply(state().db, mid, actor, raw)
    if outcome.event is not None:
        broadcast(_socketio(), state(), outcome.event, actor.workshop_id)
    if not outcome.ack["ok"]:
        code = outcome.ack["error"]["code"]
        return jsonify({"error": outcome.ack["error"]}), HTTP_STATUS.get(code, 500)
    return jsonify(outcome.ack)


@bp.get("/maps/<mid>/events")
def get_events(mid: str) -> Any:
    actor = current_actor()
    _map_for(actor, mid)
    try:
        since = int(request.args.get("since", "0"))
    except ValueError:
        raise OpError("invalid", "since: an integer seq", "since") from None
    with state().db.read() as s:
        return jsonify(views.events_since(s, s.get(Map, mid), since, actor, state().settings.replay_limit,
                                          state().presence.online(actor.workshop_id)))


@bp.get("/openapi.json")
def openapi() -> Any:
    return jsonify(openapi_document())
