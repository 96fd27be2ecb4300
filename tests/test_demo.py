"""The demo workshop a newcomer meets on `make run`."""

from __future__ import annotations

from workshop import views
from workshop.db import Database
from workshop.demo import demo_document, ensure_demo

DEMO = demo_document()["maps"][0]
from sqlalchemy import select

from workshop.auth import actor_of
from workshop.maptypes import CARD_KINDS
from workshop.models import Map, Participant


def test_demo_is_made_once_and_its_links_survive_a_restart(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'demo.db'}")
    db.migrate()
    links_file = tmp_path / "demo.json"
    first = ensure_demo(db, "http://127.0.0.1:5000", links_file)
    again = ensure_demo(db, "http://127.0.0.1:5000", links_file)
    assert first == again
    assert first["facilitator_url"].startswith(f"http://127.0.0.1:5000/board/{first['map_id']}#token=")
    assert first["join_url"] == f"http://127.0.0.1:5000/join/{first['join_code']}"
    with db.read() as s:
        m = s.get(Map, first["map_id"])
        people = list(s.scalars(select(Participant).where(Participant.workshop_id == m.workshop_id)))
        facilitator = next(p for p in people if p.role == "facilitator")
        snap = views.snapshot_for(s, m, actor_of(facilitator))
    assert len(people) == len(demo_document()["participants"])
    assert m.phase == "chantiers"
    assert {c["kind"] for c in snap["cards"]} == set(CARD_KINDS)
    assert len(snap["cards"]) == len(DEMO["cards"]) and len(snap["steps"]) == len(DEMO["steps"])
    assert any(c["builds_on"] for c in snap["cards"]) and any(s["key_moment"] for s in snap["steps"])
    assert any(c["channel"] for c in snap["cards"] if c["kind"] == "touchpoint")
    categories = {r["category"] for r in snap["resonance"]}
    assert {"pain", "blindness"} <= categories
    db.dispose()


def test_demo_ends_the_day_with_votes_key_moments_selected_ideas_and_sheets(tmp_path):
    from workshop.demo import create_demo

    DEMO_SHEETS = DEMO["chantiers"]

    db = Database(f"sqlite:///{tmp_path / 'demo.db'}")
    db.migrate()
    links = create_demo(db)
    with db.read() as s:
        m = s.get(Map, links["map_id"])
        facilitator = s.scalars(
            select(Participant).where(Participant.workshop_id == m.workshop_id, Participant.role == "facilitator")
        ).one()
        snap = views.snapshot_for(s, m, actor_of(facilitator))
    assert [c["title"] for c in snap["chantiers"]] == [sheet["title"] for sheet in DEMO_SHEETS]
    assert all(c["card_ids"] and c["step_ids"] for c in snap["chantiers"])
    assert [r["open"] for r in snap["rounds"]] == [False, False]
    assert len([c for c in snap["cards"] if c["selected"]]) == 3
    db.dispose()
