"""A participant's client as an outside script would write it from CONTRACT.md: python-socketio,
events taken in seq order (early ones held back), ops re-sent with the same op_id until acknowledged.
What it shows is the browser's own store replaying what it received (tests/replay.py): no test keeps
a Python copy of each op's effect."""

from __future__ import annotations

import threading
import time
import uuid
from typing import Any

import socketio

from ..api import Api
from ..replay import normalised, replay


class Feed:
    """What a client received: the snapshot it (re)started from, then the events after it in seq
    order, each once; `received` lists every seq that arrived, duplicates included."""

    def __init__(self, me: str, snapshot: dict[str, Any]):
        self.lock = threading.Lock()
        self.me, self.snapshot = me, snapshot
        self.seq = snapshot["seq"]
        self.received: list[int] = []
        self.early: dict[int, dict[str, Any]] = {}
        self.events: list[dict[str, Any]] = []
        self.lanes = [lane["id"] for lane in snapshot["lanes"]]
        self.steps = [step["id"] for step in snapshot["steps"]]

    def receive(self, event: dict[str, Any]) -> None:
        with self.lock:
            self.received.append(event["seq"])
            if event["seq"] <= self.seq:
                return
            self.early[event["seq"]] = event
            while self.seq + 1 in self.early:
                self.events.append(self.early.pop(self.seq + 1))
                self.seq += 1

    def board(self) -> dict[str, Any]:
        """The board static/js/store.js shows after these events, as comparable facts (participants
        aside: who joined travels as presence, not as events)."""
        with self.lock:
            scenario = {"me": self.me, "snapshot": self.snapshot, "events": list(self.events)}
        return comparable(replay([scenario])[0])


def comparable(snapshot: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in normalised(snapshot).items() if k != "participants"}


class LiveClient:
    def __init__(self, url: str, token: str, map_id: str):
        self.url, self.token, self.map_id = url, token, map_id
        self.sio = socketio.Client(reconnection=True, reconnection_delay=0.2, reconnection_delay_max=1)
        self.store: Feed | None = None
        self.me = Api(url).call("GET", "/api/me", token).json["participant"]["id"]
        self.rejoin = threading.Event()
        self.sio.on("event", self._on_event)
        self.sio.on("connect", lambda: self.rejoin.set())

    def _on_event(self, event: dict[str, Any]) -> None:
        if self.store is not None and event["map_id"] == self.map_id:
            self.store.receive(event)

    def connect(self, transports: tuple[str, ...] = ("websocket",)) -> LiveClient:
        """WebSocket only by default; ("polling",) or ("polling", "websocket") as a browser that starts
        with long-polling (then upgrades)."""
        self.sio.connect(self.url, auth={"token": self.token}, transports=list(transports), wait_timeout=10)
        self.join()
        return self

    def join(self) -> None:
        """Enter the room; a rejoin after a reconnect replays what was missed with `sync`."""
        ack = self.sio.call("join", {"map_id": self.map_id}, timeout=10)
        assert ack["ok"], ack
        self.rejoin.clear()
        if self.store is None:
            self.store = Feed(self.me, ack["snapshot"])
            return
        self._sync()

    def _sync(self) -> None:
        """What was missed since the store's seq: the events, or a fresh snapshot when too far behind."""
        answer = self.sio.call("sync", {"map_id": self.map_id, "since": self.store.seq}, timeout=10)
        if "snapshot" in answer:
            self.store = Feed(self.me, answer["snapshot"])
        for event in answer.get("events", []):
            self.store.receive(event)

    def send(self, type_: str, *, deadline: float = 60, **fields: Any) -> dict[str, Any]:
        """Send one op and insist until it is acknowledged, always with the same op_id."""
        op = {"map_id": self.map_id, "op_id": str(uuid.uuid4()), "type": type_, **fields}
        stop = time.monotonic() + deadline
        while True:
            try:
                if self.rejoin.is_set():
                    self.join()
                ack = self.sio.call("op", op, timeout=5)
                if ack.get("error", {}).get("code") not in ("rate_limited", "unavailable"):
                    return ack
                time.sleep(0.5)  # slowed down, or the database is away: same op, a little later
            except Exception:
                if time.monotonic() > stop:
                    raise
                time.sleep(0.2)

    def catch_up(self) -> None:
        """What the browser does on a gap in seqs or after a reconnect: rejoin if needed, then sync."""
        if self.rejoin.is_set():
            self.join()
            return
        self._sync()

    def wait_for_seq(self, seq: int, timeout: float = 30, catch_up: bool = False) -> None:
        """Wait until the store reaches `seq`; with catch_up, sync as the browser does when it sees a
        gap or has reconnected."""
        stop = time.monotonic() + timeout
        while self.store is None or self.store.seq < seq:
            if catch_up and self.store is not None and (self.rejoin.is_set() or self.store.early):
                try:
                    self.catch_up()
                except Exception:  # reconnecting: next round
                    pass
            if time.monotonic() > stop:
                have = self.store.seq if self.store else None
                raise AssertionError(f"client stuck at seq {have}, expected {seq}")
            time.sleep(0.05)

    def close(self) -> None:
        self.sio.disconnect()
