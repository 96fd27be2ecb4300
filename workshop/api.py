"""REST adapter (CONTRACT.md §2): the same engine as Socket.IO, answers in the contract's shapes."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request
from sqlalchemy import select

from . import engine, services, shapes, throttle, views
from .auth import normal_join_code
from .errors import HTTP_STATUS, OpError
from .models import Map, Participant, Workshop
from .openapi import openapi_document
from .ops.base import Actor
from .realtime import broadcast
from .web import answer_errors, base_url, current_actor, json_object, socketio, state

bp = Blueprint("api", __name__, url_prefix="/api")
answer_errors(bp)


def _map_for(actor: Actor, map_id: str) -> Map:
    with state().db.read() as s:
        m = s.get(Map, map_id)
    if m is None or m.workshop_id != actor.workshop_id:
        raise OpError("not_found", "no such map")
    return m


@bp.post("/workshops")
def create_workshop() -> Any:
    throttle.spend("create")
    answer, _facilitator = services.create_workshop(state().db, json_object(), base_url())
    return jsonify(answer), 201


@bp.post("/join")
def join() -> Any:
    body = json_object()
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
        answer = {
            "participant": shapes.participant(p, True),
            "workshop": shapes.workshop(w),
            "maps": [shapes.map_(m) for m in maps],
            "join_url": f"{base_url()}/join/{w.join_code}",
        }
    response = jsonify(answer)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.patch("/me")
def update_me() -> Any:
    """The facilitator chooses the side its emotion ratings count on (or none: they count nowhere)."""
    actor = current_actor()
    req = services.MeUpdate.model_validate(json_object())
    return jsonify({"participant": services.set_perspective(state().db, actor, req.perspective)})


@bp.get("/workshops/<wid>")
def get_workshop(wid: str) -> Any:
    actor = current_actor()
    return jsonify(services.workshop_view(state().db, actor, wid, state().presence.online(wid)))


@bp.post("/workshops/<wid>/maps")
def add_map(wid: str) -> Any:
    actor = current_actor()
    return jsonify(services.add_map(state().db, actor, wid, json_object())), 201


@bp.get("/maps/<mid>")
def get_map(mid: str) -> Any:
    actor = current_actor()
    _map_for(actor, mid)
    with state().db.read() as s:
        return jsonify(views.snapshot_for(s, s.get(Map, mid), actor, state().presence.online(actor.workshop_id)))


@bp.post("/maps/<mid>/ops")
def post_op(mid: str) -> Any:
    actor = current_actor()
    raw = json_object()
    state().limiter.check(actor.id)
    outcome = engine.apply(state().db, mid, actor, raw)
    if outcome.event is not None:
        broadcast(socketio(), state(), outcome.event, actor.workshop_id)
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
        return jsonify(
            views.events_since(
                s,
                s.get(Map, mid),
                since,
                actor,
                state().settings.replay_limit,
                state().presence.online(actor.workshop_id),
            )
        )


@bp.get("/openapi.json")
def openapi() -> Any:
    return jsonify(openapi_document())
