"""Many boards at once: B boards × 10 participants, each editing its own card every 2 s.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/fanout.py --boards 10 30 --dbs sqlite postgres --modes eventlet threading
    .venv/bin/python bench/fanout.py --boards 30 --cluster 2 --dbs postgres    # + 2 processes behind HAProxy
    .venv/bin/python bench/fanout.py --boards 30 --dbs sqlite --soak 3 --seconds 100   # the database ages

For each async mode (eventlet, threading, gevent) and each B, runs the same load against a bare
Flask-SocketIO relay (bench/relay.py, in memory) and against Parcours (`run.py`) on each database, all
started by this script on free ports. `--cluster N` adds N `run.py` processes on PostgreSQL + Redis behind
HAProxy, started with deploy/cluster.py, the clients' WebSockets going through HAProxy (without `--dbs`,
only the relay and the cluster run). The load generator is one asyncio process (python-socketio's
AsyncClient over WebSocket) on the same machine. Reports, over a measured window after a warm-up:
- delivered: events received / (ops acknowledged × 10 members of the room);
- fan-out p50/p99: from sending an op to its event reaching each member (every delivery counts);
- ack timeouts and refusals (`rate_limited`);
- server CPU: the server processes' user+system time over the window (% of one core) and per op; for a
  cluster, summed over its processes and HAProxy; RSS of the servers at the end of the window;
- the load generator's own CPU over the window: near 100 % of its one core, its latencies are its own.
`--soak ROUNDS` keeps one server (or cluster) per database for ROUNDS windows of the same load; before
each window, 5 more boards × 10 write as many ops as the measured boards do in a window (the database
ages, the measured load does not); each round reports CPU per op, p99 and the servers' RSS.
Machines are shared: compare the rows of one run (ratios to the relay), never across runs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
import socketio

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from deploy.cluster import DEFAULT_MQ, Cluster  # noqa: E402
from tests.server import Server, free_port  # noqa: E402

PEOPLE = 10
PERIOD = 2.0
HISTORY_BOARDS = 5  # boards of history written before each soak round
# The bench stands in front of the server like a reverse proxy, so that each board has its own address;
# in front of a cluster there is HAProxy too, which appends the bench's address (`option forwardfor`).
BENCH_ENV = {"PARCOURS_TRUSTED_PROXIES": "1"}
CLUSTER_ENV = {"PARCOURS_TRUSTED_PROXIES": "2", "PARCOURS_DEMO": "0"}
PG_ADMIN = os.environ.get("PARCOURS_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
MQ_URL = os.environ.get("MESSAGE_QUEUE_URL") or DEFAULT_MQ


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p * (len(values) - 1))))]


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


@dataclass
class Target:
    """What the load runs against: one address, the processes whose CPU counts, how to stop them."""

    url: str
    pids: list[int]
    rss_pids: list[int]  # the servers (HAProxy aside)
    boards: Callable[[int, int], list[dict[str, Any]]]  # (count, first index) -> boards ready to load


class Relay:
    """bench/relay.py as a child process."""

    def __init__(self, mode: str):
        self.port, self.mode, self.proc = free_port(), mode, None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Relay:
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

    async def connect(self, board: dict[str, Any], token: str | None) -> tuple[socketio.AsyncClient, str | None]:
        """A member connected and in its board's room, with a card of its own (Parcours only)."""
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
        card = await self.add_card(sio, board) if token else None
        return sio, card

    @staticmethod
    async def add_card(sio: socketio.AsyncClient, board: dict[str, Any]) -> str:
        """A new card, the same op sent again until acknowledged (as clients do)."""
        op = {
            "map_id": board["map_id"],
            "op_id": str(uuid.uuid4()),
            "type": "card.add",
            "lane_id": board["lane"],
            "step_id": board["step"],
            "text": "ma carte",
        }
        while True:
            try:
                ack = await sio.call("op", op, timeout=60)
            except socketio.exceptions.TimeoutError:
                continue
            if ack.get("ok"):
                return ack["data"]["id"]
            await asyncio.sleep(0.5)

    async def member(self, board: dict[str, Any], token: str | None) -> None:
        sio, card = await self.connect(board, token)
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

    async def run(self, pids: list[int], warmup: float, seconds: float) -> dict[str, Any]:
        members = sum(len(b["tokens"]) for b in self.boards)
        self.stop = float("inf")
        tasks = [asyncio.create_task(self.member(b, t)) for b in self.boards for t in b["tokens"]]
        while self.ready < members:  # setup (connect, join, first card) is not what is measured
            for task in tasks:
                if task.done() and task.exception():  # a member that could not connect: stop, say why
                    raise task.exception()
            await asyncio.sleep(0.2)
        self.stop = time.perf_counter() + warmup + seconds
        await asyncio.sleep(warmup)
        self.measuring, cpu0, t0, own0 = True, cpu_seconds(pids), time.perf_counter(), time.process_time()
        await asyncio.sleep(seconds)
        self.measuring, cpu1, t1, own1 = False, cpu_seconds(pids), time.perf_counter(), time.process_time()
        await asyncio.gather(*tasks)
        ops = len(self.acked)
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
            # Near 100 %, the load generator is the bottleneck: its latencies are its own queue.
            "load_cpu": 100 * (own1 - own0) / (t1 - t0),
        }

    async def history(self, ops_each: int) -> int:
        """Each member writes `ops_each` ops back to back (a card, then an edit of it, and again), each
        sent again until acknowledged: what the same boards would leave in the database, written fast.
        Returns the ops written."""

        async def write(board: dict[str, Any], token: str) -> None:
            sio, card = await self.connect(board, token)
            for n in range(1, ops_each):
                if n % 2 == 0:
                    card = await self.add_card(sio, board)
                    continue
                op = {"map_id": board["map_id"], "op_id": str(uuid.uuid4()), "type": "card.update", "id": card}
                op["text"] = f"version {n}"
                while True:
                    try:
                        if (await sio.call("op", op, timeout=60)).get("ok"):
                            break
                    except socketio.exceptions.TimeoutError:
                        continue
                    await asyncio.sleep(0.5)
            await sio.disconnect()

        await asyncio.gather(*(write(b, t) for b in self.boards for t in b["tokens"]))
        return ops_each * sum(len(b["tokens"]) for b in self.boards)


def parcours_boards(url: str, count: int, first: int = 0) -> list[dict[str, Any]]:
    """`count` new workshops of 10 participants each; board i's people come from an address of their
    own (the server trusts the bench as a proxy, see BENCH_ENV): the per-address throttles on creating
    and joining are issue #8's, not this bench's."""
    boards = []
    with requests.Session() as http:

        def call(office: str, method: str, path: str, token: str | None = None, **kwargs: Any) -> dict[str, Any]:
            headers = {"X-Forwarded-For": office, **({"Authorization": f"Bearer {token}"} if token else {})}
            res = http.request(method, f"{url}{path}", headers=headers, timeout=60, **kwargs)
            if not res.ok:
                raise RuntimeError(f"setup: {method} {path} answered {res.status_code}: {res.text[:300]}")
            return res.json()

        for b in range(first, first + count):
            office = f"10.77.{b // 250}.{b % 250 + 1}"
            ws = call(office, "POST", "/api/workshops", json={"title": f"Atelier {b}", "map_type": "journey"})
            snap = call(office, "GET", f"/api/maps/{ws['map']['id']}", ws["facilitator_token"])
            tokens = [
                call(office, "POST", "/api/join", json={"code": ws["join_code"], "name": f"P{i}"})["token"]
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


def pg_database() -> tuple[str, Callable[[], None]]:
    import psycopg

    name = f"parcours_bench_{uuid.uuid4().hex[:8]}"
    admin = PG_ADMIN.replace("+psycopg", "")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{PG_ADMIN.rsplit('/', 1)[0]}/{name}", drop


@contextmanager
def started(kind: str, mode: str, root: Path | None = None) -> Iterator[Target]:
    """A running server: "relay", "sqlite", "postgres" or "cluster:N"; `root` runs another
    checkout's run.py (e.g. main, to compare before and after)."""
    import tests.server

    tests.server.ROOT = root or ROOT  # Server.start() runs ROOT/run.py
    with tempfile.TemporaryDirectory() as tmp:
        cleanups: list[Callable[[], None]] = []
        try:
            if kind == "relay":
                relay = Relay(mode).start()
                cleanups.append(relay.stop)

                def relay_boards(count: int, first: int = 0) -> list[dict[str, Any]]:
                    return [{"map_id": f"m{b}", "tokens": [None] * PEOPLE} for b in range(first, first + count)]

                yield Target(relay.url, [relay.proc.pid], [relay.proc.pid], relay_boards)
            elif kind.startswith("cluster:"):
                url, drop = pg_database()
                cleanups.append(drop)
                cluster = Cluster(
                    int(kind.split(":")[1]),
                    free_port(),
                    url,
                    MQ_URL,
                    channel=f"parcours-bench-{uuid.uuid4().hex[:8]}",  # apart from any other cluster on this Redis
                    async_mode=mode,
                    log_dir=Path(tmp),
                    extra_env=CLUSTER_ENV,
                )
                cleanups.append(cluster.stop)
                cluster.start()
                servers = [p.pid for p in cluster.procs]
                yield Target(
                    cluster.url,
                    [*servers, cluster.haproxy.pid],
                    servers,
                    lambda count, first=0: parcours_boards(cluster.url, count, first),
                )
            else:
                url = f"sqlite:///{tmp}/bench.db" if kind == "sqlite" else None
                if url is None:
                    url, drop = pg_database()
                    cleanups.append(drop)
                server = Server(url, async_mode=mode, env=BENCH_ENV, log_path=Path(tmp) / "server.log")
                cleanups.append(server.stop)
                server.start(timeout=180)
                yield Target(
                    server.url,
                    [server.proc.pid],
                    [server.proc.pid],
                    lambda count, first=0: parcours_boards(server.url, count, first),
                )
        except BaseException:
            for log in sorted(Path(tmp).glob("*.log")):  # the servers' words, before tmp goes away
                print(f"--- {log.name} (last lines)", *log.read_text(errors="replace").splitlines()[-15:], sep="\n")
            raise
        finally:
            for cleanup in reversed(cleanups):  # stop the servers, then drop their database
                cleanup()


def measure(target: Target, boards: int, warmup: float, seconds: float) -> dict[str, Any]:
    r = asyncio.run(Load(target.url, target.boards(boards, 0)).run(target.pids, warmup, seconds))
    r["rss"] = rss_mb(target.rss_pids)
    return r


def soak(target: Target, boards: int, rounds: int, warmup: float, seconds: float) -> Iterator[dict[str, Any]]:
    """The same boards measured `rounds` times; before each round, HISTORY_BOARDS new boards write as
    many ops as the measured ones send in a window."""
    plan, written = target.boards(boards, 0), 0
    for n in range(rounds):
        history = target.boards(HISTORY_BOARDS, 1000 + n * HISTORY_BOARDS)
        written += asyncio.run(Load(target.url, history).history(int(seconds / PERIOD)))
        r = asyncio.run(Load(target.url, plan).run(target.pids, warmup, seconds))
        r["rss"] = rss_mb(target.rss_pids)
        r["round"] = f"{n + 1} | {written:,}"
        yield r


def name_of(kind: str) -> str:
    if kind == "relay":
        return "bare Flask-SocketIO relay"
    if kind.startswith("cluster:"):
        return f"Parcours, {kind.split(':')[1]} processes + HAProxy, postgres + Redis"
    return f"Parcours, {kind}"


def row(name: str, mode: str, boards: int, r: dict[str, Any], ratio: float) -> None:
    soak = f"| {r['round']} " if "round" in r else ""
    print(
        f"| {name} | {mode} | {boards} {soak}| {r['ops']} | {r['delivered']:.1f} % | {r['p50']:.1f} "
        f"| {r['p99']:.1f} | {r['timeouts']} | {r['refused']} | {r['cpu']:.0f} % "
        f"| {r['cpu_ms_op']:.2f} | {ratio:.1f} | {r['rss']:.0f} | {r['load_cpu']:.0f} % |",
        flush=True,
    )


def main() -> None:
    global PERIOD
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--boards", type=int, nargs="+", default=[10, 30])
    parser.add_argument("--dbs", nargs="+", choices=("sqlite", "postgres"), help="default: both, none with --cluster")
    parser.add_argument(
        "--modes", nargs="+", choices=("eventlet", "threading", "gevent"), default=["eventlet", "threading"]
    )
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--compare", type=Path, help="another checkout (e.g. main) measured in the same run, SQLite")
    parser.add_argument(
        "--cluster", type=int, metavar="N", help="also N processes on PostgreSQL + Redis behind HAProxy"
    )
    parser.add_argument("--soak", type=int, metavar="ROUNDS", help="ROUNDS windows per server, the database aging")
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="measure the relay and each server this many times in turn; a summary gives each ratio's median "
        "(a machine's speed drifts between windows: the median of ratios taken side by side is steadier)",
    )
    parser.add_argument(
        "--period",
        type=float,
        default=PERIOD,
        help="seconds between a member's ops (default 2); below the server's sustainable rate it shows the backpressure",
    )
    args = parser.parse_args()
    PERIOD = args.period
    kinds = list(args.dbs or ([] if args.cluster else ["sqlite", "postgres"]))
    if args.cluster:
        kinds.append(f"cluster:{args.cluster}")
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores", flush=True)
    print(f"each member sends an op every {PERIOD:g} s: {PEOPLE / PERIOD:g} ops/s per board", flush=True)
    soak_column = "| round | history ops " if args.soak else ""
    print(
        f"| server | mode | boards × 10 {soak_column}| ops | delivered | p50 (ms) | p99 (ms) | ack timeouts | refused "
        "| server CPU | CPU per op (ms) | × relay | RSS (MB) | load generator CPU |"
    )
    print("|---|---|---" + ("|---|---" if args.soak else "") + "|---|---|---|---|---|---|---|---|---|---|---|")
    ratios: dict[tuple[str, str, int], list[float]] = {}
    # One round: the relay, then each server right after it.
    for mode, boards, _ in ((m, b, n) for m in args.modes for b in args.boards for n in range(args.rounds)):
        with started("relay", mode) as target:
            r = measure(target, boards, args.warmup, args.seconds)
        relay_cost = r["cpu_ms_op"]
        if args.soak:
            r["round"] = "– | –"
        row(name_of("relay"), mode, boards, r, 1.0)
        for kind in kinds:
            with started(kind, mode) as target:
                results = (
                    soak(target, boards, args.soak, args.warmup, args.seconds)
                    if args.soak
                    else [measure(target, boards, args.warmup, args.seconds)]
                )
                for r in results:
                    row(name_of(kind), mode, boards, r, r["cpu_ms_op"] / relay_cost)
                    ratios.setdefault((name_of(kind), mode, boards), []).append(r["cpu_ms_op"] / relay_cost)
        if args.compare and not args.soak:
            with started("sqlite", mode, args.compare.resolve()) as target:
                r = measure(target, boards, args.warmup, args.seconds)
            row(f"{args.compare.name}, sqlite", mode, boards, r, r["cpu_ms_op"] / relay_cost)
            ratios.setdefault((f"{args.compare.name}, sqlite", mode, boards), []).append(r["cpu_ms_op"] / relay_cost)
    print(f"load average after: {os.getloadavg()[0]:.2f}", flush=True)
    if args.rounds > 1:
        print("\n| server | mode | boards × 10 | rounds | CPU per op × relay, median | each round |")
        print("|---|---|---|---|---|---|")
        for (name, mode, boards), values in ratios.items():
            each = ", ".join(f"{v:.2f}" for v in values)
            print(f"| {name} | {mode} | {boards} | {len(values)} | {statistics.median(values):.2f} | {each} |")


if __name__ == "__main__":
    main()
