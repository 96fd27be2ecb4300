"""workshop.json round trip: export → import → export gives the same document but for ids, tokens and
the dates of the import — on the demo workshop and on a workshop made with every registered op type."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from sqlalchemy import select

from workshop import demo
from workshop.auth import actor_of
from workshop.db import Database
from workshop.export import collect, json_io
from workshop.models import Emotion, Participant
from workshop.ops import REGISTRY

from .conftest import Board, make_board

_DATES = {"exported_at", "created_at", "ts", "opened_at", "closed_at"}
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def normalise(doc: Any) -> Any:
    """Dates out; every id replaced by the rank of its first appearance (the document's order does
    not depend on ids, so the same workshop gives the same ranks)."""
    names: dict[str, str] = {}

    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items() if k not in _DATES}
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, str) and _UUID.match(value):
            return names.setdefault(value, f"#{len(names)}")
        return value

    return walk(doc)


@pytest.fixture(params=["sqlite", "postgres"])
def database(request):
    db = Database(request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url"))
    db.migrate()
    yield db
    db.dispose()


def facilitator_of(db: Database, workshop_id: str):
    with db.read() as s:
        return actor_of(
            s.scalars(
                select(Participant).where(Participant.workshop_id == workshop_id, Participant.role == "facilitator")
            ).first()
        )


def round_trip(db: Database, workshop_id: str) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    first = collect.workshop_document(db, facilitator_of(db, workshop_id), workshop_id)
    answer = json_io.import_workshop(db, first, "http://test", "en")
    copy = answer["workshop"]["id"]
    second = collect.workshop_document(db, facilitator_of(db, copy), copy)
    return first, second, answer


def test_the_demo_workshop_comes_back_exactly(database):
    links = demo.create_demo(database)
    first, second, answer = round_trip(database, links["workshop_id"])
    assert answer["imported"]["notes"] == []
    assert normalise(second) == normalise(first)
    assert sum(c["selected"] for c in second["maps"][0]["cards"]) == 3


class Recorder(Board):
    """A board that remembers which op types it applied."""

    applied: set[str]

    def ok(self, actor, type_: str, **fields: Any) -> dict[str, Any]:
        data = super().ok(actor, type_, **fields)
        self.applied.add(type_)
        return data


def _deleted(b: Board, actor: Any, type_: str, id_: str) -> str:
    """Delete with a known op_id (the one its restore names)."""
    op_id = str(uuid.uuid4())
    b.ok(actor, type_, id=id_, op_id=op_id)
    return op_id


def every_op_workshop(db: Database) -> Recorder:
    """A workshop made with every registered op type, ending with results of every kind: retained ideas,
    a closed secret vote, ranked sheets, face-down and revealed cards, inverted sheet dates."""
    base = make_board(db)
    b = Recorder(base.db, base.answer, base.facilitator)
    b.applied = set()
    f = b.facilitator
    ana, bob = b.join("Ana", "customer"), b.join("Bob", "employee")
    b.join("Projecteur", role="observer")
    stage = b.ok(f, "stage.add", title="Avant")
    b.ok(f, "stage.update", id=stage["id"], title="Avant tout", position=0)
    gone_stage = b.ok(f, "stage.add", title="Temporaire")
    step = b.ok(ana, "step.add", title="Arriver", stage_id=stage["id"], description="à la gare")
    other = b.ok(f, "step.add", title="Payer", stage_id=gone_stage["id"])
    b.ok(f, "stage.delete", id=gone_stage["id"])
    b.ok(f, "step.update", id=step["id"], title="Arriver en gare", key_moment=True)
    b.ok(f, "step.move", id=other["id"], position=0, stage_id=stage["id"])
    doomed = b.ok(f, "step.add", title="Supprimée")
    lane = b.ok(f, "lane.add", title="Irritants", kind="irritants")
    b.ok(f, "lane.update", id=lane["id"], title="Irritants du jour")
    spare = b.ok(f, "lane.add", title="Idées", kind="opportunities")
    b.ok(f, "lane.move", id=spare["id"], position=0)
    gone_lane = b.ok(f, "lane.add", title="Vide")
    b.ok(f, "lane.delete", id=gone_lane["id"])
    b.ok(ana, "emotion.set", step_id=doomed["id"], score=1)
    b.ok(ana, "comment.add", target_id=doomed["id"], text="sur l’étape supprimée")
    b.ok(f, "step.delete", id=doomed["id"])
    first = b.ok(ana, "card.add", lane_id=lane["id"], step_id=step["id"], kind="irritant", text="File d’attente")
    # Built on a card that comes after it in the cell: the import must link it once both exist.
    b.ok(
        bob,
        "card.add",
        lane_id=lane["id"],
        step_id=step["id"],
        kind="idea",
        text="Borne",
        builds_on=first["id"],
        position=0,
        perspective="employee",
        channel="app",
    )
    idea = b.ok(bob, "card.add", lane_id=spare["id"], step_id=step["id"], kind="idea", text="Appli")
    idea2 = b.ok(ana, "card.add", lane_id=spare["id"], step_id=other["id"], kind="idea", text="Badge")
    b.ok(ana, "card.update", id=idea2["id"], text="Badge sans contact")
    b.ok(ana, "card.move", id=idea2["id"], lane_id=spare["id"], step_id=step["id"], position=0)
    trash = b.ok(bob, "card.add", lane_id=lane["id"], step_id=other["id"], text="Brouillon")
    b.ok(bob, "card.delete", id=trash["id"])
    # Undone deletes: each item comes back with what hung on it (a comment, a rating).
    back = b.ok(bob, "card.add", lane_id=lane["id"], step_id=other["id"], text="Revenue")
    b.ok(ana, "comment.add", target_id=back["id"], text="Heureusement")
    b.ok(bob, "card.restore", id=back["id"], delete_op_id=_deleted(b, bob, "card.delete", back["id"]))
    undone = b.ok(f, "step.add", title="Rétablie", stage_id=stage["id"])
    b.ok(ana, "emotion.set", step_id=undone["id"], score=-1)
    b.ok(f, "step.restore", id=undone["id"], delete_op_id=_deleted(b, f, "step.delete", undone["id"]))
    b.ok(f, "lane.restore", id=spare["id"], delete_op_id=_deleted(b, f, "lane.delete", spare["id"]))
    b.ok(f, "stage.restore", id=stage["id"], delete_op_id=_deleted(b, f, "stage.delete", stage["id"]))
    note = b.ok(ana, "comment.add", target_id=first["id"], text="Vu hier")
    b.ok(ana, "comment.delete", id=note["id"])
    b.ok(bob, "comment.add", target_id=idea["id"], text="Oui !")
    b.ok(ana, "emotion.set", step_id=step["id"], score=-2)
    b.ok(bob, "emotion.set", step_id=step["id"], score=1)
    b.ok(bob, "emotion.set", step_id=other["id"], score=2)
    b.ok(f, "phase.set", phase="diagnostic")
    b.ok(f, "timer.start", seconds=60, label="Écrire")
    b.ok(f, "timer.pause")
    b.ok(f, "timer.resume")
    b.ok(f, "timer.extend", seconds=30)
    b.ok(f, "timer.stop")
    b.ok(f, "board.settings", structure_edits="facilitator")
    b.ok(f, "board.silent", silent=True)
    b.ok(ana, "card.add", lane_id=lane["id"], step_id=other["id"], text="Face cachée, révélée")
    b.ok(f, "cards.reveal", step_id=other["id"])
    b.ok(bob, "card.add", lane_id=lane["id"], step_id=other["id"], text="Encore face cachée")
    b.ok(f, "board.silent", silent=False)
    ideas = b.ok(f, "round.open", target="card", budget=3, card_kind="idea")
    b.ok(ana, "vote.cast", round_id=ideas["id"], target_id=idea["id"])
    b.ok(ana, "vote.cast", round_id=ideas["id"], target_id=idea2["id"])
    b.ok(bob, "vote.cast", round_id=ideas["id"], target_id=idea["id"])
    b.ok(bob, "vote.cast", round_id=ideas["id"], target_id=idea2["id"])
    b.ok(bob, "vote.retract", round_id=ideas["id"], target_id=idea2["id"])
    b.ok(f, "round.close", id=ideas["id"])
    b.ok(f, "round.promote", id=ideas["id"], count=2)
    b.ok(f, "chantier.from_winners", card_ids=[idea2["id"]])
    secret = b.ok(f, "round.open", target="step", budget=2, max_per_item=1, secret=True)
    b.ok(ana, "vote.cast", round_id=secret["id"], target_id=step["id"])
    b.ok(ana, "vote.cast", round_id=secret["id"], target_id=other["id"])
    b.ok(bob, "vote.cast", round_id=secret["id"], target_id=step["id"])
    b.ok(f, "round.close", id=secret["id"])
    sheet = b.ok(
        ana,
        "chantier.add",
        title="Borne en gare",
        problem="Attente",
        step_ids=[step["id"]],
        card_ids=[idea["id"]],
        milestones=[{"date": None, "label": "Pilote"}],
        kpis=[{"name": "Attente"}],
    )
    b.ok(bob, "chantier.update", id=sheet["id"], start="2027-03-01")
    b.ok(bob, "chantier.update", id=sheet["id"], end="2027-01-01")  # before the start: kept, flagged
    second = b.ok(f, "chantier.add", title="Badge", effort=2, impact=5, status="validated")
    gone = b.ok(f, "chantier.add", title="Doublon")
    b.ok(f, "chantier.delete", id=gone["id"])
    b.ok(bob, "comment.add", target_id=second["id"], text="Prioritaire")
    ranking = b.ok(f, "round.open", target="chantier", budget=2)
    b.ok(ana, "vote.cast", round_id=ranking["id"], target_id=second["id"])
    b.ok(f, "round.close", id=ranking["id"])
    b.ok(f, "round.promote", id=ranking["id"], count=1)
    b.ok(f, "phase.set", phase="chantiers")
    b.ok(f, "focus.set", step_id=step["id"])
    b.ok(f, "board.lock", locked=True)
    return b


def test_a_workshop_made_with_every_op_type_comes_back_exactly(database):
    board = every_op_workshop(database)
    missing = set(REGISTRY) - board.applied
    assert not missing, f"every_op_workshop must use every op type; add: {sorted(missing)}"
    first, second, answer = round_trip(database, board.answer["workshop"]["id"])
    assert normalise(second) == normalise(first)
    cards = second["maps"][0]["cards"]
    assert sum(c["selected"] for c in cards) == 2  # retained ideas
    assert [c["hidden"] for c in cards].count(True) == 1  # the face-down card
    secret = next(r for r in second["maps"][0]["rounds"] if r["secret"])
    assert [r["votes"] for r in secret["results"]] == [2, 1] and secret["voters"] == 2
    sheets = {s["title"]: s for s in second["maps"][0]["chantiers"]}
    assert (sheets["Borne en gare"]["start"], sheets["Borne en gare"]["end"]) == ("2027-03-01", "2027-01-01")
    assert [s["priority"] for s in sheets.values() if s["priority"]] == [1] and sheets["Badge"]["priority"] == 1
    assert sheets["Badge sans contact"]["card_ids"]  # made from a retained idea
    assert any("secret" in note for note in answer["imported"]["notes"])


def test_the_author_of_a_face_down_card_still_owns_it_after_an_import(database):
    board = every_op_workshop(database)
    _first, second, _answer = round_trip(database, board.answer["workshop"]["id"])
    hidden = next(c for c in second["maps"][0]["cards"] if c["hidden"])
    author = next(p for p in second["participants"] if p["id"] == hidden["author_id"])
    assert author["name"] == "Bob" and hidden["text"] is None


def test_deleting_a_step_drops_its_emotions_and_comments(database):
    board = make_board(database)
    ana = board.join("Ana", "customer")
    step = board.ok(ana, "step.add", title="Éphémère")
    board.ok(ana, "emotion.set", step_id=step["id"], score=2)
    board.ok(ana, "comment.add", target_id=step["id"], text="à suivre")
    board.ok(board.facilitator, "step.delete", id=step["id"])
    doc = collect.workshop_document(database, board.facilitator, board.answer["workshop"]["id"])
    (m,) = doc["maps"]
    assert all(e["step_id"] != step["id"] for e in m["emotions"]) and m["ratings"] == []
    assert m["comments"] == []
    with database.read() as s:
        assert s.scalars(select(Emotion).where(Emotion.step_id == step["id"])).first() is None


def test_an_imported_workshop_is_built_by_ops_in_its_op_log(database):
    board = every_op_workshop(database)
    _first, second, answer = round_trip(database, board.answer["workshop"]["id"])
    from workshop.models import OpLog

    with database.read() as s:
        rows = list(s.scalars(select(OpLog).where(OpLog.map_id == answer["map"]["id"]).order_by(OpLog.seq)))
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
    authors = {p["id"]: p["name"] for p in second["participants"]}
    assert {authors.get(r.actor_id) for r in rows if r.type == "card.add"} >= {"Ana", "Bob"}
    assert len(rows) == answer["imported"]["ops"]
    assert str(uuid.UUID(rows[0].op_id)) == rows[0].op_id
