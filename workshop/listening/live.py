"""`listening` events (CONTRACT.md §7): the board's counters move within 2 s of a response, merged to
at most one event per second per listening, whatever the number of respondents.

A change only marks its listening dirty; one background task per process (Flask-SocketIO's
`start_background_task` and `sleep`, so it runs under eventlet and in threading mode alike) wakes up,
counts each dirty listening in the database and emits once to the map's room. With several
processes each one emits for the responses it received; the counts come from the shared database.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from ..db import Database
from ..models import Listening
from .results import counted_responses, step_ids_of

log = logging.getLogger(__name__)

# One event per listening per second at most; the first change of a quiet listening goes out at once.
INTERVAL = 1.0
MAX_PENDING = 10_000


class Notifier:
    def __init__(self, socketio: Any, db: Database):
        self.socketio, self.db = socketio, db
        self._pending: dict[str, str] = {}  # listening id → map id
        self._last: dict[str, float] = {}  # listening id → monotonic time of its last event
        self._lock = threading.Lock()
        self._running = False

    def touch(self, listening_id: str, map_id: str) -> None:
        with self._lock:
            if len(self._pending) < MAX_PENDING:
                self._pending[listening_id] = map_id
            if self._running:
                return
            self._running = True
        self.socketio.start_background_task(self._run)

    def _run(self) -> None:
        try:
            while True:
                with self._lock:
                    if not self._pending:
                        self._running = False
                        return
                    now = time.monotonic()
                    due = {lid: mid for lid, mid in self._pending.items() if now - self._last.get(lid, 0.0) >= INTERVAL}
                    for lid in due:
                        del self._pending[lid]
                        self._last[lid] = now
                    if len(self._last) > MAX_PENDING:
                        self._last = {k: v for k, v in self._last.items() if now - v < INTERVAL}
                for lid, mid in due.items():
                    self._emit(lid, mid)
                self.socketio.sleep(0.2 if not due else 0.05)
        except Exception:  # never let the task die silently with _running stuck
            log.exception("listening notifier failed")
            with self._lock:
                self._running = False

    def _emit(self, listening_id: str, map_id: str) -> None:
        with self.db.read() as s:
            li = s.get(Listening, listening_id)
            if li is None:
                return
            counts = counted_responses(s, li, step_ids_of(s, li.map_id))  # a few rows: the counters
        self.socketio.emit("listening", event(map_id, listening_id, counts), to=map_id)


def event(map_id: str, listening_id: str, counts: dict[str, int]) -> dict[str, Any]:
    return {
        "map_id": map_id,
        "listening_id": listening_id,
        "silos": {silo: {"responses": n} for silo, n in counts.items()},
    }
