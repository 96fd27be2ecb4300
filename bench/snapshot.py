"""How long does joining a board of 1,000 cards take? (issue #13: join snapshot < 150 ms)

    .venv/bin/python bench/snapshot.py [--cards 1000] [--rounds 20] [--postgres]

Imports a generated workshop of N cards (bench/import_doc.py, the `spread` shape: a 10 × 5 grid,
comments, ideas building on ideas) into a fresh database, then, in the app's own process, times what a
joining participant waits for on the server side:
- `join`: the Socket.IO `join` event (snapshot for that viewer, presence, ack) through Flask-SocketIO's
  test client;
- `GET /api/maps/{mid}`: the REST snapshot;
- `snapshot_for`: building the snapshot alone (queries + shaping), without JSON encoding.
Prints p50, p95 and max over the rounds, the snapshot's size, and the machine's load.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_doc import document  # noqa: E402  (bench/import_doc.py)

from workshop import create_app, views  # noqa: E402
from workshop.auth import actor_of  # noqa: E402
from workshop.config import Settings  # noqa: E402
from workshop.export import json_io  # noqa: E402
from workshop.models import Map, Participant  # noqa: E402

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def _stats(samples: list[float]) -> str:
    ms = sorted(1000 * s for s in samples)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return f"p50 {statistics.median(ms):7.1f} ms   p95 {p95:7.1f} ms   max {ms[-1]:7.1f} ms"


def _timed(rounds: int, fn) -> list[float]:
    fn()  # warm: compiled statements, the first connection
    out = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def run(url: str, cards: int, rounds: int, tmp: Path) -> None:
    app = create_app(
        Settings(database_url=url, demo=False, async_mode="threading", secret_key="bench", exports_dir=tmp / "exports")
    )
    state = app.extensions["parcours"]
    try:
        answer = json_io.import_workshop(state.db, document(cards, "spread"), "http://bench")
        map_id = answer["map"]["id"]
        http = app.test_client()
        joined = http.post("/api/join", json={"code": answer["join_code"], "name": "Zoé"}).get_json()
        token = joined["token"]
        with state.db.read() as s:
            n_cards = len(
                views.snapshot_for(s, s.get(Map, map_id), actor_of(s.get(Participant, joined["participant"]["id"])))[
                    "cards"
                ]
            )
        client = app.extensions["socketio"].test_client(app, auth={"token": token})

        def join() -> None:
            ack = client.emit("join", {"map_id": map_id}, callback=True)
            assert ack["ok"], ack

        def rest() -> None:
            r = http.get(f"/api/maps/{map_id}", headers={"Authorization": f"Bearer {token}"})
            assert r.status_code == 200

        def build() -> None:
            with state.db.read() as s:
                views.snapshot_for(s, s.get(Map, map_id), actor_of(s.get(Participant, joined["participant"]["id"])))

        size = len(http.get(f"/api/maps/{map_id}", headers={"Authorization": f"Bearer {token}"}).data)
        print(f"{url.split(':')[0]:<10} {n_cards} cards on the board, snapshot {size / 1024:.0f} kB")
        print(f"  join (Socket.IO)   {_stats(_timed(rounds, join))}")
        print(f"  GET /api/maps/mid  {_stats(_timed(rounds, rest))}")
        print(f"  snapshot_for       {_stats(_timed(rounds, build))}")
        client.disconnect()
    finally:
        state.presence.stop()
        state.db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cards", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument(
        "--postgres", action="store_true", help="also on the local PostgreSQL (a database made and dropped)"
    )
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{tmp}/bench.db", args.cards, args.rounds, Path(tmp))
        if args.postgres:
            import psycopg

            name = f"parcours_bench_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            try:
                run(f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}", args.cards, args.rounds, Path(tmp))
            finally:
                with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
