"""Socket.IO adapter: connect with a token, join a map's room, send ops, sync, presence.

Handlers stay thin: they authenticate, call the engine or the views, and answer through the ack.
`broadcast()` is also used by the REST adapter, so an op sent over HTTP reaches the room too.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import request
from flask_socketio import ConnectionRefusedError, SocketIO, join_room, leave_room
from socketio.packet import Packet
from sqlalchemy import bindparam, select

from . import admission, engine, shapes, viewport, views
from .auth import actor_of, participant_for
from .errors import OpError, unavailable
from .models import Map, Participant
from .ops.base import MEMBERS, Actor, plain_id
from .state import AppState

log = logging.getLogger(__name__)


class JsonPacket(Packet):
    """Socket.IO packets of JSON only. Parcours never sends bytes, yet the default packet walks every
    value of every outgoing packet looking for some: for a 1,000-card snapshot that walk cost more
    than encoding it. (Incoming binary packets are still decoded by the base class.)"""

    @classmethod
    def data_is_binary(cls, data: Any) -> bool:
        return False


def viewer_room(map_id: str, participant_id: str) -> str:
    return f"{map_id}:{participant_id}"


# The columns actor_of() reads, for every participant of a workshop; built once.
_VIEWERS = select(
    Participant.id, Participant.workshop_id, Participant.role, Participant.perspective, Participant.name
).where(Participant.workshop_id == bindparam("p_workshop"))


def broadcast(socketio: SocketIO, state: AppState, event: dict[str, Any], workshop_id: str) -> None:
    """Send an event to every member of the map's room, each getting the copy it may see.
    Viewers who may see the same copy get it in one emit (one encoding, one message-queue publish)."""
    map_id = event["map_id"]
    if views.same_for_everyone(event["type"], event["data"]):
        socketio.emit("event", event, to=map_id)
        return
    with state.db.read() as s:
        rows = s.execute(_VIEWERS, {"p_workshop": workshop_id}).all()
    groups: list[tuple[dict[str, Any], list[str]]] = []
    for row in rows:
        copy = views.redact(event, actor_of(row))  # a row of the same columns: no ORM objects to build
        for shown, rooms in groups:
            if shown == copy:
                rooms.append(viewer_room(map_id, row.id))
                break
        else:
            groups.append((copy, [viewer_room(map_id, row.id)]))
    if len(groups) == 1 and groups[0][0] == event:
        socketio.emit("event", event, to=map_id)
        return
    for shown, rooms in groups:
        socketio.emit("event", shown, to=rooms)


def _presence_event(state: AppState, map_id: str, workshop_id: str) -> dict[str, Any]:
    online = state.presence.online_on(map_id)
    with state.db.read() as s:
        people = s.scalars(
            select(Participant).where(Participant.workshop_id == workshop_id, Participant.id.in_(online))
        )
        return {"map_id": map_id, "participants": [shapes.participant(p, True) for p in people]}


def _editing_event(actor: Actor, map_id: str, target_id: str, editing: bool) -> dict[str, Any]:
    return {
        "map_id": map_id,
        "target_id": target_id,
        "participant_id": actor.id,
        "name": actor.name,
        "editing": editing,
    }


def _error(err: OpError) -> dict[str, Any]:
    return {"ok": False, **err.body()}


def register(socketio: SocketIO, state: AppState) -> None:
    """The handlers, behind the admission gate that limits every event on arrival."""
    admission.install(socketio, state, admission.Limits(workers=state.db.socket_workers))

    def current_actor() -> Actor:
        actor = state.presence.actor(request.sid)
        if actor is None:
            raise OpError("unauthorized", "connect with a token first")
        return actor

    def member_map(actor: Actor, payload: Any) -> Map:
        if not isinstance(payload, dict) or not isinstance(payload.get("map_id"), str):
            raise OpError("invalid", "map_id: required", "map_id")
        map_id = plain_id(payload["map_id"])  # never a NUL byte or a non-UUID to the database
        with state.db.read() as s:
            m = s.get(Map, map_id) if map_id else None
            if m is None or m.workshop_id != actor.workshop_id:
                raise OpError("not_found", "no such map", "map_id")
            return m

    def guarded(handler):  # noqa: ANN001, ANN202
        """Every refusal becomes an error ack; no handler ever raises into the server."""

        def wrapper(payload: Any = None) -> dict[str, Any]:
            try:
                return handler(payload)
            except OpError as err:
                return _error(err)
            except Exception as exc:
                passing = unavailable(exc)
                if passing is not None:
                    log.warning("socket %s: database unavailable (%s)", handler.__name__, type(exc).__name__)
                    return _error(passing)
                log.exception("socket handler %s failed", handler.__name__)
                return {"ok": False, "error": {"code": "internal", "message": "server error"}}

        wrapper.__name__ = handler.__name__
        return wrapper

    @socketio.on("connect")
    def on_connect(auth: Any = None) -> bool:
        token = auth.get("token") if isinstance(auth, dict) else None
        try:
            with state.db.read() as s:
                p = participant_for(s, token)
                actor = actor_of(p) if p else None
        except Exception as exc:
            if unavailable(exc) is None:
                raise
            raise ConnectionRefusedError("unavailable") from None  # the client reconnects a little later
        if actor is None:
            raise ConnectionRefusedError("unauthorized")
        state.presence.connect(request.sid, actor)
        return True

    @socketio.on("disconnect")
    def on_disconnect(*_args: Any) -> None:
        editing = state.presence.stop_editing(request.sid)
        try:
            actor, maps = state.presence.disconnect(request.sid)
        except Exception as exc:
            if unavailable(exc) is None:
                raise
            # Presence deletes its rows at the next heartbeat; the others see it at their next presence.
            log.warning("disconnect of %s: database unavailable (%s)", request.sid, type(exc).__name__)
            return
        if actor is None:
            return
        for map_id, target_id in editing:
            socketio.emit("editing", _editing_event(actor, map_id, target_id, False), to=map_id)
        for map_id in maps:
            socketio.emit("presence", _presence_event(state, map_id, actor.workshop_id), to=map_id)

    @socketio.on("join")
    @guarded
    def on_join(payload: Any) -> dict[str, Any]:
        actor = current_actor()
        m = member_map(actor, payload)
        # Enter the rooms before reading the snapshot: no event can fall between the two.
        join_room(m.id)
        join_room(viewer_room(m.id, actor.id))
        state.presence.join(request.sid, m.id)
        with state.db.read() as s:
            snapshot = views.snapshot_for(s, s.get(Map, m.id), actor, state.presence.online(actor.workshop_id))
        socketio.emit("presence", _presence_event(state, m.id, actor.workshop_id), to=m.id)
        return {"ok": True, "snapshot": snapshot, "editing": state.presence.editing_on(m.id)}

    @socketio.on("leave")
    @guarded
    def on_leave(payload: Any) -> dict[str, Any]:
        actor = current_actor()
        m = member_map(actor, payload)
        leave_room(m.id)
        leave_room(viewer_room(m.id, actor.id))
        state.presence.leave(request.sid, m.id)
        socketio.emit("presence", _presence_event(state, m.id, actor.workshop_id), to=m.id)
        return {"ok": True}

    @socketio.on("op")
    @guarded
    def on_op(payload: Any) -> dict[str, Any]:
        actor = current_actor()
        if not isinstance(payload, dict):
            raise OpError("invalid", "an op is a JSON object")
        map_id = payload.get("map_id")
        if not isinstance(map_id, str):
            raise OpError("invalid", "map_id: required", "map_id")
        outcome = engine.apply(state.db, map_id, actor, payload)
        if outcome.event is not None:
            broadcast(socketio, state, outcome.event, actor.workshop_id)
        return outcome.ack

    @socketio.on("editing")
    @guarded
    def on_editing(payload: Any) -> dict[str, Any]:
        """A transient mark: someone has a card (or sheet) open in an editor. No seq, not stored,
        no query: the socket must have joined the map (checked then), and only members edit."""
        actor = current_actor()
        if actor.role not in MEMBERS:
            raise OpError("forbidden", f"a {actor.role} may not edit")
        if not isinstance(payload, dict) or not isinstance(payload.get("map_id"), str):
            raise OpError("invalid", "map_id: required", "map_id")
        map_id = payload["map_id"]
        if not state.presence.has_joined(request.sid, map_id):
            raise OpError("not_found", "join the map first", "map_id")
        target_id, editing = payload.get("target_id"), payload.get("editing", True)
        if not isinstance(target_id, str) or len(target_id) > 64 or not isinstance(editing, bool):
            raise OpError("invalid", "target_id: an id, editing: a boolean", "target_id")
        state.presence.mark_editing(request.sid, map_id, target_id, editing)
        socketio.emit("editing", _editing_event(actor, map_id, target_id, editing), to=map_id, skip_sid=request.sid)
        return {"ok": True}

    @socketio.on("viewport")
    @guarded
    def on_viewport(payload: Any) -> dict[str, Any]:
        """The facilitator's zoom and centre, to every other screen of the map (viewport.py says why
        it is a transient signal and how it is bounded)."""
        actor = current_actor()
        signal = viewport.signal(actor, payload, state.viewport_limiter)
        if not state.presence.has_joined(request.sid, signal["map_id"]):
            raise OpError("not_found", "join the map first", "map_id")
        socketio.emit("viewport", signal, to=signal["map_id"], skip_sid=request.sid)
        return {"ok": True}

    @socketio.on("sync")
    @guarded
    def on_sync(payload: Any) -> dict[str, Any]:
        actor = current_actor()
        m = member_map(actor, payload)
        since = payload.get("since", 0)
        if not isinstance(since, int) or isinstance(since, bool):
            raise OpError("invalid", "since: an integer seq", "since")
        with state.db.read() as s:
            answer = views.events_since(
                s, s.get(Map, m.id), since, actor, state.settings.replay_limit, state.presence.online(actor.workshop_id)
            )
        return {"ok": True, **answer}
