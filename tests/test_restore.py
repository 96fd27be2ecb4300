"""Undoing a delete brings back what people saw: a card with its comments (and the votes on it), a
step with its cards, comments and ratings, a lane with its cards, a stage with its steps — on
SQLite and PostgreSQL, through the one engine. What a delete keeps for this never leaves the server."""

from __future__ import annotations

import json
import uuid
from typing import Any

from workshop import views
from workshop.models import Map
from workshop.ops.base import Actor

from .conftest import Board


def snap(board: Board, viewer: Actor) -> dict[str, Any]:
    with board.db.read() as s:
        out = views.snapshot_for(s, s.get(Map, board.map_id), viewer)
    # A restored card's version moves on (clients holding an edit based on the old one are told).
    out["cards"] = sorted(({k: v for k, v in c.items() if k != "version"} for c in out["cards"]), key=lambda c: c["id"])
    out.pop("seq")
    return out


def delete(board: Board, actor: Actor, type_: str, id_: str) -> dict[str, Any]:
    op_id = str(uuid.uuid4())
    board.ok(actor, type_, id=id_, op_id=op_id)
    return {"id": id_, "delete_op_id": op_id}


def layout(board: Board, viewer: Actor) -> tuple[str, str, str]:
    s = snap(board, viewer)
    return s["lanes"][0]["id"], s["steps"][0]["id"], s["steps"][1]["id"]


def test_a_deleted_card_comes_back_with_its_comments_and_votes(board):
    fac = board.facilitator
    ana, bob = board.join("Ana", "customer"), board.join("Bob", "employee")
    lane, step, _ = layout(board, fac)
    first = board.ok(ana, "card.add", lane_id=lane, step_id=step, kind="idea", text="Borne")
    card = board.ok(ana, "card.add", lane_id=lane, step_id=step, kind="idea", text="Appli", position=0)
    board.ok(ana, "card.add", lane_id=lane, step_id=step, kind="idea", text="Badge")
    board.ok(bob, "comment.add", target_id=card["id"], text="Oui, vite")
    r = board.ok(fac, "round.open", target="card", budget=2)
    board.ok(bob, "vote.cast", round_id=r["id"], target_id=card["id"])
    board.ok(fac, "round.close", id=r["id"])
    before = {who: snap(board, who) for who in (fac, ana, bob)}
    undo = delete(board, ana, "card.delete", card["id"])
    assert not any(c["text"] == "Oui, vite" for c in snap(board, bob)["comments"])
    ack = board.op(ana, "card.restore", **undo)
    assert ack["ok"], ack
    assert [c["text"] for c in ack["data"]["comments"]] == ["Oui, vite"]
    for who, seen in before.items():
        assert snap(board, who) == seen  # same place in its cell, same comment, the vote counts again
    assert board.op(ana, "card.restore", **undo)["error"]["code"] == "conflict"  # already back
    assert first["id"] in {c["id"] for c in snap(board, fac)["cards"]}


def test_only_the_author_or_the_facilitator_restores_a_card(board):
    fac = board.facilitator
    ana, bob = board.join("Ana", "customer"), board.join("Bob", "employee")
    lane, step, _ = layout(board, fac)
    card = board.ok(ana, "card.add", lane_id=lane, step_id=step, text="À moi")
    undo = delete(board, fac, "card.delete", card["id"])
    assert board.op(bob, "card.restore", **undo)["error"]["code"] == "forbidden"
    assert board.op(ana, "card.restore", **undo)["ok"]


def test_a_restore_names_what_it_needs_when_it_is_gone(board):
    fac = board.facilitator
    ana = board.join("Ana", "customer")
    lane, step, other = layout(board, fac)
    card = board.ok(ana, "card.add", lane_id=lane, step_id=step, text="Seule")
    undo = delete(board, ana, "card.delete", card["id"])
    wrong = {"id": card["id"], "delete_op_id": str(uuid.uuid4())}
    assert board.op(ana, "card.restore", **wrong)["error"]["field"] == "delete_op_id"
    assert board.op(ana, "step.restore", **undo)["error"]["code"] == "forbidden"  # facilitator only
    assert board.op(fac, "step.restore", **undo)["error"]["field"] == "delete_op_id"  # not a step delete
    step_undo = delete(board, fac, "step.delete", step)
    error = board.op(ana, "card.restore", **undo)["error"]
    assert (error["code"], error["field"]) == ("not_found", "step_id")
    assert board.op(fac, "step.restore", **step_undo)["ok"]
    assert board.op(ana, "card.restore", **undo)["ok"]
    assert other


def test_a_deleted_step_comes_back_with_its_cards_comments_and_ratings(board):
    fac = board.facilitator
    ana, bob = board.join("Ana", "customer"), board.join("Bob", "employee")
    lane, step, _ = layout(board, fac)
    card = board.ok(ana, "card.add", lane_id=lane, step_id=step, text="Attente", visibility="author")
    board.ok(ana, "card.add", lane_id=lane, step_id=step, text="Bruit")
    board.ok(bob, "comment.add", target_id=step, text="Étape longue")
    board.ok(ana, "emotion.set", step_id=step, score=-2)
    board.ok(bob, "emotion.set", step_id=step, score=1)
    before = {who: snap(board, who) for who in (fac, ana, bob)}
    undo = delete(board, fac, "step.delete", step)
    ack = board.op(fac, "step.restore", **undo)
    assert ack["ok"], ack
    for who, seen in before.items():
        assert snap(board, who) == seen
    # The facilitator's own copy does not show Ana's face-down text, nor anyone's score.
    shown = json.dumps(ack["data"])
    assert "Attente" not in shown and "ratings" not in shown
    assert card["id"] in shown


def test_a_deleted_lane_and_a_deleted_stage_come_back(board):
    fac = board.facilitator
    ana = board.join("Ana", "customer")
    lane, step, other = layout(board, fac)
    card = board.ok(ana, "card.add", lane_id=lane, step_id=other, text="Dans la ligne")
    board.ok(ana, "comment.add", target_id=card["id"], text="Noté")
    stage_id = board.ok(fac, "step.update", id=step)["stage_id"]
    before = snap(board, ana)
    lane_undo = delete(board, fac, "lane.delete", lane)
    stage_undo = delete(board, fac, "stage.delete", stage_id)
    assert board.ok(fac, "stage.restore", **stage_undo)["left_out"] == []
    assert board.ok(fac, "lane.restore", **lane_undo)["left_out"] == []
    assert snap(board, ana) == before


def test_what_a_delete_keeps_never_leaves_the_server(board):
    """A face-down card deleted by the facilitator: its text is kept for the undo, in the log only."""
    fac = board.facilitator
    ana, bob = board.join("Ana", "customer"), board.join("Bob", "employee")
    lane, step, _ = layout(board, fac)
    board.ok(fac, "board.silent", silent=True)
    card = board.ok(ana, "card.add", lane_id=lane, step_id=step, text="Secret d’Ana")
    board.ok(ana, "emotion.set", step_id=step, score=2)
    with board.db.read() as s:
        since = s.get(Map, board.map_id).seq
    ack = board.op(fac, "card.delete", id=card["id"])
    step_ack = board.op(fac, "step.delete", id=step)
    for viewer in (fac, bob):
        with board.db.read() as s:
            events = views.events_since(s, s.get(Map, board.map_id), since, viewer, replay_limit=100)
        sent = json.dumps([events, ack, step_ack])
        assert "Secret d’Ana" not in sent and '"kept"' not in sent and '"score"' not in sent
