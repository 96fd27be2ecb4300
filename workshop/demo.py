"""The demo workshop made on first start, through the same engine as everything else.

Its links are kept in `instance/demo.json` (tokens are stored hashed in the database, so the
facilitator link could not be printed again otherwise).
"""
from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import select

from . import services, views
from .auth import actor_of
from .config import ROOT
from .db import Database
from .demo_content import DEMO, DEMO_SHEETS, DEMO_VOTES
from .maptypes import label, template
from .models import Map, Participant, Workshop

LINKS = ROOT / "instance" / "demo.json"


def ensure_demo(db: Database, base_url: str, links_file: Path = LINKS) -> dict[str, Any]:
    """The demo's links, creating the demo workshop when this database does not have it yet."""
    if links_file.exists():
        links = json.loads(links_file.read_text())
        with db.read() as s:
            if s.get(Workshop, links.get("workshop_id", "")) is not None:
                return _with_base(links, base_url)
    links = create_demo(db)
    links_file.parent.mkdir(exist_ok=True)
    links_file.write_text(json.dumps(links, indent=2))
    links_file.chmod(0o600)
    return _with_base(links, base_url)


def _with_base(links: dict[str, Any], base_url: str) -> dict[str, Any]:
    return {**links,
            "join_url": f"{base_url}/join/{links['join_code']}",
            "facilitator_url": f"{base_url}/board/{links['map_id']}#token={links['facilitator_token']}"}


def create_demo(db: Database) -> dict[str, Any]:
    answer, facilitator = services.create_workshop(
        db, {"title": DEMO["title"], "objective": DEMO["objective"], "map_type": DEMO["map_type"],
             "locale": DEMO["locale"]}, "", layout=False)
    map_id = answer["map"]["id"]
    people = {}
    for person in DEMO["participants"]:
        joined = services.join(db, {"code": answer["join_code"], "name": person["name"],
                                    "department": person.get("department"),
                                    "perspective": person.get("perspective")})
        with db.read() as s:
            people[person["key"]] = actor_of(s.get(Participant, joined["participant"]["id"]))
    ids: dict[str, dict[str, str]] = {}
    services.apply_all(db, map_id, facilitator, _layout_ops(ids))
    for author, raw in _content_ops(ids):
        services.apply_all(db, map_id, people.get(author, facilitator), [raw])
    finish_demo(db, answer["workshop"]["id"])
    return {"title": DEMO["title"], "workshop_id": answer["workshop"]["id"], "map_id": map_id,
            "join_code": answer["join_code"], "facilitator_token": answer["facilitator_token"]}


def _ids(keys: list[str]) -> dict[str, str]:
    return {key: str(uuid.uuid4()) for key in keys}


def _layout_ops(ids: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
    """Stages and steps of the demo, then the lanes of its template."""
    lanes = template(DEMO["map_type"])["lanes"]
    ids["stage"] = _ids([s["key"] for s in DEMO["stages"]])
    ids["step"] = _ids([s["key"] for s in DEMO["steps"]])
    ids["lane"] = _ids([lane["kind"] for lane in lanes])
    ops: list[dict[str, Any]] = [{"type": "stage.add", "id": ids["stage"][s["key"]], "title": s["title"]}
                                 for s in DEMO["stages"]]
    for step in DEMO["steps"]:
        step_id = ids["step"][step["key"]]
        ops.append({"type": "step.add", "id": step_id, "stage_id": ids["stage"][step["stage"]],
                    "title": step["title"], "description": step.get("description", "")})
        if step.get("key_moment"):
            ops.append({"type": "step.update", "id": step_id, "key_moment": True})
    ops += [{"type": "lane.add", "id": ids["lane"][lane["kind"]], "kind": lane["kind"],
             "title": label(lane["title"], DEMO["locale"])} for lane in lanes]
    return ops


def _content_ops(ids: dict[str, dict[str, str]]) -> list[tuple[str, dict[str, Any]]]:
    """(author key, op) for every card, comment and emotion rating of the demo."""
    ids["card"] = _ids([c["key"] for c in DEMO["cards"]])
    ops = []
    for card in DEMO["cards"]:
        raw = {"type": "card.add", "id": ids["card"][card["key"]], "lane_id": ids["lane"][card["lane"]],
               "step_id": ids["step"][card["step"]], "kind": card["kind"], "text": card["text"],
               "perspective": card.get("perspective")}
        if card.get("channel"):
            raw["channel"] = card["channel"]
        if card.get("builds_on"):
            raw["builds_on"] = ids["card"][card["builds_on"]]
        ops.append((card["author"], raw))
    for comment in DEMO.get("comments", []):
        ops.append((comment["author"], {"type": "comment.add", "target_id": ids["card"][comment["card"]],
                                        "text": comment["text"]}))
    for rating in DEMO.get("emotions", []):
        ops.append((rating["author"], {"type": "emotion.set", "step_id": ids["step"][rating["step"]],
                                       "score": rating["score"]}))
    return ops


def finish_demo(db: Database, workshop_id: str) -> str:
    """The end of the day: votes on the key moments and the ideas, then the chantier sheets, so that
    the demo shows every part of the board and every export has something to show."""
    with db.read() as s:
        people = {p.name: actor_of(p) for p in s.scalars(select(Participant).where(Participant.workshop_id == workshop_id))}
        m = s.scalars(select(Map).where(Map.workshop_id == workshop_id).order_by(Map.position)).first()
        facilitator = next(a for a in people.values() if a.is_facilitator)
        snap = views.snapshot_for(s, m, facilitator)
    map_id = m.id

    def step(prefix: str) -> str:
        return next(x["id"] for x in snap["steps"] if x["title"].startswith(prefix))

    def card(prefix: str) -> str:
        return next(x["id"] for x in snap["cards"] if (x["text"] or "").startswith(prefix))

    def run(actor: Any, *ops: dict[str, Any]) -> None:
        services.apply_all(db, map_id, actor, list(ops))

    voters = [a for a in people.values() if a.role == "participant"]
    run(facilitator, {"type": "phase.set", "phase": "key_moments"})
    step_round = str(uuid.uuid4())
    run(facilitator, {"type": "round.open", "id": step_round, "target": "step", "budget": 3})
    for i, title in enumerate(DEMO_VOTES["key_moments"]):
        run(voters[i % len(voters)], {"type": "vote.cast", "round_id": step_round, "target_id": step(title)})
    run(facilitator, {"type": "round.close", "id": step_round},
        {"type": "step.update", "id": step("Installer"), "key_moment": True},
        {"type": "phase.set", "phase": "selection"})
    idea_round = str(uuid.uuid4())
    run(facilitator, {"type": "round.open", "id": idea_round, "target": "card", "budget": 3, "card_kind": "idea"})
    for i, text in enumerate(DEMO_VOTES["ideas"]):
        run(voters[i % len(voters)], {"type": "vote.cast", "round_id": idea_round, "target_id": card(text)})
    run(facilitator, {"type": "round.close", "id": idea_round},
        {"type": "round.promote", "id": idea_round, "count": 3},
        {"type": "phase.set", "phase": "chantiers"})
    for sheet in DEMO_SHEETS:
        fields = {k: v for k, v in sheet.items() if k not in ("steps", "cards")}
        owner = people.get(sheet["owner"], facilitator)
        run(owner, {"type": "chantier.add", **fields, "step_ids": [step(t) for t in sheet["steps"]],
                    "card_ids": [card(t) for t in sheet["cards"]]})
    from .listening.demo import seed_demo_listening  # Mirror listening (CONTRACT.md §7)
    seed_demo_listening(db, facilitator, map_id)
    return map_id
