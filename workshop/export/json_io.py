"""workshop.json: the import side (the export is collect.workshop_document).

An import makes a new workshop with new ids and new tokens, and replays the document's content
as ops through the engine, each with the actor who made it (a card's author stays its author):
stages, steps, lanes, key moments, cards, chantier sheets, comments, emotion ratings, vote rounds
with their votes, then the map's phase, focus, silent writing and lock. If any op is refused the
half-made workshop is removed and the import answers 400 naming the item.

What cannot come back: face-down cards the exporter could not read (their text is not in the
document) and who voted for what in a secret round (never exported); both are listed in `notes`.
"""
from __future__ import annotations

import uuid
from typing import Any, Callable, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import delete

from .. import engine, services, shapes
from ..auth import actor_of
from ..db import Database
from ..errors import OpError
from ..maptypes import MAP_TYPES
from ..models import Map, Participant, Workshop
from ..ops.base import Actor, Short, Text, Title
from .collect import FORMAT

MAX_MAPS = 50
MAX_ITEMS = 20_000


class _Loose(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


class InWorkshop(_Loose):
    title: Title
    objective: Text = ""
    locale: Literal["fr", "en"] = "fr"


class InParticipant(_Loose):
    id: str = Field(max_length=64)
    name: Title
    role: Literal["facilitator", "participant", "observer"] = "participant"
    department: Short | None = None
    perspective: Literal["customer", "employee"] | None = None


class InMapMeta(_Loose):
    title: Title
    type: Literal[MAP_TYPES] = "journey"  # type: ignore[valid-type]
    phase: str = "setup"
    locked: bool = False
    silent_writing: bool = False
    focus_step_id: str | None = None


class InMap(_Loose):
    map: InMapMeta
    stages: list[dict[str, Any]] = Field(default_factory=list, max_length=MAX_ITEMS)
    steps: list[dict[str, Any]] = Field(default_factory=list, max_length=MAX_ITEMS)
    lanes: list[dict[str, Any]] = Field(default_factory=list, max_length=MAX_ITEMS)
    cards: list[dict[str, Any]] = Field(default_factory=list, max_length=MAX_ITEMS)
    comments: list[dict[str, Any]] = Field(default_factory=list, max_length=MAX_ITEMS)
    ratings: list[dict[str, Any]] = Field(default_factory=list, max_length=MAX_ITEMS)
    rounds: list[dict[str, Any]] = Field(default_factory=list, max_length=1000)
    chantiers: list[dict[str, Any]] = Field(default_factory=list, max_length=MAX_ITEMS)
    listenings: list[dict[str, Any]] = Field(default_factory=list, max_length=1000)  # workshop.listening.export


class InDocument(_Loose):
    format: Literal[FORMAT] = FORMAT  # type: ignore[valid-type]
    version: int = Field(default=1, ge=1, le=1)
    workshop: InWorkshop
    participants: list[InParticipant] = Field(default_factory=list, max_length=1000)
    maps: list[InMap] = Field(default_factory=list, max_length=MAX_MAPS)


class _Refused(Exception):
    def __init__(self, what: str, error: dict[str, Any]):
        super().__init__(what)
        self.what, self.error = what, error


CHANTIER_FIELDS = ("problem", "objective", "solution", "owner", "sponsor", "departments", "start", "end",
                   "milestones", "effort", "impact", "prerequisites", "risks", "kpis", "budget", "status")


class _Replay:
    """Replays one map's content; `ids` maps the document's ids to the new ones."""

    def __init__(self, db: Database, map_id: str, facilitator: Actor, people: dict[str, Actor],
                 ids: dict[str, str], notes: list[str], pause: Callable[[float], None]):
        self.db, self.map_id, self.facilitator, self.people = db, map_id, facilitator, people
        self.ids, self.notes, self.pause = ids, notes, pause

    def actor(self, old_id: str | None, may_write: bool = True) -> Actor:
        actor = self.people.get(old_id or "")
        if actor is None or (may_write and actor.role == "observer"):
            return self.facilitator
        return actor

    def new(self, old_id: Any) -> str:
        self.ids[str(old_id)] = new = str(uuid.uuid4())
        return new

    def op(self, actor: Actor, what: str, raw: dict[str, Any]) -> dict[str, Any]:
        outcome = engine.apply(self.db, self.map_id, actor, {"op_id": str(uuid.uuid4()), **raw})
        self.pause(0)  # let the boards breathe between two ops of a long import
        if not outcome.ack["ok"]:
            raise _Refused(what, outcome.ack["error"])
        return outcome.ack["data"]

    def run(self, m: InMap) -> None:
        f = self.facilitator
        for i, st in enumerate(sorted(m.stages, key=lambda s: s.get("position", 0))):
            self.op(f, f"stages.{i}", {"type": "stage.add", "id": self.new(st.get("id")), "title": st.get("title")})
        for i, st in enumerate(m.steps):
            raw = {"type": "step.add", "id": self.new(st.get("id")), "title": st.get("title"),
                   "description": st.get("description") or ""}
            if st.get("stage_id") in self.ids:
                raw["stage_id"] = self.ids[st["stage_id"]]
            self.op(f, f"steps.{i}", raw)
        for i, lane in enumerate(sorted(m.lanes, key=lambda x: x.get("position", 0))):
            self.op(f, f"lanes.{i}", {"type": "lane.add", "id": self.new(lane.get("id")), "title": lane.get("title"),
                                      "kind": lane.get("kind") or "custom"})
        for i, st in enumerate(m.steps):
            if st.get("key_moment"):
                self.op(f, f"steps.{i}", {"type": "step.update", "id": self.ids[str(st.get("id"))], "key_moment": True})
        self._cards(m)
        self._chantiers(m)
        for i, c in enumerate(m.comments):
            target = self.ids.get(str(c.get("target_id")))
            if target is None:
                continue  # on a card that could not be imported
            self.op(self.actor(c.get("author_id")), f"comments.{i}",
                    {"type": "comment.add", "id": self.new(c.get("id")), "target_id": target, "text": c.get("text")})
        for i, r in enumerate(m.ratings):
            step = self.ids.get(str(r.get("step_id")))
            rater = self.people.get(str(r.get("participant_id")))
            if step is None or rater is None or rater.role == "observer":
                continue
            self.op(rater, f"ratings.{i}", {"type": "emotion.set", "step_id": step, "score": r.get("score")})
        self._rounds(m)
        meta = m.map
        if meta.phase != "setup":
            self.op(f, "map.phase", {"type": "phase.set", "phase": meta.phase})
        if meta.focus_step_id and meta.focus_step_id in self.ids:
            self.op(f, "map.focus_step_id", {"type": "focus.set", "step_id": self.ids[meta.focus_step_id]})
        if meta.silent_writing:
            self.op(f, "map.silent_writing", {"type": "board.silent", "silent": True})
        if meta.locked:
            self.op(f, "map.locked", {"type": "board.lock", "locked": True})
        from ..listening.export import import_listenings  # Mirror listening (CONTRACT.md §7)
        import_listenings(self.db, self.map_id, m.listenings, self.ids)

    def _cards(self, m: InMap) -> None:
        pending = list(enumerate(m.cards))
        unreadable = {str(c.get("id")) for c in m.cards if c.get("text") is None}
        if unreadable:
            self.notes.append(f"{m.map.title}: {len(unreadable)} face-down card(s) not imported "
                              "(their text was hidden from whoever exported the workshop)")
        placed: dict[tuple[str, str], list[int]] = {}
        while pending:
            progress, later = False, []
            for i, c in pending:
                cid = str(c.get("id"))
                if cid in unreadable:
                    progress = True
                    continue
                builds_on = c.get("builds_on")
                if builds_on and builds_on not in self.ids and builds_on not in unreadable \
                        and any(str(o.get("id")) == builds_on for _, o in pending):
                    later.append((i, c))
                    continue
                cell = (str(c.get("lane_id")), str(c.get("step_id")))
                position = c.get("position", 0)
                ranks = placed.setdefault(cell, [])
                index = sum(1 for p in ranks if p <= position)
                ranks.append(position)
                raw = {"type": "card.add", "id": self.new(cid), "lane_id": self.ids.get(cell[0], cell[0]),
                       "step_id": self.ids.get(cell[1], cell[1]), "kind": c.get("kind") or "note",
                       "text": c.get("text"), "position": index, "visibility": c.get("visibility") or "all"}
                for name in ("perspective", "channel"):
                    if c.get(name):
                        raw[name] = c[name]
                if builds_on and builds_on in self.ids:
                    raw["builds_on"] = self.ids[builds_on]
                self.op(self.actor(c.get("author_id")), f"cards.{i}", raw)
                progress = True
            if not progress:  # a builds_on cycle (not possible through the engine): drop the links
                later = [(i, {**c, "builds_on": None}) for i, c in later]
            pending = later

    def _chantiers(self, m: InMap) -> None:
        for i, c in enumerate(sorted(m.chantiers, key=lambda x: x.get("position", 0))):
            raw: dict[str, Any] = {"type": "chantier.add", "id": self.new(c.get("id")), "title": c.get("title")}
            for name in CHANTIER_FIELDS:
                if c.get(name) is not None:
                    raw[name] = c[name]
            for name in ("step_ids", "card_ids"):
                if c.get(name) is not None:
                    raw[name] = [self.ids[x] for x in c[name] if x in self.ids]
            self.op(self.facilitator, f"chantiers.{i}", raw)

    def _rounds(self, m: InMap) -> None:
        f = self.facilitator
        selected = {self.ids[str(c["id"])] for c in m.cards if c.get("selected") and str(c.get("id")) in self.ids}
        priority = {self.ids[str(c["id"])]: c.get("priority") for c in m.chantiers
                    if c.get("priority") and str(c.get("id")) in self.ids}
        for i, r in enumerate(m.rounds):
            raw = {"type": "round.open", "id": self.new(r.get("id")), "target": r.get("target"),
                   "budget": r.get("budget"), "max_per_item": r.get("max_per_item"), "secret": bool(r.get("secret"))}
            if r.get("card_kind"):
                raw["card_kind"] = r["card_kind"]
            self.op(f, f"rounds.{i}", raw)
            round_id = raw["id"]
            if r.get("votes") is None and r.get("secret"):
                if r.get("results"):
                    self.notes.append(f"{m.map.title}: a secret vote was recreated without its votes "
                                      "(who voted for what is never exported)")
            for j, v in enumerate(r.get("votes") or []):
                voter, target = self.people.get(str(v.get("participant_id"))), self.ids.get(str(v.get("target_id")))
                if voter is None or target is None or voter.role == "observer":
                    continue
                self.op(voter, f"rounds.{i}.votes.{j}", {"type": "vote.cast", "round_id": round_id, "target_id": target})
            if r.get("open", False):
                continue
            closed = self.op(f, f"rounds.{i}", {"type": "round.close", "id": round_id})
            self._promote(r, round_id, closed.get("results") or [], selected, priority, i)

    def _promote(self, r: dict[str, Any], round_id: str, results: list[dict[str, Any]], selected: set[str],
                 priority: dict[str, int], i: int) -> None:
        """Give back what promoting this round made (selected ideas, ranked sheets): the longest
        head of its results that the document shows promoted."""
        count = 0
        for rank, row in enumerate(results, start=1):
            target = row["target_id"]
            if r.get("target") == "card" and target in selected:
                count = rank
            elif r.get("target") == "chantier" and priority.get(target) == rank:
                count = rank
            else:
                break
        if count:
            self.op(self.facilitator, f"rounds.{i}", {"type": "round.promote", "id": round_id, "count": count})


def import_workshop(db: Database, body: Any, base_url: str,
                    pause: Callable[[float], None] = lambda _seconds: None) -> dict[str, Any]:
    """A new workshop from a workshop.json document; the answer of POST /api/workshops plus `imported`.

    It runs in the request, not in a thread pool: it is database work made of many short
    transactions, and `pause` (the async mode's sleep) yields to the other boards between them."""
    if not isinstance(body, dict):
        raise OpError("invalid", "the body must be a workshop.json document")
    doc = InDocument.model_validate(body)
    first = doc.maps[0].map if doc.maps else None
    lead = next((p.name for p in doc.participants if p.role == "facilitator"), None)
    answer, facilitator = services.create_workshop(
        db, {"title": doc.workshop.title, "objective": doc.workshop.objective, "locale": doc.workshop.locale,
             "map_type": first.type if first else "journey"}, base_url, layout=False,
        map_title=first.title if first else None, facilitator_name=lead)
    workshop_id = answer["workshop"]["id"]
    notes: list[str] = []
    try:
        people = _participants(db, doc, answer, facilitator)
        ids: dict[str, str] = {}
        for index, m in enumerate(doc.maps):
            map_id = answer["map"]["id"] if index == 0 else services.insert_map(
                db, workshop_id, m.map.title, m.map.type)
            _Replay(db, map_id, facilitator, people, ids, notes, pause).run(m)
    except _Refused as refused:
        _discard(db, workshop_id)
        err = refused.error
        raise OpError("invalid", f"maps: {refused.what}: {err.get('message', 'refused')}",
                      refused.what) from None
    except Exception:
        _discard(db, workshop_id)
        raise
    with db.read() as s:
        answer["map"] = shapes.map_(s.get(Map, answer["map"]["id"]))
    answer["imported"] = {"maps": len(doc.maps), "participants": len(doc.participants),
                          "cards": sum(len(m.cards) for m in doc.maps), "notes": notes}
    return answer


def _participants(db: Database, doc: InDocument, answer: dict[str, Any], facilitator: Actor) -> dict[str, Actor]:
    """Everyone again, with new ids and tokens nobody holds; the document's facilitator is the new one."""
    people: dict[str, Actor] = {}
    for p in doc.participants:
        if p.role == "facilitator":  # made by create_workshop, with the document's name
            people[p.id] = facilitator
            continue
        joined = services.join(db, {"code": answer["join_code"], "name": p.name, "department": p.department,
                                    "perspective": p.perspective, "role": p.role})
        with db.read() as s:
            people[p.id] = actor_of(s.get(Participant, joined["participant"]["id"]))
    return people


def _discard(db: Database, workshop_id: str) -> None:
    with db.write() as s:
        s.execute(delete(Workshop).where(Workshop.id == workshop_id))
