"""The browser's own store (static/js/store.js) under Node, for tests that need to know what a client
shows after the events it received: tests/test_events.py (every op, every viewer) and the e2e clients
(tests/e2e/client.py), so that no test keeps a second, Python copy of each op's effect."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPLAY = Path(__file__).parent / "js" / "replay.mjs"


def replay(scenarios: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """[{me, snapshot, events}] → the store's state after the events, as a snapshot, for each."""
    done = subprocess.run(
        ["node", str(REPLAY)], input=json.dumps(scenarios), capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _by(*keys: str) -> Callable[[dict[str, Any]], tuple]:
    return lambda row: tuple(str(row.get(k)) for k in keys)


_ORDER = {
    "emotions": _by("step_id", "perspective"),
    "resonance": _by("step_id"),
    "my_votes": _by("round_id", "target_id"),
}


def normalised(snap: dict[str, Any]) -> dict[str, Any]:
    """The snapshot as a set of facts: lists keyed by id (their order is the store's business),
    presence left out (it travels as `presence` events, not ops)."""
    out = {}
    for key, value in snap.items():
        if isinstance(value, list):
            rows = [{k: v for k, v in row.items() if k != "online"} for row in value]
            value = sorted(rows, key=_ORDER.get(key, _by("id")))
        out[key] = value
    return out
