"""Dot voting, silent writing and focus at the engine level, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading

from workshop import views
from workshop.models import Map

from .test_engine import first_cell, snapshot


def test_open_vote_budget_cap_results_and_promotion_to_key_moments(board):
    alice, bob = board.join("Alice"), board.join("Bob")
    steps = [s["id"] for s in snapshot(board, alice)["steps"]]
    r = board.ok(board.facilitator, "round.open", target="step", budget=3, max_per_item=2)
    assert (r["open"], r["max_per_item"], r["results"], r["voters"]) == (True, 2, [], 0)
    cast = board.ok(alice, "vote.cast", round_id=r["id"], target_id=steps[2])
    assert (cast["remaining"], cast["target_votes"], cast["voters"]) == (2, 1, 1)
    board.ok(alice, "vote.cast", round_id=r["id"], target_id=steps[2])
    capped = board.op(alice, "vote.cast", round_id=r["id"], target_id=steps[2])
    assert (capped["error"]["code"], capped["error"]["field"]) == ("budget_exceeded", "max_per_item")
    board.ok(alice, "vote.cast", round_id=r["id"], target_id=steps[0])
    spent = board.op(alice, "vote.cast", round_id=r["id"], target_id=steps[1])
    assert (spent["error"]["code"], spent["error"]["field"]) == ("budget_exceeded", "budget")
    board.ok(alice, "vote.retract", round_id=r["id"], target_id=steps[0])
    board.ok(alice, "vote.cast", round_id=r["id"], target_id=steps[1])
    board.ok(bob, "vote.cast", round_id=r["id"], target_id=steps[1])
    # An open, non-secret round shows live totals.
    [live] = snapshot(board, bob)["rounds"]
    assert live["voters"] == 2
    assert live["results"] == sorted(
        [{"target_id": steps[2], "votes": 2}, {"target_id": steps[1], "votes": 2}], key=lambda x: x["target_id"]
    )
    assert snapshot(board, alice)["my_votes"] == [{"round_id": r["id"], "target_id": steps[2]}] * 2 + [
        {"round_id": r["id"], "target_id": steps[1]}
    ]
    assert board.op(alice, "round.promote", id=r["id"], count=1)["error"]["code"] == "forbidden"
    assert board.op(board.facilitator, "round.promote", id=r["id"], count=1)["error"]["code"] == "conflict"
    closed = board.ok(board.facilitator, "round.close", id=r["id"])
    assert closed["open"] is False and closed["voters"] == 2
    assert board.op(bob, "vote.cast", round_id=r["id"], target_id=steps[0])["error"]["code"] == "round_closed"
    promoted = board.ok(board.facilitator, "round.promote", id=r["id"], count=2)
    assert {s["id"] for s in promoted["items"]} == {steps[1], steps[2]}
    keys = {s["id"] for s in snapshot(board, bob)["steps"] if s["key_moment"]}
    assert keys == {steps[1], steps[2]}


def test_secret_round_hides_targets_and_totals_until_closed_even_from_the_facilitator(board):
    alice, bob = board.join("Alice"), board.join("Bob")
    lane, step = first_cell(board)
    ideas = [
        board.ok(alice, "card.add", lane_id=lane, step_id=step, kind="idea", text=f"Idée {i}")["id"] for i in range(3)
    ]
    note = board.ok(alice, "card.add", lane_id=lane, step_id=step, kind="note", text="pas une idée")["id"]
    r = board.ok(board.facilitator, "round.open", target="card", card_kind="idea", budget=2, secret=True)
    assert board.op(bob, "vote.cast", round_id=r["id"], target_id=note)["error"]["code"] == "invalid"
    ack = board.op(bob, "vote.cast", round_id=r["id"], target_id=ideas[1])
    assert ack["data"]["target_id"] == ideas[1]  # the voter sees its own vote
    board.ok(alice, "vote.cast", round_id=r["id"], target_id=ideas[1])
    board.ok(alice, "vote.cast", round_id=r["id"], target_id=ideas[2])
    with board.db.read() as s:
        m = s.get(Map, board.map_id)
        events = views.events_since(s, m, ack["seq"] - 1, board.facilitator, 1000)["events"]
    assert all(e["data"]["target_id"] is None and e["data"]["participant_id"] is None for e in events)
    assert [e["data"]["voters"] for e in events] == [1, 2, 2]  # how many voted, not for what
    assert snapshot(board, board.facilitator)["rounds"][0]["results"] is None
    assert snapshot(board, bob)["my_votes"] == [{"round_id": r["id"], "target_id": ideas[1]}]
    closed = board.ok(board.facilitator, "round.close", id=r["id"])
    assert closed["results"] == [{"target_id": ideas[1], "votes": 2}, {"target_id": ideas[2], "votes": 1}]
    board.ok(board.facilitator, "round.promote", id=r["id"], count=1)
    selected = [c["id"] for c in snapshot(board, bob)["cards"] if c["selected"]]
    assert selected == [ideas[1]]


def test_only_one_vote_open_at_a_time_and_bad_rounds_are_refused(board):
    assert (
        board.op(board.facilitator, "round.open", target="step", budget=3, max_per_item=4)["error"]["field"]
        == "max_per_item"
    )
    assert board.op(board.facilitator, "round.open", target="step", budget=0)["error"]["code"] == "invalid"
    assert board.op(board.join("A"), "round.open", target="step", budget=3)["error"]["code"] == "forbidden"
    board.ok(board.facilitator, "round.open", target="step", budget=3)
    assert board.op(board.facilitator, "round.open", target="card", budget=3)["error"]["code"] == "conflict"


def test_parallel_voters_never_exceed_their_budget(db):
    """Each of six voters fires 12 votes at once from 3 threads; exactly 5 of each are counted."""
    from .conftest import make_board

    board = make_board(db)
    steps = [s["id"] for s in snapshot(board, board.facilitator)["steps"]]
    r = board.ok(board.facilitator, "round.open", target="step", budget=5, max_per_item=5)
    voters = [board.join(f"V{i}") for i in range(6)]
    acks: list[dict] = []
    lock = threading.Lock()

    def fire(actor, offset):
        for i in range(4):
            ack = board.op(actor, "vote.cast", round_id=r["id"], target_id=steps[(offset + i) % len(steps)])
            with lock:
                acks.append(ack)

    threads = [threading.Thread(target=fire, args=(v, k)) for v in voters for k in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(a["ok"] for a in acks) == 30
    assert {a["error"]["code"] for a in acks if not a["ok"]} == {"budget_exceeded"}
    closed = board.ok(board.facilitator, "round.close", id=r["id"])
    assert sum(row["votes"] for row in closed["results"]) == 30


def test_silent_writing_mode_and_focus(board):
    alice, bob = board.join("Alice"), board.join("Bob")
    lane, step = first_cell(board)
    assert board.ok(board.facilitator, "board.silent", silent=True)["silent_writing"] is True
    card = board.ok(alice, "card.add", lane_id=lane, step_id=step, text="Écrit en silence")
    assert card["hidden"] is True
    assert snapshot(board, bob)["cards"][0]["text"] is None
    board.ok(board.facilitator, "board.silent", silent=False)
    board.ok(board.facilitator, "cards.reveal", step_id=step)
    assert snapshot(board, bob)["cards"][0]["text"] == "Écrit en silence"
    assert board.ok(board.facilitator, "focus.set", step_id=step)["focus_step_id"] == step
    assert snapshot(board, bob)["map"]["focus_step_id"] == step
    assert board.op(alice, "focus.set", step_id=None)["error"]["code"] == "forbidden"
    assert board.ok(board.facilitator, "focus.set", step_id=None)["focus_step_id"] is None
