"""Does a PDF export freeze the boards? Op latency on one board while another client exports.

    .venv/bin/python bench/export_freeze.py [--ops 60] [--exports 6]

Starts run.py (eventlet, the default) with the demo workshop, connects one participant, and
measures the ack time of `card.add` ops twice in the same run: while nothing else happens, and
while a second thread downloads report.pdf (the largest PDF) back to back. With rendering off the
event loop the two medians stay close; rendering on the hub would add the render time to the ops
that wait behind it. Also prints how long one report.pdf takes.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import requests
import socketio

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.server import Server  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ops", type=int, default=60)
    parser.add_argument("--exports", type=int, default=6)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        server = Server(f"sqlite:///{tmp}/bench.db", env={"PARCOURS_DEMO": "1"}, log_path=Path(tmp) / "log")
        # The demo's links land in instance/demo.json of the checkout; read the fresh one from the log.
        server.start()
        try:
            links = json.loads((Path(__file__).resolve().parent.parent / "instance" / "demo.json").read_text())
            token, map_id = links["facilitator_token"], links["map_id"]
            me = server.api("GET", "/api/me", token).json()
            wid = me["workshop"]["id"]
            joined = server.api("POST", "/api/join", json={"code": links["join_code"], "name": "Bench"}).json()
            sio = socketio.Client()
            sio.connect(server.url, auth={"token": joined["token"]}, transports=["websocket"])
            snap = sio.call("join", {"map_id": map_id})["snapshot"]
            lane, step = snap["lanes"][0]["id"], snap["steps"][0]["id"]

            def ops(n: int) -> list[float]:
                out = []
                for i in range(n):
                    start = time.perf_counter()
                    sio.call(
                        "op",
                        {
                            "map_id": map_id,
                            "op_id": str(uuid.uuid4()),
                            "type": "card.add",
                            "lane_id": lane,
                            "step_id": step,
                            "text": f"bench {i}",
                        },
                    )
                    out.append(time.perf_counter() - start)
                    time.sleep(0.02)
                return out

            start = time.perf_counter()
            requests.get(
                f"{server.url}/api/workshops/{wid}/export/report.pdf",
                headers={"Authorization": f"Bearer {token}"},
                timeout=120,
            ).raise_for_status()
            one_export = time.perf_counter() - start
            idle = ops(args.ops)
            stop = threading.Event()

            def exporter() -> None:
                for _ in range(args.exports):
                    if stop.is_set():
                        return
                    requests.get(
                        f"{server.url}/api/workshops/{wid}/export/report.pdf",
                        headers={"Authorization": f"Bearer {token}"},
                        timeout=120,
                    )

            thread = threading.Thread(target=exporter)
            thread.start()
            busy = ops(args.ops)
            stop.set()
            thread.join()
            sio.disconnect()
        finally:
            server.stop()
    ms = lambda v: round(v * 1000, 1)  # noqa: E731
    print(f"one report.pdf: {ms(one_export)} ms")
    print("| while | ops | ack p50 (ms) | ack max (ms) |")
    print("|---|---|---|---|")
    print(f"| idle | {len(idle)} | {ms(statistics.median(idle))} | {ms(max(idle))} |")
    print(f"| report.pdf exports running | {len(busy)} | {ms(statistics.median(busy))} | {ms(max(busy))} |")


if __name__ == "__main__":
    main()
