"""Races the engine must win on PostgreSQL, where several writers wait on one map's row lock."""

from __future__ import annotations

import threading
import time
import uuid

from workshop import engine
from workshop.db import Database

from .conftest import make_board


def test_an_op_resent_while_its_first_copy_waits_on_the_lock_is_applied_once(pg_url):
    """A client whose ack was slow sends the same op again; both copies queue on the map's row lock.
    The second must see the first's commit and answer `duplicate`, not fail nor apply twice."""
    import psycopg

    db = Database(pg_url)
    db.migrate()
    try:
        board = make_board(db)
        actor = board.join("Alice")
        snap_lane = board.ok(board.facilitator, "lane.add", title="Voie")["id"]
        step = board.ok(board.facilitator, "step.add", title="Étape")["id"]
        op = {"op_id": str(uuid.uuid4()), "type": "card.add", "lane_id": snap_lane, "step_id": step, "text": "x"}
        acks: list[dict] = []
        with psycopg.connect(pg_url.replace("+psycopg", "")) as holder:
            holder.execute("SELECT seq FROM maps WHERE id = %s FOR UPDATE", (board.map_id,))

            def send() -> None:
                acks.append(engine.apply(db, board.map_id, actor, dict(op)).ack)

            copies = [threading.Thread(target=send) for _ in range(2)]
            for t in copies:
                t.start()
            time.sleep(0.5)  # both copies reach the lock (if one does not, the test is merely easier)
            holder.rollback()
        for t in copies:
            t.join(30)
        assert [a["ok"] for a in acks] == [True, True], acks
        assert sorted(bool(a.get("duplicate")) for a in acks) == [False, True]
        assert acks[0]["seq"] == acks[1]["seq"]
    finally:
        db.dispose()
