"""Many boards at once: B boards × 10 participants, each editing its own card every 2 s.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/fanout.py --boards 10 30 --dbs sqlite postgres --modes eventlet threading

For each async mode and each B, runs the same load against a bare Flask-SocketIO relay (bench/relay.py,
in memory) and against Parcours (`run.py`) on each database, all started by this script on free ports.
The load generator is one asyncio process (python-socketio's AsyncClient over WebSocket) on the same
machine. Reports, over a measured window after a warm-up:
- delivered: events received / (ops acknowledged × 10 members of the room);
- fan-out p50/p99: from sending an op to its event reaching each member (every delivery counts);
- ack timeouts and refusals (`rate_limited`);
- server CPU: the server process's user+system time over the window (% of one core) and per op.
Machines are shared: compare the rows of one run (ratios to the relay), never across runs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import socketio

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.server import Server, free_port  # noqa: E402

PEOPLE = 10
PERIOD = 2.0
# The bench stands in front of the server like a reverse proxy, so that each board has its own address.
BENCH_ENV = {"PARCOURS_TRUSTED_PROXIES": "1"}
PG_ADMIN = os.environ.get("PARCOURS_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p * (len(values) - 1))))]


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Relay:
    """bench/relay.py as a child process, with the same interface as tests.server.Server."""

    def __init__(self, mode: str):
        self.port, self.mode, self.proc = free_port(), mode, None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Relay:
        import requests

        self.proc = subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / "relay.py"), "--port", str(self.port), "--async-mode", self.mode],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(200):
            try:
                if requests.get(f"{self.url}/healthz", timeout=1).ok:
                    return self
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError("relay did not start")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


class Load:
    def __init__(self, url: str, boards: list[dict[str, Any]]):
        self.url, self.boards = url, boards
        self.sent: dict[str, float] = {}
        self.latencies: list[float] = []
        self.delivered = 0
        self.acked: list[str] = []
        self.timeouts = 0
        self.refused = 0
        self.measuring = False
        self.ready = 0  # members connected, joined, holding their card: the window starts after all

    async def member(self, board: dict[str, Any], token: str | None) -> None:
        sio = socketio.AsyncClient(reconnection=False)

        async def on_event(event: dict[str, Any]) -> None:
            start = self.sent.get(event.get("op_id"))
            if start is not None:
                self.latencies.append(time.perf_counter() - start)
                self.delivered += 1

        sio.on("event", on_event)
        await sio.connect(self.url, auth={"token": token} if token else None, transports=["websocket"], wait_timeout=30)
        while not (await sio.call("join", {"map_id": board["map_id"]}, timeout=60)).get("ok"):
            await asyncio.sleep(1)  # refused while the server is busy: the same join a little later
        card = None
        if token:  # Parcours: a card of one's own to edit (the same op until acknowledged)
            op = {
                "map_id": board["map_id"],
                "op_id": str(uuid.uuid4()),
                "type": "card.add",
                "lane_id": board["lane"],
                "step_id": board["step"],
                "text": "ma carte",
            }
            while card is None:
                ack = await sio.call("op", op, timeout=60)
                card = ack["data"]["id"] if ack.get("ok") else await asyncio.sleep(0.5)
        self.ready += 1
        await asyncio.sleep(random.random() * PERIOD)
        n = 0
        while time.perf_counter() < self.stop:
            n += 1
            op_id = str(uuid.uuid4())
            op = {
                "map_id": board["map_id"],
                "op_id": op_id,
                "type": "card.update",
                "id": card or "c",
                "text": f"version {n}",
            }
            measured = self.measuring
            if measured:
                self.sent[op_id] = time.perf_counter()
            next_at = time.perf_counter() + PERIOD
            try:
                ack = await sio.call("op", op, timeout=10)
                if measured and ack.get("ok"):
                    self.acked.append(op_id)
                elif measured:
                    self.refused += 1
            except socketio.exceptions.TimeoutError:
                if measured:
                    self.timeouts += 1
            await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
        await asyncio.sleep(10)  # late events still count (a saturated server answers late)
        await sio.disconnect()

    async def run(self, pid: int, warmup: float, seconds: float) -> dict[str, Any]:
        members = sum(len(b["tokens"]) for b in self.boards)
        self.stop = float("inf")
        tasks = [asyncio.create_task(self.member(b, t)) for b in self.boards for t in b["tokens"]]
        while self.ready < members:  # setup (connect, join, first card) is not what is measured
            await asyncio.sleep(0.2)
        self.stop = time.perf_counter() + warmup + seconds
        await asyncio.sleep(warmup)
        self.measuring, cpu0, t0 = True, cpu_seconds(pid), time.perf_counter()
        await asyncio.sleep(seconds)
        self.measuring, cpu1, t1 = False, cpu_seconds(pid), time.perf_counter()
        await asyncio.gather(*tasks)
        ops = len(self.acked)
        acked = set(self.acked)
        expected = ops * PEOPLE
        return {
            "ops": ops,
            "delivered": 100.0 * min(self.delivered, expected) / expected if expected else 0.0,
            "p50": 1000 * percentile(self.latencies, 0.5),
            "p99": 1000 * percentile(self.latencies, 0.99),
            "timeouts": self.timeouts,
            "refused": self.refused,
            "cpu": 100 * (cpu1 - cpu0) / (t1 - t0),
            "cpu_ms_op": 1000 * (cpu1 - cpu0) / ops if ops else float("nan"),
            "_acked": len(acked),
        }


def parcours_boards(server: Server, count: int) -> list[dict[str, Any]]:
    boards = []
    for b in range(count):
        # Each board's people come from an address of their own (the server trusts one proxy, see
        # BENCH_ENV): the per-address throttles on creating and joining are issue #8's, not this bench's.
        office = {"X-Forwarded-For": f"10.77.{b // 250}.{b % 250 + 1}"}
        ws = server.api(
            "POST", "/api/workshops", json={"title": f"Atelier {b}", "map_type": "journey"}, headers=dict(office)
        ).json()
        snap = server.api("GET", f"/api/maps/{ws['map']['id']}", ws["facilitator_token"]).json()
        tokens = [
            server.api(
                "POST", "/api/join", json={"code": ws["join_code"], "name": f"P{i}"}, headers=dict(office)
            ).json()["token"]
            for i in range(PEOPLE)
        ]
        boards.append(
            {
                "map_id": ws["map"]["id"],
                "lane": snap["lanes"][0]["id"],
                "step": snap["steps"][0]["id"],
                "tokens": tokens,
            }
        )
    return boards


def pg_database() -> tuple[str, Any]:
    import psycopg

    name = f"parcours_bench_{uuid.uuid4().hex[:8]}"
    admin = PG_ADMIN.replace("+psycopg", "")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{PG_ADMIN.rsplit('/', 1)[0]}/{name}", drop


def measure(
    kind: str, mode: str, boards: int, warmup: float, seconds: float, root: Path | None = None
) -> dict[str, Any]:
    """One row; `root` runs another checkout's run.py (e.g. main, to compare before and after)."""
    import tests.server

    tests.server.ROOT = root or ROOT  # Server.start() runs ROOT/run.py
    with tempfile.TemporaryDirectory() as tmp:
        drop = None
        if kind == "relay":
            server: Any = Relay(mode).start()
            plan = [{"map_id": f"m{b}", "tokens": [None] * PEOPLE} for b in range(boards)]
        else:
            url = f"sqlite:///{tmp}/bench.db" if kind == "sqlite" else None
            if url is None:
                url, drop = pg_database()
            server = Server(url, async_mode=mode, env=BENCH_ENV, log_path=Path(tmp) / "server.log").start(timeout=180)
            plan = parcours_boards(server, boards)
        try:
            return asyncio.run(Load(server.url, plan).run(server.proc.pid, warmup, seconds))
        finally:
            server.stop()
            if drop:
                drop()


def row(name: str, mode: str, boards: int, r: dict[str, Any], ratio: float) -> None:
    print(
        f"| {name} | {mode} | {boards} | {r['ops']} | {r['delivered']:.1f} % | {r['p50']:.1f} "
        f"| {r['p99']:.1f} | {r['timeouts']} | {r['refused']} | {r['cpu']:.0f} % "
        f"| {r['cpu_ms_op']:.2f} | {ratio:.1f} |",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--boards", type=int, nargs="+", default=[10, 30])
    parser.add_argument("--dbs", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--modes", nargs="+", default=["eventlet", "threading"])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--compare", type=Path, help="another checkout (e.g. main) measured in the same run, SQLite")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores", flush=True)
    print(
        "| server | mode | boards × 10 | ops | delivered | p50 (ms) | p99 (ms) | ack timeouts | refused "
        "| server CPU | CPU per op (ms) | × relay |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for mode in args.modes:
        for boards in args.boards:
            relay_cost = None
            for kind in ["relay", *args.dbs]:
                r = measure(kind, mode, boards, args.warmup, args.seconds)
                if kind == "relay":
                    relay_cost = r["cpu_ms_op"]
                ratio = r["cpu_ms_op"] / relay_cost if relay_cost else float("nan")
                name = "bare Flask-SocketIO relay" if kind == "relay" else f"Parcours, {kind}"
                row(name, mode, boards, r, ratio)
            if args.compare:
                r = measure("sqlite", mode, boards, args.warmup, args.seconds, args.compare.resolve())
                row(f"{args.compare.name}, sqlite", mode, boards, r, r["cpu_ms_op"] / relay_cost)
    print(f"load average after: {os.getloadavg()[0]:.2f}", flush=True)


if __name__ == "__main__":
    main()
