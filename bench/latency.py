"""Op latency and fan-out on the real server, ten participants on one board.

    .venv/bin/python bench/latency.py [--ops 30] [--modes eventlet threading]

For each async mode: starts run.py on a free port with a fresh SQLite database, connects ten
python-socketio clients, then each client in turn sends `--ops` card.add ops. Measures
- ack: time from emit to the sender's ack;
- fan-out: time from emit until the event has reached all ten clients.
Prints medians and 95th percentiles; compare modes within one run (machines are shared and noisy).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import socketio

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.server import Server  # noqa: E402


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p * (len(values) - 1))))]


def run(mode: str, ops: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        server = Server(f"sqlite:///{tmp}/bench.db", async_mode=mode).start()
        try:
            ws = server.api("POST", "/api/workshops", json={"title": "Bench", "map_type": "journey"}).json()
            map_id = ws["map"]["id"]
            seen: dict[int, int] = {}
            arrived: dict[int, float] = {}
            lock = threading.Lock()
            clients = []
            for i in range(10):
                token = server.api("POST", "/api/join", json={"code": ws["join_code"], "name": f"B{i}"}).json()["token"]
                sio = socketio.Client()

                def on_event(event, _sio=sio):
                    with lock:
                        seen[event["seq"]] = seen.get(event["seq"], 0) + 1
                        if seen[event["seq"]] == 10:
                            arrived[event["seq"]] = time.perf_counter()

                sio.on("event", on_event)
                sio.connect(server.url, auth={"token": token}, transports=["websocket"])
                snap = sio.call("join", {"map_id": map_id})["snapshot"]
                clients.append(sio)
            lane, step = snap["lanes"][0]["id"], snap["steps"][0]["id"]
            acks, fanouts = [], []
            for n in range(ops):
                for sio in clients:
                    start = time.perf_counter()
                    ack = sio.call(
                        "op",
                        {
                            "map_id": map_id,
                            "op_id": str(uuid.uuid4()),
                            "type": "card.add",
                            "lane_id": lane,
                            "step_id": step,
                            "text": f"carte {n}",
                        },
                    )
                    acks.append(time.perf_counter() - start)
                    deadline = time.perf_counter() + 5
                    while ack["seq"] not in arrived and time.perf_counter() < deadline:
                        time.sleep(0.0005)
                    fanouts.append(arrived.get(ack["seq"], deadline) - start)
            for sio in clients:
                sio.disconnect()
        finally:
            server.stop()
    ms = lambda v: round(v * 1000, 1)  # noqa: E731
    return {
        "ack_p50": ms(statistics.median(acks)),
        "ack_p95": ms(percentile(acks, 0.95)),
        "fanout_p50": ms(statistics.median(fanouts)),
        "fanout_p95": ms(percentile(fanouts, 0.95)),
        "ops": len(acks),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ops", type=int, default=30, help="ops per client")
    parser.add_argument("--modes", nargs="+", default=["eventlet", "threading"])
    args = parser.parse_args()
    print("| mode | ops | ack p50 (ms) | ack p95 (ms) | fan-out to 10 p50 (ms) | fan-out p95 (ms) |")
    print("|---|---|---|---|---|---|")
    for mode in args.modes:
        r = run(mode, args.ops)
        print(
            f"| {mode} | {r['ops']} | {r['ack_p50']} | {r['ack_p95']} | {r['fanout_p50']} | {r['fanout_p95']} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
