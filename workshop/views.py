"""What each viewer may see: snapshots, events and sync, redacted per viewer.

Every viewer-specific rule lives here and nowhere else:
- a face-down card (`visibility: author`) shows its text to its author only;
- in a secret round nobody but the voter sees a vote's target or voter (nor the event's `actor_id`),
  nobody at all sees totals until it closes (vote data carries none), only how many have voted;
- an emotion's `mine` is the viewer's own score; nobody else's copy of an `emotion.set` names the
  rater (no `actor_id`, no rater id, no score): averages and counts per side are public in the
  workshop, who gave which score is not (docs/security.md); individual scores go to the
  facilitator's exports only;
- a facilitator without a side rates for itself only: its ratings count in no average (`UNCOUNTED`).
- what a delete keeps for its undo (`kept`, ops/kept.py) never leaves the server: no event, ack or
  sync carries it; a `*.restore` shows its cards as `card.add` does, and a restored step's ratings
  as each viewer's own `mine` (like a snapshot), never who gave which score.
`redact_data` is a pure function of (op type, data, viewer); events are stored unredacted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from . import shapes
from .lists import RESONANCE, RESONANCE_THRESHOLD, SIDES, UNCOUNTED  # noqa: F401  (views.SIDES: ops/emotions.py)
from .models import Card, Chantier, Comment, Emotion, Lane, Map, OpLog, Participant, Round, Stage, Step, Vote, iso
from .ops.base import Actor

# -- redaction ------------------------------------------------------------------------------------


def redact_card(card: dict[str, Any], viewer: Actor) -> dict[str, Any]:
    if card.get("visibility") == "author" and card.get("author_id") != viewer.id:
        return {**card, "text": None, "hidden": True}
    return card


def _redact_vote(data: dict[str, Any], viewer: Actor) -> dict[str, Any]:
    if not data.get("secret"):
        return data
    if data.get("participant_id") != viewer.id:
        return {**data, "target_id": None, "participant_id": None, "target_votes": None, "remaining": None}
    # ops/voting.py stores no total for a secret round; events logged before it did still had one.
    return data if data.get("target_votes") is None else {**data, "target_votes": None}


def _redact_emotion(data: dict[str, Any], viewer: Actor) -> dict[str, Any]:
    rater = data.get("rater_id")
    shown = {k: v for k, v in data.items() if k not in ("rater_id", "score")}
    shown["mine"] = data.get("score") if rater == viewer.id else None
    return shown


def _redact_restore(data: dict[str, Any], viewer: Actor) -> dict[str, Any]:
    shown = {k: v for k, v in data.items() if k != "ratings"}
    if "cards" in data:
        shown["cards"] = [redact_card(c, viewer) for c in data["cards"]]
    if "emotions" in data:
        step_id = data["step"]["id"]
        mine = {
            (step_id, r["perspective"]): r["score"]
            for r in data.get("ratings") or []
            if r["participant_id"] == viewer.id
        }
        shown["emotions"] = _emotion_rows(data["emotions"], mine)
    return shown


def _secret_vote(data: dict[str, Any]) -> bool:
    return bool(data.get("secret"))


def _face_up(data: dict[str, Any]) -> bool:
    return data.get("visibility") != "author"


# Op types whose rules (below) leave the event unchanged for every viewer when the predicate holds:
# a face-up card, a vote in an open round. tests/test_redaction.py holds each to `redact`.
_SAME_FOR_ALL: dict[str, Callable[[dict[str, Any]], bool]] = {
    "card.add": _face_up,
    "card.update": _face_up,
    "card.move": _face_up,
    "vote.cast": lambda data: not _secret_vote(data),
    "vote.retract": lambda data: not _secret_vote(data),
}


def same_for_everyone(type_: str, data: dict[str, Any]) -> bool:
    """True when every viewer's copy is the event itself (`redact(event, v) == event` for any v): it
    then goes to the whole room in one emit, without reading who is in the room."""
    if type_ not in _RULES and type_ not in _ACTOR_HIDDEN:
        return True
    same = _SAME_FOR_ALL.get(type_)
    return same is not None and same(data)


# Op types whose event names its actor only to the actor itself (when the predicate holds).
_ACTOR_HIDDEN: dict[str, Callable[[dict[str, Any]], bool]] = {
    "vote.cast": _secret_vote,
    "vote.retract": _secret_vote,
    "emotion.set": lambda data: True,
}

_RULES: dict[str, Callable[[dict[str, Any], Actor], dict[str, Any]]] = {
    "card.add": redact_card,
    "card.update": redact_card,
    "card.move": redact_card,
    "vote.cast": _redact_vote,
    "vote.retract": _redact_vote,
    "emotion.set": _redact_emotion,
    "card.restore": _redact_restore,
    "lane.restore": _redact_restore,
    "step.restore": _redact_restore,
}

# What a delete keeps for its undo (ops/kept.py): stored in the log, dropped from every copy sent.
SERVER_ONLY = "kept"


def _public(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != SERVER_ONLY} if SERVER_ONLY in data else data


def redact_data(type_: str, data: dict[str, Any], viewer: Actor) -> dict[str, Any]:
    data = _public(data)
    rule = _RULES.get(type_)
    return rule(data, viewer) if rule else data


def redact(event: dict[str, Any], viewer: Actor) -> dict[str, Any]:
    data = redact_data(event["type"], event["data"], viewer)
    hide = _ACTOR_HIDDEN.get(event["type"])
    actor_id = event.get("actor_id")
    if hide is not None and actor_id is not None and actor_id != viewer.id and hide(event["data"]):
        return {**event, "data": data, "actor_id": None}
    return event if data is event["data"] else {**event, "data": data}


def event_of(
    map_id: str, seq: int, op_id: str, type_: str, actor_id: str | None, data: dict[str, Any], ts: datetime
) -> dict[str, Any]:
    return {
        "map_id": map_id,
        "seq": seq,
        "op_id": op_id,
        "type": type_,
        "actor_id": actor_id,
        "data": _public(data),
        "ts": iso(ts),
    }


# -- sync ---------------------------------------------------------------------------------------


def events_since(
    session: Session, m: Map, since: int, viewer: Actor, replay_limit: int, online: Iterable[str] = ()
) -> dict[str, Any]:
    """Every event after `since`, in order, or a snapshot when `since` is too old (or unknown)."""
    if since < 0 or since > m.seq or m.seq - since > replay_limit:
        return {"snapshot": snapshot_for(session, m, viewer, online)}
    rows = session.scalars(select(OpLog).where(OpLog.map_id == m.id, OpLog.seq > since).order_by(OpLog.seq))
    return {"events": [redact(event_of(m.id, r.seq, r.op_id, r.type, r.actor_id, r.data, r.ts), viewer) for r in rows]}


# -- the mirror ---------------------------------------------------------------------------------

_CATEGORIES = {(customer, employee): category for category, customer, employee in RESONANCE}


def _reading(average: float | None) -> str:
    if average is None:
        return "none"
    if average >= RESONANCE_THRESHOLD:
        return "positive"
    if average <= -RESONANCE_THRESHOLD:
        return "negative"
    return "none"


def category(customer: float | None, employee: float | None) -> str | None:
    """CONTRACT.md §4, Resonance: the six situations of the customer ↔ employee mirror."""
    return _CATEGORIES.get((_reading(customer), _reading(employee)))


def emotion_summary(session: Session, map_id: str, step_id: str | None = None) -> list[dict[str, Any]]:
    """Average and count per (step, side)."""
    stmt = (
        select(Emotion.step_id, Emotion.perspective, func.avg(Emotion.score), func.count())
        .where(Emotion.map_id == map_id, Emotion.perspective.in_(SIDES))
        .group_by(Emotion.step_id, Emotion.perspective)
    )
    if step_id:
        stmt = stmt.where(Emotion.step_id == step_id)
    return [
        {"step_id": s, "perspective": p, "average": round(float(a), 2), "count": c}
        for s, p, a, c in session.execute(stmt)
    ]


def ratings_for(session: Session, map_id: str, viewer: Actor) -> list[dict[str, Any]]:
    """Individual emotion scores: the facilitator's export carries everyone's (so that an import
    gives back the same curves); anyone else sees only their own, as on the board."""
    stmt = select(Emotion).where(Emotion.map_id == map_id).order_by(Emotion.step_id, Emotion.participant_id)
    if not viewer.is_facilitator:
        stmt = stmt.where(Emotion.participant_id == viewer.id)
    return [
        {"step_id": e.step_id, "participant_id": e.participant_id, "perspective": e.perspective, "score": e.score}
        for e in session.scalars(stmt)
    ]


def resonance(summary: list[dict[str, Any]], step_ids: Iterable[str]) -> list[dict[str, Any]]:
    by_step: dict[str, dict[str, float]] = defaultdict(dict)
    for row in summary:
        by_step[row["step_id"]][row["perspective"]] = row["average"]
    out = []
    for step_id in step_ids:
        customer, employee = by_step[step_id].get("customer"), by_step[step_id].get("employee")
        out.append(
            {"step_id": step_id, "customer": customer, "employee": employee, "category": category(customer, employee)}
        )
    return out


# -- votes ----------------------------------------------------------------------------------------


def round_results(session: Session, r: Round) -> list[dict[str, Any]] | None:
    """Totals sorted by votes; hidden (None) while a secret round is open."""
    if r.secret and r.open:
        return None
    stmt = (
        select(Vote.target_id, func.count())
        .where(Vote.round_id == r.id)
        .group_by(Vote.target_id)
        .order_by(func.count().desc(), Vote.target_id)
    )
    return [{"target_id": t, "votes": n} for t, n in session.execute(stmt)]


def round_shape(session: Session, r: Round) -> dict[str, Any]:
    """A round with its results, and how many participants voted (never for what)."""
    voters = session.scalar(select(func.count(func.distinct(Vote.participant_id))).where(Vote.round_id == r.id))
    return {
        "id": r.id,
        "target": r.target,
        "budget": r.budget,
        "max_per_item": r.max_per_item,
        "secret": r.secret,
        "card_kind": r.card_kind,
        "open": r.open,
        "results": round_results(session, r),
        "voters": voters,
    }


# -- snapshot -------------------------------------------------------------------------------------


def _emotion_rows(summary: list[dict[str, Any]], mine: dict[tuple[str, str], int]) -> list[dict[str, Any]]:
    """The averages with the viewer's own score as `mine` on the row of the side it rated from; a
    rating that counts nowhere (or alone on its side's row) still shows, on a row of its own."""
    rows = [{**row, "mine": mine.get((row["step_id"], row["perspective"]))} for row in summary]
    shown = {(row["step_id"], row["perspective"]) for row in summary}
    rows += [
        {"step_id": step_id, "perspective": side, "average": None, "count": 0, "mine": score}
        for (step_id, side), score in mine.items()
        if (step_id, side) not in shown
    ]
    return rows


def snapshot_for(session: Session, m: Map, viewer: Actor, online: Iterable[str] = ()) -> dict[str, Any]:
    """The whole map as `viewer` may see it (CONTRACT.md §4)."""
    online = set(online)

    def rows(model: Any, *order: Any) -> list[Any]:
        # Plain rows (attribute access like the model's), not ORM objects: nothing here is changed, and
        # building a thousand tracked objects cost more than the queries themselves (bench/snapshot.py).
        table = model.__table__
        return list(session.execute(select(table).where(table.c.map_id == m.id).order_by(*order)))

    stages = rows(Stage, Stage.position)
    stage_order = {s.id: i for i, s in enumerate(stages)}
    steps = sorted(rows(Step, Step.position), key=lambda s: (stage_order.get(s.stage_id, len(stages)), s.position))
    summary = emotion_summary(session, m.id)
    mine = {
        (e.step_id, e.perspective): e.score
        for e in session.scalars(select(Emotion).where(Emotion.map_id == m.id, Emotion.participant_id == viewer.id))
    }
    rounds = list(session.scalars(select(Round).where(Round.map_id == m.id).order_by(Round.opened_at)))
    my_votes = session.execute(
        select(Vote.round_id, Vote.target_id)
        .join(Round, Round.id == Vote.round_id)
        .where(Round.map_id == m.id, Vote.participant_id == viewer.id)
        .order_by(Vote.ts)
    )
    participants = session.scalars(
        select(Participant).where(Participant.workshop_id == m.workshop_id).order_by(Participant.created_at)
    )
    return {
        "map": shapes.map_(m),
        "seq": m.seq,
        "stages": [shapes.stage(s) for s in stages],
        "steps": [shapes.step(s) for s in steps],
        "lanes": [shapes.lane(l) for l in rows(Lane, Lane.position)],
        "cards": [redact_card(shapes.card(c), viewer) for c in rows(Card, Card.lane_id, Card.step_id, Card.position)],
        "comments": [shapes.comment(c) for c in rows(Comment, Comment.ts)],
        "emotions": _emotion_rows(summary, mine),
        "resonance": resonance(summary, [s.id for s in steps]),
        "rounds": [round_shape(session, r) for r in rounds],
        "my_votes": [{"round_id": r, "target_id": t} for r, t in my_votes],
        "chantiers": [shapes.chantier(c) for c in rows(Chantier, Chantier.position)],
        "participants": [shapes.participant(p, p.id in online) for p in participants],
        "timer": shapes.timer(m),
    }
