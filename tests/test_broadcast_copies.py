"""`realtime.broadcast` sends an event to the whole room in one emit, without reading who is in it,
when `views.same_for_everyone` says every viewer's copy is the event itself. For every op of
test_events.py's replay cases and every kind of viewer, that must be true of `views.redact` — and the
shortcut must not swallow the cases that do differ (a face-down card, a secret vote, an emotion)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from workshop import views
from workshop.models import OpLog

from .test_events import (
    CASES,
    Scene,
    scene,  # noqa: F401  (test_events.py's fixture, taken by name below)
)


def _last_event(sc: Scene) -> dict:
    with sc.board.db.read() as s:
        row = s.scalars(select(OpLog).where(OpLog.map_id == sc.board.map_id).order_by(OpLog.seq.desc())).first()
        return views.event_of(row.map_id, row.seq, row.op_id, row.type, row.actor_id, row.data, row.ts)


@pytest.mark.parametrize("name", list(CASES))
def test_an_event_sent_once_to_the_room_is_what_every_viewer_may_see(request, name):
    sc: Scene = request.getfixturevalue("scene")
    type_, prepare = CASES[name]
    actor, _, fields = prepare(sc)
    sc.ok(actor, type_, **fields)
    event = _last_event(sc)
    viewers = (actor, sc.alice, sc.bob, sc.fac, sc.observer)
    copies = [views.redact(event, v) for v in viewers]
    if views.same_for_everyone(event["type"], event["data"]):
        assert all(copy == event for copy in copies), f"{name}: one emit would show a viewer what it may not see"


def test_face_down_cards_secret_votes_and_emotions_still_get_their_own_copies(request):
    sc: Scene = request.getfixturevalue("scene")
    sc.ok(sc.fac, "board.silent", silent=True)
    hidden = sc.card(sc.alice, text="secret")
    assert not views.same_for_everyone("card.add", hidden)
    assert views.redact({"type": "card.add", "data": hidden, "actor_id": sc.alice.id}, sc.bob)["data"]["text"] is None
    sc.ok(sc.fac, "board.silent", silent=False)
    assert views.same_for_everyone("card.add", sc.card(sc.alice))
    round_ = sc.round(secret=True)
    card = sc.card(sc.bob)
    vote = sc.ok(sc.alice, "vote.cast", round_id=round_["id"], target_id=card["id"])
    assert not views.same_for_everyone("vote.cast", vote)
    rating = sc.ok(sc.alice, "emotion.set", step_id=sc.step, score=2)
    assert not views.same_for_everyone("emotion.set", rating)
