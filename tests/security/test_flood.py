"""One hostile socket floods the real server (`run.py`): its excess is refused on arrival, answered
`rate_limited`, and the other boards keep working. Loopback only, bounded in count and in time."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from ..api import Api
from ..conftest import PG_ADMIN_URL, need, postgres_available
from ..e2e.client import LiveClient
from ..server import Server
from .raw_socket import RawSocket

# serial: it measures that other boards stay responsive, or kills and restarts processes; it runs
# alone after the parallel run (Makefile `test`), so that the other tests neither slow it nor feel it.
pytestmark = [pytest.mark.e2e, pytest.mark.serial]

CALM_OPS = 20
# Generous: the calm board's 20 ops take well under a second on an idle machine; before the fix
# they waited behind the flood (37 s on SQLite). No latency in ms is asserted (shared machines).
CALM_DEADLINE = 60


@pytest.fixture(scope="module", params=["sqlite", "postgres", "sqlite-threading"])
def server(request, tmp_path_factory) -> Iterator[Server]:
    """One real server per database (eventlet), and one in threading mode, for the whole module;
    each test opens its own workshops."""
    tmp = tmp_path_factory.mktemp("flood")
    if request.param.startswith("sqlite"):
        mode = "threading" if request.param.endswith("threading") else "eventlet"
        srv = Server(f"sqlite:///{tmp / 'flood.db'}", async_mode=mode, log_path=tmp / "server.log").start()
        yield srv
        srv.stop()
        return
    need(postgres_available(), f"PostgreSQL not reachable at {PG_ADMIN_URL}")
    import psycopg

    name = f"parcours_test_{uuid.uuid4().hex[:12]}"
    admin = PG_ADMIN_URL.replace("+psycopg", "")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    srv = Server(f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}", log_path=tmp / "server.log").start()
    try:
        yield srv
    finally:
        srv.stop()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def workshop(server: Server, *roles: str) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any]]:
    """A new workshop, one member per role, and the facilitator's snapshot of its map."""
    api = Api(server.url)
    ws = api.create(map_type="journey")
    people = [api.join(ws["join_code"], f"P{i}", role=role) for i, role in enumerate(roles)]
    return ws, people, api.snapshot(ws["facilitator_token"], ws["map"]["id"])


def card_add(map_id: str, snap: dict[str, Any], text: str) -> dict[str, Any]:
    return {
        "map_id": map_id,
        "op_id": str(uuid.uuid4()),
        "type": "card.add",
        "lane_id": snap["lanes"][0]["id"],
        "step_id": snap["steps"][0]["id"],
        "kind": "note",
        "text": text,
    }


class CalmBoard:
    """Another workshop, whose participant sends ops one after the other during the flood."""

    def __init__(self, server: Server):
        ws, people, self.snap = workshop(server, "participant")
        self.map_id = ws["map"]["id"]
        self.client = LiveClient(server.url, people[0]["token"], self.map_id).connect()
        self.acks: list[dict[str, Any]] = []
        self.thread = threading.Thread(target=self._work, daemon=True)

    def _work(self) -> None:
        for i in range(CALM_OPS):
            op = card_add(self.map_id, self.snap, f"calme {i}")
            del op["map_id"], op["op_id"]
            self.acks.append(self.client.send(op.pop("type"), deadline=CALM_DEADLINE, **op))

    def start(self) -> None:
        self.thread.start()

    def finish(self) -> None:
        self.thread.join(CALM_DEADLINE)
        self.client.close()
        assert not self.thread.is_alive(), f"the calm board stalled: {len(self.acks)} of {CALM_OPS} ops acked"
        assert [a["ok"] for a in self.acks] == [True] * CALM_OPS, [a for a in self.acks if not a["ok"]][:3]


def codes(sock: RawSocket) -> dict[str, int]:
    counts: dict[str, int] = {}
    for ack in sock.acks.values():
        code = "ok" if ack.get("ok") else ack["error"]["code"]
        counts[code] = counts.get(code, 0) + 1
    return counts


def test_a_thousand_ops_in_a_tenth_of_a_second_are_mostly_refused_and_another_board_keeps_working(server):
    ws, people, snap = workshop(server, "participant")
    map_id = ws["map"]["id"]
    flooder = RawSocket(server.url, people[0]["token"])
    assert flooder.call("join", {"map_id": map_id})["ok"]
    calm = CalmBoard(server)
    calm.start()
    frames = [card_add(map_id, snap, f"flot {i}") for i in range(1000)]
    first = flooder.next_id + 1
    for frame in frames:
        flooder.send("op", frame)
    flooder.wait_for(lambda: all(i in flooder.acks for i in range(first, first + 1000)), timeout=120)
    assert requests.get(f"{server.url}/healthz", timeout=30).status_code == 200
    calm.finish()
    counts = codes(flooder)
    counts["ok"] -= 1  # the join
    # Refused on arrival: only what one socket may have in flight gets through. (Checked inside the
    # handler, the bucket refilled while the queue drained: 300 + 30/s of queueing got applied.)
    assert counts.get("rate_limited", 0) >= 900, counts
    assert set(counts) <= {"ok", "rate_limited"}, counts  # never `internal`, nothing lost unanswered
    # What was acknowledged is on the board, once each.
    board = server.api("GET", f"/api/maps/{map_id}", ws["facilitator_token"]).json()
    assert sum(c["text"].startswith("flot ") for c in board["cards"]) == counts["ok"]


def test_three_hundred_syncs_from_an_observer_are_mostly_refused_and_another_board_keeps_working(server):
    ws, people, _ = workshop(server, "observer")
    map_id = ws["map"]["id"]
    observer = RawSocket(server.url, people[0]["token"])
    assert observer.call("join", {"map_id": map_id})["ok"]
    calm = CalmBoard(server)
    calm.start()
    first = observer.next_id + 1
    for _ in range(300):
        observer.send("sync", {"map_id": map_id, "since": 0})
    observer.wait_for(lambda: all(i in observer.acks for i in range(first, first + 300)), timeout=120)
    calm.finish()
    counts = codes(observer)
    assert counts.get("rate_limited", 0) >= 250, counts
    assert set(counts) <= {"ok", "rate_limited"}, counts


def test_two_thousand_editing_marks_are_mostly_refused_and_reach_the_room_bounded(server):
    ws, people, snap = workshop(server, "participant", "participant")
    map_id = ws["map"]["id"]
    flooder, watcher = (RawSocket(server.url, p["token"]) for p in people)
    for sock in (flooder, watcher):
        assert sock.call("join", {"map_id": map_id})["ok"]
    calm = CalmBoard(server)
    calm.start()
    first = flooder.next_id + 1
    for i in range(2000):
        flooder.send("editing", {"map_id": map_id, "target_id": f"card-{i % 50}", "editing": bool(i % 2)})
    flooder.wait_for(lambda: all(i in flooder.acks for i in range(first, first + 2000)), timeout=120)
    calm.finish()
    counts = codes(flooder)
    counts["ok"] -= 1
    assert counts.get("rate_limited", 0) >= 1800, counts
    # The room hears only the marks that were admitted.
    watcher.wait_for(lambda: sum(n == "editing" for n, _ in watcher.events) >= counts["ok"], timeout=30)
    assert sum(n == "editing" for n, _ in watcher.events) == counts["ok"]


def test_an_observer_may_not_send_editing_marks(server):
    ws, people, _ = workshop(server, "observer")
    map_id = ws["map"]["id"]
    observer = RawSocket(server.url, people[0]["token"])
    assert observer.call("join", {"map_id": map_id})["ok"]
    ack = observer.call("editing", {"map_id": map_id, "target_id": "x", "editing": True})
    assert ack["error"]["code"] == "forbidden"


def test_a_burst_of_malformed_packets_logs_a_few_lines_and_no_traceback(server):
    ws, people, _ = workshop(server, "participant")
    sock = RawSocket(server.url, people[0]["token"])
    before = server.log_path.read_text(errors="replace")
    for i in range(300):
        sock.send_raw(["42{not json", "4", "49", '42["op"', "42{}"][i % 5])
    # The connection survives the garbage and still answers.
    assert sock.call("join", {"map_id": ws["map"]["id"]})["ok"]
    new = server.log_path.read_text(errors="replace")[len(before) :]
    assert "Traceback" not in new
    assert len(new.splitlines()) <= 10, new[:2000]
