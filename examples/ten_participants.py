"""Ten participants edit one board at once, written from CONTRACT.md alone.

    .venv/bin/python examples/ten_participants.py http://127.0.0.1:5000

Creates a workshop, joins ten participants over REST, connects each with python-socketio,
has all of them add, edit and move cards at the same time, then checks that every participant's
board (built from its join snapshot plus the events it received, in seq order) equals the server's.
Exit code 0 when they all agree.
"""
from __future__ import annotations

import sys
import threading
import time
import uuid

import requests
import socketio

URL = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:5000"


class Participant:
    def __init__(self, token: str, map_id: str):
        self.token, self.map_id = token, map_id
        self.cards: dict[str, dict] = {}
        self.seq = 0
        self.early: dict[int, dict] = {}
        self.lock = threading.Lock()
        self.sio = socketio.Client()
        self.sio.on("event", self.on_event)

    def start(self) -> None:
        self.sio.connect(URL, auth={"token": self.token}, transports=["websocket"])
        snapshot = self.sio.call("join", {"map_id": self.map_id})["snapshot"]
        with self.lock:
            self.seq = snapshot["seq"]
            self.cards = {c["id"]: c for c in snapshot["cards"]}

    def on_event(self, event: dict) -> None:
        with self.lock:  # apply in seq order, keep early ones aside
            self.early[event["seq"]] = event
            while self.seq + 1 in self.early:
                e = self.early.pop(self.seq + 1)
                self.seq = e["seq"]
                if e["type"] in ("card.add", "card.update", "card.move"):
                    self.cards[e["data"]["id"]] = e["data"]
                elif e["type"] == "card.delete":
                    self.cards.pop(e["data"]["id"], None)

    def op(self, type_: str, **fields) -> dict:
        ack = self.sio.call("op", {"map_id": self.map_id, "op_id": str(uuid.uuid4()), "type": type_, **fields})
        assert ack["ok"], ack
        return ack


def main() -> int:
    ws = requests.post(f"{URL}/api/workshops", json={"title": "Dix à la fois", "map_type": "journey"}).json()
    map_id = ws["map"]["id"]
    people = []
    for i in range(10):
        joined = requests.post(f"{URL}/api/join", json={"code": ws["join_code"], "name": f"Participant {i}"}).json()
        people.append(Participant(joined["token"], map_id))
    for p in people:
        p.start()
    board = requests.get(f"{URL}/api/maps/{map_id}", headers={"Authorization": f"Bearer {ws['facilitator_token']}"}).json()
    lanes, steps = [l["id"] for l in board["lanes"]], [s["id"] for s in board["steps"]]

    def work(i: int, p: Participant) -> None:
        for n in range(5):
            card = p.op("card.add", lane_id=lanes[n % len(lanes)], step_id=steps[i % len(steps)],
                        kind="irritant", text=f"Irritant {n} de {i}")["data"]
            p.op("card.update", id=card["id"], text=f"Irritant {n} de {i}, précisé")
            p.op("card.move", id=card["id"], lane_id=lanes[0], step_id=steps[(i + n) % len(steps)], position=0)

    threads = [threading.Thread(target=work, args=(i, p)) for i, p in enumerate(people)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    final = requests.get(f"{URL}/api/maps/{map_id}", headers={"Authorization": f"Bearer {ws['facilitator_token']}"}).json()
    deadline = time.time() + 10
    while any(p.seq < final["seq"] for p in people) and time.time() < deadline:
        time.sleep(0.05)
    server_cards = {c["id"]: (c["text"], c["lane_id"], c["step_id"], c["version"]) for c in final["cards"]}
    agree = all({k: (c["text"], c["lane_id"], c["step_id"], c["version"]) for k, c in p.cards.items()} == server_cards
                for p in people)
    for p in people:
        p.sio.disconnect()
    print(f"{len(server_cards)} cards, seq {final['seq']}: {'every participant agrees' if agree else 'MISMATCH'}")
    return 0 if agree and len(server_cards) == 50 else 1


if __name__ == "__main__":
    sys.exit(main())
