"""The real engine behind a pipe, for the Node tests (tests/js/*.test.mjs): one JSON request a line
on stdin, one JSON answer a line on stdout. It owns a temporary SQLite database with one workshop
whose map is laid out from the journey template, a facilitator (client 0) and participants
(clients 1…, customer and employee in turn). Every answer comes from the same functions the
Socket.IO adapter calls: engine.apply for ops, views.redact for each client's copy of the event,
views.snapshot_for / events_since for join and sync. The transport (sockets, rooms, delays, lost
frames) is the Node test's fake; everything that decides what a client sees is the server's own.

Requests: {cmd: "setup", clients: n} · {cmd: "join"|"snapshot", who} · {cmd: "op", who, op}
· {cmd: "sync", who, since}.
"""

from __future__ import annotations

import json
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from workshop import engine, services, views  # noqa: E402
from workshop.auth import actor_of  # noqa: E402
from workshop.db import Database  # noqa: E402
from workshop.lists import shared_lists  # noqa: E402
from workshop.models import Map, Participant  # noqa: E402
from workshop.ops.base import Actor  # noqa: E402


class Server:
    def __init__(self, path: Path):
        self.db = Database(f"sqlite:///{path}")
        self.db.migrate()
        self.actors: list[Actor] = []
        self.map_id = ""

    def setup(self, clients: int) -> dict[str, Any]:
        answer, facilitator = services.create_workshop(
            self.db, {"title": "Fuzz", "map_type": "journey", "locale": "fr"}, "http://test"
        )
        self.map_id = answer["map"]["id"]
        self.actors = [facilitator]
        for i in range(1, clients):
            joined = services.join(
                self.db, {"code": answer["join_code"], "name": f"P{i}", "perspective": ("customer", "employee")[i % 2]}
            )
            with self.db.read() as s:
                self.actors.append(actor_of(s.get(Participant, joined["participant"]["id"])))
        now = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        return {
            "map_id": self.map_id,
            "seq": self.snapshot(0)["seq"],
            "page": {**shared_lists(), "server_now": now},
            "clients": [{"id": a.id, "role": a.role, "perspective": a.perspective} for a in self.actors],
        }

    def snapshot(self, who: int) -> dict[str, Any]:
        with self.db.read() as s:
            return views.snapshot_for(s, s.get(Map, self.map_id), self.actors[who])

    def op(self, who: int, op: dict[str, Any]) -> dict[str, Any]:
        outcome = engine.apply(self.db, self.map_id, self.actors[who], op)
        event = outcome.event
        copies = [views.redact(event, viewer) for viewer in self.actors] if event else None
        return {"ack": outcome.ack, "events": copies}

    def sync(self, who: int, since: int) -> dict[str, Any]:
        with self.db.read() as s:
            return {
                "ok": True,
                **views.events_since(s, s.get(Map, self.map_id), since, self.actors[who], replay_limit=1000),
            }

    def answer(self, req: dict[str, Any]) -> Any:
        cmd = req["cmd"]
        if cmd == "setup":
            return self.setup(req["clients"])
        if cmd in ("join", "snapshot"):
            return {"ok": True, "snapshot": self.snapshot(req["who"])}
        if cmd == "op":
            return self.op(req["who"], req["op"])
        if cmd == "sync":
            return self.sync(req["who"], req["since"])
        raise ValueError(f"unknown command {cmd}")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        server = Server(Path(tmp) / "fuzz.db")
        for line in sys.stdin:
            if line.strip():
                print(json.dumps(server.answer(json.loads(line)), default=str), flush=True)
        server.db.dispose()


if __name__ == "__main__":
    main()
