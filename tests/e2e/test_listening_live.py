"""Mirror listening against the real server: many respondents at once, each retrying its PUT, on SQLite
(one process) and on PostgreSQL (two processes sharing Redis, as behind a load balancer)."""

from __future__ import annotations

import random
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
import socketio

from ..server import Server

# serial: it measures that other boards stay responsive, or kills and restarts processes; it runs
# alone after the parallel run (Makefile `test`), so that the other tests neither slow it nor feel it.
pytestmark = [pytest.mark.e2e, pytest.mark.serial]

RESPONDENTS = {"customer": 60, "employee": 30}


def _respond(url: str, code: str, steps: list[str], seed: int) -> dict:
    rng = random.Random(seed)
    rid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    answers = [{"step_id": s, "score": rng.randint(-2, 2), "important": rng.random() < 0.3} for s in steps]
    with requests.Session() as http:
        first = http.put(f"{url}/api/listen/{code}/responses/{rid}", json={"answers": answers}, timeout=30)
        # The phone lost the answer and sends again: the same response, not a second one.
        again = http.put(f"{url}/api/listen/{code}/responses/{rid}", json={"answers": answers}, timeout=30)
    assert (first.status_code, again.status_code) == (201, 200), (first.text, again.text)
    assert again.json() == first.json()
    return {a["step_id"]: a["score"] for a in answers}


def run_listening(servers: list[Server]) -> None:
    url = servers[0].url
    ws = requests.post(f"{url}/api/workshops", json={"title": "Écoute", "locale": "fr"}, timeout=30).json()
    token, map_id = ws["facilitator_token"], ws["map"]["id"]
    head = {"Authorization": f"Bearer {token}"}
    steps = [s["id"] for s in requests.get(f"{url}/api/maps/{map_id}", headers=head, timeout=30).json()["steps"]]
    li = requests.post(
        f"{url}/api/maps/{map_id}/listenings", json={"invited": {"customer": 120}}, headers=head, timeout=30
    ).json()["listening"]

    events: list[dict] = []
    got = threading.Event()
    sio = socketio.Client()
    sio.on("listening", lambda e: (events.append(e), got.set()))
    sio.connect(servers[-1].url, auth={"token": token}, transports=["websocket"], wait_timeout=10)
    assert sio.call("join", {"map_id": map_id}, timeout=10)["ok"]

    jobs = [(silo, i) for silo, n in RESPONDENTS.items() for i in range(n)]
    random.Random(7).shuffle(jobs)
    with ThreadPoolExecutor(max_workers=16) as pool:
        futures = [
            pool.submit(_respond, servers[i % len(servers)].url, li["codes"][silo], steps, hash((silo, i)))
            for i, (silo, _n) in enumerate(jobs)
        ]
        scores = [(silo, f.result()) for (silo, _n), f in zip(jobs, futures)]

    results = [
        requests.get(f"{s.url}/api/listenings/{li['id']}", headers=head, timeout=30).json()["results"] for s in servers
    ]
    assert all(r == results[0] for r in results)  # every process counts the same
    r = results[0]
    assert {silo: r["silos"][silo]["responses"] for silo in RESPONDENTS} == RESPONDENTS
    assert r["silos"]["customer"]["participation"] == 0.5
    for row in r["steps"]:
        for silo in RESPONDENTS:
            mine = [s[row["step_id"]] for sl, s in scores if sl == silo]
            assert row[silo]["count"] == len(mine)
            assert row[silo]["distribution"] == [mine.count(v) for v in (-2, -1, 0, 1, 2)]
            assert row[silo]["average"] == round(sum(mine) / len(mine), 2)

    # The board's member hears the final counts (merged events, no seq).
    deadline = time.monotonic() + 15
    want = {silo: {"responses": n} for silo, n in RESPONDENTS.items()}
    while time.monotonic() < deadline and not (events and events[-1]["silos"] == want):
        got.wait(0.5)
        got.clear()
    sio.disconnect()
    assert events and events[-1] == {"map_id": map_id, "listening_id": li["id"], "silos": want}
    assert all("seq" not in e for e in events)
    assert len(events) < sum(RESPONDENTS.values())  # merged, not one per response


def test_concurrent_respondents_are_all_counted_once_on_sqlite(tmp_path):
    server = Server(f"sqlite:///{tmp_path / 'listen.db'}", log_path=tmp_path / "server.log").start()
    try:
        run_listening([server])
    finally:
        server.stop()


def test_concurrent_respondents_on_two_processes_on_postgresql_count_the_same(two_servers):
    run_listening(two_servers)
