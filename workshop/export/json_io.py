"""workshop.json: the import side (the export is collect.workshop_document).

An import makes a new workshop with new ids and new tokens, in three passes:
1. `read_document`: the body (its size is capped by the route) parsed without recursion errors, and
   the document's frame (`InDocument`): ids, positions and references are typed here, so that a wrong
   type answers 400, never 500. The content itself (titles, texts, kinds, dates…) is not checked here.
2. `plan`: the document becomes the list of ops that rebuild it, each sent by the participant who made
   it (a card's author stays its author), ordered so that everything an op names exists before it
   (cards that build on cards are ordered in linear time). Every op is validated by its own schema in
   ops.REGISTRY (and the workshop, people and maps by the schemas of services.py): the same rules as
   the board, not a second set. Nothing is created until the whole plan passes; a refusal names the
   item, its path in the document and what to change, in the user's language.
3. `_apply`: the new workshop, its people and maps, then the plan through engine.apply_many, a slice
   of one map's ops per transaction: one seq claim, one log insert and one commit per slice instead
   of one per op, and `pause` (the async mode's sleep) between two slices so that the other boards
   keep going.

Round trip: export → import → export gives the same document but for ids, tokens and dates. What the
document does not hold is rebuilt as closely as it can be, and said in `notes`:
- a face-down card whose text the exporter could not read comes back face down, by its author, with
  a placeholder text (its export reads the same: hidden, no text);
- a closed secret vote's totals come back as votes spread over as many of the workshop's people as
  voted (who voted for what is never exported, nobody can ever read it back); an open secret vote
  comes back without its votes.
A new section of the document (say, listenings) is one more `_plan_<section>` method and one more
field of `InMap` or `InDocument`.
"""

from __future__ import annotations

import heapq
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from sqlalchemy import delete

from .. import engine, services, shapes
from ..auth import actor_of
from ..db import Database
from ..errors import OpError
from ..i18n import translate
from ..models import Map, Participant, Workshop
from ..ops import REGISTRY
from ..ops.base import Actor
from ..ops.chantiers import ChantierFields
from .collect import FORMAT, VERSION

MAX_BYTES = 8 * 1024 * 1024  # the body of POST /api/workshops/import (413 above)
MAX_ITEMS = 30_000  # stages, steps, lanes, cards, comments, ratings, rounds, votes, sheets: all maps together
MAX_MAPS = 50
MAX_PEOPLE = 1000
SLICE_OPS = 500  # at most this many ops in one transaction before the import lets the others in,
SLICE_SECONDS = 0.05  # fewer if the previous slice's pace says they would take longer than this
SLICE_MIN_OPS = 10  # (but never fewer than this)
SECTIONS = ("stages", "steps", "lanes", "cards", "comments", "ratings", "rounds", "chantiers")

Ref = Annotated[str, StringConstraints(min_length=1, max_length=100)]
Count = Annotated[int, Field(ge=0, le=1_000_000)]


# -- 1. the frame of the document ------------------------------------------------------------------


class _Frame(BaseModel):
    """Only what the import itself relies on is typed (ids, positions, references, flags); the
    content is passed on to the op schemas as it is."""

    model_config = ConfigDict(extra="ignore")


class InWorkshop(_Frame):
    title: Any = None
    objective: Any = ""
    locale: Any = "fr"


class InParticipant(_Frame):
    id: Ref
    name: Any = None
    role: Literal["facilitator", "participant", "observer"] = "participant"
    department: Any = None
    perspective: Any = None


class InMapMeta(_Frame):
    title: Any = None
    type: Any = "journey"
    phase: Any = "setup"
    locked: bool = False
    silent_writing: bool = False
    structure_edits: Any = "all"
    focus_step_id: Ref | None = None


class InStage(_Frame):
    id: Ref
    title: Any = None
    position: int = 0


class InStep(_Frame):
    id: Ref
    title: Any = None
    description: Any = None
    stage_id: Ref | None = None
    position: int = 0
    key_moment: bool = False


class InLane(_Frame):
    id: Ref
    title: Any = None
    kind: Any = None
    position: int = 0


class InCard(_Frame):
    id: Ref
    lane_id: Ref
    step_id: Ref
    kind: Any = None
    text: Any = None
    author_id: Ref | None = None
    perspective: Any = None
    channel: Any = None
    builds_on: Ref | None = None
    position: int = 0
    visibility: Any = None
    hidden: bool = False
    selected: bool = False


class InComment(_Frame):
    id: Ref
    target_id: Ref
    text: Any = None
    author_id: Ref | None = None


class InRating(_Frame):
    step_id: Ref
    participant_id: Ref
    score: Any = None


class InVote(_Frame):
    participant_id: Ref
    target_id: Ref


class InResult(_Frame):
    target_id: Ref
    votes: Count


class InRound(_Frame):
    id: Ref
    target: Any = None
    budget: Any = None
    max_per_item: Any = None
    secret: bool = False
    card_kind: Any = None
    open: bool = False
    results: list[InResult] | None = Field(default=None, max_length=MAX_ITEMS)
    voters: Count | None = None
    votes: list[InVote] | None = Field(default=None, max_length=MAX_ITEMS)


class InChantier(_Frame):
    model_config = ConfigDict(extra="allow")  # the sheet's fields, checked by chantier.add's schema
    id: Ref
    title: Any = None
    position: int = 0
    priority: int | None = None
    step_ids: list[Ref] | None = Field(default=None, max_length=MAX_ITEMS)
    card_ids: list[Ref] | None = Field(default=None, max_length=MAX_ITEMS)


class InMap(_Frame):
    map: InMapMeta
    stages: list[InStage] = Field(default_factory=list, max_length=MAX_ITEMS)
    steps: list[InStep] = Field(default_factory=list, max_length=MAX_ITEMS)
    lanes: list[InLane] = Field(default_factory=list, max_length=MAX_ITEMS)
    cards: list[InCard] = Field(default_factory=list, max_length=MAX_ITEMS)
    comments: list[InComment] = Field(default_factory=list, max_length=MAX_ITEMS)
    ratings: list[InRating] = Field(default_factory=list, max_length=MAX_ITEMS)
    rounds: list[InRound] = Field(default_factory=list, max_length=MAX_ITEMS)
    chantiers: list[InChantier] = Field(default_factory=list, max_length=MAX_ITEMS)
    listenings: list[dict[str, Any]] = Field(default_factory=list, max_length=1000)  # workshop.listening.export


class InDocument(_Frame):
    format: Literal[FORMAT] = FORMAT  # type: ignore[valid-type]
    version: Literal[VERSION] = VERSION  # type: ignore[valid-type]
    workshop: InWorkshop
    participants: list[InParticipant] = Field(default_factory=list, max_length=MAX_PEOPLE)
    maps: list[InMap] = Field(default_factory=list, max_length=MAX_MAPS)


# -- errors, in the user's language ----------------------------------------------------------------


def _path(parts: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in parts)


def _where(lang: str, where: tuple[Any, ...], titles: list[str]) -> str:
    """'Card no. 4 of map “Journey” (maps.0.cards.3)' for a path in the document."""
    path = _path(where)
    if where[:1] == ("workshop",):
        return translate(lang, "impex.where.workshop", path=path)
    if len(where) >= 2 and where[0] == "participants" and isinstance(where[1], int):
        return translate(lang, "impex.where.participants", n=where[1] + 1, path=_path(where[:2]))
    if len(where) >= 2 and where[0] == "maps" and isinstance(where[1], int):
        title = titles[where[1]] if where[1] < len(titles) else str(where[1] + 1)
        if len(where) >= 4 and where[2] in SECTIONS and isinstance(where[3], int):
            item = translate(lang, f"impex.item.{where[2]}")
            return translate(
                lang, "impex.where", item=item[:1].upper() + item[1:], n=where[3] + 1, map=title, path=_path(where[:4])
            )
        return translate(lang, "impex.where.map", n=where[1] + 1, path=_path(where[:2]))
    return translate(lang, "impex.where.document", path=path or "/")


def _split(loc: tuple[Any, ...]) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """A frame error's location as (the item, the field within it)."""
    if loc[:1] == ("workshop",):
        return loc[:1], loc[1:]
    if loc[:1] == ("participants",) and len(loc) >= 2:
        return loc[:2], loc[2:]
    if loc[:1] == ("maps",) and len(loc) >= 4 and loc[2] in SECTIONS:
        return loc[:4], loc[4:]
    if loc[:1] == ("maps",) and len(loc) >= 3:
        return loc[:2], loc[2:]
    return (), loc


def _what(lang: str, error: dict[str, Any]) -> str:
    kind = error.get("type", "invalid")
    ctx = {k: v for k, v in (error.get("ctx") or {}).items() if isinstance(v, (str, int, float))}
    text = translate(lang, f"impex.err.{kind}", detail=error.get("msg", ""), **ctx)
    return text if text != f"impex.err.{kind}" else translate(lang, "impex.err.invalid")


class ImportRefused(OpError):
    """A 400 that names the item, its path and what to change."""

    def __init__(
        self,
        lang: str,
        titles: list[str],
        where: tuple[Any, ...],
        fields: tuple[Any, ...],
        what: str,
        code: str = "invalid",
    ):
        place = _where(lang, where, titles)
        if fields:
            place = translate(
                lang, "impex.error_field", where=place, field=translate(lang, "impex.field", field=_path(fields))
            )
        super().__init__(code, translate(lang, "impex.error", where=place, what=what), _path(where + fields) or None)


def _from_validation(
    lang: str, titles: list[str], exc: ValidationError, where: tuple[Any, ...] | None = None
) -> ImportRefused:
    first = exc.errors()[0]
    loc = tuple(first.get("loc", ()))
    item, fields = (where, loc) if where is not None else _split(loc)
    code = "too_large" if first.get("type") == "too_long" and not fields else "invalid"
    return ImportRefused(lang, titles, item, fields, _what(lang, first), code)


def _raw_titles(body: dict[str, Any]) -> list[str]:
    maps = body.get("maps") if isinstance(body.get("maps"), list) else []
    return [
        str(m["map"].get("title", "")) if isinstance(m, dict) and isinstance(m.get("map"), dict) else "" for m in maps
    ]


def read_document(data: bytes | dict[str, Any], lang: str) -> InDocument:
    """The document's frame (from the body's bytes, or an already parsed dict), or a 400 saying what
    is wrong with the file."""
    try:
        body = json.loads(data) if isinstance(data, (bytes, str)) else data
    except RecursionError:
        raise OpError("invalid", translate(lang, "impex.err.too_deep")) from None
    except (ValueError, UnicodeDecodeError):
        raise OpError("invalid", translate(lang, "impex.err.body")) from None
    if not isinstance(body, dict):
        raise OpError("invalid", translate(lang, "impex.err.body"))
    if body.get("format", FORMAT) != FORMAT or body.get("version", VERSION) != VERSION:
        raise OpError("invalid", translate(lang, "impex.err.format"), "format")
    try:
        doc = InDocument.model_validate(body)
    except RecursionError:
        raise OpError("invalid", translate(lang, "impex.err.too_deep")) from None
    except ValidationError as exc:
        raise _from_validation(lang, _raw_titles(body), exc) from None
    total = sum(len(getattr(m, s)) for m in doc.maps for s in SECTIONS) + sum(
        len(r.votes or []) + sum(x.votes for x in r.results or []) for m in doc.maps for r in m.rounds
    )
    if total > MAX_ITEMS:
        raise OpError("too_large", translate(lang, "impex.err.too_many", max=f"{MAX_ITEMS:,}".replace(",", " ")))
    return doc


# -- 2. the plan: the ops that rebuild the document ------------------------------------------------


@dataclass
class PlannedOp:
    map_index: int
    who: str | None  # the document's participant id; None: the (new) facilitator
    raw: dict[str, Any]  # type and fields, with the new ids
    where: tuple[Any, ...]  # the item's path in the document


@dataclass
class Plan:
    doc: InDocument
    lang: str
    titles: list[str]
    ops: list[PlannedOp] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    ids: dict[str, str] = field(default_factory=dict)  # the document's ids → the new ones (for sections
    #                                                   loaded after the ops, e.g. listenings)


CHANTIER_CONTENT = tuple(name for name in ChantierFields.model_fields if name not in ("step_ids", "card_ids"))


class _Planner:
    def __init__(self, doc: InDocument, lang: str):
        self.doc, self.lang = doc, lang
        self.locale = doc.workshop.locale if doc.workshop.locale in ("fr", "en") else "fr"
        self.titles = [str(m.map.title or "") for m in doc.maps]
        self.plan = Plan(doc, lang, self.titles)
        self.ids: dict[str, str] = self.plan.ids
        self.people = {p.id: p for p in doc.participants}
        self.lead = next((p.id for p in doc.participants if p.role == "facilitator"), None)

    # helpers
    def refuse(self, where: tuple[Any, ...], fields: tuple[Any, ...], key: str, **values: Any) -> ImportRefused:
        return ImportRefused(self.lang, self.titles, where, fields, translate(self.lang, key, **values))

    def new(self, old: str, where: tuple[Any, ...]) -> str:
        if old in self.ids:
            raise self.refuse(where, ("id",), "impex.err.duplicate_id", ref=old)
        self.ids[old] = new = str(uuid.uuid4())
        return new

    def ref(self, old: str, where: tuple[Any, ...], name: str) -> str:
        new = self.ids.get(old)
        if new is None:
            raise self.refuse(where, (name,), "impex.err.unknown_ref", ref=old)
        return new

    def writer(self, person: str | None) -> str | None:
        """Who sends an op made by `person`: itself when it may write, else the facilitator."""
        p = self.people.get(person or "")
        if p is None or p.role == "observer" or p.id == self.lead:
            return None
        return p.id

    def add(self, m: int, who: str | None, where: tuple[Any, ...], type_: str, **fields: Any) -> None:
        """One op of the plan, checked now by its type's schema (the board's rules)."""
        fields = {k: v for k, v in fields.items() if v is not None or k in ("step_id", "score")}
        try:
            REGISTRY[type_].schema.model_validate(fields)
        except ValidationError as exc:
            raise _from_validation(self.lang, self.titles, exc, where) from None
        self.plan.ops.append(PlannedOp(m, who, {"type": type_, **fields}, where))

    def dropped(self, m: int, count: int) -> None:
        if count:
            self.plan.notes.append(translate(self.lang, "impex.note.dropped_refs", map=self.titles[m], n=count))

    # the whole document
    def run(self) -> Plan:
        self._check_frame()
        for m, doc_map in enumerate(self.doc.maps):
            self._plan_map(m, doc_map)
        return self.plan

    def _check_frame(self) -> None:
        w = self.doc.workshop
        try:
            services.WorkshopCreate.model_validate(
                {"title": w.title, "objective": w.objective or "", "locale": w.locale}
            )
        except ValidationError as exc:
            raise _from_validation(self.lang, self.titles, exc, ("workshop",)) from None
        for i, p in enumerate(self.doc.participants):
            body = {
                "code": "import",
                "name": p.name,
                "department": p.department,
                "perspective": p.perspective,
                "role": "observer" if p.role == "observer" else "participant",
            }
            try:
                services.JoinRequest.model_validate({k: v for k, v in body.items() if v is not None})
            except ValidationError as exc:
                raise _from_validation(self.lang, self.titles, exc, ("participants", i)) from None
            if p.role == "facilitator" and p.id != self.lead:
                self.plan.notes.append(translate(self.lang, "impex.note.cofacilitator", name=p.name))
        for m, doc_map in enumerate(self.doc.maps):
            try:
                services.MapCreate.model_validate({"title": doc_map.map.title, "map_type": doc_map.map.type})
            except ValidationError as exc:
                raise _from_validation(self.lang, self.titles, exc, ("maps", m, "map")) from None

    def _plan_map(self, m: int, d: InMap) -> None:
        self._plan_structure(m, d)
        self._plan_cards(m, d)
        self._plan_chantiers(m, d)
        self._plan_comments(m, d)
        self._plan_ratings(m, d)
        self._plan_rounds(m, d)
        self._plan_meta(m, d)

    def _plan_structure(self, m: int, d: InMap) -> None:
        stages = sorted(enumerate(d.stages), key=lambda x: x[1].position)
        for i, st in stages:
            where = ("maps", m, "stages", i)
            self.add(m, None, where, "stage.add", id=self.new(st.id, where), title=st.title)
        stage_rank = {st.id: rank for rank, (_, st) in enumerate(stages)}
        for i, st in enumerate(d.steps):  # a step's stage must exist: checked before ordering
            if st.stage_id is not None and st.stage_id not in stage_rank:
                raise self.refuse(("maps", m, "steps", i), ("stage_id",), "impex.err.unknown_ref", ref=st.stage_id)
        steps = sorted(
            enumerate(d.steps), key=lambda x: (stage_rank.get(x[1].stage_id or "", len(stages)), x[1].position)
        )
        for i, st in steps:
            where = ("maps", m, "steps", i)
            stage = self.ref(st.stage_id, where, "stage_id") if st.stage_id is not None else None
            self.add(
                m,
                None,
                where,
                "step.add",
                id=self.new(st.id, where),
                title=st.title,
                description=st.description,
                stage_id=stage,
            )
        for i, lane in sorted(enumerate(d.lanes), key=lambda x: x[1].position):
            where = ("maps", m, "lanes", i)
            self.add(m, None, where, "lane.add", id=self.new(lane.id, where), title=lane.title, kind=lane.kind)
        for i, st in steps:
            if st.key_moment:
                self.add(m, None, ("maps", m, "steps", i), "step.update", id=self.ids[st.id], key_moment=True)

    def _plan_cards(self, m: int, d: InMap) -> None:
        """Each cell's cards in position order, so that every card.add appends (no renumbering); a card
        that builds on one made later gets its link by card.update once both exist, in creation order
        (then the engine's loop check walks one link). Loops are refused before anything is made."""
        cards = d.cards
        for i, c in enumerate(cards):
            self.new(c.id, ("maps", m, "cards", i))
        self._refuse_loops(m, cards)
        order = sorted(range(len(cards)), key=lambda i: (cards[i].lane_id, cards[i].step_id, cards[i].position))
        made: set[str] = set()
        later: list[int] = []
        dropped = 0
        for i in order:
            c, where = cards[i], ("maps", m, "cards", i)
            hidden = c.text is None and (c.hidden or c.visibility == "author")
            builds_on = None
            if c.builds_on is not None and c.builds_on not in self.ids:
                dropped += 1  # on a card deleted before the export
            elif c.builds_on is not None and c.builds_on in made:
                builds_on = self.ids[c.builds_on]
            elif c.builds_on is not None:
                later.append(i)
            self.add(
                m,
                self.writer(c.author_id),
                where,
                "card.add",
                id=self.ids[c.id],
                lane_id=self.ref(c.lane_id, where, "lane_id"),
                step_id=self.ref(c.step_id, where, "step_id"),
                kind=c.kind,
                text=translate(self.locale, "impex.hidden_card") if hidden else c.text,
                perspective=c.perspective,
                channel=c.channel,
                builds_on=builds_on,
                visibility="author" if hidden else c.visibility,
            )
            made.add(c.id)
        for i in self._in_order(later, order):
            c = cards[i]
            self.add(
                m,
                self.writer(c.author_id),
                ("maps", m, "cards", i),
                "card.update",
                id=self.ids[c.id],
                builds_on=self.ids[c.builds_on],
            )
        for i, c in enumerate(cards):
            if c.selected and not (c.hidden or c.visibility == "author"):
                self.add(m, None, ("maps", m, "cards", i), "card.update", id=self.ids[c.id], selected=True)
        self.dropped(m, dropped)

    @staticmethod
    def _in_order(items: list[int], order: list[int]) -> list[int]:
        rank = {i: r for r, i in enumerate(order)}
        return sorted(items, key=rank.__getitem__)

    def _refuse_loops(self, m: int, cards: list[InCard]) -> None:
        """Cards building on each other in a loop (the board never makes one); linear time: each card
        names at most one other, so following the links visits each card once."""
        index = {c.id: i for i, c in enumerate(cards)}
        state = [0] * len(cards)  # 0 not seen, 1 on the chain being followed, 2 checked
        for start in range(len(cards)):
            chain, i = [], start
            while i is not None and state[i] == 0:
                state[i] = 1
                chain.append(i)
                parent = cards[i].builds_on
                i = index.get(parent) if parent is not None else None
            if i is not None and state[i] == 1:
                raise self.refuse(("maps", m, "cards", i), ("builds_on",), "impex.err.loop")
            for j in chain:
                state[j] = 2

    def _plan_chantiers(self, m: int, d: InMap) -> None:
        dropped = 0
        for i, c in sorted(enumerate(d.chantiers), key=lambda x: x[1].position):
            where = ("maps", m, "chantiers", i)
            extra = c.model_extra or {}
            content = {name: extra[name] for name in CHANTIER_CONTENT if extra.get(name) is not None}
            links = {}
            for name in ("step_ids", "card_ids"):
                olds = getattr(c, name)
                if olds is not None:
                    links[name] = [self.ids[x] for x in olds if x in self.ids]
                    dropped += len(olds) - len(links[name])
            new_id = self.new(c.id, where)
            whole = {"id": new_id, "title": c.title, **content, **links}
            if len(json.dumps(whole, ensure_ascii=False).encode()) <= engine.MAX_OP_BYTES // 2:
                self.add(m, None, where, "chantier.add", **whole)
            else:  # long texts: one field per op, as the board sends them (an op is at most 64 kB)
                self.add(m, None, where, "chantier.add", id=new_id, title=c.title, **links)
                for name, value in content.items():
                    self.add(m, None, where, "chantier.update", id=new_id, **{name: value})
            if c.priority is not None:
                self.add(m, None, where, "chantier.update", id=new_id, priority=c.priority)
        self.dropped(m, dropped)

    def _plan_comments(self, m: int, d: InMap) -> None:
        dropped = 0
        for i, c in enumerate(d.comments):
            where = ("maps", m, "comments", i)
            target = self.ids.get(c.target_id)
            if target is None:  # on an item deleted before the export
                dropped += 1
                continue
            self.add(
                m,
                self.writer(c.author_id),
                where,
                "comment.add",
                id=self.new(c.id, where),
                target_id=target,
                text=c.text,
            )
        self.dropped(m, dropped)

    def _plan_ratings(self, m: int, d: InMap) -> None:
        dropped = 0
        for i, r in enumerate(d.ratings):
            step = self.ids.get(r.step_id)
            rater = self.people.get(r.participant_id)
            if step is None or rater is None or rater.role == "observer":
                dropped += 1
                continue
            self.add(
                m, self.writer(r.participant_id), ("maps", m, "ratings", i), "emotion.set", step_id=step, score=r.score
            )
        self.dropped(m, dropped)

    def _plan_rounds(self, m: int, d: InMap) -> None:
        dropped = 0
        for i, r in enumerate(d.rounds):
            where = ("maps", m, "rounds", i)
            round_id = self.new(r.id, where)
            self.add(
                m,
                None,
                where,
                "round.open",
                id=round_id,
                target=r.target,
                budget=r.budget,
                max_per_item=r.max_per_item,
                secret=r.secret,
                card_kind=r.card_kind,
            )
            if r.votes is not None:
                for j, v in enumerate(r.votes):
                    target, voter = self.ids.get(v.target_id), self.people.get(v.participant_id)
                    if target is None or voter is None or voter.role == "observer":
                        dropped += 1
                        continue
                    self.add(
                        m,
                        self.writer(v.participant_id),
                        where + ("votes", j),
                        "vote.cast",
                        round_id=round_id,
                        target_id=target,
                    )
            elif r.secret and r.open:
                self.plan.notes.append(translate(self.lang, "impex.note.secret_open", map=self.titles[m]))
            elif r.secret and r.results:
                dropped += self._spread(m, where, r, round_id)
            if not r.open:
                self.add(m, None, where, "round.close", id=round_id)
        self.dropped(m, dropped)

    def _spread(self, m: int, where: tuple[Any, ...], r: InRound, round_id: str) -> int:
        """A closed secret round's totals as votes from as many voters as it had: each dot goes to the
        voter with the most dots left who may still put one on that target (largest first, which fills
        every voter before any gets a second dot). Answers how many dots could not be placed."""
        budget = r.budget if isinstance(r.budget, int) and r.budget > 0 else 1
        cap = r.max_per_item if isinstance(r.max_per_item, int) and r.max_per_item > 0 else budget
        people = [p.id for p in self.doc.participants if p.role != "observer" and p.id != self.lead]
        people += [self.lead] if self.lead else []  # the facilitator votes too, last
        results = [x for x in r.results or [] if x.target_id in self.ids and x.votes > 0]
        total = sum(x.votes for x in results)
        wanted = r.voters if r.voters else -(-total // budget)
        voters = people[: max(1, min(wanted, len(people)))]
        heap = [(-budget, rank, pid) for rank, pid in enumerate(voters)]
        heapq.heapify(heap)
        missing = 0
        for x in sorted(results, key=lambda x: -x.votes):
            left, held = x.votes, []
            while left and heap:
                neg, rank, pid = heapq.heappop(heap)
                give = min(cap, -neg, left)
                for _ in range(give):
                    self.add(
                        m,
                        None if pid == self.lead else pid,
                        where,
                        "vote.cast",
                        round_id=round_id,
                        target_id=self.ids[x.target_id],
                    )
                left -= give
                if -neg - give > 0:
                    held.append((neg + give, rank, pid))
            for item in held:
                heapq.heappush(heap, item)
            missing += left
        self.plan.notes.append(translate(self.lang, "impex.note.secret_spread", map=self.titles[m]))
        return missing

    def _plan_meta(self, m: int, d: InMap) -> None:
        meta, where = d.map, ("maps", m, "map")
        if meta.phase != "setup":
            self.add(m, None, where, "phase.set", phase=meta.phase)
        if meta.focus_step_id is not None:
            self.add(m, None, where, "focus.set", step_id=self.ref(meta.focus_step_id, where, "focus_step_id"))
        if meta.silent_writing:
            self.add(m, None, where, "board.silent", silent=True)
        if meta.structure_edits != "all":
            self.add(m, None, where, "board.settings", structure_edits=meta.structure_edits)
        if meta.locked:
            self.add(m, None, where, "board.lock", locked=True)


def plan(doc: InDocument, lang: str) -> Plan:
    """Every op that rebuilds `doc`, each already validated; raises ImportRefused."""
    return _Planner(doc, lang).run()


# -- 3. applying the plan --------------------------------------------------------------------------


class _Refused(Exception):
    def __init__(self, planned: PlannedOp, error: dict[str, Any]):
        super().__init__(error.get("message"))
        self.planned, self.error = planned, error


def import_workshop(
    db: Database,
    data: bytes | dict[str, Any],
    base_url: str,
    lang: str = "fr",
    pause: Callable[[float], None] = lambda _seconds: None,
) -> dict[str, Any]:
    """A new workshop from a workshop.json body; the answer of POST /api/workshops plus `imported`."""
    doc = read_document(data, lang)
    the_plan = plan(doc, lang)
    first = doc.maps[0].map if doc.maps else None
    lead = next((p.name for p in doc.participants if p.role == "facilitator"), None)
    answer, facilitator = services.create_workshop(
        db,
        {
            "title": doc.workshop.title,
            "objective": doc.workshop.objective or "",
            "locale": doc.workshop.locale,
            "map_type": first.type if first else "journey",
        },
        base_url,
        layout=False,
        map_title=first.title if first else None,
        facilitator_name=lead,
    )
    workshop_id = answer["workshop"]["id"]
    try:
        people = _participants(db, doc, answer, facilitator)
        map_ids = [answer["map"]["id"]] + [
            services.insert_map(db, workshop_id, m.map.title, m.map.type) for m in doc.maps[1:]
        ]
        _apply(db, the_plan, map_ids, people, facilitator, pause)
        from ..listening.export import import_listenings  # Mirror listening (CONTRACT.md §7)

        for map_id, m in zip(map_ids, doc.maps):
            import_listenings(db, map_id, m.listenings, the_plan.ids)
    except _Refused as refused:
        _discard(db, workshop_id)
        p = refused.planned
        raise ImportRefused(
            lang,
            the_plan.titles,
            p.where,
            (),
            translate(lang, "impex.err.refused", detail=refused.error.get("message", "")),
        ) from None
    except BaseException:
        _discard(db, workshop_id)
        raise
    with db.read() as s:
        answer["map"] = shapes.map_(s.get(Map, answer["map"]["id"]))
    answer["imported"] = {
        "maps": len(doc.maps),
        "participants": len(doc.participants),
        "cards": sum(len(m.cards) for m in doc.maps),
        "ops": len(the_plan.ops),
        "notes": the_plan.notes,
    }
    return answer


def _apply(
    db: Database,
    the_plan: Plan,
    map_ids: list[str],
    people: dict[str, Actor],
    facilitator: Actor,
    pause: Callable[[float], None],
) -> None:
    """The plan through engine.apply_many, a slice of one map's ops per transaction. A slice is sized
    from the previous one's pace to last about SLICE_SECONDS, so that the database's write lock (and,
    under eventlet, the event loop) is handed back to the other boards that often."""
    ops, i, size = the_plan.ops, 0, SLICE_MIN_OPS
    while i < len(ops):
        m = ops[i].map_index
        end = i
        while end < len(ops) and end - i < size and ops[end].map_index == m:
            end += 1
        started = time.monotonic()
        outcome = engine.apply_many(db, map_ids[m], [(people.get(p.who or "", facilitator), p.raw) for p in ops[i:end]])
        if outcome.refused is not None:
            raise _Refused(ops[i + outcome.refused], outcome.error or {})
        took = time.monotonic() - started
        size = max(SLICE_MIN_OPS, min(SLICE_OPS, int((end - i) * SLICE_SECONDS / max(took, 1e-4))))
        i = end
        pause(0)  # between two transactions: the other boards get the database and the event loop


def _participants(db: Database, doc: InDocument, answer: dict[str, Any], facilitator: Actor) -> dict[str, Actor]:
    """Everyone again, with new ids and tokens nobody holds; the document's first facilitator is the
    new one (made by create_workshop, with its name), any other comes back as a participant."""
    people: dict[str, Actor] = {}
    lead = next((p.id for p in doc.participants if p.role == "facilitator"), None)
    for p in doc.participants:
        if p.id == lead:
            people[p.id] = facilitator
            if p.perspective in ("customer", "employee"):  # the side it chose for its own ratings
                services.set_perspective(db, facilitator, p.perspective)
            continue
        role = "observer" if p.role == "observer" else "participant"
        body = {
            "code": answer["join_code"],
            "name": p.name,
            "department": p.department,
            "perspective": p.perspective,
            "role": role,
        }
        joined = services.join(db, {k: v for k, v in body.items() if v is not None})
        with db.read() as s:
            people[p.id] = actor_of(s.get(Participant, joined["participant"]["id"]))
    return people


def _discard(db: Database, workshop_id: str) -> None:
    with db.write() as s:
        s.execute(delete(Workshop).where(Workshop.id == workshop_id))


__all__ = ["MAX_BYTES", "MAX_ITEMS", "ImportRefused", "InDocument", "Plan", "import_workshop", "plan", "read_document"]
