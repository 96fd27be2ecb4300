"""Workshops, maps and participants: what exists before and around the ops of a map.

Creating a map fills it from its template through the op engine, so a fresh map's
stages, steps and lanes are in its op log like every later change.
"""

from __future__ import annotations

import uuid
from typing import Any, Literal

from pydantic import Field
from sqlalchemy import func, select

from . import engine, shapes
from .auth import actor_of, hash_token, new_join_code, new_token, normal_join_code
from .db import Database
from .errors import OpError
from .i18n import translate
from .maptypes import MAP_TYPES, template
from .models import Map, Participant, Workshop
from .ops.base import Actor, OpSchema, PlainStr, Short, Text, Title

MapType = Literal[MAP_TYPES]  # type: ignore[valid-type]
Locale = Literal["fr", "en"]
Perspective = Literal["customer", "employee"]


class WorkshopCreate(OpSchema):
    title: Title
    map_type: MapType = "journey"
    locale: Locale = "fr"
    objective: Text = ""


class MapCreate(OpSchema):
    title: Title | None = None
    map_type: MapType = "journey"


class JoinRequest(OpSchema):
    code: PlainStr = Field(min_length=1, max_length=32)
    name: Title
    department: Short | None = None
    perspective: Perspective | None = None
    role: Literal["participant", "observer"] = "participant"


def _new_participant(
    workshop_id: str, name: str, role: str, department: str | None = None, perspective: str | None = None
) -> tuple[Participant, str]:
    token = new_token()
    p = Participant(
        workshop_id=workshop_id,
        name=name,
        role=role,
        department=department or None,
        perspective=perspective,
        token_hash=hash_token(token),
    )
    return p, token


def template_ops(map_type: str, locale: str) -> list[dict[str, Any]]:
    """The ops that lay out a new map of `map_type` in `locale`: stages with their steps, then lanes."""
    tpl = template(map_type, locale)
    ops: list[dict[str, Any]] = []
    for stage in tpl["stages"]:
        stage_id = str(uuid.uuid4())
        ops.append({"type": "stage.add", "id": stage_id, "title": stage["title"]})
        for step in stage["steps"]:
            ops.append({"type": "step.add", "stage_id": stage_id, "title": step})
    for lane in tpl["lanes"]:
        ops.append({"type": "lane.add", "title": lane["title"], "kind": lane["kind"]})
    return ops


def apply_all(db: Database, map_id: str, actor: Actor, ops: list[dict[str, Any]]) -> None:
    """Apply built-in ops (a new map's layout) in one transaction, all or none; a refusal is a bug
    in a built-in op list. No events (engine.apply_many): no caller ever broadcast a layout."""
    outcome = engine.apply_many(db, map_id, [(actor, raw) for raw in ops])
    if outcome.refused is not None:
        raise RuntimeError(f"built-in op {ops[outcome.refused]['type']} refused: {outcome.error}")


def insert_map(db: Database, workshop_id: str, title: str, map_type: str) -> str:
    with db.write() as s:
        position = s.scalar(select(func.count()).select_from(Map).where(Map.workshop_id == workshop_id))
        m = Map(workshop_id=workshop_id, type=map_type, title=title, position=position or 0)
        s.add(m)
        s.flush()
        return m.id


def create_workshop(
    db: Database,
    body: Any,
    base_url: str,
    *,
    layout: bool = True,
    map_title: str | None = None,
    facilitator_name: str | None = None,
) -> tuple[dict[str, Any], Actor]:
    """A workshop, its facilitator and its first map laid out from the template; the answer of
    POST /api/workshops, and the facilitator as an actor for whoever fills the map next.
    An import passes the first map's title and the facilitator's name it carries."""
    req = WorkshopCreate.model_validate(body)
    with db.write() as s:
        w = Workshop(title=req.title, objective=req.objective, locale=req.locale, join_code=new_join_code())
        s.add(w)
        s.flush()
        name = facilitator_name or translate(req.locale, "role.facilitator")
        facilitator, token = _new_participant(w.id, name, "facilitator")
        s.add(facilitator)
        s.flush()
        workshop, actor = shapes.workshop(w), actor_of(facilitator)
    map_id = insert_map(db, workshop["id"], map_title or req.title, req.map_type)
    if layout:
        apply_all(db, map_id, actor, template_ops(req.map_type, req.locale))
    with db.read() as s:
        map_shape = shapes.map_(s.get(Map, map_id))
    return {
        "workshop": workshop,
        "map": map_shape,
        "facilitator_token": token,
        "join_code": workshop["join_code"],
        "join_url": f"{base_url}/join/{workshop['join_code']}",
        "facilitator_url": f"{base_url}/board/{map_id}#token={token}",
    }, actor


def add_map(db: Database, actor: Actor, workshop_id: str, body: Any) -> dict[str, Any]:
    if actor.workshop_id != workshop_id:
        raise OpError("not_found", "no such workshop")
    if not actor.is_facilitator:
        raise OpError("forbidden", "only the facilitator may add a map")
    req = MapCreate.model_validate(body)
    with db.read() as s:
        locale = s.get(Workshop, workshop_id).locale
    title = req.title or template(req.map_type, locale)["title"]
    map_id = insert_map(db, workshop_id, title, req.map_type)
    apply_all(db, map_id, actor, template_ops(req.map_type, locale))
    with db.read() as s:
        return {"map": shapes.map_(s.get(Map, map_id))}


def join(db: Database, body: Any) -> dict[str, Any]:
    req = JoinRequest.model_validate(body)
    code = normal_join_code(req.code)
    with db.write() as s:
        w = s.scalar(select(Workshop).where(Workshop.join_code == code))
        if w is None:
            raise OpError("not_found", "no workshop has this join code", "code")
        p, token = _new_participant(
            w.id, req.name, req.role, req.department, req.perspective if req.role == "participant" else None
        )
        s.add(p)
        s.flush()
        map_ids = list(s.scalars(select(Map.id).where(Map.workshop_id == w.id).order_by(Map.position)))
        return {"participant": shapes.participant(p, False), "token": token, "workshop_id": w.id, "map_ids": map_ids}


class MeUpdate(OpSchema):
    perspective: Perspective | None


def set_perspective(db: Database, actor: Actor, perspective: str | None) -> dict[str, Any]:
    """The facilitator's side for its own emotion ratings (CONTRACT.md §6: none by default).
    Ratings keep the side they were given from; rating again counts on the new side."""
    if not actor.is_facilitator:
        raise OpError("forbidden", "perspective: a participant's side is chosen when joining", "perspective")
    with db.write() as s:
        p = s.get(Participant, actor.id)
        p.perspective = perspective
        s.flush()
        return shapes.participant(p, False)


def workshop_view(db: Database, actor: Actor, workshop_id: str, online: set[str]) -> dict[str, Any]:
    if actor.workshop_id != workshop_id:
        raise OpError("not_found", "no such workshop")
    with db.read() as s:
        w = s.get(Workshop, workshop_id)
        if w is None:
            raise OpError("not_found", "no such workshop")
        maps = s.scalars(select(Map).where(Map.workshop_id == w.id).order_by(Map.position))
        people = s.scalars(select(Participant).where(Participant.workshop_id == w.id).order_by(Participant.created_at))
        return {
            "workshop": shapes.workshop(w),
            "maps": [shapes.map_(m) for m in maps],
            "participants": [shapes.participant(p, p.id in online) for p in people],
        }
