"""Issue 8.4 and 9.4: nobody's emotion score can be tied to them from the events, and the
facilitator's ratings count only on a side it has chosen (none by default)."""

from __future__ import annotations

import uuid

from workshop import engine, views
from workshop.models import Map


def _steps(board) -> list[str]:
    with board.db.read() as s:
        return [x["id"] for x in views.snapshot_for(s, s.get(Map, board.map_id), board.facilitator)["steps"]]


def test_other_viewers_copies_of_an_emotion_rating_name_no_rater_and_no_score(board):
    alice, bob = board.join("Alice", "customer"), board.join("Bob", "customer")
    step = _steps(board)[0]
    board.ok(bob, "emotion.set", step_id=step, score=1)
    outcome = engine.apply(
        board.db, board.map_id, alice, {"op_id": str(uuid.uuid4()), "type": "emotion.set", "step_id": step, "score": -2}
    )
    for viewer in (bob, board.facilitator):
        copy = views.redact(outcome.event, viewer)
        assert copy["actor_id"] is None
        assert "rater_id" not in copy["data"] and "score" not in copy["data"] and copy["data"]["mine"] is None
        assert copy["data"]["average"] == -0.5 and copy["data"]["count"] == 2  # the curve itself is public
    own = views.redact(outcome.event, alice)
    assert own["actor_id"] == alice.id and own["data"]["mine"] == -2
    with board.db.read() as s:
        replay = views.events_since(s, s.get(Map, board.map_id), 0, bob, 10_000)["events"]
    ratings = [e for e in replay if e["type"] == "emotion.set"]
    assert [e["actor_id"] for e in ratings] == [bob.id, None]
    assert all("rater_id" not in e["data"] and "score" not in e["data"] for e in ratings)


def test_the_facilitators_ratings_count_nowhere_until_it_chooses_a_side(board):
    nadia = board.join("Nadia", "customer")
    step = _steps(board)[0]
    board.ok(nadia, "emotion.set", step_id=step, score=2)
    ack = board.ok(board.facilitator, "emotion.set", step_id=step, score=-2)
    assert ack["mine"] == -2 and ack["resonance"]["customer"] == 2
    with board.db.read() as s:
        snap = views.snapshot_for(s, s.get(Map, board.map_id), board.facilitator)
        others = views.snapshot_for(s, s.get(Map, board.map_id), nadia)
    customer = [e for e in snap["emotions"] if e["perspective"] == "customer"]
    assert customer == [{"step_id": step, "perspective": "customer", "average": 2.0, "count": 1, "mine": None}]
    assert [e["mine"] for e in snap["emotions"] if e["step_id"] == step and e["mine"] is not None] == [-2]
    assert [e for e in others["emotions"] if e["perspective"] not in views.SIDES] == []
    assert snap["resonance"][0]["customer"] == 2 and snap["resonance"][0]["employee"] is None


def test_the_facilitator_chooses_its_side_over_rest_and_its_next_rating_counts_there(workshop):
    nadia = workshop.join("Nadia", perspective="customer")
    step = workshop.snapshot()["steps"][0]["id"]
    workshop.op("emotion.set", step_id=step, score=-2)  # answered 200, or it fails
    assert [e for e in workshop.snapshot()["emotions"] if e["perspective"] == "employee"] == []
    r = workshop.api.call("PATCH", "/api/me", workshop.token, json={"perspective": "employee"})
    assert r.status_code == 200 and r.json["participant"]["perspective"] == "employee"
    workshop.op("emotion.set", step_id=step, score=-1)
    rows = {e["perspective"]: e for e in workshop.snapshot()["emotions"] if e["step_id"] == step}
    assert rows["employee"]["count"] == 1 and rows["employee"]["mine"] == -1
    # A participant's side was chosen when joining; it cannot be switched to sway the mirror.
    r = workshop.api.call("PATCH", "/api/me", nadia["token"], json={"perspective": "employee"})
    assert r.status_code == 403 and r.json["error"]["code"] == "forbidden"
    r = workshop.api.call("PATCH", "/api/me", workshop.token, json={"perspective": "manager"})
    assert r.status_code == 400


def test_a_rating_moved_to_the_newly_chosen_side_leaves_the_old_sides_average(workshop):
    step = workshop.snapshot()["steps"][0]["id"]
    assert workshop.api.call("PATCH", "/api/me", workshop.token, json={"perspective": "employee"}).status_code == 200
    workshop.op("emotion.set", step_id=step, score=2)
    assert workshop.api.call("PATCH", "/api/me", workshop.token, json={"perspective": "customer"}).status_code == 200
    ack = workshop.op("emotion.set", step_id=step, score=1)
    assert ack["data"]["perspective"] == "customer" and ack["data"]["count"] == 1
    assert ack["data"]["previous"] == {"step_id": step, "perspective": "employee", "average": None, "count": 0}
    assert ack["data"]["resonance"]["employee"] is None and ack["data"]["resonance"]["customer"] == 1
