"""Faults across real processes: a process killed behind HAProxy, Redis restarted, PostgreSQL's
connections cut, a slow query on one board. Real `run.py` processes, real HAProxy (deploy/), real
python-socketio clients that resend the same op_id until acknowledged, as the browser does."""

from __future__ import annotations

import http.cookiejar
import importlib.util
import shutil
import signal
import subprocess
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests
import socketio

from deploy.cluster import HAPROXY, Cluster

from ..api import Api
from ..conftest import REDIS_URL, need, redis_reachable
from ..server import Server, free_port
from .client import LiveClient, comparable

# serial: it measures that other boards stay responsive, or kills and restarts processes; it runs
# alone after the parallel run (Makefile `test`), so that the other tests neither slow it nor feel it.
pytestmark = [pytest.mark.e2e, pytest.mark.serial]


def need_cluster_tools() -> None:
    need(Path(HAPROXY).exists(), "HAProxy not installed (apt-get install haproxy)")
    need(redis_reachable(REDIS_URL), f"Redis not reachable at {REDIS_URL}")


def open_workshop(base_url: str, people: int) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any]]:
    api = Api(base_url)
    ws = api.create(map_type="journey")
    joined = [api.join(ws["join_code"], f"P{i}") for i in range(people)]
    return ws, joined, api.snapshot(ws["facilitator_token"], ws["map"]["id"])


def server_board(base_url: str, map_id: str, token: str) -> dict[str, Any]:
    return Api(base_url).snapshot(token, map_id)


def add_cards(
    client: LiveClient,
    snap: dict[str, Any],
    count: int,
    acks: list[dict[str, Any]],
    pause: float = 0.05,
    after: threading.Event | None = None,
    at: int = -1,
) -> None:
    for i in range(count):
        if i == at and after is not None:
            after.set()
        acks.append(
            client.send(
                "card.add",
                lane_id=snap["lanes"][0]["id"],
                step_id=snap["steps"][0]["id"],
                text=f"{client.token[:6]} {i}",
                deadline=90,
            )
        )
        time.sleep(pause)


def assert_no_acknowledged_op_lost_or_duplicated(
    base_url: str, ws: dict[str, Any], acks: list[dict[str, Any]], clients: list[LiveClient], start: int
) -> None:
    assert all(a["ok"] for a in acks), [a for a in acks if not a["ok"]][:3]
    seqs = [a["seq"] for a in acks]
    assert len(seqs) == len(set(seqs)), "one op acknowledged under two seqs"
    board = server_board(base_url, ws["map"]["id"], ws["facilitator_token"])
    assert board["seq"] == start + len(acks), "an op applied twice, or one lost"
    assert sorted(c["id"] for c in board["cards"]) == sorted(a["data"]["id"] for a in acks)
    for client in clients:
        client.wait_for_seq(board["seq"], timeout=60, catch_up=True)
        assert client.store.board() == comparable(server_board(base_url, ws["map"]["id"], client.token))


def test_a_process_killed_behind_haproxy_leaves_no_acknowledged_op_lost_or_duplicated(tmp_path, pg_url):
    need_cluster_tools()
    cluster = Cluster(
        3, free_port(), pg_url, REDIS_URL, channel=f"parcours-test-{uuid.uuid4().hex[:8]}", log_dir=tmp_path
    ).start()
    clients: list[LiveClient] = []
    try:
        ws, people, snap = open_workshop(cluster.url, 6)
        map_id = ws["map"]["id"]
        # Round robin spreads the six WebSocket clients over the three processes.
        clients = [LiveClient(cluster.url, p["token"], map_id).connect() for p in people]
        start = snap["seq"]
        acks: list[list[dict[str, Any]]] = [[] for _ in clients]
        halfway = threading.Event()
        threads = [
            threading.Thread(
                target=add_cards,
                args=(c, snap, 12, acks[i]),
                kwargs={"after": halfway if i == 0 else None, "at": 4},
                daemon=True,
            )
            for i, c in enumerate(clients)
        ]
        for t in threads:
            t.start()
        assert halfway.wait(60)
        cluster.kill_process(1)  # kill -9, mid-workshop
        for t in threads:
            t.join(180)
        assert not any(t.is_alive() for t in threads), "a client never got its ops acknowledged"
        assert_no_acknowledged_op_lost_or_duplicated(cluster.url, ws, [a for per in acks for a in per], clients, start)
    finally:
        for c in clients:
            c.close()
        cluster.stop()


def test_long_polling_clients_stay_on_their_process_through_haproxy_by_its_cookie(tmp_path, pg_url):
    """A browser that starts with long-polling sends many HTTP requests per Socket.IO session, each
    balanced anew by HAProxy: only the process that made the session knows its sid (the others answer
    400). HAProxy's cookie keeps them on it; without the cookie, round robin breaks the session."""
    need_cluster_tools()
    cluster = Cluster(
        3, free_port(), pg_url, REDIS_URL, channel=f"parcours-test-{uuid.uuid4().hex[:8]}", log_dir=tmp_path
    )
    cluster.start()
    clients: list[LiveClient] = []
    try:
        ws, people, snap = open_workshop(cluster.url, 3)
        map_id = ws["map"]["id"]
        polling = LiveClient(cluster.url, people[0]["token"], map_id).connect(("polling",))
        upgrading = LiveClient(cluster.url, people[1]["token"], map_id).connect(("polling", "websocket"))
        writer = LiveClient(cluster.url, people[2]["token"], map_id).connect()
        clients = [polling, upgrading, writer]
        dropped: list[str] = []
        for name, client in (("polling", polling), ("upgrading", upgrading)):
            client.sio.on("disconnect", lambda *_, name=name: dropped.append(name))
        sids = [c.sio.get_sid() for c in clients]
        nodes = [c.sio.eio.http.cookies.get("PARCOURS_NODE") for c in (polling, upgrading)]
        assert all(nodes), "HAProxy set no stickiness cookie"
        assert upgrading.sio.transport() == "websocket", "the upgrade did not reach the session's process"
        start = snap["seq"]
        acks: list[dict[str, Any]] = []
        # Dozens of polling requests each way: ops sent by the polling client, events from the others.
        for i in range(15):
            for client in clients:
                acks.append(
                    client.send("card.add", lane_id=snap["lanes"][0]["id"], step_id=snap["steps"][0]["id"], text=f"{i}")
                )
        assert all(a["ok"] for a in acks), [a for a in acks if not a["ok"]][:3]
        for client in clients:
            client.wait_for_seq(start + len(acks))
            assert sorted(client.store.received) == list(range(start + 1, start + len(acks) + 1))
        assert not dropped, f"{dropped} lost its session"
        assert [c.sio.get_sid() for c in clients] == sids, "a client had to connect again"
        assert [c.sio.eio.http.cookies.get("PARCOURS_NODE") for c in (polling, upgrading)] == nodes

        # The same polling client without cookies: its requests go round the three processes.
        cookieless = requests.Session()
        cookieless.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
        sio = socketio.Client(reconnection=False, http_session=cookieless)
        with pytest.raises(socketio.exceptions.ConnectionError):
            sio.connect(cluster.url, auth={"token": people[0]["token"]}, transports=["polling"], wait_timeout=10)
        sio.disconnect()
    finally:
        for c in clients:
            c.close()
        cluster.stop()


class RedisServer:
    """A redis-server of the test's own, on a free port, that the test may kill and restart."""

    def __init__(self, tmp: Path):
        self.port, self.tmp, self.proc = free_port(), tmp, None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        self.proc = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.tmp),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        stop = time.monotonic() + 20
        while not redis_reachable(self.url):
            assert time.monotonic() < stop, "redis-server did not start"
            time.sleep(0.1)
        return self

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)


def test_after_a_redis_restart_every_process_reconnects_and_clients_recover_missed_events_by_seq(tmp_path, pg_url):
    need(shutil.which("redis-server") is not None, "redis-server not installed")
    need(Path(HAPROXY).exists(), "HAProxy not installed (apt-get install haproxy)")
    redis_server = RedisServer(tmp_path).start()
    cluster = Cluster(2, free_port(), pg_url, redis_server.url, log_dir=tmp_path).start()
    clients: list[LiveClient] = []
    try:
        ws, people, snap = open_workshop(cluster.url, 2)
        map_id = ws["map"]["id"]
        # One client on each process, so that events must cross Redis.
        clients = [LiveClient(cluster.process_url(i), p["token"], map_id).connect() for i, p in enumerate(people)]
        writer, reader = clients
        start = snap["seq"]
        acks: list[dict[str, Any]] = []
        add_cards(writer, snap, 2, acks)
        reader.wait_for_seq(start + 2)
        redis_server.kill()
        add_cards(writer, snap, 3, acks)  # acknowledged: the database has them; their events are lost
        redis_server.start()
        # Once the processes have resubscribed, the next event reaches the reader, which sees the gap
        # in seqs and syncs (as the browser does): nobody stays silently stale.
        deadline = time.monotonic() + 90
        while reader.store.seq < start + len(acks):
            assert time.monotonic() < deadline, "the reader never recovered the missed events"
            add_cards(writer, snap, 1, acks, pause=0)
            try:
                reader.wait_for_seq(start + len(acks), timeout=3, catch_up=True)
            except AssertionError:
                pass
        assert_no_acknowledged_op_lost_or_duplicated(cluster.url, ws, acks, clients, start)
    finally:
        for c in clients:
            c.close()
        cluster.stop()
        redis_server.kill()


def terminate_backends(pg_url: str, seconds: float) -> None:
    """Cut every connection the server has to its database, again and again for `seconds`."""
    import psycopg

    base, name = pg_url.replace("+psycopg", "").rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        stop = time.monotonic() + seconds
        while time.monotonic() < stop:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            )
            time.sleep(0.1)


def test_while_postgresql_connections_are_cut_ops_answer_a_clear_error_and_nothing_acknowledged_is_lost(
    tmp_path, pg_url
):
    server = Server(pg_url, log_path=tmp_path / "server.log").start()
    clients: list[LiveClient] = []
    try:
        ws, people, snap = open_workshop(server.url, 3)
        map_id = ws["map"]["id"]
        clients = [LiveClient(server.url, p["token"], map_id).connect() for p in people]
        start = snap["seq"]
        acks: list[list[dict[str, Any]]] = [[] for _ in clients]
        threads = [
            threading.Thread(target=add_cards, args=(c, snap, 15, acks[i]), kwargs={"pause": 0.2}, daemon=True)
            for i, c in enumerate(clients)
        ]
        cutter = threading.Thread(target=terminate_backends, args=(pg_url, 4), daemon=True)
        for t in [*threads, cutter]:
            t.start()
        # The facilitator works over REST meanwhile: every answer is an ack or a clear 503, never a 500.
        # An op answered 503 may have committed just before its connection was cut: like every
        # client, the facilitator sends the same op_id again until it is acknowledged.
        statuses, rest_acks = [], []
        while cutter.is_alive() or (statuses and statuses[-1] != 200):
            if not statuses or statuses[-1] == 200:
                body = {
                    "op_id": str(uuid.uuid4()),
                    "type": "card.add",
                    "lane_id": snap["lanes"][0]["id"],
                    "step_id": snap["steps"][0]["id"],
                    "text": "par REST",
                }
            res = requests.post(
                f"{server.url}/api/maps/{map_id}/ops",
                json=body,
                timeout=30,
                headers={"Authorization": f"Bearer {ws['facilitator_token']}"},
            )
            statuses.append(res.status_code)
            if res.status_code == 200:
                rest_acks.append(res.json())
            else:
                assert res.json()["error"]["code"] in ("unavailable", "rate_limited"), res.text
            time.sleep(0.1)
        for t in threads:
            t.join(120)
        assert not any(t.is_alive() for t in threads), "a client hung"
        assert set(statuses) <= {200, 503, 429}, statuses
        assert "database unavailable" in server.log_path.read_text(), "the cuts were never noticed: no test"
        assert_no_acknowledged_op_lost_or_duplicated(
            server.url, ws, [a for per in acks for a in per] + rest_acks, clients, start
        )
    finally:
        for c in clients:
            c.close()
        server.stop()


@pytest.mark.parametrize("async_mode", ["eventlet", "gevent"])
def test_a_slow_query_on_one_board_does_not_freeze_another_board_under_green_threads(tmp_path, pg_url, async_mode):
    """psycopg waits through the patched selectors under eventlet (and gevent, which psycopg detects):
    a board whose map row is locked by someone else waits, while another board's ops go through."""
    import psycopg

    if async_mode == "gevent":  # optional mode (pyproject's `gevent` extra, which `test` includes)
        need(importlib.util.find_spec("gevent") is not None, "gevent not installed (pip install -e '.[gevent]')")
    server = Server(pg_url, async_mode=async_mode, log_path=tmp_path / "server.log").start()
    clients: list[LiveClient] = []
    try:
        slow_ws, slow_people, slow_snap = open_workshop(server.url, 1)
        fast_ws, fast_people, fast_snap = open_workshop(server.url, 1)
        slow = LiveClient(server.url, slow_people[0]["token"], slow_ws["map"]["id"]).connect()
        fast = LiveClient(server.url, fast_people[0]["token"], fast_ws["map"]["id"]).connect()
        clients = [slow, fast]
        blocked: list[dict[str, Any]] = []
        with psycopg.connect(pg_url.replace("+psycopg", "")) as conn:
            # Hold the slow board's map row: its next op waits on the lock inside the server.
            conn.execute("SELECT seq FROM maps WHERE id = %s FOR UPDATE", (slow_ws["map"]["id"],))
            waiter = threading.Thread(target=add_cards, args=(slow, slow_snap, 1, blocked), daemon=True)
            waiter.start()
            time.sleep(0.5)  # let the slow op reach the lock
            fast_acks: list[dict[str, Any]] = []
            add_cards(fast, fast_snap, 5, fast_acks, pause=0)
            assert all(a["ok"] for a in fast_acks)
            assert waiter.is_alive() and not blocked, "the slow board's op should still be waiting on the lock"
            conn.rollback()
        waiter.join(30)
        assert blocked and blocked[0]["ok"], blocked
    finally:
        for c in clients:
            c.close()
        server.stop()
