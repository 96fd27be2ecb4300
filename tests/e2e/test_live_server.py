"""The real server (`run.py`) on a free port, real python-socketio clients, a real kill -9."""

from __future__ import annotations

import importlib.util
import random
import threading
import uuid

import pytest
import requests

from ..api import Api
from ..conftest import need
from ..server import Server
from .client import LiveClient, comparable

pytestmark = pytest.mark.e2e

PEOPLE = 10


def open_workshop(server: Server) -> tuple[dict, list[dict]]:
    api = Api(server.url)
    ws = api.create("Atelier Glisse", map_type="journey")
    sides = ("employee", "customer")
    return ws, [api.join(ws["join_code"], f"Personne {i}", perspective=sides[i % 2]) for i in range(PEOPLE)]


def workout(client: LiveClient, rng: random.Random, lanes: list[str], steps: list[str]) -> list[dict]:
    """What one participant does in a busy diagnostic: add, edit, move, comment, delete."""
    acks, mine = [], []
    for i in range(8):
        ack = client.send(
            "card.add",
            lane_id=rng.choice(lanes),
            step_id=rng.choice(steps),
            kind=rng.choice(["irritant", "enchantment", "note", "idea"]),
            text=f"Carte {i} — « {client.token[:4]} »",
        )
        acks.append(ack)
        mine.append(ack["data"]["id"])
    for card_id in mine[:3]:
        acks.append(client.send("card.update", id=card_id, text="Texte revu : plus précis"))
    for card_id in mine[3:5]:
        acks.append(
            client.send(
                "card.move",
                id=card_id,
                lane_id=rng.choice(lanes),
                step_id=rng.choice(steps),
                position=rng.randint(0, 3),
            )
        )
    acks.append(client.send("comment.add", target_id=mine[5], text="Vu aussi en agence"))
    acks.append(client.send("card.delete", id=mine[6]))
    return acks


def run_workshop(servers: list[Server]) -> None:
    """Ten participants spread over `servers` edit at once; all end with the server's board."""
    ws, people = open_workshop(servers[0])
    map_id = ws["map"]["id"]
    clients = [LiveClient(servers[i % len(servers)].url, p["token"], map_id).connect() for i, p in enumerate(people)]
    try:
        snap = servers[0].api("GET", f"/api/maps/{map_id}", ws["facilitator_token"]).json()
        start = snap["seq"]
        lanes = [l["id"] for l in snap["lanes"]]
        steps = [s["id"] for s in snap["steps"]]
        results: dict[int, list[dict]] = {}
        errors: list[BaseException] = []

        def run(i: int) -> None:
            try:
                results[i] = workout(clients[i], random.Random(i), lanes, steps)
            except BaseException as exc:  # reported below, with the thread's name
                errors.append(exc)

        threads = [threading.Thread(target=run, args=(i,)) for i in range(PEOPLE)]
        for t in threads:
            t.start()
        # The facilitator works over REST meanwhile: those events reach the rooms too.
        for raw in (
            {"type": "phase.set", "phase": "diagnostic"},
            {"type": "timer.start", "seconds": 600},
            {"type": "step.add", "title": "Recommander", "stage_id": snap["stages"][-1]["id"]},
        ):
            res = servers[-1].api(
                "POST", f"/api/maps/{map_id}/ops", ws["facilitator_token"], json={"op_id": str(uuid.uuid4()), **raw}
            )
            assert res.status_code == 200, res.text
        for t in threads:
            t.join(120)
        assert not errors, errors
        acks = [a for i in range(PEOPLE) for a in results[i]]
        assert all(a["ok"] for a in acks), [a for a in acks if not a["ok"]][:3]
        final = start + len(acks) + 3
        assert sorted(a["seq"] for a in acks) == sorted(set(a["seq"] for a in acks))
        for client in clients:
            client.wait_for_seq(final)
        for person, client in zip(people, clients):
            # Every seq exactly once, and the same board as the server shows this participant.
            assert sorted(client.store.received) == list(range(start + 1, final + 1))
            server_view = servers[0].api("GET", f"/api/maps/{map_id}", person["token"]).json()
            assert server_view["seq"] == final
            assert client.store.board() == comparable(server_view)
        cards = server_view["cards"]
        assert len(cards) == PEOPLE * 7
        assert sum(c["text"] == "Texte revu : plus précis" for c in cards) == PEOPLE * 3
    finally:
        for client in clients:
            client.close()


@pytest.mark.parametrize("async_mode", ["eventlet", "threading", "gevent"])
def test_ten_participants_edit_at_once_and_all_end_with_the_servers_board(tmp_path, async_mode):
    if async_mode == "gevent":  # optional mode (pyproject's `gevent` extra, which `test` includes)
        need(importlib.util.find_spec("gevent") is not None, "gevent not installed (pip install -e '.[gevent]')")
    server = Server(
        f"sqlite:///{tmp_path / 'live.db'}", async_mode=async_mode, log_path=tmp_path / "server.log"
    ).start()
    try:
        run_workshop([server])
    finally:
        server.stop()


def test_two_processes_on_postgresql_and_redis_behave_as_one_server(two_servers):
    run_workshop(two_servers)


def test_kill_9_and_restart_lose_no_acknowledged_op(tmp_path):
    server = Server(f"sqlite:///{tmp_path / 'crash.db'}", log_path=tmp_path / "server.log").start()
    try:
        ws, people = open_workshop(server)
        map_id = ws["map"]["id"]
        client = LiveClient(server.url, people[0]["token"], map_id).connect()
        snap = client.store
        lane, step = next(iter(snap.lanes)), next(iter(snap.steps))
        acked: dict[str, int] = {}
        done = threading.Event()

        def writer() -> None:
            for i in range(120):
                ack = client.send("card.add", lane_id=lane, step_id=step, text=f"note {i}")
                assert ack["ok"], ack
                acked[ack["data"]["text"]] = ack["seq"]
            done.set()

        thread = threading.Thread(target=writer)
        thread.start()
        while len(acked) < 40:
            threading.Event().wait(0.01)
        server.kill()
        server.start()
        thread.join(120)
        assert done.is_set()
        final = server.api("GET", f"/api/maps/{map_id}", ws["facilitator_token"]).json()
        texts = [c["text"] for c in final["cards"]]
        assert sorted(texts) == sorted(f"note {i}" for i in range(120))  # each exactly once
        assert {c["text"]: c["id"] for c in final["cards"]}.keys() == acked.keys()
        events = server.api("GET", f"/api/maps/{map_id}/events?since=0", ws["facilitator_token"]).json()
        assert [e["seq"] for e in events["events"]] == list(range(1, final["seq"] + 1))
        client.wait_for_seq(final["seq"])
        assert {c["id"] for c in client.store.board()["cards"]} == {c["id"] for c in final["cards"]}
        client.close()
    finally:
        server.stop()


def test_http_errors_from_the_real_server_never_500(live_server):
    for body in (b"{", b"[1,2]", b"\xff\xfe", b"null"):
        res = requests.post(
            f"{live_server.url}/api/workshops", data=body, headers={"Content-Type": "application/json"}, timeout=10
        )
        assert res.status_code == 400 and res.json()["error"]["code"] == "invalid"
    res = requests.post(
        f"{live_server.url}/api/workshops",
        data=b"x" * 100_000,
        headers={"Content-Type": "application/json"},
        timeout=10,
    )
    assert res.status_code == 413 and res.json()["error"]["code"] == "too_large"


def vote_storm(servers: list[Server]) -> None:
    """Ten voters fire twice their budget at once over real sockets: each keeps exactly its budget."""
    ws, people = open_workshop(servers[0])
    map_id, token = ws["map"]["id"], ws["facilitator_token"]
    snap = servers[0].api("GET", f"/api/maps/{map_id}", token).json()
    steps = [s["id"] for s in snap["steps"]]
    opened = servers[0].api(
        "POST",
        f"/api/maps/{map_id}/ops",
        token,
        json={"op_id": str(uuid.uuid4()), "type": "round.open", "target": "step", "budget": 5, "max_per_item": 2},
    )
    round_id = opened.json()["data"]["id"]
    clients = [LiveClient(servers[i % len(servers)].url, p["token"], map_id).connect() for i, p in enumerate(people)]
    acks: list[dict] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(clients) * 2)

    def fire(client: LiveClient, offset: int) -> None:
        barrier.wait()
        for i in range(5):
            ack = client.send("vote.cast", round_id=round_id, target_id=steps[(offset + i) % 3])
            with lock:
                acks.append(ack)

    threads = [threading.Thread(target=fire, args=(c, k)) for c in clients for k in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    try:
        assert len(acks) == 100
        assert sum(a["ok"] for a in acks) == 50, [a for a in acks if not a["ok"]][:2]
        assert {a["error"]["code"] for a in acks if not a["ok"]} == {"budget_exceeded"}
        closed = (
            servers[-1]
            .api(
                "POST",
                f"/api/maps/{map_id}/ops",
                token,
                json={"op_id": str(uuid.uuid4()), "type": "round.close", "id": round_id},
            )
            .json()["data"]
        )
        assert sum(r["votes"] for r in closed["results"]) == 50
        for person in people:
            mine = servers[0].api("GET", f"/api/maps/{map_id}", person["token"]).json()["my_votes"]
            assert len(mine) == 5
            assert max(sum(v["target_id"] == s for v in mine) for s in steps) <= 2
    finally:
        for client in clients:
            client.close()


def test_votes_hold_under_parallel_sockets(live_server):
    vote_storm([live_server])


def test_votes_hold_across_two_processes_on_postgresql(two_servers):
    vote_storm(two_servers)


def test_the_example_script_from_the_docs_runs_against_the_real_server(live_server):
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "examples" / "ten_participants.py"
    done = subprocess.run([sys.executable, str(script), live_server.url], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "50 cards" in done.stdout and "every participant agrees" in done.stdout


def test_export_and_import_on_the_real_server_keep_the_board(live_server):
    ws, people = open_workshop(live_server)
    map_id, token = ws["map"]["id"], ws["facilitator_token"]
    client = LiveClient(live_server.url, people[0]["token"], map_id).connect()
    lane, step = next(iter(client.store.lanes)), next(iter(client.store.steps))
    for i in range(30):
        assert client.send("card.add", lane_id=lane, step_id=step, kind="irritant", text=f"irritant {i}")["ok"]
    client.close()
    doc = live_server.api("GET", f"/api/workshops/{ws['workshop']['id']}/export/workshop.json", token).json()
    res = live_server.api("POST", "/api/workshops/import", token, json=doc)
    assert res.status_code == 201, res.text
    copy = res.json()
    board = live_server.api("GET", f"/api/maps/{copy['map']['id']}", copy["facilitator_token"]).json()
    assert sorted(c["text"] for c in board["cards"]) == sorted(f"irritant {i}" for i in range(30))
    assert len(board["participants"]) == len(people) + 1
    pdf = live_server.api("GET", f"/api/maps/{copy['map']['id']}/export/map.pdf", copy["facilitator_token"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
