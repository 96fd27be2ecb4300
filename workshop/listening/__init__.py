"""Mirror listening (CONTRACT.md §7): the same questions about a map's steps put to customers and to
employees through two separate links, answered without an account, aggregated per silo.

- `schemas`  what requests may carry (pydantic; also feeds the OpenAPI document)
- `service`  listenings, responses, moderation; the respondent's key (`rid`) never leaves it
- `results`  the aggregation, in SQL
- `live`     the merged `listening` events to the map's room
- `limits`   429 for a runaway respondent, per rid and per code; the gate that bounds saves at once
- `counters` the running counts the results read, moved by each save in its transaction
- `export`   responses.csv, the report's section, workshop.json
- `routes`   REST and the respondent's page
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask

from .limits import PutGate, ResponseLimiter, put_slots
from .live import Notifier


@dataclass
class ListeningState:
    notifier: Notifier
    limiter: ResponseLimiter
    gate: PutGate


def register(app: Flask, socketio: Any) -> None:
    """Mount the routes and the per-process live notifier and rate limiter."""
    from .routes import bp

    db = app.extensions["parcours"].db
    app.extensions["listening"] = ListeningState(
        Notifier(socketio, db), ResponseLimiter(), PutGate(put_slots(db.is_sqlite))
    )
    app.register_blueprint(bp)
