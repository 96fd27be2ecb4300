"""Who runs the room: co-facilitators, and revoking a leaked facilitator link or join code.

Tokens and join codes are not map state (no op, no seq): plain REST, facilitators only. A token
is stored only as its hash, so "my facilitator link" is built by the browser from the token it
holds; what the server offers is a new one (the old link stops working at once).
Sockets still open with a revoked token, or of someone whose role changed, are disconnected:
they reconnect with the token they hold, which either fails or brings the new role.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, request
from pydantic import BaseModel, ConfigDict
from sqlalchemy import select

from . import shapes
from .auth import hash_token, new_join_code, new_token
from .errors import OpError
from .models import Connection, Map, Participant, Workshop
from .ops.base import Actor, Id
from .web import answer_errors, base_url, current_actor, state

bp = Blueprint("facilitators", __name__, url_prefix="/api/workshops")
answer_errors(bp)


class Promote(BaseModel):
    model_config = ConfigDict(extra="forbid")
    participant_id: Id


class NewLink(BaseModel):
    model_config = ConfigDict(extra="forbid")
    map_id: Id | None = None


def _facilitator_of(wid: str) -> Actor:
    actor = current_actor()
    if actor.workshop_id != wid:
        raise OpError("not_found", "no such workshop")
    if not actor.is_facilitator:
        raise OpError("forbidden", "only a facilitator may do this")
    return actor


def _body(model: type[BaseModel]) -> Any:
    body = request.get_json(silent=True)
    if body is None and not request.data:
        body = {}
    if not isinstance(body, dict):
        raise OpError("invalid", "the body must be a JSON object")
    return model.model_validate(body)


def _creator(session: Any, wid: str) -> Participant | None:
    """The workshop's first facilitator: it stays facilitator whatever co-facilitators do."""
    return session.scalar(
        select(Participant)
        .where(Participant.workshop_id == wid, Participant.role == "facilitator")
        .order_by(Participant.created_at, Participant.id)
        .limit(1)
    )


def _drop_sockets(participant_id: str) -> None:
    """Disconnect every socket of this participant, on every process (through the message queue)."""
    with state().db.read() as s:
        sids = set(s.scalars(select(Connection.sid).where(Connection.participant_id == participant_id)))
    server = current_app.extensions["socketio"].server
    for sid in sids:
        try:
            server.disconnect(sid, namespace="/")
        except Exception:  # already gone
            pass


def _set_role(wid: str, participant_id: str, role: str) -> dict[str, Any]:
    with state().db.write() as s:
        p = s.get(Participant, participant_id)
        if p is None or p.workshop_id != wid:
            raise OpError("not_found", "participant_id: no such participant in this workshop", "participant_id")
        if role == "facilitator" and p.role == "observer":
            raise OpError("invalid", "participant_id: an observer cannot become a facilitator", "participant_id")
        if role == "participant":
            creator = _creator(s, wid)
            if p.role != "facilitator":
                raise OpError("not_found", "participant_id: not a co-facilitator", "participant_id")
            if creator is not None and creator.id == p.id:
                raise OpError("forbidden", "the workshop's creator stays facilitator", "participant_id")
        p.role = role
        s.flush()
        answer = shapes.participant(p, False)
    _drop_sockets(participant_id)
    return answer


@bp.post("/<wid>/facilitators")
def promote(wid: str) -> Any:
    """Make a participant a co-facilitator (the facilitator's rights, with its own token)."""
    _facilitator_of(wid)
    req = _body(Promote)
    return jsonify({"participant": _set_role(wid, req.participant_id, "facilitator")})


@bp.delete("/<wid>/facilitators/<pid>")
def demote(wid: str, pid: str) -> Any:
    """A co-facilitator goes back to being a participant (never the workshop's creator)."""
    _facilitator_of(wid)
    return jsonify({"participant": _set_role(wid, pid, "participant")})


@bp.post("/<wid>/facilitator-link")
def rotate_facilitator_link(wid: str) -> Any:
    """A new token for the caller: its old link (maybe leaked) stops working now."""
    actor = _facilitator_of(wid)
    req = _body(NewLink)
    token = new_token()
    with state().db.write() as s:
        maps = list(s.scalars(select(Map.id).where(Map.workshop_id == wid).order_by(Map.position)))
        map_id = req.map_id if req.map_id in maps else maps[0]
        s.get(Participant, actor.id).token_hash = hash_token(token)
    _drop_sockets(actor.id)
    return jsonify(
        {"facilitator_token": token, "facilitator_url": f"{base_url()}/board/{map_id}#token={token}", "map_ids": maps}
    )


@bp.post("/<wid>/join-code")
def rotate_join_code(wid: str) -> Any:
    """A new join code: the old join link stops working; people who joined keep their place."""
    _facilitator_of(wid)
    with state().db.write() as s:
        w = s.get(Workshop, wid)
        w.join_code = new_join_code()
        code = w.join_code
    return jsonify({"join_code": code, "join_url": f"{base_url()}/join/{code}"})
