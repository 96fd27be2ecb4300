"""Issue 8.1: a secret round's votes cannot be read while it is open — not its totals (not even by
casting then retracting), not who voted for what (no voter in other viewers' copies of the events)."""

from __future__ import annotations

import uuid

from workshop import engine, views
from workshop.export import collect
from workshop.models import Map


def _secret_round_on_steps(board):
    with board.db.read() as s:
        snap = views.snapshot_for(s, s.get(Map, board.map_id), board.facilitator)
    steps = [s["id"] for s in snap["steps"]][:3]
    round_ = board.ok(board.facilitator, "round.open", target="step", budget=5, secret=True)
    return round_["id"], steps


def test_nobody_reads_the_totals_of_an_open_secret_round_not_even_by_casting_and_retracting(board):
    alice, bob = board.join("Alice"), board.join("Bob")
    round_id, steps = _secret_round_on_steps(board)
    for _ in range(3):
        board.ok(alice, "vote.cast", round_id=round_id, target_id=steps[0])
    # Bob probes each target: his own acks must not say how many dots it holds.
    for target in steps:
        cast = board.ok(bob, "vote.cast", round_id=round_id, target_id=target)
        retract = board.ok(bob, "vote.retract", round_id=round_id, target_id=target)
        assert cast["target_votes"] is None and retract["target_votes"] is None
        assert cast["remaining"] == 4 and retract["remaining"] == 5  # his own dots left are his to see
    board.ok(bob, "vote.cast", round_id=round_id, target_id=steps[2])
    # Nor do snapshots or exports while it is open: only how many have voted.
    with board.db.read() as s:
        for viewer in (alice, board.facilitator):
            (round_,) = views.snapshot_for(s, s.get(Map, board.map_id), viewer)["rounds"]
            assert round_["results"] is None and round_["voters"] == 2
    for viewer in (alice, board.facilitator):
        doc = collect.workshop_document(board.db, viewer, board.facilitator.workshop_id)
        (round_,) = doc["maps"][0]["rounds"]
        assert round_["results"] is None and round_["votes"] is None


def test_other_viewers_copies_of_a_secret_vote_name_neither_target_nor_voter(board):
    alice, bob = board.join("Alice"), board.join("Bob")
    round_id, steps = _secret_round_on_steps(board)
    outcome = engine.apply(
        board.db,
        board.map_id,
        alice,
        {"op_id": str(uuid.uuid4()), "type": "vote.cast", "round_id": round_id, "target_id": steps[1]},
    )
    event = outcome.event
    for viewer in (bob, board.facilitator):
        copy = views.redact(event, viewer)
        assert copy["actor_id"] is None
        assert copy["data"]["participant_id"] is None and copy["data"]["target_id"] is None
        assert copy["data"]["target_votes"] is None and copy["data"]["remaining"] is None
    mine = views.redact(event, alice)
    assert mine["actor_id"] == alice.id and mine["data"]["target_id"] == steps[1]
    # Sync (history) redacts the same way, even after the round has closed.
    board.ok(board.facilitator, "round.close", id=round_id)
    with board.db.read() as s:
        replay = views.events_since(s, s.get(Map, board.map_id), 0, bob, 10_000)["events"]
    votes = [e for e in replay if e["type"] == "vote.cast"]
    assert votes and all(e["actor_id"] is None and e["data"]["target_id"] is None for e in votes)
