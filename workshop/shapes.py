"""Each object as the snapshot shows it (CONTRACT.md §4), before any per-viewer redaction."""

from __future__ import annotations

from typing import Any

from .lists import CHANTIER_FIELDS
from .models import Card, Chantier, Comment, Lane, Map, Participant, Stage, Step, Workshop, iso


def workshop(w: Workshop) -> dict[str, Any]:
    return {
        "id": w.id,
        "title": w.title,
        "objective": w.objective,
        "locale": w.locale,
        "join_code": w.join_code,
        "created_at": iso(w.created_at),
    }


def map_(m: Map) -> dict[str, Any]:
    return {
        "id": m.id,
        "workshop_id": m.workshop_id,
        "type": m.type,
        "title": m.title,
        "locked": m.locked,
        "phase": m.phase,
        "focus_step_id": m.focus_step_id,
        "silent_writing": m.silent_writing,
        "structure_edits": m.structure_edits or "all",
    }


def timer(m: Map) -> dict[str, Any] | None:
    if m.timer_ends_at is None:
        return None
    # paused_at: the countdown is frozen at ends_at − paused_at (timer.pause / timer.resume).
    return {
        "ends_at": iso(m.timer_ends_at),
        "label": m.timer_label,
        "paused_at": iso(m.timer_paused_at) if m.timer_paused_at else None,
    }


def stage(s: Stage) -> dict[str, Any]:
    return {"id": s.id, "title": s.title, "position": s.position}


def step(s: Step) -> dict[str, Any]:
    return {
        "id": s.id,
        "title": s.title,
        "description": s.description,
        "stage_id": s.stage_id,
        "position": s.position,
        "key_moment": s.key_moment,
    }


def lane(l: Lane) -> dict[str, Any]:
    return {"id": l.id, "title": l.title, "kind": l.kind, "position": l.position}


def card(c: Card) -> dict[str, Any]:
    return {
        "id": c.id,
        "lane_id": c.lane_id,
        "step_id": c.step_id,
        "kind": c.kind,
        "text": c.text,
        "author_id": c.author_id,
        "perspective": c.perspective,
        "channel": c.channel,
        "builds_on": c.builds_on,
        "position": c.position,
        "visibility": c.visibility,
        "version": c.version,
        "hidden": c.visibility == "author",
        "selected": c.selected,
    }


def comment(c: Comment) -> dict[str, Any]:
    return {"id": c.id, "target_id": c.target_id, "text": c.text, "author_id": c.author_id, "ts": iso(c.ts)}


def chantier(c: Chantier) -> dict[str, Any]:
    shape: dict[str, Any] = {
        "id": c.id,
        "title": c.title,
        "version": c.version,
        "position": c.position,
        "priority": c.priority,
    }
    for name in CHANTIER_FIELDS:
        shape[name] = (c.fields or {}).get(name)
    return shape


def participant(p: Participant, online: bool = False) -> dict[str, Any]:
    return {
        "id": p.id,
        "name": p.name,
        "role": p.role,
        "department": p.department,
        "perspective": p.perspective,
        "online": online,
    }
