"""Every op's effect, replayed by the browser's own store, equals a fresh snapshot — for every viewer.

For each registered op type (and its variants: silent cards, secret rounds, emotions from each side),
each kind of viewer (the author, another participant, the facilitator, an observer) takes a snapshot,
the op is applied through the engine, the viewer's redacted events are replayed through the real
`static/js/store.js` under Node, and the result must equal the snapshot that viewer gets afterwards.
A registered op type without a case fails the coverage test: a new op cannot drift silently.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from workshop import event_types, views
from workshop.db import Database
from workshop.models import Map
from workshop.ops import REGISTRY
from workshop.ops.base import Actor

from .conftest import Board, make_board, need
from .replay import normalised, replay


@dataclass
class Scene:
    """A journey map with a facilitator, a customer, an employee and an observer."""

    board: Board
    alice: Actor
    bob: Actor
    observer: Actor
    lane: str
    step: str
    step2: str

    @property
    def fac(self) -> Actor:
        return self.board.facilitator

    def ok(self, actor: Actor, type_: str, **fields: Any) -> dict[str, Any]:
        return self.board.ok(actor, type_, **fields)

    def card(self, actor: Actor | None = None, **fields: Any) -> dict[str, Any]:
        fields = {"lane_id": self.lane, "step_id": self.step, "kind": "idea", "text": "Une idée", **fields}
        return self.ok(actor or self.alice, "card.add", **fields)

    def round(self, **fields: Any) -> dict[str, Any]:
        return self.ok(self.fac, "round.open", **{"target": "card", "budget": 3, **fields})


Case = Callable[[Scene], tuple[Actor, str, dict[str, Any]]]


def _vote_then_close(s: Scene, secret: bool) -> dict[str, Any]:
    idea = s.card()
    r = s.round(secret=secret)
    s.ok(s.alice, "vote.cast", round_id=r["id"], target_id=idea["id"])
    s.ok(s.bob, "vote.cast", round_id=r["id"], target_id=idea["id"])
    return r


def _cast_in(s: Scene, secret: bool) -> tuple[Actor, str, dict[str, Any]]:
    idea = s.card()
    r = s.round(secret=secret)
    s.ok(s.bob, "vote.cast", round_id=r["id"], target_id=idea["id"])
    return s.alice, "vote.cast", {"round_id": r["id"], "target_id": idea["id"]}


def _retract_in(s: Scene, secret: bool) -> tuple[Actor, str, dict[str, Any]]:
    actor, _, fields = _cast_in(s, secret)
    s.ok(actor, "vote.cast", **fields)
    return actor, "vote.retract", fields


def _promote(s: Scene, target: str) -> tuple[Actor, str, dict[str, Any]]:
    ids = {
        "card": lambda: s.card()["id"],
        "step": lambda: s.step,
        "chantier": lambda: s.ok(s.alice, "chantier.add", title="Fiche")["id"],
    }[target]()
    r = s.round(target=target)
    s.ok(s.alice, "vote.cast", round_id=r["id"], target_id=ids)
    s.ok(s.fac, "round.close", id=r["id"])
    return s.fac, "round.promote", {"id": r["id"], "count": 1}


def _step_delete(s: Scene) -> tuple[Actor, str, dict[str, Any]]:
    s.card()
    s.ok(s.alice, "emotion.set", step_id=s.step, score=2)
    s.ok(s.bob, "emotion.set", step_id=s.step, score=-1)
    return s.fac, "step.delete", {"id": s.step}


def _deleted(s: Scene, actor: Actor, type_: str, id_: str) -> dict[str, Any]:
    """Delete with a known op_id; answer the fields of the restore that undoes it."""
    op_id = str(uuid.uuid4())
    s.ok(actor, type_, id=id_, op_id=op_id)
    return {"id": id_, "delete_op_id": op_id}


def _card_restore(s: Scene, silent: bool) -> tuple[Actor, str, dict[str, Any]]:
    card = s.card(visibility="author" if silent else "all")
    s.ok(s.bob, "comment.add", target_id=card["id"], text="Vu aussi")
    s.card(text="Voisine")
    # The facilitator may bring back anyone's card (a face-down one stays face down).
    actor = s.fac if silent else s.alice
    return actor, "card.restore", _deleted(s, actor, "card.delete", card["id"])


def _step_restore(s: Scene) -> tuple[Actor, str, dict[str, Any]]:
    s.card(visibility="author")
    s.ok(s.alice, "comment.add", target_id=s.step, text="Sur l’étape")
    s.ok(s.alice, "emotion.set", step_id=s.step, score=2)
    s.ok(s.bob, "emotion.set", step_id=s.step, score=-1)
    s.ok(s.fac, "emotion.set", step_id=s.step, score=1)
    return s.fac, "step.restore", _deleted(s, s.fac, "step.delete", s.step)


def _lane_restore(s: Scene) -> tuple[Actor, str, dict[str, Any]]:
    card = s.card()
    s.ok(s.bob, "comment.add", target_id=card["id"], text="+1")
    s.card(visibility="author", step_id=s.step2)
    return s.fac, "lane.restore", _deleted(s, s.fac, "lane.delete", s.lane)


def _stage_restore(s: Scene) -> tuple[Actor, str, dict[str, Any]]:
    stage_id = s.ok(s.fac, "step.update", id=s.step)["stage_id"]
    return s.fac, "stage.restore", _deleted(s, s.fac, "stage.delete", stage_id)


def _winners(s: Scene) -> tuple[Actor, str, dict[str, Any]]:
    idea = s.card(text="Remboursement en 24 h")
    r = s.ok(s.fac, "round.open", target="card", budget=3)
    s.ok(s.alice, "vote.cast", round_id=r["id"], target_id=idea["id"])
    s.ok(s.fac, "round.close", id=r["id"])
    s.ok(s.fac, "round.promote", id=r["id"], count=1)
    return s.fac, "chantier.from_winners", {}


def _paused(s: Scene) -> Actor:
    s.ok(s.fac, "timer.start", seconds=120, label="Silence")
    return s.ok(s.fac, "timer.pause") and s.fac


CASES: dict[str, tuple[str, Case]] = {
    "card.add": (
        "card.add",
        lambda s: (s.alice, "card.add", {"lane_id": s.lane, "step_id": s.step, "kind": "irritant", "text": "Attente"}),
    ),
    "card.add silent": (
        "card.add",
        lambda s: (
            s.alice,
            "card.add",
            {"lane_id": s.lane, "step_id": s.step, "kind": "idea", "text": "En silence", "visibility": "author"},
        ),
    ),
    "card.update": ("card.update", lambda s: (s.bob, "card.update", {"id": s.card()["id"], "text": "Reformulée"})),
    "card.update silent": (
        "card.update",
        lambda s: (s.alice, "card.update", {"id": s.card(visibility="author")["id"], "text": "Toujours cachée"}),
    ),
    "card.move": (
        "card.move",
        lambda s: (s.bob, "card.move", {"id": s.card()["id"], "lane_id": s.lane, "step_id": s.step2, "position": 0}),
    ),
    "card.delete": ("card.delete", lambda s: (s.fac, "card.delete", {"id": s.card()["id"]})),
    "cards.reveal": ("cards.reveal", lambda s: (s.card(visibility="author") and s.fac, "cards.reveal", {})),
    "comment.add": ("comment.add", lambda s: (s.bob, "comment.add", {"target_id": s.card()["id"], "text": "+1"})),
    "comment.delete": (
        "comment.delete",
        lambda s: (
            s.alice,
            "comment.delete",
            {"id": s.ok(s.alice, "comment.add", target_id=s.card()["id"], text="Oups")["id"]},
        ),
    ),
    "chantier.add": (
        "chantier.add",
        lambda s: (s.alice, "chantier.add", {"title": "Caution express", "step_ids": [s.step]}),
    ),
    "chantier.update": (
        "chantier.update",
        lambda s: (
            s.bob,
            "chantier.update",
            {"id": s.ok(s.alice, "chantier.add", title="Fiche")["id"], "owner": "Camille", "effort": 2},
        ),
    ),
    "chantier.delete": (
        "chantier.delete",
        lambda s: (s.fac, "chantier.delete", {"id": s.ok(s.alice, "chantier.add", title="Fiche")["id"]}),
    ),
    "emotion.set customer": ("emotion.set", lambda s: (s.alice, "emotion.set", {"step_id": s.step, "score": -2})),
    "emotion.set employee": (
        "emotion.set",
        lambda s: (
            s.ok(s.alice, "emotion.set", step_id=s.step, score=2) and s.bob,
            "emotion.set",
            {"step_id": s.step, "score": 1},
        ),
    ),
    "emotion.set facilitator without a side": (
        "emotion.set",
        lambda s: (s.fac, "emotion.set", {"step_id": s.step, "score": 1}),
    ),
    "emotion.set cleared": (
        "emotion.set",
        lambda s: (
            s.ok(s.alice, "emotion.set", step_id=s.step, score=2) and s.alice,
            "emotion.set",
            {"step_id": s.step, "score": None},
        ),
    ),
    "phase.set": ("phase.set", lambda s: (s.fac, "phase.set", {"phase": "ideation"})),
    "board.lock": ("board.lock", lambda s: (s.fac, "board.lock", {"locked": True})),
    "board.silent": ("board.silent", lambda s: (s.fac, "board.silent", {"silent": True})),
    "focus.set": ("focus.set", lambda s: (s.fac, "focus.set", {"step_id": s.step2})),
    "timer.start": ("timer.start", lambda s: (s.fac, "timer.start", {"seconds": 300, "label": "Silence"})),
    "timer.stop": ("timer.stop", lambda s: (s.ok(s.fac, "timer.start", seconds=60) and s.fac, "timer.stop", {})),
    "stage.add": ("stage.add", lambda s: (s.fac, "stage.add", {"title": "Fidélisation", "position": 0})),
    "stage.update": (
        "stage.update",
        lambda s: (
            s.fac,
            "stage.update",
            {"id": s.ok(s.fac, "stage.add", title="Nouvelle")["id"], "title": "Renommée", "position": 0},
        ),
    ),
    "stage.delete": (
        "stage.delete",
        lambda s: (s.fac, "stage.delete", {"id": s.ok(s.fac, "step.update", id=s.step)["stage_id"]}),
    ),
    "step.add": ("step.add", lambda s: (s.alice, "step.add", {"title": "Relance", "position": 0})),
    "step.update": (
        "step.update",
        lambda s: (s.fac, "step.update", {"id": s.step, "key_moment": True, "description": "Moment clé"}),
    ),
    "step.move": ("step.move", lambda s: (s.fac, "step.move", {"id": s.step, "position": 1})),
    "step.delete": ("step.delete", _step_delete),
    "lane.add": ("lane.add", lambda s: (s.fac, "lane.add", {"title": "Promesse", "position": 1})),
    "lane.update": ("lane.update", lambda s: (s.fac, "lane.update", {"id": s.lane, "title": "Actions"})),
    "lane.move": ("lane.move", lambda s: (s.fac, "lane.move", {"id": s.lane, "position": 2})),
    "lane.delete": ("lane.delete", lambda s: (s.card() and s.fac, "lane.delete", {"id": s.lane})),
    "round.open": ("round.open", lambda s: (s.fac, "round.open", {"target": "step", "budget": 3})),
    "round.open secret": (
        "round.open",
        lambda s: (s.fac, "round.open", {"target": "card", "budget": 2, "secret": True}),
    ),
    "round.close": ("round.close", lambda s: (s.fac, "round.close", {"id": _vote_then_close(s, False)["id"]})),
    "round.close secret": ("round.close", lambda s: (s.fac, "round.close", {"id": _vote_then_close(s, True)["id"]})),
    "round.promote card": ("round.promote", lambda s: _promote(s, "card")),
    "round.promote step": ("round.promote", lambda s: _promote(s, "step")),
    "round.promote chantier": ("round.promote", lambda s: _promote(s, "chantier")),
    "vote.cast": ("vote.cast", lambda s: _cast_in(s, False)),
    "vote.cast secret": ("vote.cast", lambda s: _cast_in(s, True)),
    "vote.retract": ("vote.retract", lambda s: _retract_in(s, False)),
    "vote.retract secret": ("vote.retract", lambda s: _retract_in(s, True)),
    "chantier.update base_version": (
        "chantier.update",
        lambda s: (
            s.bob,
            "chantier.update",
            {
                "id": (sheet := s.ok(s.alice, "chantier.add", title="Fiche"))["id"],
                "problem": "Attente",
                "base_version": sheet["version"],
            },
        ),
    ),
    "chantier.from_winners": ("chantier.from_winners", _winners),
    "timer.pause": ("timer.pause", lambda s: (s.ok(s.fac, "timer.start", seconds=120) and s.fac, "timer.pause", {})),
    "timer.resume": ("timer.resume", lambda s: (_paused(s), "timer.resume", {})),
    "timer.extend": (
        "timer.extend",
        lambda s: (s.ok(s.fac, "timer.start", seconds=120) and s.fac, "timer.extend", {"seconds": 60}),
    ),
    "timer.extend paused": ("timer.extend", lambda s: (_paused(s), "timer.extend", {})),
    "board.settings": ("board.settings", lambda s: (s.fac, "board.settings", {"structure_edits": "facilitator"})),
    "card.restore": ("card.restore", lambda s: _card_restore(s, silent=False)),
    "card.restore silent": ("card.restore", lambda s: _card_restore(s, silent=True)),
    "step.restore": ("step.restore", _step_restore),
    "lane.restore": ("lane.restore", _lane_restore),
    "stage.restore": ("stage.restore", _stage_restore),
}


def _snapshot(board: Board, viewer: Actor) -> dict[str, Any]:
    with board.db.read() as s:
        return views.snapshot_for(s, s.get(Map, board.map_id), viewer)


def _events(board: Board, viewer: Actor, since: int) -> list[dict[str, Any]]:
    with board.db.read() as s:
        answer = views.events_since(s, s.get(Map, board.map_id), since, viewer, replay_limit=10_000)
    return answer["events"]


@pytest.fixture
def scene(sqlite_url) -> Scene:
    need(shutil.which("node") is not None, "node is needed to run static/js/store.js")
    database = Database(sqlite_url)
    database.migrate()
    board = make_board(database)
    alice, bob = board.join("Alice", "customer"), board.join("Bob", "employee")
    observer = board.join("Projecteur", role="observer")
    snap = _snapshot(board, board.facilitator)
    yield Scene(board, alice, bob, observer, snap["lanes"][0]["id"], snap["steps"][0]["id"], snap["steps"][1]["id"])
    database.dispose()


def test_every_registered_op_type_has_a_replay_case():
    assert set(REGISTRY) - {type_ for type_, _ in CASES.values()} == set()


def test_every_registered_op_type_declares_its_event_data():
    assert set(REGISTRY) - set(event_types.EVENT_DATA) == set(), "add a model to workshop/event_types.py"
    assert set(event_types.EVENT_DATA) - set(REGISTRY) == set(), "a model for an op type that does not exist"


@pytest.mark.parametrize("name", list(CASES))
def test_store_js_replays_each_op_to_the_snapshot_every_viewer_gets_next(scene, name):
    type_, prepare = CASES[name]
    actor, sent_type, fields = prepare(scene)
    assert sent_type == type_
    viewers = {
        "author": actor,
        "alice": scene.alice,
        "bob": scene.bob,
        "facilitator": scene.fac,
        "observer": scene.observer,
    }
    before = {who: _snapshot(scene.board, v) for who, v in viewers.items()}
    scene.ok(actor, type_, **fields)
    after = {who: _snapshot(scene.board, v) for who, v in viewers.items()}
    assert any(normalised(before[w]) != normalised(after[w]) for w in viewers), "the op changed nothing"
    scenarios = [
        {"me": v.id, "snapshot": before[who], "events": _events(scene.board, v, before[who]["seq"])}
        for who, v in viewers.items()
    ]
    for scenario in scenarios:
        for event in scenario["events"]:  # each viewer's (redacted) copy has its declared shape
            event_types.check_event(event)
    for who, replayed in zip(viewers, replay(scenarios)):
        assert normalised(replayed) == normalised(after[who]), f"{name}: the {who}'s store drifted"


def test_the_openapi_document_publishes_each_op_types_event_data():
    from workshop.openapi import openapi_document

    schemas = openapi_document()["components"]["schemas"]
    for type_, model in event_types.EVENT_DATA.items():
        ref = schemas["op_" + type_.replace(".", "_")]["x-event-data"]["$ref"]
        assert schemas[ref.rsplit("/", 1)[1]]["properties"].keys() == model.model_fields.keys(), type_


def test_an_unredacted_copy_does_not_pass_for_what_a_viewer_receives(scene):
    """The models describe the redacted data: the rater of an emotion.set as stored must not pass."""
    scene.ok(scene.alice, "emotion.set", step_id=scene.step, score=2)
    with scene.board.db.read() as s:
        stored = s.query(views.OpLog).filter_by(map_id=scene.board.map_id, type="emotion.set").one().data
    with pytest.raises(ValueError, match="rater_id"):
        event_types.check("emotion.set", stored)
    event_types.check("emotion.set", views.redact_data("emotion.set", stored, scene.bob))
